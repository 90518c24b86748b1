// Package events is the event list: a virtualised, server-paged table of
// events, newest first, with a filter bar, refresh and auto-refresh.
package events

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
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

// Model is the event list view.
type Model struct {
	deps    common.Deps
	api     Lister
	keys    KeyMap
	list    pagedlist.List[row]
	table   table.Model
	filter  filterbar.Model
	spin    spinner.Model
	tokens  []filterbar.Token
	chips   string // rendered-safe "k:v k:v" of tokens
	query   common.EventQuery
	now     time.Time
	abs     bool
	live    bool
	liveGen int
	// jump is the row `]` asked for beyond the loaded rows; the cursor
	// moves there when the page holding it arrives (0 = none).
	jump   int
	width  int
	height int
	init   tea.Cmd
}

// New returns the event list. Call Init to start loading.
func New(deps common.Deps) Model {
	deps = deps.WithDefaults()
	st := deps.Styles
	m := Model{
		deps: deps,
		api:  deps.API,
		keys: DefaultKeyMap(),
		list: pagedlist.New[row](deps.PerPage, deps.MaxRows, rowID),
		filter: filterbar.New(filterFields(), filterbar.Styles{
			Prompt: st.Filter.Prompt, Text: st.Filter.Text, Error: st.Filter.Error,
		}),
		spin: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(st.State.Spinner)),
		now:  deps.Now(),
	}
	m.table = table.New(m.columns(), st.Table)
	if deps.CanOpen != nil {
		m.keys.Enforcements.SetEnabled(deps.CanOpen(common.KindEnforcements))
		m.keys.Trace.SetEnabled(deps.CanOpen(common.KindTrace))
	}
	m.table.KeyMap = m.keys.Table
	return m.start()
}

// start requests the first page; Init returns the command.
func (m Model) start() Model {
	var cmd tea.Cmd
	m.list, cmd = m.list.Reset(loader(m.api, m.query), m.deps.Now, m.deps.RequestTimeout)
	m.table = m.table.SetSource(m.src())
	m.init = tea.Batch(cmd, m.spin.Tick)
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
	return m.setTokens(toks).start(), nil
}

// Init implements tea.Model: it returns the request for the first page,
// which New already recorded as in flight.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string { return "Events" }

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

// layout sizes the table to what the header and filter bar leave.
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
		{Title: "TRIGGER", Min: 14, Flex: 3},
		{Title: "RULE", Min: 10, Flex: 2},
		{Title: "SOURCE", Min: 10, Flex: 2},
		{Title: "TRACE", Min: 10, Flex: 2},
		{Title: "DATA", Min: 4},
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
	data := "-"
	if r.hasPayload {
		data = "json"
	}
	return []string{r.idText, created, r.trigger, r.rule, r.source, r.trace, data}
}

func (m Model) src() source { return source{rows: m.list.Items(), now: m.now, abs: m.abs} }

// setTokens sets the filter and the query it maps to.
func (m Model) setTokens(toks []filterbar.Token) Model {
	m.tokens = toks
	q := common.EventQuery{}
	chips := make([]string, 0, len(toks))
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
		chips = append(chips, textsafe.Line(t.String()))
	}
	m.query = q
	m.chips = strings.Join(chips, " ")
	return m
}

// Query returns the current server-side filter (for tests and the root).
func (m Model) Query() common.EventQuery { return m.query }

// Cursor returns the index of the selected row.
func (m Model) Cursor() int { return m.table.Cursor() }

// SelectedID returns the id of the selected event, or 0.
func (m Model) SelectedID() int64 {
	items := m.list.Items()
	if c := m.table.Cursor(); c < len(items) {
		return items[c].id
	}
	return 0
}

// Loaded returns how many rows are loaded.
func (m Model) Loaded() int { return m.list.Len() }

// Live reports whether auto-refresh is on.
func (m Model) Live() bool { return m.live }
