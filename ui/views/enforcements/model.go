// Package enforcements is the enforcement list: a virtualised, server-paged
// table of enforcements, standalone or scoped to one event, with one-key
// status filters (0 all, 1–3 one status, s cycles) and a filter bar for
// rule_ref, trigger_ref, rule, event and trace_tag.
package enforcements

import (
	"context"
	"strconv"
	"strings"
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
		{Name: "rule_ref", Known: "rule_ref"},
		{Name: "trigger_ref", Known: "trigger_ref"},
		{Name: "rule", Int: true},
		{Name: "event", Int: true},
		{Name: "trace_tag", Aliases: []string{"trace"}},
	}
}

// spec is what the shared list needs to know about enforcements.
func spec() listview.Spec[row] {
	return listview.Spec[row]{
		Noun:      "enforcements",
		Fields:    filterFields(),
		ID:        rowID,
		Columns:   columns,
		Cells:     cells,
		RetryHint: "press r to retry · esc to go back",
		// EVENT.
		RefColumns: []int{5},
		RefCells:   func(r row) []string { return []string{r.eventText} },
		HasNote:    true,
		NoteColumn: execCol,
		Update:     updateRow,
		Created:    func(r row) time.Time { return r.created },
	}
}

// Model is the enforcement list view.
type Model struct {
	deps   common.Deps
	api    common.EnforcementsAPI
	keys   KeyMap
	lv     listview.Model[row]
	event  int64 // scope: the event whose enforcements are listed (0 = all)
	status int   // 0 = all, i = statuses()[i-1]
	query  client.EnforcementListOptions
	init   tea.Cmd
	// outcome is the EXECUTIONS column.
	outcome outcome.Column
}

// New returns the enforcement list, scoped to event when event > 0. Call
// Init to start loading.
func New(deps common.Deps, event int64) Model {
	deps = deps.WithDefaults()
	m := Model{deps: deps, api: deps.API.Enforcements, keys: DefaultKeyMap(), event: event,
		outcome: outcome.NewColumn(deps.API, false, "enforcements")}
	sp := spec()
	sp.Doc = docFunc(deps.API.Enforcements)
	m.lv = listview.New(deps, sp, m.keys.KeyMap)
	m = m.setTokens(nil)
	m.lv, m.init = m.lv.Reset()
	return m
}

// NewWithFilter returns the list with filter text applied, e.g. from
// ":enforcements rule_ref:x". Invalid text is reported as an error.
func NewWithFilter(deps common.Deps, filter string) (Model, error) {
	m := New(deps, 0)
	toks, err := filterbar.Parse(filterFields(), filter)
	if err != nil {
		return m, err
	}
	if cmd := listview.ResolveThenApply(m.deps, filterFields(), toks, "enforcements"); cmd != nil {
		m.init = tea.Batch(m.init, cmd) // the list as it is until the wildcard is expanded
		return m, nil
	}
	m = m.setTokens(toks)
	m.lv, m.init = m.lv.Reset()
	return m, nil
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string {
	if m.event > 0 {
		return "Enforcements of #" + strconv.FormatInt(m.event, 10)
	}
	return "Enforcements"
}

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
	return m.renderOutcome()
}

// Query returns the query the list shows.
func (m Model) Query() client.EnforcementListOptions { return m.query }

// Status returns the active status filter ("" = all).
func (m Model) Status() client.EnforcementStatus { return m.query.Status }

// Loaded returns the number of loaded rows.
func (m Model) Loaded() int { return m.lv.Len() }

// SelectedID returns the id of the enforcement under the cursor, or 0.
func (m Model) SelectedID() int64 { return m.lv.SelectedID() }

func columns(abs bool) []table.Column {
	return []table.Column{
		{Title: "ID", Min: 6, Right: true},
		listview.CreatedColumn(abs),
		// Narrow, COND, RESOLVED and TRIGGER hide (in that order) before
		// the rule ref is cut; the footer shows them.
		{Title: "RULE", Min: 12, Flex: 3, Want: 22},
		{Title: "EXECUTIONS", Min: execWidth},
		{Title: "TRIGGER", Min: 12, Flex: 2, Want: 20, Drop: 2},
		{Title: "EVENT", Min: 7},
		{Title: "STATUS", Min: 11}, // "≠ processed"
		{Title: "COND", Min: 4, Drop: 4},
		{Title: "RESOLVED", Min: 14, Drop: 3},
	}
}

func cells(r row, now time.Time, abs bool) []string {
	// The list answer carries no resolved_at (EnforcementSummary); an
	// enforcement leaves "created" exactly when it is resolved, so the
	// status tells which, and an unresolved one shows its age.
	resolved := "resolved"
	if r.status == client.EnforcementCreated {
		resolved = "unresolved " + strings.TrimSuffix(common.Relative(r.created, now), " ago")
	}
	status := listview.StatusCell(r.statusTxt, r.changed, r.stale, now)
	return []string{r.idText, listview.Created(r.created, now, abs), r.rule, "…", r.trigger, r.eventText, status, r.condition, resolved}
}

