package enforcements

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := m.update(msg)
	m, sync := m.syncOutcome()
	return m, tea.Batch(cmd, sync)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	if c, cmd, ok := m.outcome.Update(msg); ok {
		m.outcome = c
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.MouseMsg:
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Mouse(msg)
		return m, cmd
	case common.LiveMsg:
		// New executions and status changes change the cells in place.
		m.outcome = m.outcome.Live(msg)
		if !msg.Touches("enforcement") {
			return m, nil
		}
		now, want := m.deps.Now(), m.query.Status
		m.lv = m.lv.Patch(func(r row) (row, bool) { return patchRow(r, msg.Enforcements[r.id], now, want) })
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Refresh()
		return m, cmd
	case filterbar.ApplyMsg:
		m.outcome = m.outcome.Recompute()
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
				m.outcome = m.outcome.Recompute()
			}
		}
	}
	var cmd tea.Cmd
	m.lv, cmd = m.lv.Update(msg)
	return m, cmd
}

// SetStatus selects status filter i (0 = all, 1–3 in contract order) and
// reloads from the server when it changed.
func (m Model) SetStatus(i int) (Model, tea.Cmd) {
	if i < 0 || i > len(statuses()) || i == m.status {
		return m, nil
	}
	m.status = i
	m.outcome = m.outcome.Recompute()
	m = m.setTokens(m.lv.Tokens())
	var cmd tea.Cmd
	m.lv, cmd = m.lv.Reset()
	return m, cmd
}

// handleKey handles the enforcement list's own keys; ok is false for the
// shared ones.
func (m Model) handleKey(msg tea.KeyMsg) (mm Model, cmd tea.Cmd, ok bool) {
	k := m.keys
	if i, ok := k.Pick(msg, m.status); ok {
		mm, cmd = m.SetStatus(i)
		return mm, cmd, true
	}
	r, sel := m.lv.Selected()
	switch {
	case key.Matches(msg, k.Open):
		if sel {
			cmd = common.Open(common.Route{Kind: common.KindEnforcement, ID: r.id})
		}
		return m, cmd, true
	case key.Matches(msg, k.Executions):
		if sel {
			cmd = common.Open(common.Route{Kind: common.KindExecutions, ID: r.id})
		}
		return m, cmd, true
	case key.Matches(msg, k.Event):
		if sel && r.event > 0 {
			cmd = common.Open(common.Route{Kind: common.KindEvent, ID: r.event})
		}
		return m, cmd, true
	case key.Matches(msg, k.Trace):
		if sel && r.event > 0 {
			cmd = common.Open(common.Route{Kind: common.KindTrace, ID: r.event})
		}
		return m, cmd, true
	}
	return m, nil, false
}
