package enforcementdetail

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.LiveMsg:
		if !msg.TouchesID("enforcement", m.id) {
			return m, nil
		}
		return m.load(true)
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
		m.hdr = toHeader(msg.enf)
		m.enf = msg.enf
		m = m.enableLinks()
		m.note = msg.note
		m.cond = m.cond.SetConditions(msg.enf.Conditions, msg.res)
		m = m.sizeCond()
		return m, tea.Batch(
			m.d.ParseCmd(panePayload, msg.enf.Payload),
			m.d.ParseCmd(paneConfig, msg.enf.Config),
			common.Synced(msg.at),
		)
	case tea.KeyMsg:
		if !m.InputFocused() {
			if mm, cmd, ok := m.handleKey(msg); ok {
				return mm, cmd
			}
		}
		if m.d.Active() == paneConditions {
			var cmd tea.Cmd
			m.cond, cmd = m.cond.Update(msg)
			return m, cmd
		}
	}
	var cmd tea.Cmd
	m.d, cmd = m.d.Update(msg)
	return m, cmd
}

// enableLinks offers the link keys whose targets exist.
func (m Model) enableLinks() Model {
	h := m.hdr
	m.keys.Event.SetEnabled(h.eventID > 0)
	m.keys.Trace.SetEnabled(h.eventID > 0)
	m.keys.Rule.SetEnabled(h.ruleRef != "")
	m.keys.Executions.SetEnabled(true)
	return m
}

func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.NextPane):
		m.d = m.d.NextPane(msg)
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
