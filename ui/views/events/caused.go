package events

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
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

func outcomeRow(r row) outcome.Row {
	return outcome.Row{ID: r.id, Created: r.created, Trigger: r.trigger}
}

// causedScope is the trigger_ref the CAUSED join's scans are filtered by:
// the list's own exact trigger_ref filter, if any (a "pack.*" value is a
// wildcard for executions, so it is not used).
func causedScope(q client.EventListOptions) string {
	if strings.Contains(q.TriggerRef, "*") {
		return ""
	}
	return q.TriggerRef
}

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

// renderCaused re-renders the column (and re-applies the c filter) when
// what it shows changed.
func (m Model) renderCaused() Model {
	if !m.caused.Dirty() {
		return m
	}
	m.caused = m.caused.Rendered()
	f := m.caused.Renderer()
	a := m.caused.Accent()
	m.lv = m.lv.SetNote(func(r row) string { return f(outcomeRow(r)) }, func(r row) string { return a(outcomeRow(r)) }, causedWidth(m.caused.Short()))
	return m.applyCausedFilter()
}

// The settings of the c filter, in the order c cycles through them.
const (
	showAll = iota
	showCausedSomething
	showCausedFailure
	causedFilters
)

// applyCausedFilter shows the loaded events the c filter keeps: those
// known to have caused an enforcement, or an execution that failed. Rows
// whose cell is not known yet are hidden until it is.
func (m Model) applyCausedFilter() Model {
	if m.causedFilter == showAll {
		if on, _ := m.lv.Filtered(); on {
			m.lv = m.lv.SetKeep(nil)
		}
		return m
	}
	c, failure := m.caused, m.causedFilter == showCausedFailure
	m.lv = m.lv.SetKeep(func(r row) bool {
		cell := c.Cell(outcomeRow(r))
		if cell.State != outcome.Known && cell.State != outcome.Partial {
			return false
		}
		if failure {
			return cell.Executions.Failed > 0
		}
		return cell.Enforcements > 0
	})
	return m
}

// causedFilterName names the c filter for the header chip ("" = off).
func (m Model) causedFilterName() string {
	switch m.causedFilter {
	case showCausedSomething:
		return "caused something"
	case showCausedFailure:
		return "caused a failure"
	}
	return ""
}
