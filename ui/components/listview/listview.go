// Package listview is the shared body of the server-paged list screens
// (events, enforcements, executions): a pagedlist of display rows shown in
// a virtualised table, with a filter bar, a loading spinner, the list
// header (position, paging state, refresh state, filter chips), the four
// states (loading, error, empty, ready), refresh, the time-format toggle,
// prefetching and the `]`/`[` page jumps.
//
// A screen embeds a Model[R] of its row type R and keeps only what is
// specific to it: its columns and cells (Spec), its query and the Load
// that captures it (SetLoad), its own keys (handled before Update), and
// the extra parts of its header and its empty text (Frame).
package listview

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/lineinput"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/components/table"
	"github.com/attune-tui/attune-tui/ui/theme"
)

// Spec describes the parts of a list that differ between screens. Its
// functions must be pure: they run in Update and View.
type Spec[R any] struct {
	// Noun names the rows ("events"): it appears in "Loading events…" and
	// "Could not load events: …", and is the origin of reported errors.
	Noun string
	// Fields are the keys the filter bar accepts.
	Fields []filterbar.Field
	// ID returns a row's identity (rows are ordered newest first).
	ID func(R) int64
	// Doc returns the JSON document ":where" queries for a row (its
	// detail, fetched); nil: the list has no ":where".
	Doc func(ctx context.Context, r R) ([]byte, error)
	// Columns returns the table's columns; abs is true while times are
	// shown absolute.
	Columns func(abs bool) []table.Column
	// Cells returns the cells of row r, already terminal-safe; now is the
	// time of the last answer.
	Cells func(r R, now time.Time, abs bool) []string
	// RetryHint is the hint under the message of the error state.
	RetryHint string
	// ShowPerPage adds the page size ("· 50/page") to the header.
	ShowPerPage bool
	// IDColumn is the index of the column that shows ID (0, the first, by
	// default): it is widened to the widest id loaded, so that ids of any
	// length (production reaches 7 to 10 digits) are never cut.
	IDColumn int
	// RefColumns are the indexes of columns that show other entities' ids
	// ("#4000000123"), and RefCells returns a row's cells for them, in the
	// same order: each such column is widened to its widest cell loaded.
	RefColumns []int
	RefCells   func(R) []string
	// NoteColumn is the index of a column whose cells the screen supplies
	// from its own state through SetNote (e.g. what an event caused), not
	// from the row; HasNote turns it on.
	NoteColumn int
	HasNote    bool
	// Update, when set, merges a loaded row with the server's newer
	// version of it when a refresh brings it again (see
	// pagedlist.List.SetUpdate): a status that changed on the server
	// changes in place.
	Update func(old, fresh R, at time.Time) (R, bool)
	// Created returns a row's creation time (rows are newest first); it
	// turns on the jump to a time (`@`).
	Created func(R) time.Time
}

// ChangedFor is how long a row whose status changed in place stays marked
// (StatusCell).
const ChangedFor = 3 * time.Second

// StatusCell renders a status cell with the marks of a live change: "≠ "
// when the row no longer matches the list's status filter (it stays until
// the next reload), "• " for ChangedFor after its status changed in place.
// Text carries the marks, so they read without colour.
func StatusCell(text string, changed time.Time, stale bool, now time.Time) string {
	switch {
	case stale:
		return "≠ " + text
	case !changed.IsZero() && now.Sub(changed) < ChangedFor:
		return "• " + text
	}
	return text
}

// Load returns the page loader of the current query; refresh asks it to
// bypass any answer cache. It must capture the query by value.
type Load[R any] func(refresh bool) pagedlist.Loader[R]

// State is which of the four states a list is in.
type State int

// The four states of a list.
const (
	// StateLoading: the first page has not arrived yet.
	StateLoading State = iota
	// StateError: the first page failed and nothing is loading.
	StateError
	// StateEmpty: the answer had no rows.
	StateEmpty
	// StateReady: rows are shown.
	StateReady
)