// ParseQuery parses filter-bar text ("trigger_ref:x rule_ref:y") into the
// query the list sends for it (the `get` command's filters).
// Refs given for ids are resolved through api (see listview.ResolveNow).
func ParseQuery(ctx context.Context, api *common.API, filter string) (client.EnforcementListOptions, error) {
	toks, err := filterbar.Parse(filterFields(), filter)
	if err != nil {
		return client.EnforcementListOptions{}, err
	}
	if toks, err = listview.ResolveNow(ctx, api, filterFields(), toks); err != nil {
		return client.EnforcementListOptions{}, err
	}
	return queryFor(client.EnforcementListOptions{}, toks), nil
}

// queryFor returns q with the filter tokens applied.
func queryFor(q client.EnforcementListOptions, toks []filterbar.Token) client.EnforcementListOptions {
	for _, t := range toks {
		switch t.Key {
		case "rule_ref":
			q.RuleRef = listview.RefOf(t)
		case "trigger_ref":
			q.TriggerRef = listview.RefOf(t)
		case "trace_tag":
			q.TraceTag = t.Value
		case "rule":
			q.Rule, _ = strconv.ParseInt(t.Value, 10, 64)
		case "event":
			q.Event, _ = strconv.ParseInt(t.Value, 10, 64)
		}
	}
	return q
}

// setTokens sets the filter tokens and rebuilds the query from them, the
// scope and the status filter.
func (m Model) setTokens(toks []filterbar.Token) Model {
	q := client.EnforcementListOptions{Event: m.event}
	if m.status > 0 {
		q.Status = statuses()[m.status-1]
	}
	q = queryFor(q, toks)
	m.query = q
	counted := q
	counted.IncludeTotal = true
	api, cache := m.api, m.deps.Cache
	m.lv = m.lv.SetTokens(toks).SetLoad(load(m.api, m.deps.Cache, q, toks)).
		SetSeekLoad(func() pagedlist.Loader[row] { return loader(api, cache, counted, false) }, "")
	if _, wild := listview.Expanded(toks); wild {
		m.lv = m.lv.SetSeekLoad(nil, "@ needs one server-side list: use an exact ref, not a wildcard")
	}
	m.keys.Cycle.SetHelp("s", "cycle status (now: "+m.statusName()+")")
	return m
}

// load returns the list's Load for q, merged per ref when a wildcard of
// toks expanded to several. It captures its arguments by value.
func load(api common.EnforcementsAPI, cache *common.Cache, q client.EnforcementListOptions, toks []filterbar.Token) listview.Load[row] {
	wild, ok := listview.Expanded(toks)
	if !ok {
		return func(refresh bool) pagedlist.Loader[row] { return loader(api, cache, q, refresh) }
	}
	mg := &pagedlist.Merger[client.EnforcementSummary]{}
	return func(refresh bool) pagedlist.Loader[row] { return mergedLoader(api, cache, q, wild, mg, refresh) }
}

// statusName is the active status filter's name.
func (m Model) statusName() string {
	if m.status == 0 {
		return "all"
	}
	return string(statuses()[m.status-1])
}

// Where implements common.Wherer: ":where EXPR" keeps the loaded rows
// whose enforcement (as its detail's JSON) makes EXPR true.
func (m Model) Where(expr string) (common.View, tea.Cmd, error) {
	lv, cmd, err := m.lv.Where(expr)
	if err != nil {
		return m, nil, err
	}
	m.lv = lv
	return m, cmd, nil
}

// docFunc returns the document ":where" queries for a row: the enforcement's
// detail (GET /api/v1/enforcements/{id}) as JSON.
func docFunc(api common.EnforcementsAPI) func(ctx context.Context, r row) ([]byte, error) {
	return listview.JSONDoc(api.Get, rowID, "enforcement")
}

// HandlesMouse implements common.MouseView.
func (m Model) HandlesMouse() bool { return true }

// Subject implements common.Subjecter: the selected row, and the list's
// first page as a request.
func (m Model) Subject() (common.Subject, bool) {
	q := m.query
	q.Page, q.PerPage = 1, m.deps.PerPage
	return m.lv.Subject(common.KindEnforcement, common.ListRequest("enforcements", q.Query(), filterFields(), m.lv.Tokens()), rowSource)
}

// ExportNoun implements common.Exporter.
func (m Model) ExportNoun() string { return "enforcements" }

// ExportLoaded implements common.Exporter: the loaded rows as listed.
func (m Model) ExportLoaded() []any { return m.lv.Sources(rowSource) }

// ExportPages implements common.Exporter.
func (m Model) ExportPages() common.Pages { return m.lv.SourcePages(rowSource) }

// rowSource is a row as the API sent it.
func rowSource(r row) any { return r.src }
