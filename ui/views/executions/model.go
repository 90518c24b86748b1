// Package executions is the execution list: a virtualised, server-paged
// table of executions, standalone or scoped to one enforcement, with
// one-key status filters (0 all, 1–9 the first nine statuses in contract
// order, s cycles through all ten, F toggles "problems only") and a filter
// bar for action_ref, rule_ref, trigger_ref, trace_tag, enforcement and
// parent.
package executions

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/components/table"
)

// FilterFields returns the keys the filter bar accepts (also the filter
// flags of the command line's deep links and `get`).
func FilterFields() []filterbar.Field { return filterFields() }

// filterFields are the keys the filter bar accepts.
func filterFields() []filterbar.Field {
	return []filterbar.Field{
		{Name: "status", Values: statusNames()},
		{Name: "action_ref", Aliases: []string{"action"}, Known: "action_ref"},
		{Name: "rule_ref", Known: "rule_ref"},
		{Name: "trigger_ref", Known: "trigger_ref", ServerWildcard: true, Note: "trigger_ref: exact, pack.* (the API's own), or another wildcard (*push*) expanded into the known refs"},
		{Name: "pack_name", Aliases: []string{"pack"}},
		{Name: "trace_tag", Aliases: []string{"trace"}},
		{Name: "result_contains", Aliases: []string{"result"}, Note: "result_contains: case-insensitive substring of the result JSON — a rare term makes the server scan every execution (slow)"},
		{Name: "executor", Int: true},
		{Name: "enforcement", Int: true},
		{Name: "parent", Int: true},
		{Name: "top_level_only", Aliases: []string{"top"}, Values: []string{"true", "false"}},
	}
}

// statusNames are the execution statuses, as the status key accepts them.
func statusNames() []string {
	out := make([]string, 0, len(statuses()))
	for _, s := range statuses() {
		out = append(out, string(s))
	}
	return out
}

// spec is what the shared list needs to know about executions.
func spec() listview.Spec[row] {
	return listview.Spec[row]{
		Noun:      "executions",
		Fields:    filterFields(),
		ID:        rowID,
		Columns:   columns,
		Cells:     cells,
		RetryHint: "press r to retry · esc to go back",
		// ENF and PARENT.
		RefColumns: []int{5, 6},
		RefCells:   func(r row) []string { return []string{r.enfText, r.parentText} },
		Update:     updateRow,
		Created:    func(r row) time.Time { return r.created },
	}
}

// Model is the execution list view.
type Model struct {
	deps   common.Deps
	api    common.ExecutionsAPI
	keys   KeyMap
	lv     listview.Model[row]
	enf    int64 // scope: the enforcement whose executions are listed (0 = all)
	status int   // 0 = all, i = statuses()[i-1]
	// problems shows failed, timeout, abandoned and cancelled executions
	// only (it replaces the single status filter).
	problems bool
	query    client.ExecutionListOptions
	// stats are the header's counts (nil until the first answer);
	// statsSeq drops answers to an earlier request.
	stats    *client.ExecutionStats
	statsErr error
	statsSeq int
	init     tea.Cmd
}

// New returns the execution list, scoped to enforcement enf when enf > 0.
// Call Init to start loading.
func New(deps common.Deps, enf int64) Model {
	deps = deps.WithDefaults()
	m := Model{deps: deps, api: deps.API.Executions, keys: DefaultKeyMap(), enf: enf}
	sp := spec()
	sp.Doc = docFunc(deps.API.Executions)
	m.lv = listview.New(deps, sp, m.keys.KeyMap)
	m = m.setTokens(nil)
	m.lv, m.init = m.lv.Reset()
	m, m.init = m.withStats(m.init)
	return m
}

// withStats adds a fetch of the header's execution counts to cmd (a load
// of the list), so the counts are refreshed with the list.
func (m Model) withStats(cmd tea.Cmd) (Model, tea.Cmd) {
	m.statsSeq++
	return m, tea.Batch(cmd, statsCmd(m.api, m.deps, m.statsSeq))
}

