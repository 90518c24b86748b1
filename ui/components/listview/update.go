package listview

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// Update handles page answers, the spinner, the filter bar and the shared
// keys (filter, refresh, time format, `]`/`[`, cursor moves). A screen
// handles its own keys and filterbar.ApplyMsg (rebuild the query, SetLoad,
// Reset) first and passes everything else here.
func (m Model[R]) Update(msg tea.Msg) (Model[R], tea.Cmd) {
	switch msg := msg.(type) {
	case pagedlist.PageMsg[R]:
		return m.applyPage(msg)
	case jumpMsg[R]:
		return m.applyJump(msg)
	case whereMsg:
		return m.applyWhere(msg)
	case common.ClockMsg:
		if !m.Relative() {
			return m, nil
		}
		m.now = msg.At
		m.table = m.table.SetSource(m.src()) // re-render the visible rows' times
		return m, nil
	case spinner.TickMsg:
		if !m.initialLoading() {
			return m, nil // stop ticking: nothing is loading
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case filterbar.CloseMsg:
		return m.layout(), nil
	case knownMsg:
		m.loadingKnown = false
		if msg.err != nil {
			m.filter = m.filter.SetKnownFailed(msg.err)
			return m.layout(), common.ReportError(msg.err, "filter completion", false)
		}
		m.filter = m.filter.SetKnown(msg.known)
		return m.layout(), nil
	case tea.KeyMsg:
		if m.jumpIn.Focused() {
			return m.updateJumpInput(msg)
		}
		if m.seek != nil && key.Matches(msg, m.keys.JumpCancel) {
			return m.cancelJump(), nil
		}
		if m.whereRunning() && key.Matches(msg, m.keys.JumpCancel) {
			return m.cancelWhere(), nil
		}
		if m.filter.Active() {
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			if m.filter.WantsKnown() && !m.loadingKnown {
				if m.rules == nil {
					m.filter = m.filter.SetKnownFailed(errors.New("no API to read rules from"))
				} else {
					m.loadingKnown = true
					cmd = tea.Batch(cmd, knownCmd(m.recall, m.rules, m.reqCtx))
				}
			}
			return m.layout(), cmd
		}
		return m.handleKey(msg)
	}
	if m.filter.Active() { // e.g. the input's cursor messages, a resolved ref
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		return m.layout(), cmd
	}
	return m, nil
}

func (m Model[R]) initialLoading() bool { return m.list.Loading() && !m.list.Loaded() }

// Reset forgets every row and requests page 1 of the current query (after a
// filter or scope change), with the cursor back on the first row.
func (m Model[R]) Reset() (Model[R], tea.Cmd) {
	var cmd tea.Cmd
	m.quiet = false
	m.list, cmd = m.list.Reset(m.load(false), m.clock, m.reqCtx)
	m = m.endJump().endWhere()
	m.version++
	m = m.filterRows()
	m.table = m.table.SetSource(m.src()).SetCursor(0)
	m.jump, m.fresh = 0, 0
	return m, tea.Batch(cmd, m.spin.Tick)
}

// endJump forgets a jump: its search, and the window it shows.
func (m Model[R]) endJump() Model[R] {
	if m.seek != nil && m.seek.cancel != nil {
		m.seek.cancel()
	}
	m.seek = nil
	m.jumpSeq++
	m.jumped, m.jumpNote = false, ""
	m.jumpBest = pagedlist.Fetched[R]{}
	return m
}

// Refresh requests page 1 and merges newer rows on top (auto-refresh).
//
// It is a background refresh (live changes, polling): the header does not
// say "↻ refreshing" for it, so a live change redraws only what changed.
func (m Model[R]) Refresh() (Model[R], tea.Cmd) {
	var cmd tea.Cmd
	if !m.list.Loading() {
		m.quiet = true
	}
	m.list, cmd = m.list.Refresh(m.load(false), m.clock, m.reqCtx)
	return m, cmd
}

func (m Model[R]) handleKey(msg tea.KeyMsg) (Model[R], tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Filter):
		var cmd tea.Cmd
		m.filter = m.filter.SetHistory(m.recall.Filters(m.spec.Noun))
		if known, loaded := m.recall.Known(); loaded {
			m.filter = m.filter.SetKnown(known)
		}
		m.filter, cmd = m.filter.Open(m.tokens)
		return m.layout(), cmd
	case key.Matches(msg, k.Jump):
		return m.openJump()
	case key.Matches(msg, k.Refresh):
		var cmd tea.Cmd
		m = m.endJump() // r goes back to the newest rows
		m.quiet = false
		m.list, cmd = m.list.Reload(m.load(true), m.clock, m.reqCtx)
		if !m.list.Loaded() {
			return m, tea.Batch(cmd, m.spin.Tick)
		}
		return m, cmd
	case key.Matches(msg, k.TimeFormat):
		m.abs = !m.abs
		m.table = m.table.SetColumns(m.columns()).SetSource(m.src())
		return m, nil
	case key.Matches(msg, k.NextPage):
		target := m.table.Cursor() + m.list.PerPage()
		m.jump = 0
		if target >= m.list.Len() && m.list.HasNext() {
			m.jump = target // finish the jump when that page arrives
		}
		m.table = m.table.SetCursor(target)
		return m.prefetch()
	case key.Matches(msg, k.PrevPage):
		m.jump = 0
		m.table = m.table.SetCursor(m.table.Cursor() - m.list.PerPage())
		return m, nil
	}
	var cmd tea.Cmd
	m.table, cmd = m.table.Update(msg)
	m.fresh = min(m.fresh, m.table.Cursor()) // new rows the cursor reached are seen
	mm, pcmd := m.prefetch()
	return mm, tea.Batch(cmd, pcmd)
}

