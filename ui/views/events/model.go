// Package events is the event list: a virtualised, server-paged table of
// events, newest first, with a filter bar, refresh and auto-refresh.
package events

import (
	"context"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/outcome"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/components/table"
)

// FilterFields returns the keys the filter bar accepts (also the filter
// flags of the command line's deep links and `get`).
func FilterFields() []filterbar.Field { return filterFields() }

// filterFields are the keys the filter bar accepts.
func filterFields() []filterbar.Field {
	return []filterbar.Field{
		{Name: "trigger_ref", Known: "trigger_ref"},
		{Name: "rule_ref", Known: "rule_ref"},
		{Name: "source", Int: true, Ref: true},
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
		Created:     func(r row) time.Time { return r.created },
	}
}

// Model is the event list view.
type Model struct {
	deps   common.Deps
	api    common.EventsAPI
	keys   KeyMap
	lv     listview.Model[row]
	query  client.EventListOptions
	init   tea.Cmd
	caused outcome.Column
	// causedFilter is the c filter (showAll, showCausedSomething,
	// showCausedFailure).
	causedFilter int
}

// New returns the event list. Call Init to start loading.
func New(deps common.Deps) Model {
	deps = deps.WithDefaults()
	m := Model{deps: deps, api: deps.API.Events, keys: DefaultKeyMap(), caused: outcome.NewColumn(deps.API, true, "events")}
	sp := spec()
	sp.Doc = docFunc(deps.API.Events)
	m.lv = listview.New(deps, sp, m.keys.KeyMap)
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
	if cmd := listview.ResolveThenApply(m.deps, filterFields(), toks, "events"); cmd != nil {
		m.init = tea.Batch(m.init, cmd) // the list as it is until the ref is resolved
		return m, nil
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
		// Narrow, DATA, SOURCE and RULE hide (in that order) before the
		// trigger or trace tag is cut; the footer shows them.
		{Title: "TRIGGER", Min: 14, Flex: 3, Want: 20},
		{Title: "CAUSED", Min: causedWidth(false)},
		{Title: "RULE", Min: 10, Flex: 2, Want: 16, Drop: 2},
		{Title: "SOURCE", Min: 10, Flex: 2, Want: 16, Drop: 3},
		{Title: "TRACE", Min: 10, Flex: 2, Want: 24},
		{Title: "DATA", Min: 4, Drop: 4},
	}
}

func cells(r row, now time.Time, abs bool) []string {
	data := "-"
	if r.hasPayload {
		data = "json"
	}
	return []string{r.idText, listview.Created(r.created, now, abs), r.trigger, "…", r.rule, r.source, r.trace, data}
}

// ParseQuery parses filter-bar text ("trigger_ref:x rule_ref:y") into the
// query the list sends for it (the `get` command's filters).
// Refs given for ids are resolved through api (see listview.ResolveNow).
func ParseQuery(ctx context.Context, api *common.API, filter string) (client.EventListOptions, error) {
	toks, err := filterbar.Parse(filterFields(), filter)
	if err != nil {
		return client.EventListOptions{}, err
	}
	if toks, err = listview.ResolveNow(ctx, api, filterFields(), toks); err != nil {
		return client.EventListOptions{}, err
	}
	return queryFor(client.EventListOptions{}, toks), nil
}

// queryFor returns q with the filter tokens applied.
func queryFor(q client.EventListOptions, toks []filterbar.Token) client.EventListOptions {
	for _, t := range toks {
		switch t.Key {
		case "trigger_ref":
			q.TriggerRef = listview.RefOf(t)
		case "rule_ref":
			q.RuleRef = listview.RefOf(t)
		case "trace_tag":
			q.TraceTag = t.Value
		case "source":
			q.Source = t.Int() // the sensor ref's id when a ref was given
		case "trigger":
			q.Trigger, _ = strconv.ParseInt(t.Value, 10, 64)
		}
	}
	return q
}

// setTokens sets the filter and the query it maps to.
func (m Model) setTokens(toks []filterbar.Token) Model {
	q := client.EventListOptions{}
	q = queryFor(q, toks)
	m.query = q
	m.caused = m.caused.SetScope(causedScope(q))
	counted, api := q, m.api
	counted.IncludeTotal = true
	m.lv = m.lv.SetTokens(toks).SetLoad(load(m.api, q, toks)).SetSeekLoad(func() pagedlist.Loader[row] { return loader(api, counted) }, "")
	if _, wild := listview.Expanded(toks); wild {
		m.lv = m.lv.SetSeekLoad(nil, "@ needs one server-side list: use an exact ref, not a wildcard")
	}
	return m
}

// load returns the list's Load for q, merged per ref when a wildcard of
// toks expanded to several; events have no answer cache, so refresh
// changes nothing.
func load(api common.EventsAPI, q client.EventListOptions, toks []filterbar.Token) listview.Load[row] {
	wild, ok := listview.Expanded(toks)
	if !ok {
		return func(bool) pagedlist.Loader[row] { return loader(api, q) }
	}
	mg := &pagedlist.Merger[client.EventSummary]{}
	return func(bool) pagedlist.Loader[row] { return mergedLoader(api, q, wild, mg) }
}

// Query returns the current server-side filter (for tests and the root).
func (m Model) Query() client.EventListOptions { return m.query }

// Cursor returns the index of the selected row.
func (m Model) Cursor() int { return m.lv.Cursor() }

// SelectedID returns the id of the selected event, or 0.
func (m Model) SelectedID() int64 { return m.lv.SelectedID() }

// Loaded returns how many rows are loaded.
func (m Model) Loaded() int { return m.lv.Len() }

// Where implements common.Wherer: ":where EXPR" keeps the loaded rows
// whose event (as its detail's JSON) makes EXPR true.
func (m Model) Where(expr string) (common.View, tea.Cmd, error) {
	lv, cmd, err := m.lv.Where(expr)
	if err != nil {
		return m, nil, err
	}
	m.lv = lv
	return m, cmd, nil
}

// docFunc returns the document ":where" queries for a row: the event's
// detail (GET /api/v1/events/{id}) as JSON.
func docFunc(api common.EventsAPI) func(ctx context.Context, r row) ([]byte, error) {
	return listview.JSONDoc(api.Get, rowID, "event")
}

// HandlesMouse implements common.MouseView.
func (m Model) HandlesMouse() bool { return true }

// Subject implements common.Subjecter: the selected row, and the list's
// first page as a request.
func (m Model) Subject() (common.Subject, bool) {
	q := m.query
	q.Page, q.PerPage = 1, m.deps.PerPage
	return m.lv.Subject(common.KindEvent, common.ListRequest("events", q.Query(), filterFields(), m.lv.Tokens()), rowSource)
}

// ExportNoun implements common.Exporter.
func (m Model) ExportNoun() string { return "events" }

// ExportLoaded implements common.Exporter: the loaded rows as listed.
func (m Model) ExportLoaded() []any { return m.lv.Sources(rowSource) }

// ExportPages implements common.Exporter.
func (m Model) ExportPages() common.Pages { return m.lv.SourcePages(rowSource) }

// rowSource is a row as the API sent it.
func rowSource(r row) any { return r.src }
