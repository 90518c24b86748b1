// Package enforcements is the enforcement list: a virtualised, server-paged
// table of enforcements, standalone or scoped to one event, with one-key
// status filters (0 all, 1–3 one status, s cycles) and a filter bar for
// rule_ref, trigger_ref, rule, event and trace_tag.
package enforcements

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
		{Name: "rule_ref"},
		{Name: "trigger_ref"},
		{Name: "rule", Int: true},
		{Name: "event", Int: true},
		{Name: "trace_tag", Aliases: []string{"trace"}},
	}
}

// Model is the enforcement list view.
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
	event  int64 // scope: the event whose enforcements are listed (0 = all)
	status int   // 0 = all, i = statuses()[i-1]
	query  common.EnforcementQuery
	now    time.Time
	abs    bool
	width  int
	height int
	init   tea.Cmd
}

// New returns the enforcement list, scoped to event when event > 0. Call
// Init to start loading.
func New(deps common.Deps, event int64) Model {
	deps = deps.WithDefaults()
	st := deps.Styles
	m := Model{
		deps:  deps,
		api:   deps.API,
		keys:  DefaultKeyMap(),
		list:  pagedlist.New[row](deps.PerPage, deps.MaxRows, rowID),
		event: event,
		filter: filterbar.New(filterFields(), filterbar.Styles{
			Prompt: st.Filter.Prompt, Text: st.Filter.Text, Error: st.Filter.Error,
		}),
		spin: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(st.State.Spinner)),
		now:  deps.Now(),
	}
	m.table = table.New(m.columns(), st.Table)
	if deps.CanOpen != nil {
		m.keys.Executions.SetEnabled(deps.CanOpen(common.KindExecutions))
		m.keys.Event.SetEnabled(deps.CanOpen(common.KindEvent))
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
// ":enforcements rule_ref:x". Invalid text is reported as an error.
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
	if m.event > 0 {
		return "Enforcements of #" + strconv.FormatInt(m.event, 10)
	}
	return "Enforcements"
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
func (m Model) Query() common.EnforcementQuery { return m.query }

// Status returns the active status filter ("" = all).
func (m Model) Status() client.EnforcementStatus { return m.query.Status }

// Loaded returns the number of loaded rows.
func (m Model) Loaded() int { return m.list.Len() }

// SelectedID returns the id of the enforcement under the cursor, or 0.
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
		{Title: "RULE", Min: 12, Flex: 3},
		{Title: "TRIGGER", Min: 12, Flex: 2},
		{Title: "EVENT", Min: 7},
		{Title: "STATUS", Min: 9},
		{Title: "COND", Min: 4},
		{Title: "RESOLVED", Min: 14},
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
	// The list answer carries no resolved_at (EnforcementSummary); an
	// enforcement leaves "created" exactly when it is resolved, so the
	// status tells which, and an unresolved one shows its age.
	resolved := "resolved"
	if r.status == client.EnforcementCreated {
		resolved = "unresolved " + strings.TrimSuffix(common.Relative(r.created, s.now), " ago")
	}
	return []string{r.idText, created, r.rule, r.trigger, r.eventText, r.statusTxt, r.condition, resolved}
}

func (m Model) src() source { return source{rows: m.list.Items(), now: m.now, abs: m.abs} }

// setTokens sets the filter tokens and rebuilds the query from them, the
// scope and the status filter.
func (m Model) setTokens(toks []filterbar.Token) Model {
	m.tokens = toks
	q := common.EnforcementQuery{Event: m.event}
	if m.status > 0 {
		q.Status = statuses()[m.status-1]
	}
	chips := make([]string, 0, len(toks))
	for _, t := range toks {
		switch t.Key {
		case "rule_ref":
			q.RuleRef = t.Value
		case "trigger_ref":
			q.TriggerRef = t.Value
		case "trace_tag":
			q.TraceTag = t.Value
		case "rule":
			q.Rule, _ = strconv.ParseInt(t.Value, 10, 64)
		case "event":
			q.Event, _ = strconv.ParseInt(t.Value, 10, 64)
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
	if m.status == 0 {
		return "all"
	}
	return string(statuses()[m.status-1])
}