// Model is the shared list. The zero value is not usable; call New.
type Model[R any] struct {
	// spec and keys are set once by New and never changed (shared by
	// every copy of the model, which keeps copies small).
	spec   *Spec[R]
	keys   *KeyMap
	styles *theme.Styles
	clock  func() time.Time
	reqCtx pagedlist.RequestContext
	load   Load[R]
	list   pagedlist.List[R]
	table  table.Model
	filter filterbar.Model
	spin   spinner.Model
	tokens []filterbar.Token
	chips  string // terminal-safe "k:v k:v" of tokens
	now    time.Time
	abs    bool
	// quiet marks the request in flight as a background refresh (live,
	// polling): the header does not announce it.
	quiet bool
	// retrying marks reported errors as retried by auto-refresh.
	retrying bool
	// jump is the row `]` asked for beyond the loaded rows; the cursor
	// moves there when the page holding it arrives (0 = none).
	jump int
	// fresh counts the rows an auto-refresh put above the cursor that the
	// cursor has not reached yet (the header's "↑ N new").
	fresh  int
	width  int
	height int
	// idWidth is the width in cells of the widest id loaded; refWidths
	// that of each RefColumns column.
	idWidth   int
	refWidths []int
	// note renders the NoteColumn cell of a row (nil = the row's own cell),
	// noteAccent names its accent (nil = none); noteMin is that column's
	// width.
	note       func(R) string
	noteAccent func(R) string
	noteMin    int
	// version counts the changes to the loaded rows.
	version int
	// keep, when set, shows only the loaded rows it keeps (a filter on
	// what is loaded, not a query); shown holds them.
	keep  func(R) bool
	shown []R
	// where is the ":where" filter (nil: none); whereSeq drops the
	// answers of stopped ones.
	where    *whereState[R]
	whereSeq int
	// recall holds the session's recent filters and known refs; rules
	// reads the known refs (nil without an API).
	recall *common.Recall
	rules  common.RulesAPI
	// loadingKnown is set while the known refs are being loaded.
	loadingKnown bool
	// Jump to a time (`@`): seekLoad loads counted pages of the query
	// (nil: no jump, seekWhy says why); jumpIn is the input and jumpErr
	// what is wrong with its text; seek is the search in flight (nil
	// when none; jumpSeq drops the answers of older ones), jumpBest the
	// rows of its best page so far; jumped is set once the cursor landed
	// (the header then shows the time window of the loaded rows), and
	// jumpNote says how the last jump ended when that needs saying.
	seekLoad     func() pagedlist.Loader[R]
	seekWhy      string
	jumpIn       lineinput.Model
	jumpErr      string
	seek         *seekState
	jumpSeq      int
	jumpBest     pagedlist.Fetched[R]
	jumpRequests int
	jumpAt       time.Time
	jumpText     string
	jumpNote     string
	jumped       bool
}

// New returns an empty list. deps must have its defaults filled in
// (common.Deps.WithDefaults). Call SetLoad and then Reset to load.
func New[R any](deps common.Deps, spec Spec[R], keys KeyMap) Model[R] {
	st := deps.Styles
	m := Model[R]{
		spec:   &spec,
		keys:   &keys,
		styles: st,
		clock:  deps.Now,
		reqCtx: deps.RequestContext,
		list:   pagedlist.New[R](deps.PerPage, deps.MaxRows, spec.ID).SetUpdate(spec.Update),
		filter: filterbar.New(spec.Fields, filterbar.Styles{
			Prompt: st.Filter.Prompt, Text: st.Filter.Text, Error: st.Filter.Error,
			Chip: st.Filter.Chip, Hint: st.Cmdline.Info,
		}).SetResolver(Resolver(deps.API), deps.RequestContext),
		recall: deps.Recall,
		spin:   spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(st.State.Spinner)),
		now:    deps.Now(),
	}
	m.rules = rulesOf(deps.API)
	m.filter = m.filter.SetExpander(Expander(m.recall, deps.API))
	m.table = table.New(spec.Columns(false), st.Table)
	m.table.KeyMap = keys.Table
	m.keys.Jump.SetEnabled(spec.Created != nil)
	m.jumpIn = lineinput.New()
	return m
}

