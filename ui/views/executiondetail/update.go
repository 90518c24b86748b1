package executiondetail

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/views/logs"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ShownMsg:
		m.hidden = false
		if !m.onLogs() {
			return m, nil
		}
		out, cmd := m.out.SetStream(m.d.Active() - paneStdout) // resumes a paused stream
		m.out = &out
		return m, cmd
	case common.LiveMsg:
		if !msg.TouchesID("execution", m.id) && !msg.TouchesOwner("execution", m.id) {
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
		m.hdr = msg.hdr
		m.exec = msg.exec
		m.keys.Enforcement.SetEnabled(m.hdr.enforcement > 0)
		m.keys.Trace.SetEnabled(m.hdr.enforcement > 0)
		m.keys.Parent.SetEnabled(m.hdr.parent > 0)
		m.keys.Output.SetEnabled(true)
		var outCmd tea.Cmd
		if m.out == nil || m.freshOut {
			// First load, or r: new log panes. A live reload keeps them (a
			// followed stream ends by itself when the execution does).
			m.Close()
			out := logs.NewEmbedded(m.deps, msg.exec).Resize(m.d.Width(), m.d.PaneHeight(headerLines))
			if m.onLogsPane() && !m.hidden {
				out, outCmd = out.SetStream(m.d.Active() - paneStdout)
			}
			m.out = &out
			m.freshOut = false
		}
		return m, tea.Batch(outCmd,
			m.d.ParseCmd(paneResult, msg.exec.Result),
			m.d.ParseCmd(paneConfig, msg.exec.Config),
			common.Synced(msg.at),
		)
	case childrenMsg:
		if msg.seq != m.d.Seq() {
			return m, nil
		}
		m.childDone = true
		m.children, m.childMore, m.childErr = msg.children, msg.more, msg.err
		m.cursor = min(m.cursor, max(len(m.children)-1, 0))
		m.d = m.d.SetPaneName(paneChildren, m.childrenTab())
		return m, nil
	case tea.KeyMsg:
		if !m.InputFocused() {
			if mm, cmd, ok := m.handleKey(msg); ok {
				return mm, cmd
			}
		}
		if m.onLogs() {
			out, cmd := m.out.UpdateLogs(msg)
			m.out = &out
			return m, cmd
		}
	}
	if m.out != nil {
		// Stream events and search results of the log panes.
		out, ocmd := m.out.UpdateLogs(msg)
		m.out = &out
		var cmd tea.Cmd
		m.d, cmd = m.d.Update(msg)
		return m, tea.Batch(cmd, ocmd)
	}
	// Parse results, the spinner, and everything else go to the panes (a
	// key on the children pane goes nowhere).
	var cmd tea.Cmd
	m.d, cmd = m.d.Update(msg)
	return m, cmd
}

func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.NextPane):
		m.d = m.d.NextPane(msg)
		if m.onLogs() {
			out, cmd := m.out.SetStream(m.d.Active() - paneStdout)
			m.out = &out
			return m, cmd, true
		}
		if m.out != nil { // off the log tabs: close their streams
			out := m.out.Pause()
			m.out = &out
		}
		return m, nil, true
	case key.Matches(msg, k.Output):
		if m.hdr == nil {
			return m, nil, true
		}
		r := logs.RouteFor(m.id, m.hdr.statusRaw)
		switch m.d.Active() {
		case paneStdout:
			r.Ref = string(client.Stdout)
		case paneStderr:
			r.Ref = string(client.Stderr)
		}
		return m.covered(), common.Open(r), true
	case key.Matches(msg, k.Reload):
		m.freshOut = true
		mm, cmd := m.load(true)
		return mm, cmd, true
	case key.Matches(msg, k.Enforcement):
		return m.covered(), common.Open(common.Route{Kind: common.KindEnforcement, ID: m.hdr.enforcement}), true
	case key.Matches(msg, k.Parent):
		return m.covered(), common.Open(common.Route{Kind: common.KindExecution, ID: m.hdr.parent}), true
	case key.Matches(msg, k.Trace):
		return m.covered(), common.Open(common.Route{Kind: common.KindTrace, ID: m.hdr.enforcement, Ref: "enforcement"}), true
	}
	if m.d.Active() != paneChildren {
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
			return m.covered(), common.Open(common.Route{Kind: common.KindExecution, ID: m.children[m.cursor].id}), true
		}
		return m, nil, true
	}
	return m, nil, false
}

// onLogsPane reports whether a log pane is the active tab (loaded or not).
func (m Model) onLogsPane() bool {
	a := m.d.Active()
	return a == paneStdout || a == paneStderr
}

// covered notes that a screen is opening on top of this one: its log
// streams are closed, and none starts until it is shown again (ShownMsg).
func (m Model) covered() Model {
	m.hidden = true
	if m.out != nil {
		out := m.out.Pause()
		m.out = &out
	}
	return m
}