// prefetch requests the next page when the cursor nears the end of what is
// loaded.
func (m Model[R]) prefetch() (Model[R], tea.Cmd) {
	if m.filtering() {
		return m, nil // the filter applies to what is loaded
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.More(m.table.Cursor(), m.load(false), m.clock, m.reqCtx)
	m.table = m.table.SetLoadingMore(m.loadingMoreText())
	return m, cmd
}

func (m Model[R]) loadingMoreText() string {
	switch {
	case m.list.LoadingMore():
		return "loading more…"
	case m.list.Capped():
		if sent, kept := m.list.Cut(); sent > 0 {
			return fmt.Sprintf("the server sent %s rows in one page; kept %s (row limit) — narrow the filter with /", thousands(sent), thousands(kept))
		}
		return "row limit reached — narrow the filter with /"
	}
	return ""
}

// thousands renders n with comma separators: 100000 → "100,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (m Model[R]) applyPage(msg pagedlist.PageMsg[R]) (Model[R], tea.Cmd) {
	selected := m.SelectedID()
	var ch pagedlist.Change
	m.list, ch = m.list.Apply(msg)
	if !ch.Accepted {
		return m, nil
	}
	if ch.Err != nil {
		m.table = m.table.SetLoadingMore(m.loadingMoreText())
		return m, common.ReportError(ch.Err, m.spec.Noun, m.retrying)
	}
	if !ch.At.IsZero() {
		m.now = ch.At
	}
	m.version++
	m = m.fitIDs().filterRows()
	switch {
	case ch.Replaced, m.filtering():
		m.table = m.table.SetSource(m.src()).SetCursor(m.indexOf(selected))
	case ch.Kind == pagedlist.KindMerge && ch.Added > 0 && m.table.Cursor() == 0:
		// On the newest row: the new rows come into view above it and the
		// cursor moves to the newest.
		m.table = m.table.SetSource(m.src()).SetCursor(0)
	case ch.Kind == pagedlist.KindMerge:
		// The clock moved: relative times change, so re-render (SetSource)
		// and keep the cursor on the same row; the rows that arrived above
		// it are counted ("↑ N new") until the cursor reaches them.
		m.table = m.table.SetSource(m.src()).Shifted(ch.Added)
		m.fresh += ch.Added
	default:
		m.table = m.table.SetSource(m.src())
		if m.jump > 0 {
			m.table = m.table.SetCursor(m.jump)
			if m.jump < m.list.Len() || !m.list.HasNext() {
				m.jump = 0
			}
		}
	}
	var cmd tea.Cmd
	m, cmd = m.prefetch()
	return m, tea.Batch(cmd, common.Synced(ch.At))
}

// indexOf returns the row index of id, or 0. It runs only when every row
// was replaced.
func (m Model[R]) indexOf(id int64) int {
	if id == 0 {
		return 0
	}
	for i, r := range m.rows() {
		if m.spec.ID(r) == id {
			return i
		}
	}
	return 0
}

// Relative reports whether the list shows relative times (its rows are
// loaded and T is not set to absolute), for the root's clock.
func (m Model[R]) Relative() bool { return !m.abs && m.list.Loaded() && m.list.Len() > 0 }

// wheelStep is how many rows one wheel notch moves the cursor.
const wheelStep = 3

// Mouse handles a mouse message with Y relative to the list's top: the
// wheel moves the cursor (fetching the next page as the keys do), a left
// click selects the row under it. The header and the table's header line
// are above the rows.
func (m Model[R]) Mouse(msg tea.MouseMsg) (Model[R], tea.Cmd) {
	if msg.Action == tea.MouseActionMotion || m.InputFocused() || m.State() != StateReady {
		return m, nil
	}
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		m.table = m.table.SetCursor(m.table.Cursor() - wheelStep)
	case msg.Button == tea.MouseButtonWheelDown:
		m.table = m.table.SetCursor(m.table.Cursor() + wheelStep)
	case msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress:
		row := msg.Y - 2 // the list header, the table header
		if row < 0 || row >= m.table.PageSize() || m.table.Offset()+row >= m.table.Len() {
			return m, nil
		}
		m.table = m.table.SetCursor(m.table.Offset() + row)
	default:
		return m, nil
	}
	m.fresh = min(m.fresh, m.table.Cursor())
	return m.prefetch()
}