// PageLoader returns the list's page loader bypassing the answer cache
// (an export of every page), or nil when a wildcard merges several lists
// (their merge state belongs to the list on screen).
func (m Model[R]) PageLoader() pagedlist.Loader[R] {
	if _, wild := Expanded(m.tokens); wild || m.load == nil {
		return nil
	}
	return m.load(true)
}

// Sources returns the loaded rows as the API sent them (src picks a row's
// API value), for export (common.Exporter's ExportLoaded).
func (m Model[R]) Sources(src func(R) any) []any {
	items := m.Items()
	out := make([]any, len(items))
	for i, r := range items {
		out[i] = src(r)
	}
	return out
}

// SourcePages returns every page of the list's query as API values, for
// export (common.Exporter's ExportPages); nil for a merged list.
func (m Model[R]) SourcePages(src func(R) any) common.Pages {
	load := m.PageLoader()
	if load == nil {
		return nil
	}
	return common.PagesOf(func(ctx context.Context, page, perPage int) ([]R, bool, error) {
		f, err := load(ctx, page, perPage)
		return f.Items, f.HasNext, err
	}, src)
}

// SetLoad sets the loader of the current query. It does not request
// anything: call Reset when the query changed.
func (m Model[R]) SetLoad(load Load[R]) Model[R] {
	m.load = load
	return m
}

// SetTokens records the filter tokens (and their terminal-safe chips) and
// re-lays out the list. The screen rebuilds its query from them.
func (m Model[R]) SetTokens(toks []filterbar.Token) Model[R] {
	m.tokens = toks
	m.recall.RememberFilter(m.spec.Noun, filterbar.Text(toks))
	chips := make([]string, 0, len(toks))
	for _, t := range toks {
		chips = append(chips, textsafe.Line(t.Chip()))
	}
	m.chips = strings.Join(chips, " ")
	return m.layout()
}

// SetRetrying marks errors reported from now on as retried (auto-refresh
// is on), or not.
func (m Model[R]) SetRetrying(on bool) Model[R] {
	m.retrying = on
	return m
}

// SetSize sets the size of the whole list, header and filter bar included.
func (m Model[R]) SetSize(width, height int) Model[R] {
	m.width, m.height = width, height
	m.filter = m.filter.SetWidth(width)
	return m.layout()
}

// SetCursor selects row i.
func (m Model[R]) SetCursor(i int) Model[R] {
	m.table = m.table.SetCursor(i)
	return m
}

// jumpLines returns how many lines the `@` input uses.
func (m Model[R]) jumpLines() int {
	switch {
	case !m.jumpIn.Focused():
		return 0
	case m.jumpErr != "":
		return 2
	}
	return 1
}

// layout sizes the table to what the header, filter bar and `@` input
// leave.
func (m Model[R]) layout() Model[R] {
	h := m.height - 1 - m.filter.Lines() - m.jumpLines()
	m.table = m.table.SetSize(m.width, max(h, 2))
	return m
}

// Tokens returns the filter tokens.
func (m Model[R]) Tokens() []filterbar.Token { return m.tokens }

// Chips returns the filter as terminal-safe "key:value" text ("" = none).
func (m Model[R]) Chips() string { return m.chips }

// InputFocused reports whether the filter bar or the `@` input has focus,
// or a jump to a time runs (esc cancels it).
func (m Model[R]) InputFocused() bool {
	return m.filter.Active() || m.jumpIn.Focused() || m.seek != nil || m.whereRunning()
}

// whereRunning reports whether a ":where" is checking rows (esc stops it).
func (m Model[R]) whereRunning() bool { return m.where != nil && m.where.running }

// filtering reports whether a filter on the loaded rows (SetKeep's or
// ":where") is on.
func (m Model[R]) filtering() bool {
	return m.keep != nil || m.where != nil
}

// ShortHelp returns the filter bar's short help while it has focus, and
// k's otherwise.
func (m Model[R]) ShortHelp(k help.KeyMap) []key.Binding {
	if m.filter.Active() {
		return m.filter.KeyMap.ShortHelp()
	}
	if m.jumpIn.Focused() || m.seek != nil {
		return []key.Binding{m.keys.JumpGo, m.keys.JumpCancel}
	}
	return k.ShortHelp()
}

