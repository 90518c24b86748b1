package executiondetail

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

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
			"  "+st.State.Error.Render("✗ Could not load execution: "+common.ErrorLine(m.err)),
			"  "+st.State.Hint.Render("press r to retry · esc to go back"))
	case m.hdr == nil:
		lines = append(lines, "", "  "+m.spin.View()+" "+st.State.Hint.Render("Loading execution…"))
	default:
		lines = append(lines, m.headerView()...)
		lines = append(lines, m.tabsView())
		if m.active == paneChildren {
			lines = append(lines, m.childrenView(max(m.height-headerLines, 1))...)
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

func id(n int64) string {
	if n <= 0 {
		return "-"
	}
	return "#" + strconv.FormatInt(n, 10)
}

func (m Model) headerView() []string {
	st := m.deps.Styles
	h := m.hdr
	label := func(s string) string { return st.Detail.Label.Render(s) }
	val := func(s string) string { return st.Detail.Value.Render(s) }
	status := val(h.status)
	if h.statusRaw.Problem() {
		status = st.State.Error.Render("✗ " + h.status)
	}
	l1 := st.App.Title.Render(m.Title()) + "  " + label("action ") + val(h.action) + "  " + label("status ") + status
	l2 := label("created ") + val(common.Absolute(h.created)+" ("+common.Relative(h.created, m.now)+")")
	if h.started != nil {
		l2 += "  " + label("started ") + val("+"+executions.FormatDuration(h.started.Sub(h.created)))
	}
	l2 += "  " + label("updated ") + val(common.Absolute(h.updated)) + "  " + label("duration ") + val(h.duration(m.now))
	l3 := label("enforcement ") + val(id(h.enforcement)) + "  " + label("parent ") + val(id(h.parent)) +
		"  " + label("executor ") + val(h.executor) + "  " + label("worker ") + val(h.worker) +
		"  " + label("trace ") + val(h.trace)
	l4 := label("error ") + val("-")
	if h.errText != "" {
		l4 = st.State.Error.Render("error: " + h.errText)
	}
	return []string{m.fit(l1), m.fit(l2), m.fit(l3), m.fit(l4)}
}

func (m Model) tabsView() string {
	st := m.deps.Styles
	kids := "Children"
	if m.childDone && m.childErr == nil {
		n := strconv.Itoa(len(m.children))
		if m.childMore {
			n += "+"
		}
		kids += " (" + n + ")"
	}
	names := [paneCount]string{"Result", "Config", kids}
	parts := make([]string, paneCount)
	for i, name := range names {
		if i == m.active {
			parts[i] = st.Detail.TabActive.Render("[" + name + "]")
		} else {
			parts[i] = st.Detail.TabInactive.Render(" " + name + " ")
		}
	}
	return m.fit(strings.Join(parts, " ") + st.Detail.Label.Render("   tab switches"))
}

func (m Model) childrenView(h int) []string {
	st := m.deps.Styles
	switch {
	case !m.childDone:
		return []string{"", "  " + st.State.Hint.Render("Loading child executions…")}
	case m.childErr != nil:
		return []string{"", "  " + st.State.Error.Render("✗ "+common.ErrorLine(m.childErr)), "  " + st.State.Hint.Render("press r to retry")}
	case len(m.children) == 0:
		return []string{"", "  " + st.State.Empty.Render("No child executions")}
	}
	start := max(0, m.cursor-h+1)
	var out []string
	for i := start; i < len(m.children) && len(out) < h; i++ {
		c := m.children[i]
		line := fmt.Sprintf("%-8s %-10s %-14s %s", id(c.id), c.status,
			executions.Duration(c.statusRaw, c.created, c.updated, c.started, m.now), c.action)
		line = m.fit("  " + line)
		if i == m.cursor {
			line = st.Table.Selected.Render(m.fit("> " + strings.TrimPrefix(line, "  ")))
		}
		out = append(out, line)
	}
	return out
}

func (m Model) fit(s string) string {
	if ansi.StringWidth(s) > m.width {
		return ansi.Truncate(s, m.width, "…")
	}
	return s
}
