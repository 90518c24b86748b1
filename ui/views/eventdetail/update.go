package eventdetail

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ClockMsg:
		m.now = msg.At
		return m, nil
	case loadedMsg:
		var cmd tea.Cmd
		var ok bool
		if m.d, cmd, ok = m.d.Done(msg.seq, msg.err, m.Title()); !ok {
			return m, cmd
		}
		m.now = msg.at
		m.hdr = toHeader(msg.ev)
		m.ev = msg.ev
		return m, tea.Batch(
			m.d.ParseCmd(panePayload, msg.ev.Payload),
			m.d.ParseCmd(paneConfig, msg.ev.Config),
			common.Synced(msg.at),
		)
	case tea.KeyMsg:
		if !m.d.InputFocused() {
			switch {
			case key.Matches(msg, m.keys.NextPane):
				m.d = m.d.NextPane(msg)
				return m, nil
			case key.Matches(msg, m.keys.Reload):
				return m.load()
			case key.Matches(msg, m.keys.Why):
				return m, common.Open(common.Route{Kind: common.KindWhy, ID: m.id})
			case key.Matches(msg, m.keys.Enforcements):
				return m, common.Open(common.Route{Kind: common.KindEnforcements, ID: m.id})
			case key.Matches(msg, m.keys.Trace):
				return m, common.Open(common.Route{Kind: common.KindTrace, ID: m.id})
			}
		}
	}
	// Parse results, the spinner, and everything else (keys, the panes'
	// own command results) go to the panes.
	var cmd tea.Cmd
	m.d, cmd = m.d.Update(msg)
	return m, cmd
}
