package executions

import (
	"fmt"

	"github.com/attune-tui/attune-tui/ui/components/listview"
)

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	f := listview.Frame{
		Lead:  st.List.Chip.Render(" status: "+m.statusName()+" ") + st.List.Header.Render(" 0-9/s/F"),
		Badge: m.statsText(),
	}
	if m.lv.State() == listview.StateEmpty {
		f.Empty = m.emptyText()
	}
	return m.lv.View(f)
}

func (m Model) emptyText() string {
	what := "No executions"
	if m.enf > 0 {
		what = fmt.Sprintf("No executions for enforcement #%d", m.enf)
	}
	switch {
	case m.problems:
		what += " with a problem status (failed, timeout, abandoned, cancelled)"
	case m.status > 0:
		what += " with status " + m.statusName()
	}
	if chips := m.lv.Chips(); chips != "" {
		what += " matching " + chips
	}
	return what + " — 0 shows all statuses, / changes the filter"
}

// statsText is the header's counts from /executions/stats: all executions
// the caller may read, whatever the list's filter.
func (m Model) statsText() string {
	st := m.deps.Styles
	switch {
	case m.statsErr != nil:
		return st.List.Header.Render("counts: ?")
	case m.stats == nil:
		return ""
	}
	s := m.stats
	failed := st.List.Header.Render(fmt.Sprintf("%d failed", s.Failed))
	if s.Failed > 0 {
		failed = st.State.Error.Render(fmt.Sprintf("✗ %d failed", s.Failed))
	}
	return failed + st.List.Header.Render(fmt.Sprintf(" · %d running · %d pending", s.Running, s.Pending))
}
