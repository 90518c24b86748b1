package trace

import (
	"maps"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/views/logs"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.LiveMsg:
		if !m.touchedBy(msg) {
			return m, nil
		}
		return m.load(true)
	case common.ClockMsg:
		m.now = msg.At
		return m, nil
	case resolvedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			m.resolveErr = msg.err
			m.eventSt = state{err: msg.err, done: true}
			return m.rebuild(), common.ReportError(msg.err, m.Title(), false)
		}
		m.eventID = msg.event
		var cmd tea.Cmd
		m, cmd = m.loadEvent(m.loader())
		return m.rebuild(), cmd
	case eventMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.eventSt = state{done: true, err: msg.err}
		if msg.err != nil {
			m.tab = 0 // no event, no tag: the timeline asked for early cannot come
			return m.rebuild(), common.ReportError(msg.err, m.Title(), false)
		}
		m.event = msg.ev
		m.now = msg.at
		cmds := []tea.Cmd{common.Synced(msg.at)}
		if m.tab == 1 { // tab was pressed before the event (and its tag) arrived
			var cmd tea.Cmd
			m, cmd = m.startTimeline()
			cmds = append(cmds, cmd)
		}
		return m.rebuild(), tea.Batch(cmds...)
	case enfsMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.enfSt = state{done: true, err: msg.err, more: msg.more}
		if msg.err != nil {
			return m.rebuild(), common.ReportError(msg.err, m.Title(), false)
		}
		m.enfs = msg.items
		l := m.loader()
		st := maps.Clone(m.execSt)
		cmds := make([]tea.Cmd, 0, len(msg.items))
		for _, e := range msg.items {
			k := nodeKey("enf", e.id)
			st[k] = state{loading: true}
			cmds = append(cmds, l.executionsCmd(k, client.ExecutionListOptions{Enforcement: e.id}))
		}
		m.execSt = st
		return m.rebuild(), tea.Batch(cmds...)
	case execsMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		st := maps.Clone(m.execSt)
		st[msg.owner] = state{done: true, err: msg.err, more: msg.more}
		m.execSt = st
		var cmds []tea.Cmd
		if msg.err == nil {
			ex := maps.Clone(m.execs)
			ex[msg.owner] = msg.items
			m.execs = ex
			l := m.loader()
			for _, x := range msg.items {
				if x.status.Problem() && m.tails < maxStderrTails && !client.IsRedacted(x.actionRef) {
					m.tails++
					cmds = append(cmds, l.stderrTailCmd(x))
				}
			}
		}
		return m.rebuild(), tea.Batch(cmds...)
	case stderrMsg:
		if msg.seq != m.seq || msg.err != nil || msg.text == "" {
			// No tail (no log, expired, no permission): the node says
			// nothing rather than guess; O opens the log and its reason.
			return m, nil
		}
		tails := maps.Clone(m.stderr)
		tails[msg.id] = msg.text
		m.stderr = tails
		return m.rebuild(), nil
	case timelineMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.tlSt = state{done: true, err: msg.err}
		m.timeline = msg.items
		return m, nil
	case spinner.TickMsg:
		if !m.busy() {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return m, nil
}

// busy reports whether any request of the tree is in flight.
func (m Model) busy() bool {
	if m.eventSt.loading || m.enfSt.loading || m.tlSt.loading {
		return true
	}
	for _, s := range m.execSt {
		if s.loading {
			return true
		}
	}
	return false
}

func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Reload):
		return m.load(true)
	case key.Matches(msg, k.NextTab):
		if m.event.tag == "" && m.eventSt.done {
			return m, nil // the event has no trace tag: there is no timeline
		}
		m.tab = 1 - m.tab
		if m.tab == 1 {
			return m.startTimeline()
		}
		return m, nil
	}
	if m.tab == 1 {
		switch {
		case key.Matches(msg, k.Up):
			m.tlOffset = max(m.tlOffset-1, 0)
		case key.Matches(msg, k.Down):
			m.tlOffset = min(m.tlOffset+1, max(len(m.timeline)-1, 0))
		case key.Matches(msg, k.Top):
			m.tlOffset = 0
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Up):
		return m.moveTo(m.cursor - 1), nil
	case key.Matches(msg, k.Down):
		return m.moveTo(m.cursor + 1), nil
	case key.Matches(msg, k.Top):
		return m.moveTo(0), nil
	case key.Matches(msg, k.Bottom):
		return m.moveTo(len(m.lines) - 1), nil
	case key.Matches(msg, k.Open):
		return m, m.open()
	case key.Matches(msg, k.Output):
		if kind, id, ok := parseKey(m.selected); ok && kind == "exec" {
			return m, common.Open(logs.RouteFor(id, m.execStatus(id)))
		}
		return m, nil
	case key.Matches(msg, k.Toggle):
		if m.isExpanded(m.selected) {
			return m.setCollapsed(m.selected, true), nil
		}
		return m.expand(m.selected)
	case key.Matches(msg, k.Expand):
		return m.expand(m.selected)
	case key.Matches(msg, k.Collapse):
		if m.isExpanded(m.selected) {
			return m.setCollapsed(m.selected, true), nil
		}
		return m.toParent(), nil
	}
	return m, nil
}