// NewWithFilter returns the list with filter text applied, e.g. from
// ":executions action_ref:x". Invalid text is reported as an error.
func NewWithFilter(deps common.Deps, filter string) (Model, error) {
	m := New(deps, 0)
	toks, err := filterbar.Parse(filterFields(), filter)
	if err != nil {
		return m, err
	}
	if cmd := listview.ResolveThenApply(m.deps, filterFields(), toks, "executions"); cmd != nil {
		m.init = tea.Batch(m.init, cmd) // the list as it is until the wildcard is expanded
		return m, nil
	}
	m = m.setTokens(toks)
	m.lv, m.init = m.lv.Reset()
	m, m.init = m.withStats(m.init)
	return m, nil
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string {
	if m.enf > 0 {
		return "Executions of enf #" + strconv.FormatInt(m.enf, 10)
	}
	return "Executions"
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
	return m
}

// Query returns the query the list shows.
func (m Model) Query() client.ExecutionListOptions { return m.query }

// Status returns the active status filter ("" = all or problems only).
func (m Model) Status() client.ExecutionStatus { return m.query.Status }

// Problems reports whether "problems only" is on.
func (m Model) Problems() bool { return m.problems }

// Loaded returns the number of loaded rows.
func (m Model) Loaded() int { return m.lv.Len() }

// SelectedID returns the id of the execution under the cursor, or 0.
func (m Model) SelectedID() int64 { return m.lv.SelectedID() }

func columns(abs bool) []table.Column {
	return []table.Column{
		{Title: "ID", Min: 6, Right: true},
		listview.CreatedColumn(abs),
		// Narrow, PARENT then DURATION hide before the action ref is
		// cut; the footer shows them.
		{Title: "ACTION", Min: 14, Flex: 3, Want: 22},
		{Title: "STATUS", Min: 12}, // "≠ scheduling"
		{Title: "DURATION", Min: 17, Drop: 1},
		{Title: "ENF", Min: 6},
		{Title: "PARENT", Min: 7, Drop: 2},
	}
}

func cells(r row, now time.Time, abs bool) []string {
	// The list answer carries no executor or worker (ExecutionSummary):
	// the detail view shows them.
	dur := Duration(r.status, r.created, r.updated, r.started, now)
	status := listview.StatusCell(r.statusText, r.changed, r.stale, now)
	return []string{r.idText, listview.Created(r.created, now, abs), r.action, status, dur, r.enfText, r.parentText}
}

// ParseQuery parses filter-bar text ("trigger_ref:x rule_ref:y") into the
// query the list sends for it (the `get` command's filters).
// Refs given for ids are resolved through api (see listview.ResolveNow).
func ParseQuery(ctx context.Context, api *common.API, filter string) (client.ExecutionListOptions, error) {
	toks, err := filterbar.Parse(filterFields(), filter)
	if err != nil {
		return client.ExecutionListOptions{}, err
	}
	if toks, err = listview.ResolveNow(ctx, api, filterFields(), toks); err != nil {
		return client.ExecutionListOptions{}, err
	}
	return queryFor(client.ExecutionListOptions{}, toks), nil
}

// queryFor returns q with the filter tokens applied.
func queryFor(q client.ExecutionListOptions, toks []filterbar.Token) client.ExecutionListOptions {
	for _, t := range toks {
		switch t.Key {
		case "status":
			q.Status = client.ExecutionStatus(t.Value)
		case "pack_name":
			q.PackName = t.Value
		case "result_contains":
			q.ResultContains = t.Value
		case "executor":
			q.Executor = t.Int()
		case "top_level_only":
			q.TopLevelOnly = t.Value == "true"
		case "action_ref":
			q.ActionRef = listview.RefOf(t)
		case "rule_ref":
			q.RuleRef = listview.RefOf(t)
		case "trigger_ref":
			q.TriggerRef = listview.RefOf(t)
		case "trace_tag":
			q.TraceTag = t.Value
		case "enforcement":
			q.Enforcement, _ = strconv.ParseInt(t.Value, 10, 64)
		case "parent":
			q.Parent, _ = strconv.ParseInt(t.Value, 10, 64)
		}
	}
	return q
}

// setTokens sets the filter tokens and rebuilds the query from them, the
// scope and the status filter.
func (m Model) setTokens(toks []filterbar.Token) Model {
	for _, t := range toks {
		if t.Key == "status" {
			// The typed status is the status filter (as if picked with
			// its digit): "problems only" is off.
			m.status = slices.Index(statuses(), client.ExecutionStatus(t.Value)) + 1
			m.problems = false
		}
	}
	q := client.ExecutionListOptions{Enforcement: m.enf}
	if m.status > 0 && !m.problems {
		q.Status = statuses()[m.status-1]
	}
	q = queryFor(q, toks)
	m.query = q
	m.lv = m.lv.SetTokens(toks).SetLoad(load(m.api, m.deps.Cache, q, m.problems, toks))
	if _, wild := listview.Expanded(toks); m.problems || wild {
		// A merged list has no pages of its own to search.
		m.lv = m.lv.SetSeekLoad(nil, "@ needs one server-side list: turn off problems only (F) and use an exact ref, not a wildcard")
	} else {
		counted := q
		counted.IncludeTotal = true
		api, cache := m.api, m.deps.Cache
		m.lv = m.lv.SetSeekLoad(func() pagedlist.Loader[row] { return loader(api, cache, counted, nil, false) }, "")
	}
	m.keys.Cycle.SetHelp("s", "cycle status (now: "+m.statusName()+")")
	return m
}

// load returns the list's Load for q: merged per problem status when
// problems is set and per ref when a wildcard expanded to several. It
// captures its arguments by value.
func load(api common.ExecutionsAPI, cache *common.Cache, q client.ExecutionListOptions, problems bool, toks []filterbar.Token) listview.Load[row] {
	var mg *execMerge
	wild, ok := listview.Expanded(toks)
	if problems || ok {
		mg = &execMerge{problems: problems, wild: wild}
	}
	return func(refresh bool) pagedlist.Loader[row] { return loader(api, cache, q, mg, refresh) }
}

// statusName is the active status filter's name.
func (m Model) statusName() string {
	if m.problems {
		return "problems"
	}
	if m.status == 0 {
		return "all"
	}
	return string(statuses()[m.status-1])
}

// Where implements common.Wherer: ":where EXPR" keeps the loaded rows
// whose execution (as its detail's JSON) makes EXPR true.
func (m Model) Where(expr string) (common.View, tea.Cmd, error) {
	lv, cmd, err := m.lv.Where(expr)
	if err != nil {
		return m, nil, err
	}
	m.lv = lv
	return m, cmd, nil
}

// docFunc returns the document ":where" queries for a row: the execution's
// detail (GET /api/v1/executions/{id}) as JSON.
func docFunc(api common.ExecutionsAPI) func(ctx context.Context, r row) ([]byte, error) {
	return listview.JSONDoc(api.Get, rowID, "execution")
}

// HandlesMouse implements common.MouseView.
func (m Model) HandlesMouse() bool { return true }

// Subject implements common.Subjecter: the selected row, and the list's
// first page as a request.
func (m Model) Subject() (common.Subject, bool) {
	q := m.query
	q.Page, q.PerPage = 1, m.deps.PerPage
	return m.lv.Subject(common.KindExecution, common.ListRequest("executions", q.Query(), filterFields(), m.lv.Tokens()), rowSource)
}

// ExportNoun implements common.Exporter.
func (m Model) ExportNoun() string { return "executions" }

// ExportLoaded implements common.Exporter: the loaded rows as listed.
func (m Model) ExportLoaded() []any { return m.lv.Sources(rowSource) }

// ExportPages implements common.Exporter.
func (m Model) ExportPages() common.Pages { return m.lv.SourcePages(rowSource) }

// rowSource is a row as the API sent it.
func rowSource(r row) any { return r.src }
