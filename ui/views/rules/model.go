// Package rules is the "why did (or didn't) this rule fire?" panel of one
// event: every rule Attune's executor would have considered for the event
// (CONTRACT.md "Recipe — candidate rules for an event"), each re-evaluated
// locally with internal/conditions against the stored payload and compared
// with the enforcements that actually exist for the event.
//
// Requests: one GET of the event, the rule list of its trigger
// (enabled=true, page_size=100, following has_next) — or nothing for a
// timer-style event that names its rule —, one GET per candidate rule (at
// most MaxInFlight at a time, rows fill in as they arrive) and one
// enforcement list for the event.
package rules

import (
	"context"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/conditions"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/condview"
	"github.com/attune-tui/attune-tui/ui/components/fanout"
)

// MaxInFlight is how many rule GETs run at the same time.
const MaxInFlight = 4

// RulePageSize is the page size of the rule list.
const RulePageSize = 100

// EnforcementPageSize is the page size of the one enforcement list request.
const EnforcementPageSize = 100

// KeyMap holds the panel's bindings; the conditions component adds its own.
type KeyMap struct {
	Up, Down key.Binding
	Open     key.Binding
	Reload   key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open enforcement")),
		Reload: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
	}
}

// state is the verdict of one row.
type state int

// Row states.
const (
	stateLoading    state = iota // rule GET not answered yet
	stateMatch                   // conditions match
	stateNoMatch                 // conditions evaluated, no match
	stateEvalError               // evaluation error or unsupported shape: no match, logged
	stateFetchError              // the rule could not be loaded
	stateOrphan                  // an enforcement exists for a rule that is no candidate now
)

// row is one candidate rule. Strings are terminal-safe.
type row struct {
	ref     string // raw ref, used for requests and matching
	safeRef string
	state   state
	rule    *client.Rule
	res     conditions.Result
	err     error
	enf     int64 // first enforcement of this rule for the event, 0 if none
	enfs    int   // how many enforcements
}

// Messages. Each carries the load sequence number; stale ones are dropped.
type (
	eventMsg struct {
		seq int
		ev  *client.Event
		err error
		at  time.Time
	}
	listMsg struct {
		seq     int
		page    int
		items   []client.RuleSummary
		hasNext bool
		err     error
	}
	ruleMsg struct {
		seq  int
		ref  string
		rule *client.Rule
		res  conditions.Result
		err  error
	}
	enfMsg struct {
		seq   int
		items []client.EnforcementSummary
		err   error
	}
)

// Model is the rules panel of one event.
type Model struct {
	deps common.Deps
	api  *common.API
	keys KeyMap
	id   int64
	seq  int

	ev       *client.Event
	evErr    error
	unknown  string // why the candidates are unknowable ("" = knowable)
	timer    bool   // the event names its rule
	listing  bool
	listErr  error
	enfDone  bool
	enfErr   error
	enfByRef map[string][]int64
	rows     []row
	lim      fanout.Limiter
	// ctx is the current load's: a reload or Close cancels it, so rule
	// GETs of an earlier load that still wait for a slot are not made and
	// those in flight end.
	ctx    context.Context
	cancel context.CancelFunc

	cursor int
	top    int
	shown  string // ref of the rule whose conditions cond shows
	cond   condview.Model
	spin   spinner.Model
	width  int
	height int
	init   tea.Cmd
}

// New returns the panel for event id; Init starts loading.
func New(deps common.Deps, id int64) Model {
	deps = deps.WithDefaults()
	m := Model{
		deps: deps,
		api:  deps.API,
		keys: DefaultKeyMap(),
		id:   id,
		lim:  fanout.New(MaxInFlight),
		cond: condview.New(deps.Styles.Cond),
		spin: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(deps.Styles.State.Spinner)),
	}
	// j/k move the rule list; the conditions scroll with pgup/pgdown.
	m.cond.Keys.Up.SetEnabled(false)
	m.cond.Keys.Down.SetEnabled(false)
	var cmd tea.Cmd
	m, cmd = m.load()
	m.init = cmd
	m = m.syncKeys()
	return m
}

// Close implements common.Closer: the panel's rule GETs stop.
func (m Model) Close() {
	if m.cancel != nil {
		m.cancel()
	}
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string { return "Rules for #" + strconv.FormatInt(m.id, 10) }

// EventID returns the event id.
func (m Model) EventID() int64 { return m.id }

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return false }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	return append([]key.Binding{m.keys.Up, m.keys.Down, m.keys.Open, m.keys.Reload}, m.cond.ShortHelp()...)
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	return append([][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Open, m.keys.Reload}}, m.cond.FullHelp()...)
}

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.width, m.height = width, height
	m = m.layout()
	return m
}

// selected returns the selected row, or nil.
func (m Model) selected() *row {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return &m.rows[m.cursor]
}

// syncKeys enables the open key only when the selected row has an
// enforcement.
func (m Model) syncKeys() Model {
	r := m.selected()
	m.keys.Open.SetEnabled(r != nil && r.enf != 0)
	return m
}
