package executions

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"

	"github.com/attune-tui/attune-tui/client"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/views/logs"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Mouse(msg)
		return m, cmd
	case common.LiveMsg:
		if !msg.Touches("execution") {
			return m, nil
		}
		// Loaded rows take their new status from the notice at once; the
		// refresh brings the new rows.
		now := m.deps.Now()
		m.lv = m.lv.Patch(func(r row) (row, bool) { return patchRow(r, msg.Executions[r.id], now, m.matches) })
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Refresh()
		return m.withStats(cmd)
	case filterbar.ApplyMsg:
		m = m.setTokens(msg.Tokens)
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Reset()
		return m.withStats(cmd)
	case statsMsg:
		if msg.seq == m.statsSeq {
			m.stats, m.statsErr = msg.stats, msg.err
		}
		return m, nil
	case tea.KeyMsg:
		if !m.lv.InputFocused() {
			if mm, cmd, ok := m.handleKey(msg); ok {
				return mm, cmd
			}
			if key.Matches(msg, m.keys.Refresh) {
				var cmd tea.Cmd
				m.lv, cmd = m.lv.Update(msg)
				return m.withStats(cmd)
			}
		}
	}
	var cmd tea.Cmd
	m.lv, cmd = m.lv.Update(msg)
	return m, cmd
}

// matches reports whether the list's status filter keeps status s.
func (m Model) matches(s client.ExecutionStatus) bool {
	switch {
	case m.problems:
		return s.Problem()
	case m.query.Status != "":
		return s == m.query.Status
	}
	return true
}

// SetStatus selects status filter i (0 = all, 1–10 in contract order),
// turns "problems only" off, and reloads from the server when the filter
// changed.
func (m Model) SetStatus(i int) (Model, tea.Cmd) {
	if i < 0 || i > len(statuses()) || (i == m.status && !m.problems) {
		return m, nil
	}
	m.status = i
	m.problems = false
	return m.requery()
}

// ToggleProblems turns "problems only" on or off and reloads.
func (m Model) ToggleProblems() (Model, tea.Cmd) {
	m.problems = !m.problems
	return m.requery()
}

// requery rebuilds the query after a status change and reloads. A typed
// status:… chip gives way to the status picked with a key.
func (m Model) requery() (Model, tea.Cmd) {
	toks := slices.DeleteFunc(slices.Clone(m.lv.Tokens()), func(t filterbar.Token) bool { return t.Key == "status" })
	m = m.setTokens(toks)
	var cmd tea.Cmd
	m.lv, cmd = m.lv.Reset()
	return m.withStats(cmd)
}

// handleKey handles the execution list's own keys; ok is false for the
// shared ones.
func (m Model) handleKey(msg tea.KeyMsg) (mm Model, cmd tea.Cmd, ok bool) {
	k := m.keys
	if i, ok := k.Pick(msg, m.status); ok {
		mm, cmd = m.SetStatus(i)
		return mm, cmd, true
	}
	r, sel := m.lv.Selected()
	switch {
	case key.Matches(msg, k.Problems):
		mm, cmd = m.ToggleProblems()
		return mm, cmd, true
	case key.Matches(msg, k.Open):
		if sel {
			cmd = common.Open(common.Route{Kind: common.KindExecution, ID: r.id})
		}
		return m, cmd, true
	case key.Matches(msg, k.Output):
		if sel {
			cmd = common.Open(logs.RouteFor(r.id, r.status))
		}
		return m, cmd, true
	case key.Matches(msg, k.Enforcement):
		if sel && r.enforcement > 0 {
			cmd = common.Open(common.Route{Kind: common.KindEnforcement, ID: r.enforcement})
		}
		return m, cmd, true
	case key.Matches(msg, k.Trace):
		if sel && r.enforcement > 0 {
			cmd = common.Open(common.Route{Kind: common.KindTrace, ID: r.enforcement, Ref: "enforcement"})
		}
		return m, cmd, true
	}
	return m, nil, false
}
