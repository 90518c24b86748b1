package enforcementdetail

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
		m.hdr = toHeader(msg.enf)
		m = m.enableLinks()
		m.cond = m.cond.SetConditions(msg.enf.Conditions, msg.res)
		base := m.seq * paneCount
		return m, tea.Batch(
			jsonview.ParseCmd(base+panePayload, msg.enf.Payload),
			jsonview.ParseCmd(base+paneConfig, msg.enf.Config),
			common.Synced(msg.at),
		)
	case jsonview.ParsedMsg:
		if msg.ID/paneCount != m.seq {
			return m, nil
		}
		i := msg.ID % paneCount
		m.panes[i] = m.panes[i].SetDocument(msg.Doc)
		return m, nil
	case spinner.TickMsg:
		if !m.loading {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		if !m.InputFocused() {
			if mm, cmd, ok := m.handleKey(msg); ok {
				return mm, cmd
			}
		}
		if m.active == paneConditions {
			var cmd tea.Cmd
			m.cond, cmd = m.cond.Update(msg)
			return m, cmd
		}
	}
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

// enableLinks offers the link keys whose targets exist and may be followed.
func (m Model) enableLinks() Model {
	can := func(k common.Kind) bool { return m.deps.CanOpen == nil || m.deps.CanOpen(k) }
	h := m.hdr
	m.keys.Event.SetEnabled(h.eventID > 0 && can(common.KindEvent))
	m.keys.Trace.SetEnabled(h.eventID > 0 && can(common.KindTrace))
	m.keys.Rule.SetEnabled(h.ruleRef != "" && can(common.KindRule))
	m.keys.Executions.SetEnabled(can(common.KindExecutions))
	return m
}

func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.NextPane):
		if m.active != paneConditions {
			m.panes[m.active].Blur()
		}
		if msg.String() == "shift+tab" {
			m.active = (m.active + paneCount - 1) % paneCount
		} else {
			m.active = (m.active + 1) % paneCount
		}
		if m.active != paneConditions {
			m.panes[m.active].Focus()
		}
		return m, nil, true
	case key.Matches(msg, k.Reload):
		mm, cmd := m.load(true)
		return mm, cmd, true
	case key.Matches(msg, k.Event):
		return m, common.Open(common.Route{Kind: common.KindEvent, ID: m.hdr.eventID}), true
	case key.Matches(msg, k.Trace):
		return m, common.Open(common.Route{Kind: common.KindTrace, ID: m.hdr.eventID}), true
	case key.Matches(msg, k.Rule):
		return m, common.Open(common.Route{Kind: common.KindRule, Ref: m.hdr.ruleRef}), true
	case key.Matches(msg, k.Executions):
		return m, common.Open(common.Route{Kind: common.KindExecutions, ID: m.id}), true
	}
	return m, nil, false
}
