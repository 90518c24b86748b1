package enforcementdetail

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/views/executions"
)

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	lines := make([]string, 0, m.height)
	switch {
	case m.hdr == nil && m.err != nil:
		lines = append(lines, "",
			"  "+st.State.Error.Render("✗ Could not load enforcement: "+common.ErrorLine(m.err)),
			"  "+st.State.Hint.Render("press r to retry · esc to go back"))
	case m.hdr == nil:
		lines = append(lines, "", "  "+m.spin.View()+" "+st.State.Hint.Render("Loading enforcement…"))
	default:
		lines = append(lines, m.headerView()...)
		lines = append(lines, m.tabsView())
		if m.active == paneConditions {
			lines = append(lines, m.cond.View())
		} else {
			lines = append(lines, m.panes[m.active].View())
		}
	}
	out := strings.Join(lines, "\n")
	if n := strings.Count(out, "\n") + 1; n < m.height {
		out += strings.Repeat("\n", m.height-n)
	}
	return out
}

func (m Model) headerView() []string {
	st := m.deps.Styles
	h := m.hdr
	label := func(s string) string { return st.Detail.Label.Render(s) }
	val := func(s string) string {
		if strings.HasPrefix(s, client.Redacted) {
			return st.Detail.Redacted.Render(s)
		}
		return st.Detail.Value.Render(s)
	}
	l1 := st.App.Title.Render(m.Title()) + "  " + label("status ") + val(h.status) +
		"  " + label("condition ") + val(h.condition)
	l2 := label("rule ") + val(h.rule) + "  " + label("trigger ") + val(h.trigger)
	l3 := label("event ") + val(h.event) + "  " + label("trace ") + val(h.trace)
	l4 := label("created ") + val(common.Absolute(h.created)+" ("+common.Relative(h.created, m.now)+")")
	if h.resolved != nil {
		l4 += "  " + label("resolved ") + val(common.Absolute(*h.resolved)+" (+"+
			executions.FormatDuration(h.resolved.Sub(h.created))+")")
	} else {
		l4 += "  " + label("resolved ") + val("unresolved for "+
			executions.FormatDuration(m.now.Sub(h.created)))
	}
	return []string{m.fit(l1), m.fit(l2), m.fit(l3), m.fit(l4)}
}

func (m Model) tabsView() string {
	st := m.deps.Styles
	parts := make([]string, paneCount)
	for i := range parts {
		name := paneName(i)
		if i == m.active {
			parts[i] = st.Detail.TabActive.Render("[" + name + "]")
		} else {
			parts[i] = st.Detail.TabInactive.Render(" " + name + " ")
		}
	}
	return m.fit(strings.Join(parts, " ") + st.Detail.Label.Render("   tab switches"))
}

func (m Model) fit(s string) string {
	if ansi.StringWidth(s) > m.width {
		return ansi.Truncate(s, m.width, "…")
	}
	return s
}