// FullHelp returns the filter bar's full help while it has focus, and k's
// otherwise.
func (m Model[R]) FullHelp(k help.KeyMap) [][]key.Binding {
	if m.filter.Active() {
		return m.filter.KeyMap.FullHelp()
	}
	return k.FullHelp()
}

// List returns the paged rows (read only).
func (m Model[R]) List() pagedlist.List[R] { return m.list }

// Items returns the loaded rows. The slice must not be modified.
func (m Model[R]) Items() []R { return m.list.Items() }

// Len returns how many rows are loaded.
func (m Model[R]) Len() int { return m.list.Len() }

// Cursor returns the index of the selected row.
func (m Model[R]) Cursor() int { return m.table.Cursor() }

// SpinnerID returns the ID of the loading spinner's ticks.
func (m Model[R]) SpinnerID() int { return m.spin.ID() }

// Selected returns the row under the cursor, if any.
func (m Model[R]) Selected() (R, bool) {
	items := m.rows()
	if c := m.table.Cursor(); c >= 0 && c < len(items) {
		return items[c], true
	}
	var zero R
	return zero, false
}

// SelectedID returns the id of the row under the cursor, or 0.
func (m Model[R]) SelectedID() int64 {
	if r, ok := m.Selected(); ok {
		return m.spec.ID(r)
	}
	return 0
}

// State returns which of the four states the list is in.
func (m Model[R]) State() State {
	switch {
	case !m.list.Loaded() && m.list.Err() != nil && !m.list.Loading():
		return StateError
	case !m.list.Loaded():
		return StateLoading
	case m.list.Len() == 0:
		return StateEmpty
	}
	return StateReady
}

// columns returns the columns for the current time format, the id and
// reference columns as wide as their widest cell loaded.
func (m Model[R]) columns() []table.Column {
	cols := m.spec.Columns(m.abs)
	widen := func(i, w int) {
		if i >= 0 && i < len(cols) && w > cols[i].Min {
			cols[i].Min = w
		}
	}
	widen(m.spec.IDColumn, m.idWidth)
	if m.spec.HasNote && m.noteMin > 0 && m.spec.NoteColumn < len(cols) {
		cols[m.spec.NoteColumn].Min = m.noteMin
	}
	for j, i := range m.spec.RefColumns {
		if j < len(m.refWidths) {
			widen(i, m.refWidths[j])
		}
	}
	return cols
}

// fitIDs sizes the id column to the widest id loaded and each reference
// column to its widest cell, so that no id is ever cut. It runs once per
// page answer, over the loaded rows (at most MaxRows).
func (m Model[R]) fitIDs() Model[R] {
	var widest int64
	refs := make([]int, len(m.spec.RefColumns))
	for _, r := range m.list.Items() {
		widest = max(widest, m.spec.ID(r))
		if m.spec.RefCells != nil {
			for j, c := range m.spec.RefCells(r) {
				if j < len(refs) {
					refs[j] = max(refs[j], ansi.StringWidth(c))
				}
			}
		}
	}
	w := len(strconv.FormatInt(widest, 10))
	if w != m.idWidth || !slices.Equal(refs, m.refWidths) {
		m.idWidth, m.refWidths = w, refs
		m.table = m.table.SetColumns(m.columns())
	}
	return m
}

// source adapts the loaded rows to the table.
type source[R any] struct {
	rows    []R
	now     time.Time
	abs     bool
	cells   func(R, time.Time, bool) []string
	note    func(R) string
	accent  func(R) string
	noteCol int
}

func (s source[R]) Len() int { return len(s.rows) }

// CellStyle implements table.StyledSource: the NoteColumn cell takes the
// accent the screen names for it.
func (s source[R]) CellStyle(i, c int) string {
	if c != s.noteCol || s.accent == nil || s.note == nil {
		return ""
	}
	return s.accent(s.rows[i])
}