// open returns the command that opens the selected node's detail.
func (m Model) open() tea.Cmd {
	kind, id, ok := parseKey(m.selected)
	if !ok {
		return nil
	}
	switch kind {
	case "event":
		return common.Open(common.Route{Kind: common.KindEvent, ID: id})
	case "enf":
		return common.Open(common.Route{Kind: common.KindEnforcement, ID: id})
	case "exec":
		return common.Open(common.Route{Kind: common.KindExecution, ID: id})
	}
	return nil
}

// expand shows a node's children, fetching an execution's children the
// first time.
func (m Model) expand(k string) (Model, tea.Cmd) {
	kind, id, ok := parseKey(k)
	if !ok {
		return m, nil
	}
	m = m.setCollapsed(k, false)
	if kind != "exec" || m.fetched[k] {
		return m, nil
	}
	f := maps.Clone(m.fetched)
	f[k] = true
	m.fetched = f
	st := maps.Clone(m.execSt)
	st[k] = state{loading: true}
	m.execSt = st
	m = m.rebuild()
	return m, tea.Batch(m.loader().executionsCmd(k, client.ExecutionListOptions{Parent: id}), m.spin.Tick)
}

func (m Model) setCollapsed(k string, c bool) Model {
	if k == "" || m.collapse[k] == c {
		return m
	}
	col := maps.Clone(m.collapse)
	col[k] = c
	m.collapse = col
	return m.rebuild()
}

// toParent moves the cursor to the nearest line above with a smaller depth.
func (m Model) toParent() Model {
	if m.cursor >= len(m.lines) {
		return m
	}
	d := m.lines[m.cursor].depth
	for i := m.cursor - 1; i >= 0; i-- {
		if m.lines[i].depth < d && m.lines[i].key != "" {
			return m.moveTo(i)
		}
	}
	return m
}

func (m Model) moveTo(i int) Model {
	if len(m.lines) == 0 {
		return m
	}
	m.cursor = max(0, min(i, len(m.lines)-1))
	m.selected = m.lines[m.cursor].key
	return m.scroll()
}

// scroll keeps the cursor inside the visible tree rows.
func (m Model) scroll() Model {
	h := m.treeHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, max(len(m.lines)-h, 0)))
	return m
}

func parseKey(k string) (kind string, id int64, ok bool) {
	kind, num, found := strings.Cut(k, ":")
	if !found {
		return "", 0, false
	}
	var n int64
	for _, c := range num {
		if c < '0' || c > '9' {
			return "", 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return kind, n, n > 0
}

// startTimeline loads the trace-tag timeline once the event's tag is known
// (until then the tab waits for the event), and only once.
func (m Model) startTimeline() (Model, tea.Cmd) {
	if m.event.tag == "" {
		if m.eventSt.done {
			m.tab = 0
		}
		return m, nil
	}
	if m.tlSt.done || m.tlSt.loading {
		return m, nil
	}
	m.tlSt = state{loading: true}
	return m, tea.Batch(m.loader().timelineCmd(m.event.tag), m.spin.Tick)
}

// execStatus returns the status of execution id in the tree ("" when it
// is not loaded).
func (m Model) execStatus(id int64) client.ExecutionStatus {
	for _, xs := range m.execs {
		for _, x := range xs {
			if x.id == id {
				return x.status
			}
		}
	}
	return ""
}

// touchedBy reports whether a live change concerns the tree: a gap, an
// enforcement or execution in it, or a new one that belongs to something
// in it (an enforcement of its event, an execution of one of its
// enforcements or executions).
func (m Model) touchedBy(l common.LiveMsg) bool {
	if l.Gap || m.eventID > 0 && l.TouchesOwner("enforcement", m.eventID) {
		return true
	}
	for _, e := range m.enfs {
		if l.Changed["enforcement"][e.id] || l.TouchesOwner("execution", e.id) {
			return true
		}
	}
	for _, xs := range m.execs {
		for _, x := range xs {
			if l.Changed["execution"][x.id] || l.TouchesOwner("execution", x.id) {
				return true
			}
		}
	}
	return false
}
