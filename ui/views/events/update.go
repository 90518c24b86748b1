package events

import (
	"time"

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
	case common.LiveMsg:
		// New enforcements and executions change the cells in place.
		m.caused = m.caused.Live(msg)
		if !msg.Touches("event") {
			return m, nil
		}
		var cmd tea.Cmd
		m.lv, cmd = m.lv.Refresh()
		return m, cmd
	case liveTickMsg:
		if !m.live || msg.gen != m.liveGen {
			return m, nil
		}
		var cmd, retry tea.Cmd
		switch {
		case m.lv.List().Err() != nil:
			m.liveFails++
			retry = common.RetryIn(m.liveDelay())
		case m.liveFails > 0:
			m.liveFails = 0
			retry = common.RetryIn(0)
		}
		m.lv, cmd = m.lv.Refresh()
		m.caused = m.caused.Recompute()
		return m, tea.Batch(cmd, liveTickCmd(m.liveGen, m.liveDelay()), retry)
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

// liveDelay is the wait before the next auto-refresh: the refresh interval,
// doubled per failure in a row, at most Deps.MaxRefreshBackoff.
func (m Model) liveDelay() time.Duration {
	d := m.deps.RefreshInterval
	for i := 0; i < m.liveFails && d < m.deps.MaxRefreshBackoff; i++ {
		d *= 2
	}
	return min(d, max(m.deps.MaxRefreshBackoff, m.deps.RefreshInterval))
}

// handleKey handles the event list's own keys; ok is false for the shared
// ones.
func (m Model) handleKey(msg tea.KeyMsg) (mm Model, cmd tea.Cmd, ok bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Live):
		m.live = !m.live
		m.liveGen++
		m.lv = m.lv.SetRetrying(m.live)
		var reset tea.Cmd
		if m.liveFails > 0 {
			m.liveFails = 0
			reset = common.RetryIn(0)
		}
		if m.live {
			return m, tea.Batch(liveTickCmd(m.liveGen, m.deps.RefreshInterval), reset), true
		}
		return m, reset, true
	case key.Matches(msg, k.Caused):
		m.causedFilter = (m.causedFilter + 1) % causedFilters
		return m.applyCausedFilter(), nil, true
	case key.Matches(msg, k.Open):
		return m, m.open(common.KindEvent), true
	case key.Matches(msg, k.Enforcements):
		return m, m.open(common.KindEnforcements), true
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
