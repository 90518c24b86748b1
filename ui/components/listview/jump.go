package listview

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/lineinput"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// ParseJumpTime reads the time typed after `@`, in now's location:
// "03:12" (the last 03:12 at or before now), "2026-12-03 03:12",
// "2026-12-03", an RFC 3339 time, "-2h" / "-90m" / "-1d" (before now),
// "yesterday 17:00", "today 08:00", "yesterday".
func ParseJumpTime(text string, now time.Time) (time.Time, error) {
	s := strings.TrimSpace(text)
	loc := now.Location()
	if s == "" {
		return time.Time{}, errors.New("type a time: 03:12, 2026-12-03 03:12, -2h, yesterday 17:00")
	}
	if strings.HasPrefix(s, "-") {
		d, err := parseAgo(s[1:])
		if err != nil {
			return time.Time{}, err
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	day := func(off int) time.Time {
		y, mo, d := now.Date()
		return time.Date(y, mo, d+off, 0, 0, 0, 0, loc)
	}
	word, rest, _ := strings.Cut(s, " ")
	switch strings.ToLower(word) {
	case "yesterday", "today":
		base := day(0)
		if strings.EqualFold(word, "yesterday") {
			base = day(-1)
		}
		if strings.TrimSpace(rest) == "" {
			return base, nil
		}
		return atClock(base, strings.TrimSpace(rest))
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := atClock(day(0), s); err == nil {
		if t.After(now) { // the last such time, not one to come
			t = t.AddDate(0, 0, -1)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q: not a time (try 03:12, 2026-12-03 03:12, -2h, yesterday 17:00)", s)
}

// atClock returns day at the clock time "15:04" or "15:04:05".
func atClock(day time.Time, clock string) (time.Time, error) {
	for _, layout := range []string{"15:04:05", "15:04"} {
		if c, err := time.Parse(layout, clock); err == nil {
			return time.Date(day.Year(), day.Month(), day.Day(), c.Hour(), c.Minute(), c.Second(), 0, day.Location()), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: not a clock time (15:04)", clock)
}

// parseAgo reads "2h", "90m", "1h30m", "2d", "1d12h".
func parseAgo(s string) (time.Duration, error) {
	var days int
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || n > 3650 {
			return 0, fmt.Errorf("-%s: not a duration (try -2h, -90m, -1d)", s)
		}
		days, s = n, s[i+1:]
	}
	var d time.Duration
	if s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d < 0 {
			return 0, fmt.Errorf("-%s: not a duration (try -2h, -90m, -1d)", s)
		}
	}
	return d + time.Duration(days)*24*time.Hour, nil
}

// JumpBound is the most requests a jump to a time makes to find its page
// among pages pages (once it knows how many there are): the page count
// comes with the first request, then each request halves the pages left.
func JumpBound(pages int) int {
	return int(math.Ceil(math.Log2(float64(max(pages, 1))))) + 1
}

// seekState is a jump to a time in progress.
type seekState struct {
	seq  int
	at   time.Time
	text string // what was typed, terminal-safe
	// lo..hi are the pages the target can be on (hi 0 = not known yet);
	// pages is the page count once known.
	lo, hi, pages int
	// best is the lowest page fetched whose first row is at or before at
	// (0 = none); the model keeps its rows (jumpBest).
	best     int
	page     int // the page in flight
	requests int
	cancel   context.CancelFunc
}

// jumpMsg answers one page request of a jump.
type jumpMsg[R any] struct {
	seq  int
	page int
	f    pagedlist.Fetched[R]
	err  error
}

// SetSeekLoad sets the loader a jump to a time uses: the list's query, with
// the server asked to count (totals). nil turns `@` off, with why saying
// why when it is pressed.
func (m Model[R]) SetSeekLoad(load func() pagedlist.Loader[R], why string) Model[R] {
	m.seekLoad, m.seekWhy = load, why
	return m
}

// Jumping reports whether a jump to a time is searching for its page.
func (m Model[R]) Jumping() bool { return m.seek != nil }

// JumpRequests returns how many requests the last jump made.
func (m Model[R]) JumpRequests() int { return m.jumpRequests }

// openJump opens the `@` input.
func (m Model[R]) openJump() (Model[R], tea.Cmd) {
	if m.spec.Created == nil {
		return m, nil
	}
	if m.seekLoad == nil {
		return m, common.ReportError(errors.New(m.seekWhy), "jump to a time", false)
	}
	m.jumpIn = lineinput.New()
	m.jumpIn.Focus()
	m.jumpErr = ""
	return m.layout(), nil
}

// updateJumpInput handles a key while the `@` input is open.
func (m Model[R]) updateJumpInput(msg tea.KeyMsg) (Model[R], tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.JumpCancel):
		m.jumpIn.Blur()
		m.jumpErr = ""
		return m.layout(), nil
	case key.Matches(msg, m.keys.JumpGo):
		at, err := ParseJumpTime(m.jumpIn.Value(), m.clock())
		if err != nil {
			m.jumpErr = err.Error()
			return m, nil
		}
		text := textsafe.Line(strings.TrimSpace(m.jumpIn.Value()))
		m.jumpIn.Blur()
		m.jumpErr = ""
		return m.layout().startJump(at, text)
	}
	m.jumpIn = m.jumpIn.Update(msg)
	m.jumpErr = ""
	return m, nil
}

// startJump lands on the first row at or before at: among the loaded rows
// when it is there, else by a binary search over the pages.
func (m Model[R]) startJump(at time.Time, text string) (Model[R], tea.Cmd) {
	m.jumpSeq++
	m.jumpRequests = 0
	m.jumpAt, m.jumpText = at, text
	items := m.list.Items()
	created := m.spec.Created
	lo := 1
	if m.list.Start() == 1 && len(items) > 0 {
		for i, r := range items {
			if !created(r).After(at) {
				m = m.landAt(i)
				return m, nil
			}
		}
		if !m.list.HasNext() {
			m = m.landAt(len(items) - 1)
			m.jumpNote = "none that old: the oldest row"
			return m, nil
		}
		lo = m.list.Pages() + 1 // the loaded pages are all newer
	}
	j := &seekState{seq: m.jumpSeq, at: at, text: text, lo: lo}
	return m.jumpRequest(j, lo)
}

// landAt moves the cursor to row i of the rows shown and shows the time
// window.
func (m Model[R]) landAt(i int) Model[R] {
	m.seek = nil
	m.jumped = true
	m.jumpNote = ""
	m.table = m.table.SetSource(m.src()).SetCursor(i)
	m.fresh = 0
	return m
}

// jumpRequest asks for page p of the jump (counted, so the first answer
// gives the page count).
func (m Model[R]) jumpRequest(j *seekState, p int) (Model[R], tea.Cmd) {
	ctx, cancel := m.reqCtx()
	j.cancel = cancel
	j.page = p
	j.requests++
	m.seek = j
	m.jumpRequests = j.requests
	load, seq, per := m.seekLoad(), j.seq, m.list.PerPage()
	return m, func() tea.Msg {
		defer cancel()
		f, err := load(ctx, p, per)
		return jumpMsg[R]{seq: seq, page: p, f: f, err: err}
	}
}

// cancelJump stops a jump in flight (esc): its answer is dropped.
func (m Model[R]) cancelJump() Model[R] {
	if m.seek != nil && m.seek.cancel != nil {
		m.seek.cancel()
	}
	m.seek = nil
	m.jumpSeq++
	m.jumpNote = "jump cancelled"
	return m
}

// applyJump takes one page of a jump and lands, or asks for the next.
func (m Model[R]) applyJump(msg jumpMsg[R]) (Model[R], tea.Cmd) {
	if m.seek == nil || msg.seq != m.seek.seq || msg.page != m.seek.page {
		return m, nil
	}
	jc := *m.seek // copied: earlier copies of the model keep theirs
	j := &jc
	m.seek = j
	if msg.err != nil {
		m.seek = nil
		m.jumpNote = "jump failed"
		return m, common.ReportError(fmt.Errorf("jump to %s: %w", j.text, msg.err), m.spec.Noun, false)
	}
	per := m.list.PerPage()
	if msg.f.Total != nil && j.pages == 0 {
		j.pages = max((*msg.f.Total+per-1)/per, 1)
		j.hi = j.pages
	}
	rows := msg.f.Items
	p := msg.page
	created := m.spec.Created
	switch {
	case len(rows) == 0: // past the end
		j.hi = p - 1
		if j.pages == 0 || j.pages > p-1 {
			j.pages = p - 1
		}
	case created(rows[len(rows)-1]).After(j.at): // every row newer: later
		j.lo = p + 1
		if !msg.f.HasNext {
			j.pages, j.hi = p, p
			return m.landPage(p, msg.f, len(rows)-1, "none that old: the oldest row")
		}
	case created(rows[0]).After(j.at) || p == j.lo: // the target is on this page
		return m.landPage(p, msg.f, firstAtOrBefore(rows, created, j.at), "")
	default: // the first row is old enough: the target is here or before
		j.hi = p
		j.best = p
		m.jumpBest = msg.f
	}
	if j.hi > 0 && j.lo > j.hi { // nothing older than the newer pages
		if j.hi < 1 {
			m.seek = nil
			m.jumpNote = "no rows"
			return m, nil
		}
		return m.jumpRequest(j, j.hi)
	}
	if j.hi > 0 && j.lo == j.hi {
		if j.best == j.lo {
			return m.landPage(j.best, m.jumpBest, firstAtOrBefore(m.jumpBest.Items, created, j.at), "")
		}
		return m.jumpRequest(j, j.lo)
	}
	next := j.lo + (j.hi-j.lo)/2
	if j.hi == 0 { // the page count is unknown: gallop
		next = max(2*p, j.lo)
	}
	return m.jumpRequest(j, next)
}

// firstAtOrBefore returns the index of the first row created at or before
// at (the last row when none is).
func firstAtOrBefore[R any](rows []R, created func(R) time.Time, at time.Time) int {
	for i, r := range rows {
		if !created(r).After(at) {
			return i
		}
	}
	return max(len(rows)-1, 0)
}

// landPage shows page p (rows f) with the cursor on row i; paging goes on
// from there.
func (m Model[R]) landPage(p int, f pagedlist.Fetched[R], i int, note string) (Model[R], tea.Cmd) {
	m.list = m.list.Seek(p, f)
	m.version++
	m = m.fitIDs().filterRows()
	m = m.landAt(i)
	m.jumpNote = note
	m.jumpBest = pagedlist.Fetched[R]{}
	return m.prefetch()
}

// jumpHeader is the header's part for a jump: its progress, or the time
// window of the rows loaded after one.
func (m Model[R]) jumpHeader() string {
	if j := m.seek; j != nil {
		s := fmt.Sprintf("@ %s: request %d", j.text, j.requests)
		if j.pages > 0 {
			s += fmt.Sprintf(" (≤ %d for %d pages)", JumpBound(j.pages), j.pages)
		}
		return s + fmt.Sprintf(" · page %d · esc cancels", j.page)
	}
	if !m.jumped || m.spec.Created == nil || m.list.Len() == 0 {
		return m.jumpNote
	}
	items := m.list.Items()
	newest, oldest := m.spec.Created(items[0]), m.spec.Created(items[len(items)-1])
	window := "rows " + common.Absolute(oldest) + " – " + common.Absolute(newest)
	if m.jumpNote != "" {
		return m.jumpNote + " · " + window
	}
	return "@ " + m.jumpText + " · " + window
}
