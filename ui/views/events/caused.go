package events

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/components/outcome"
)

// causedCol is the index of the CAUSED column.
const causedCol = 3

// causedWidth is the CAUSED column's width: "2 → 3 ✓2 ✗1" fits 14
// cells; below 100 columns the short form ("2 ✗1") fits 7.
func causedWidth(short bool) int {
	if short {
		return 7
	}
	return 14
}

func outcomeRow(r row) outcome.Row { return outcome.Row{ID: r.id, Created: r.created} }

// cell returns what event r caused, as far as it is known.
func (m Model) cell(r row) outcome.Cell { return m.caused.Cell(outcomeRow(r)) }

// syncCaused runs after every Update: see outcome.Column.Sync.
func (m Model) syncCaused() (Model, tea.Cmd) {
	items := m.lv.Items()
	if len(items) == 0 {
		return m.renderCaused(), nil
	}
	vis := m.lv.Visible()
	rows := make([]outcome.Row, len(vis))
	for i, r := range vis {
		rows[i] = outcomeRow(r)
	}
	var cmd tea.Cmd
	m.caused, cmd = m.caused.Sync(m.lv.Version(), len(items), items[len(items)-1].created, rows,
		m.deps.RequestContext, m.deps.Cache)
	return m.renderCaused(), cmd
}

// renderCaused re-renders the column when what it shows changed.
func (m Model) renderCaused() Model {
	if !m.caused.Dirty() {
		return m
	}
	m.caused = m.caused.Rendered()
	f := m.caused.Renderer()
	m.lv = m.lv.SetNote(func(r row) string { return f(outcomeRow(r)) }, causedWidth(m.caused.Short()))
	return m
}
