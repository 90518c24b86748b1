package enforcements

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/components/outcome"
)

// execCol is the index of the EXECUTIONS column, its outcomes
// ("3 ✓2 ✗1").
const execCol = 3

// execWidth fits "12 ✓10 ✗2" and the title.
const execWidth = 10

func outcomeRow(r row) outcome.Row { return outcome.Row{ID: r.id, Created: r.created} }

// syncOutcome runs after every Update: see outcome.Column.Sync.
func (m Model) syncOutcome() (Model, tea.Cmd) {
	items := m.lv.Items()
	if len(items) == 0 {
		return m.renderOutcome(), nil
	}
	vis := m.lv.Visible()
	rows := make([]outcome.Row, len(vis))
	for i, r := range vis {
		rows[i] = outcomeRow(r)
	}
	var cmd tea.Cmd
	m.outcome, cmd = m.outcome.Sync(m.lv.Version(), len(items), items[len(items)-1].created, rows,
		m.deps.RequestContext, m.deps.Cache)
	return m.renderOutcome(), cmd
}

// renderOutcome re-renders the column when what it shows changed.
func (m Model) renderOutcome() Model {
	if !m.outcome.Dirty() {
		return m
	}
	m.outcome = m.outcome.Rendered()
	f := m.outcome.Renderer()
	a := m.outcome.Accent()
	m.lv = m.lv.SetNote(func(r row) string { return f(outcomeRow(r)) }, func(r row) string { return a(outcomeRow(r)) }, execWidth)
	return m
}
