package executiondetail

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
		m.hdr = msg.hdr
		can := func(k common.Kind) bool { return m.deps.CanOpen == nil || m.deps.CanOpen(k) }
		m.keys.Enforcement.SetEnabled(m.hdr.enforcement > 0 && can(common.KindEnforcement))
		m.keys.Trace.SetEnabled(m.hdr.enforcement > 0 && can(common.KindTrace))
		m.keys.Parent.SetEnabled(m.hdr.parent > 0 && can(common.KindExecution))
		base := m.seq * paneCount
		return m, tea.Batch(
			jsonview.ParseCmd(base+paneResult, msg.exec.Result),
			jsonview.ParseCmd(base+paneConfig, msg.exec.Config),
			common.Synced(msg.at),
		)
	case childrenMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.childDone = true
		m.children, m.childMore, m.childErr = msg.children, msg.more, msg.err
		m.cursor = min(m.cursor, max(len(m.children)-1, 0))
		return m, nil
	case jsonview.ParsedMsg:
		if msg.ID/paneCount != m.seq {
			return m, nil
		}
		i := msg.ID % paneCount
		if i < len(m.panes) {
			m.panes[i] = m.panes[i].SetDocument(msg.Doc)
		}
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
		if m.active == paneChildren {
			return m, nil
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

func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.NextPane):
		if m.active != paneChildren {
			m.panes[m.active].Blur()
		}
		if msg.String() == "shift+tab" {
			m.active = (m.active + paneCount - 1) % paneCount
		} else {
			m.active = (m.active + 1) % paneCount
		}
		if m.active != paneChildren {
			m.panes[m.active].Focus()
		}
		return m, nil, true
	case key.Matches(msg, k.Reload):
		mm, cmd := m.load(true)
		return mm, cmd, true
	case key.Matches(msg, k.Enforcement):
		return m, common.Open(common.Route{Kind: common.KindEnforcement, ID: m.hdr.enforcement}), true
	case key.Matches(msg, k.Parent):
		return m, common.Open(common.Route{Kind: common.KindExecution, ID: m.hdr.parent}), true
	case key.Matches(msg, k.Trace):
		return m, common.Open(common.Route{Kind: common.KindTrace, ID: m.hdr.enforcement, Ref: "enforcement"}), true
	}
	if m.active != paneChildren {
		return m, nil, false
	}
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(m.cursor-1, 0)
		return m, nil, true
	case key.Matches(msg, k.Down):
		m.cursor = min(m.cursor+1, max(len(m.children)-1, 0))
		return m, nil, true
	case key.Matches(msg, k.OpenChild):
		if m.cursor < len(m.children) {
			return m, common.Open(common.Route{Kind: common.KindExecution, ID: m.children[m.cursor].id}), true
		}
		return m, nil, true
	}
	return m, nil, false
}