func (s source[R]) Cells(i int) []string {
	c := s.cells(s.rows[i], s.now, s.abs)
	if s.note != nil && s.noteCol < len(c) {
		c[s.noteCol] = s.note(s.rows[i])
	}
	return c
}

func (m Model[R]) src() source[R] {
	s := source[R]{rows: m.rows(), now: m.now, abs: m.abs, cells: m.spec.Cells}
	if m.spec.HasNote {
		s.note, s.accent, s.noteCol = m.note, m.noteAccent, m.spec.NoteColumn
	}
	return s
}

// SetNote sets how the NoteColumn cells are rendered, the name of their
// accent in the table's Styles.Accents (accent may be nil: no colour), and
// that column's width, and re-renders the rows. f and accent must be pure
// (they run in Update and View); call SetNote again whenever what they
// read changed.
func (m Model[R]) SetNote(f, accent func(R) string, width int) Model[R] {
	m.note, m.noteAccent = f, accent
	if width != m.noteMin {
		m.noteMin = width
		m.table = m.table.SetColumns(m.columns())
	}
	m.table = m.table.SetSource(m.src())
	return m
}

// Visible returns the rows on screen. The slice must not be modified.
func (m Model[R]) Visible() []R {
	items := m.rows()
	from := min(max(m.table.Offset(), 0), len(items))
	to := min(from+m.table.PageSize(), len(items))
	return items[from:to]
}

// rows returns the rows shown: the loaded rows, or those keep keeps.
func (m Model[R]) rows() []R {
	if m.filtering() {
		return m.shown
	}
	return m.list.Items()
}

// SetKeep shows only the loaded rows keep keeps (nil: all of them), with
// the cursor on the same row when it is still shown. Call it again when
// what keep reads changed. While rows are hidden no page is prefetched:
// the filter applies to what is loaded.
func (m Model[R]) SetKeep(keep func(R) bool) Model[R] {
	selected := m.SelectedID()
	m.keep = keep
	m = m.filterRows()
	m.table = m.table.SetSource(m.src()).SetCursor(m.indexOf(selected))
	return m
}

// Filtered reports whether a SetKeep filter is on, and how many rows it
// shows.
func (m Model[R]) Filtered() (on bool, shown int) { return m.filtering(), len(m.shown) }

// filterRows recomputes the kept rows.
func (m Model[R]) filterRows() Model[R] {
	m.shown = nil
	if !m.filtering() {
		return m
	}
	for _, r := range m.list.Items() {
		if m.keep != nil && !m.keep(r) {
			continue
		}
		if m.where != nil && !m.where.match[m.spec.ID(r)] {
			continue
		}
		m.shown = append(m.shown, r)
	}
	return m
}

// Version counts the changes to the loaded rows (page answers, resets): a
// screen that derives state from the rows compares it to know when to
// recompute.
func (m Model[R]) Version() int { return m.version }

// CreatedColumn is the CREATED column, wide enough for absolute times when
// abs is set.
func CreatedColumn(abs bool) table.Column {
	c := table.Column{Title: "CREATED", Min: 9}
	if abs {
		c.Min = 20
	}
	return c
}

// Created formats a creation time relative to now, or absolute when abs
// is set.
func Created(t, now time.Time, abs bool) string {
	if abs {
		return common.Absolute(t)
	}
	return common.Relative(t, now)
}

// Patch replaces the loaded rows for which f returns a new row and redraws
// them (a live status change); the cursor stays where it is.
func (m Model[R]) Patch(f func(R) (R, bool)) Model[R] {
	var changed bool
	m.list, changed = m.list.Patch(f)
	if changed {
		m.table = m.table.SetSource(m.src())
	}
	return m
}

// Subject is the common.Subject of a list screen of kind: the selected row
// (its id, and src's value of it: the row as the API sent it) and req, the
// request of the list's first page.
func (m Model[R]) Subject(kind common.Kind, req common.Request, src func(R) any) (common.Subject, bool) {
	r, ok := m.Selected()
	if !ok {
		return common.ListSubject(kind, 0, nil, req)
	}
	return common.ListSubject(kind, m.spec.ID(r), src(r), req)
}
