// Package events is the event list: a virtualised, server-paged table of
// events, newest first, with a filter bar, refresh and auto-refresh.
package events

import (
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/outcome"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/components/table"
)

// filterFields are the keys the filter bar accepts.
func filterFields() []filterbar.Field {
	return []filterbar.Field{
		{Name: "trigger_ref"},
		{Name: "rule_ref"},
		{Name: "source", Int: true},
		{Name: "trigger", Int: true},
		{Name: "trace_tag", Aliases: []string{"trace"}},
	}
}

// spec is what the shared list needs to know about events.
func spec() listview.Spec[row] {
	return listview.Spec[row]{
		Noun:        "events",
		Fields:      filterFields(),
		ID:          rowID,
		Columns:     columns,
		Cells:       cells,
		RetryHint:   "press r to retry",
		ShowPerPage: true,
		HasNote:     true,
		NoteColumn:  causedCol,
	}
}

// Model is the event list view.
type Model struct {
	deps    common.Deps
	api     Lister
	keys    KeyMap
	lv      listview.Model[row]
	query   common.EventQuery
	live    bool
	liveGen int
	// liveFails counts auto-refresh ticks in a row that found the last
	// refresh failed; the tick interval doubles with each, up to
	// Deps.MaxRefreshBackoff.
	liveFails int
	init      tea.Cmd
	caused    outcome.Column
	// causedFilter is the c filter (showAll, showCausedSomething,
	// showCausedFailure).
	causedFilter int
}

// New returns the event list. Call Init to start loading.
func New(deps common.Deps) Model {
	deps = deps.WithDefaults()
	m := Model{deps: deps, api: deps.API, keys: DefaultKeyMap(), caused: outcome.NewColumn(deps.API, true, "events")}
	m.lv = listview.New(deps, spec(), m.keys.KeyMap)
	m = m.setTokens(nil)
	m.lv, m.init = m.lv.Reset()
	return m
}

// NewWithFilter returns the event list with a filter already applied, e.g.
// from ":events trigger_ref:x". Invalid text is reported as an error.
func NewWithFilter(deps common.Deps, filter string) (Model, error) {
	m := New(deps)
	toks, err := filterbar.Parse(filterFields(), filter)
	if err != nil {
		return m, err
	}
	m = m.setTokens(toks)
	m.lv, m.init = m.lv.Reset()
	return m, nil
}

// Init implements tea.Model: it returns the request for the first page,
// which New already recorded as in flight.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string { return "Events" }

// Relative implements common.RelativeView: the list's times are relative.
func (m Model) Relative() bool { return m.lv.Relative() }

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return m.lv.InputFocused() }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding { return m.lv.ShortHelp(m.keys) }

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding { return m.lv.FullHelp(m.keys) }

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.lv = m.lv.SetSize(width, height)
	m.caused = m.caused.SetShort(width < 100)
	m = m.renderCaused()
	return m
}

func columns(abs bool) []table.Column {
	return []table.Column{
		{Title: "ID", Min: 6, Right: true},
		listview.CreatedColumn(abs),
		{Title: "TRIGGER", Min: 14, Flex: 3},
		{Title: "CAUSED", Min: causedWidth(false)},
		{Title: "RULE", Min: 10, Flex: 2},
		{Title: "SOURCE", Min: 10, Flex: 2},
		{Title: "TRACE", Min: 10, Flex: 2},
		{Title: "DATA", Min: 4},
	}
}

func cells(r row, now time.Time, abs bool) []string {
	data := "-"
	if r.hasPayload {
		data = "json"
	}
	return []string{r.idText, listview.Created(r.created, now, abs), r.trigger, "…", r.rule, r.source, r.trace, data}
}

// setTokens sets the filter and the query it maps to.
func (m Model) setTokens(toks []filterbar.Token) Model {
	q := common.EventQuery{}
	for _, t := range toks {
		switch t.Key {
		case "trigger_ref":
			q.TriggerRef = t.Value
		case "rule_ref":
			q.RuleRef = t.Value
		case "trace_tag":
			q.TraceTag = t.Value
		case "source":
			q.Source, _ = strconv.ParseInt(t.Value, 10, 64)
		case "trigger":
			q.Trigger, _ = strconv.ParseInt(t.Value, 10, 64)
		}
	}
	m.query = q
	m.lv = m.lv.SetTokens(toks).SetLoad(load(m.api, q))
	return m
}

// load returns the list's Load for q; events have no answer cache, so
// refresh changes nothing.
func load(api Lister, q common.EventQuery) listview.Load[row] {
	return func(bool) pagedlist.Loader[row] { return loader(api, q) }
}

// Query returns the current server-side filter (for tests and the root).
func (m Model) Query() common.EventQuery { return m.query }

// Cursor returns the index of the selected row.
func (m Model) Cursor() int { return m.lv.Cursor() }

// SelectedID returns the id of the selected event, or 0.
func (m Model) SelectedID() int64 { return m.lv.SelectedID() }

// Loaded returns how many rows are loaded.
func (m Model) Loaded() int { return m.lv.Len() }

// Live reports whether auto-refresh is on.
func (m Model) Live() bool { return m.live }
