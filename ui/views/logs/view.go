package logs

import (
	"strings"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/format"
)

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	if m.ex == nil {
		var body string
		switch {
		case m.exErr != nil:
			body = st.State.Error.Render("✗ Could not load the execution: "+common.ErrorLine(m.exErr)) + "\n  " + st.State.Hint.Render("press r to retry · esc to go back")
		default:
			body = st.State.Hint.Render("Loading execution…")
		}
		return "\n  " + body
	}
	if m.embedded {
		return m.panes[m.active].lv.View()
	}
	return strings.Join([]string{m.header(), m.tabs(), m.panes[m.active].lv.View()}, "\n")
}

// header is the execution's action and status.
func (m Model) header() string {
	st := m.deps.Styles
	status := safe(string(m.ex.Status))
	if m.ex.Status.Problem() {
		status = st.State.Error.Render("✗ " + status)
	}
	line := st.App.Title.Render(m.Title()) + "  " + st.Detail.Label.Render("action ") + st.Detail.Value.Render(safe(m.ex.ActionRef)) +
		"  " + st.Detail.Label.Render("status ") + status
	return format.Cut(line, m.width)
}

// tabs is the stream tab line.
func (m Model) tabs() string {
	st := m.deps.Styles
	parts := make([]string, len(streams))
	for i, s := range streams {
		if i == m.active {
			parts[i] = st.Detail.TabActive.Render("[" + string(s) + "]")
		} else {
			parts[i] = st.Detail.TabInactive.Render(" " + string(s) + " ")
		}
	}
	return format.Cut(strings.Join(parts, " ")+st.Detail.Label.Render("   tab switches"), m.width)
}
