// Package executions is the execution list: a virtualised, server-paged
// table of executions, standalone or scoped to one enforcement, with
// one-key status filters (0 all, 1–9 the first nine statuses in contract
// order, s cycles through all ten, F toggles "problems only") and a filter
// bar for action_ref, rule_ref, trigger_ref, trace_tag, enforcement and
// parent.
package executions

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/components/table"
)

// filterFields are the keys the filter bar accepts.
func filterFields() []filterbar.Field {
	return []filterbar.Field{
		{Name: "action_ref", Aliases: []string{"action"}},
		{Name: "rule_ref"},
		{Name: "trigger_ref"},
		{Name: "trace_tag", Aliases: []string{"trace"}},
		{Name: "enforcement", Int: true},
		{Name: "parent", Int: true},
	}
}

// Model is the execution list view.
type Model struct {
	deps   common.Deps
	api    Lister
	keys   KeyMap
	list   pagedlist.List[row]
	table  table.Model
	filter filterbar.Model
	spin   spinner.Model
	tokens []filterbar.Token
	chips  string
	enf    int64 // scope: the enforcement whose executions are listed (0 = all)
	status int   // 0 = all, i = statuses()[i-1]
	// problems shows failed, timeout, abandoned and cancelled executions
	// only (it replaces the single status filter).
	problems bool
	query    common.ExecutionQuery
	now      time.Time
	abs      bool
	width    int
	height   int
	init     tea.Cmd
}

// New returns the execution list, scoped to enforcement enf when enf > 0.
// Call Init to start loading.
func New(deps common.Deps, enf int64) Model {
	deps = deps.WithDefaults()
	st := deps.Styles
	m := Model{
		deps: deps,
		api:  deps.API,
		keys: DefaultKeyMap(),
		list: pagedlist.New[row](deps.PerPage, deps.MaxRows, rowID),
		enf:  enf,
		filter: filterbar.New(filterFields(), filterbar.Styles{
			Prompt: st.Filter.Prompt, Text: st.Filter.Text, Error: st.Filter.Error,
		}),
		spin: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(st.State.Spinner)),
		now:  deps.Now(),
	}
	m.table = table.New(m.columns(), st.Table)
	if deps.CanOpen != nil {
		m.keys.Enforcement.SetEnabled(deps.CanOpen(common.KindEnforcement))
		m.keys.Trace.SetEnabled(deps.CanOpen(common.KindTrace))
	}
	m.table.KeyMap = m.keys.Table
	m = m.setTokens(nil)
	var cmd tea.Cmd
	m.list, cmd = m.list.Reset(m.load(false), m.deps.Now, m.deps.RequestTimeout)
	m.table = m.table.SetSource(m.src())
	m.init = tea.Batch(cmd, m.spin.Tick)
	return m
}

// NewWithFilter returns the list with filter text applied, e.g. from
// ":executions action_ref:x". Invalid text is reported as an error.
func NewWithFilter(deps common.Deps, filter string) (Model, error) {
	m := New(deps, 0)
	toks, err := filterbar.Parse(filterFields(), filter)
	if err != nil {
		return m, err
	}
	m = m.setTokens(toks)
	var cmd tea.Cmd
	m.list, cmd = m.list.Reset(m.load(false), m.deps.Now, m.deps.RequestTimeout)
	m.init = tea.Batch(cmd, m.spin.Tick)
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

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return m.filter.Active() }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	if m.filter.Active() {
		return m.filter.KeyMap.ShortHelp()
	}
	return m.keys.ShortHelp()
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	if m.filter.Active() {
		return m.filter.KeyMap.FullHelp()
	}
	return m.keys.FullHelp()
}

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.width, m.height = width, height
	m.filter = m.filter.SetWidth(width)
	return m.layout()
}

// Query returns the query the list shows.
func (m Model) Query() common.ExecutionQuery { return m.query }

// Status returns the active status filter ("" = all or problems only).
func (m Model) Status() client.ExecutionStatus { return m.query.Status }

// Problems reports whether "problems only" is on.
func (m Model) Problems() bool { return m.problems }

// Loaded returns the number of loaded rows.
func (m Model) Loaded() int { return m.list.Len() }

// SelectedID returns the id of the execution under the cursor, or 0.
func (m Model) SelectedID() int64 {
	if r, ok := m.selected(); ok {
		return r.id
	}
	return 0
}

func (m Model) selected() (row, bool) {
	items := m.list.Items()
	if c := m.table.Cursor(); c >= 0 && c < len(items) {
		return items[c], true
	}
	return row{}, false
}

func (m Model) layout() Model {
	h := m.height - 1 - m.filter.Lines()
	m.table = m.table.SetSize(m.width, max(h, 2))
	return m
}

func (m Model) columns() []table.Column {
	created := table.Column{Title: "CREATED", Min: 9}
	if m.abs {
		created.Min = 20
	}
	return []table.Column{
		{Title: "ID", Min: 6, Right: true},
		created,
		{Title: "ACTION", Min: 14, Flex: 3},
		{Title: "STATUS", Min: 10},
		{Title: "DURATION", Min: 17},
		{Title: "ENF", Min: 6},
		{Title: "PARENT", Min: 7},
	}
}

// source adapts the loaded rows to the table.
type source struct {
	rows []row
	now  time.Time
	abs  bool
}

func (s source) Len() int { return len(s.rows) }

func (s source) Cells(i int) []string {
	r := s.rows[i]
	created := common.Relative(r.created, s.now)
	if s.abs {
		created = common.Absolute(r.created)
	}
	// The list answer carries no executor or worker (ExecutionSummary):
	// the detail view shows them.
	dur := Duration(r.status, r.created, r.updated, r.started, s.now)
	return []string{r.idText, created, r.action, r.statusText, dur, r.enfText, r.parentText}
}

func (m Model) src() source { return source{rows: m.list.Items(), now: m.now, abs: m.abs} }

// setTokens sets the filter tokens and rebuilds the query from them, the
// scope and the status filter.
func (m Model) setTokens(toks []filterbar.Token) Model {
	m.tokens = toks
	q := common.ExecutionQuery{Enforcement: m.enf}
	if m.status > 0 && !m.problems {
		q.Status = statuses()[m.status-1]
	}
	chips := make([]string, 0, len(toks))
	for _, t := range toks {
		switch t.Key {
		case "action_ref":
			q.ActionRef = t.Value
		case "rule_ref":
			q.RuleRef = t.Value
		case "trigger_ref":
			q.TriggerRef = t.Value
		case "trace_tag":
			q.TraceTag = t.Value
		case "enforcement":
			q.Enforcement, _ = strconv.ParseInt(t.Value, 10, 64)
		case "parent":
			q.Parent, _ = strconv.ParseInt(t.Value, 10, 64)
		}
		chips = append(chips, textsafe.Line(t.String()))
	}
	m.query = q
	m.chips = strings.Join(chips, " ")
	m.keys.Cycle.SetHelp("s", "cycle status (now: "+m.statusName()+")")
	return m
}

// statusName is the active status filter's name.
func (m Model) statusName() string {
	if m.problems {
		return "problems (failed, timeout, abandoned, cancelled)"
	}
	if m.status == 0 {
		return "all"
	}
	return string(statuses()[m.status-1])
}
