package eventdetail

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/jsonview"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.loading = false
		m.err = msg.err
		if msg.err != nil {
			return m, common.ReportError(msg.err, m.Title(), false)
		}
		m.now = msg.at
		m.hdr = toHeader(msg.ev)
		m.parsed = [paneCount]bool{}
		base := m.seq * paneCount
		return m, tea.Batch(
			jsonview.ParseCmd(base+panePayload, msg.ev.Payload),
			jsonview.ParseCmd(base+paneConfig, msg.ev.Config),
			common.Synced(msg.at),
		)
	case jsonview.ParsedMsg:
		if msg.ID/paneCount != m.seq {
			return m, nil
		}
		i := msg.ID % paneCount
		m.panes[i] = m.panes[i].SetDocument(msg.Doc)
		m.parsed[i] = true
		return m, nil
	case spinner.TickMsg:
		if !m.loading {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		if !m.panes[m.active].InputFocused() {
			switch {
			case key.Matches(msg, m.keys.NextPane):
				m.panes[m.active].Blur()
				m.active = (m.active + 1) % paneCount
				m.panes[m.active].Focus()
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
	// Everything else (keys, the pane's own command results) goes to the
	// active pane; results of the other pane's commands go to both.
	var cmds []tea.Cmd
	for i := range m.panes {
		if _, isKey := msg.(tea.KeyMsg); isKey && i != m.active {
			continue
		}
		var cmd tea.Cmd
		m.panes[i], cmd = m.panes[i].Update(msg)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}
