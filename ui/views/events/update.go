package events

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := m.update(msg)
	m, sync := m.syncCaused()
	return m, tea.Batch(cmd, sync)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	if c, cmd, ok := m.caused.Update(msg); ok {
		m.caused = c
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.MouseMsg:
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Mouse(msg)
		return m, cmd
	case common.LiveMsg:
		// New enforcements and executions change the cells in place.
		m.caused = m.caused.Live(msg)
		if !msg.Touches("event") {
			return m, nil
		}
		if msg.Gap {
			m.caused = m.caused.Recompute()
		}
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Refresh()
		return m, cmd
	case filterbar.ApplyMsg:
		m.caused = m.caused.Recompute()
		m = m.setTokens(msg.Tokens)
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Reset()
		return m, cmd
	case tea.KeyMsg:
		if !m.lv.InputFocused() {
			if mm, cmd, ok := m.handleKey(msg); ok {
				return mm, cmd
			}
			if key.Matches(msg, m.keys.Refresh) {
				m.caused = m.caused.Recompute()
			}
		}
	}
	var cmd tea.Cmd
	m.lv, cmd = m.lv.Update(msg)
	return m, cmd
}

// handleKey handles the event list's own keys; ok is false for the shared
// ones.
func (m Model) handleKey(msg tea.KeyMsg) (mm Model, cmd tea.Cmd, ok bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Caused):
		m.causedFilter = (m.causedFilter + 1) % causedFilters
		return m.applyCausedFilter(), nil, true
	case key.Matches(msg, k.Open):
		return m, m.open(common.KindEvent), true
	case key.Matches(msg, k.Enforcements):
		return m, m.open(common.KindEnforcements), true
	case key.Matches(msg, k.Why):
		return m, m.open(common.KindWhy), true
	case key.Matches(msg, k.Trace):
		// The trace view starts from the event (its enforcements and
		// executions); the trace-tag timeline is its second tab.
		return m, m.open(common.KindTrace), true
	}
	return m, nil, false
}

// open opens screen kind for the selected event, if any.
func (m Model) open(kind common.Kind) tea.Cmd {
	if id := m.SelectedID(); id != 0 {
		return common.Open(common.Route{Kind: kind, ID: id})
	}
	return nil
}
