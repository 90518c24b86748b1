package enforcements

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case pagedlist.PageMsg[row]:
		return m.applyPage(msg)
	case spinner.TickMsg:
		if !(m.list.Loading() && !m.list.Loaded()) {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case filterbar.ApplyMsg:
		m = m.setTokens(msg.Tokens).layout()
		return m.reset()
	case filterbar.CloseMsg:
		return m.layout(), nil
	case tea.KeyMsg:
		if m.filter.Active() {
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			return m.layout(), cmd
		}
		return m.handleKey(msg)
	}
	if m.filter.Active() {
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m Model) load(refresh bool) pagedlist.Loader[row] {
	return loader(m.api, m.deps.Cache, m.query, refresh)
}

func (m Model) reset() (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.list, cmd = m.list.Reset(m.load(false), m.deps.Now, m.deps.RequestTimeout)
	m.table = m.table.SetSource(m.src()).SetCursor(0)
	return m, tea.Batch(cmd, m.spin.Tick)
}

// SetStatus selects status filter i (0 = all, 1–3 in contract order) and
// reloads from the server when it changed.
func (m Model) SetStatus(i int) (Model, tea.Cmd) {
	if i < 0 || i > len(statuses()) || i == m.status {
		return m, nil
	}
	m.status = i
	m = m.setTokens(m.tokens)
	mm, cmd := m.reset()
	return mm.(Model), cmd
}

func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if key.Matches(msg, k.AllStatus) {
		return m.SetStatus(0)
	}
	for i, b := range k.Status {
		if key.Matches(msg, b) {
			return m.SetStatus(i + 1)
		}
	}
	switch {
	case key.Matches(msg, k.Cycle):
		return m.SetStatus((m.status + 1) % (len(statuses()) + 1))
	case key.Matches(msg, k.Filter):
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Open(m.tokens)
		return m.layout(), cmd
	case key.Matches(msg, k.Refresh):
		var cmd tea.Cmd
		m.list, cmd = m.list.Reload(m.load(true), m.deps.Now, m.deps.RequestTimeout)
		if !m.list.Loaded() {
			return m, tea.Batch(cmd, m.spin.Tick)
		}
		return m, cmd
	case key.Matches(msg, k.TimeFormat):
		m.abs = !m.abs
		m.table = m.table.SetColumns(m.columns()).SetSource(m.src())
		return m, nil
	case key.Matches(msg, k.Open):
		if r, ok := m.selected(); ok {
			return m, common.Open(common.Route{Kind: common.KindEnforcement, ID: r.id})
		}
		return m, nil
	case key.Matches(msg, k.Executions):
		if r, ok := m.selected(); ok {
			return m, common.Open(common.Route{Kind: common.KindExecutions, ID: r.id})
		}
		return m, nil
	case key.Matches(msg, k.Event):
		if r, ok := m.selected(); ok && r.event > 0 {
			return m, common.Open(common.Route{Kind: common.KindEvent, ID: r.event})
		}
		return m, nil
	case key.Matches(msg, k.Trace):
		if r, ok := m.selected(); ok && r.event > 0 {
			return m, common.Open(common.Route{Kind: common.KindTrace, ID: r.event})
		}
		return m, nil
	}
	var cmd tea.Cmd
	m.table, cmd = m.table.Update(msg)
	mm, pcmd := m.prefetch()
	return mm, tea.Batch(cmd, pcmd)
}

func (m Model) prefetch() (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.list, cmd = m.list.More(m.table.Cursor(), m.load(false), m.deps.Now, m.deps.RequestTimeout)
	text := ""
	switch {
	case m.list.LoadingMore():
		text = "loading more…"
	case m.list.Capped():
		text = "row limit reached — narrow the filter with /"
	}
	m.table = m.table.SetLoadingMore(text)
	return m, cmd
}

func (m Model) applyPage(msg pagedlist.PageMsg[row]) (tea.Model, tea.Cmd) {
	selected := m.SelectedID()
	var ch pagedlist.Change
	m.list, ch = m.list.Apply(msg)
	if !ch.Accepted {
		return m, nil
	}
	if ch.Err != nil {
		return m, common.ReportError(ch.Err, "enforcements", false)
	}
	if !ch.At.IsZero() {
		m.now = ch.At
	}
	if ch.Replaced {
		m.table = m.table.SetSource(m.src()).SetCursor(m.indexOf(selected))
	} else {
		m.table = m.table.SetSource(m.src())
	}
	var cmd tea.Cmd
	m, cmd = m.prefetch()
	return m, tea.Batch(cmd, common.Synced(ch.At))
}

func (m Model) indexOf(id int64) int {
	for i, r := range m.list.Items() {
		if r.id == id {
			return i
		}
	}
	return 0
}
