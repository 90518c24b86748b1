package eventdetail

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
)

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	lines := make([]string, 0, m.height)
	switch {
	case m.hdr == nil && m.err != nil:
		lines = append(lines, "",
			"  "+st.State.Error.Render("✗ Could not load event: "+common.ErrorLine(m.err)),
			"  "+st.State.Hint.Render("press r to retry · esc to go back"))
	case m.hdr == nil:
		lines = append(lines, "", "  "+m.spin.View()+" "+st.State.Hint.Render("Loading event…"))
	default:
		lines = append(lines, m.headerView()...)
		lines = append(lines, m.tabsView())
		lines = append(lines, m.panes[m.active].View())
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
		if s == client.Redacted {
			return st.Detail.Redacted.Render(s)
		}
		return st.Detail.Value.Render(s)
	}
	trigger := val(h.trigger)
	if h.triggerRedacted && h.trigger != client.Redacted {
		trigger = st.Detail.Redacted.Render(h.trigger)
	}
	l1 := st.App.Title.Render(m.Title()) + "  " + label("trigger ") + trigger
	l2 := label("created ") + val(common.Absolute(h.created)+" ("+common.Relative(h.created, m.now)+")") +
		"  " + label("source ") + val(h.source)
	l3 := label("rule ") + val(h.rule) + "  " + label("trace ") + val(h.trace)
	return []string{m.fit(l1), m.fit(l2), m.fit(l3)}
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
