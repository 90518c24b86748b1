// Package enforcementdetail shows one enforcement: status, condition mode,
// rule, trigger, event, times and trace tag; its conditions snapshot
// re-evaluated by attune-tui against the stored payload (ui/components/
// condview), and its payload and config in JSON viewer panes (tab switches).
// v opens its event, R its rule, x its executions, t its trace; a key is
// offered only when its target exists and is not "[redacted]".
package enforcementdetail

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/conditions"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/condview"
	"github.com/attune-tui/attune-tui/ui/components/detail"
	"github.com/attune-tui/attune-tui/ui/format"
)

// KeyMap holds the view's own bindings; the active pane's bindings are added
// in help.
type KeyMap struct {
	NextPane   key.Binding
	Reload     key.Binding
	Event      key.Binding
	Rule       key.Binding
	Executions key.Binding
	Trace      key.Binding
}

// DefaultKeyMap returns the default bindings; the link keys start disabled
// until the enforcement is loaded and its targets are known.
func DefaultKeyMap() KeyMap {
	k := KeyMap{
		NextPane:   detail.NextPaneKey("conditions/payload/config"),
		Reload:     detail.ReloadKey(),
		Event:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "open event")),
		Rule:       key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "open rule")),
		Executions: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "executions")),
		Trace:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
	}
	k.Event.SetEnabled(false)
	k.Rule.SetEnabled(false)
	k.Executions.SetEnabled(false)
	k.Trace.SetEnabled(false)
	return k
}

// Panes.
const (
	paneConditions = iota
	panePayload
	paneConfig
)

// header is the enforcement's header fields, terminal-safe.
type header struct {
	status, condition, rule, trigger, event, trace string
	ruleRef                                        string // followable rule ref, "" when redacted or empty
	eventID                                        int64
	created                                        time.Time
	resolved                                       *time.Time
	unresolved                                     bool
}

// loadedMsg answers the GET of the enforcement, with the conditions
// re-evaluated off the UI loop: res is nil and note says why when they
// could not be (note is terminal-safe).
type loadedMsg struct {
	seq  int
	enf  *client.Enforcement
	res  *conditions.Result
	note string
	err  error
	at   time.Time
}

// Model is the enforcement detail view.
type Model struct {
	deps common.Deps
	api  *common.API // enforcements; events when the conditions read event.created (see evaluate)
	keys KeyMap
	id   int64
	hdr  *header
	enf  *client.Enforcement // as fetched, for Y
	note string              // why the conditions were not re-evaluated, terminal-safe
	now  time.Time
	w    int // width, for the note
	cond condview.Model
	d    detail.Model
	init tea.Cmd
}

// New returns the detail view of enforcement id and records its request;
// Init returns the command.
func New(deps common.Deps, id int64) Model {
	deps = deps.WithDefaults()
	m := Model{
		deps: deps,
		api:  deps.API,
		keys: DefaultKeyMap(),
		id:   id,
		now:  deps.Now(),
		cond: condview.New(deps.Styles.Cond),
		d: detail.New(deps.Styles, "enforcement", []detail.Pane{
			{Name: "Conditions"}, {Name: "Payload", JSON: true}, {Name: "Config", JSON: true},
		}),
	}
	// v opens the event here; the raw conditions are on J.
	m.cond.Keys = condview.DetailKeyMap()
	var cmd tea.Cmd
	m, cmd = m.load(false)
	m.init = cmd
	return m
}

func (m Model) load(refresh bool) (Model, tea.Cmd) {
	id, api, now, deps := m.id, m.api, m.deps.Now, m.deps
	key := "enforcement:" + strconv.FormatInt(id, 10)
	var cmd tea.Cmd
	m.d, cmd = m.d.Load(func(seq int) tea.Cmd {
		return func() tea.Msg {
			ctx, cancel := deps.RequestContext()
			defer cancel()
			enf, err := common.Cached(deps.Cache, key, refresh, func() (*client.Enforcement, *client.Response, error) {
				return api.Enforcements.Get(ctx, id)
			})
			if err != nil {
				return loadedMsg{seq: seq, err: fmt.Errorf("get enforcement %d: %w", id, err), at: now()}
			}
			res, note := evaluate(ctx, api, deps.Cache, refresh, enf)
			return loadedMsg{seq: seq, enf: enf, res: res, note: note, at: now()}
		}
	})
	return m, cmd
}

// Evaluate re-evaluates the enforcement's conditions snapshot against its
// stored payload, with created as the event's creation time (event.created
// in expressions; the enforcement's own Created is a later time).
func Evaluate(enf *client.Enforcement, created time.Time) conditions.Result {
	ev := conditions.Event{TriggerRef: enf.TriggerRef, Payload: enf.Payload, Created: created}
	if enf.Event != nil {
		ev.ID = *enf.Event
	}
	return conditions.Evaluate(enf.Conditions, ev)
}

// evaluate re-evaluates the enforcement's conditions. The enforcement does
// not carry its event's creation time, so when the evaluation reads
// event.created the event is fetched for it and the conditions evaluated
// again with it; if that is impossible, nothing is invented: the result is
// nil and the note says why.
func evaluate(ctx context.Context, api *common.API, cache *common.Cache, refresh bool, enf *client.Enforcement) (*conditions.Result, string) {
	res := Evaluate(enf, time.Time{})
	if !res.ReadsField(conditions.FieldCreated) {
		return &res, ""
	}
	const unknown = "not re-evaluated: the conditions read event.created, which is unknown: "
	if enf.Event == nil {
		return nil, unknown + "the enforcement names no event"
	}
	// The same cache key as the event views and the trace: an event seen
	// there is not fetched again.
	ev, err := common.Cached(cache, "event:"+strconv.FormatInt(*enf.Event, 10), refresh, func() (*client.Event, *client.Response, error) {
		return api.Events.Get(ctx, *enf.Event)
	})
	if err != nil {
		return nil, unknown + "event #" + strconv.FormatInt(*enf.Event, 10) + " could not be loaded (" +
			common.ErrorLine(err) + ")"
	}
	res = Evaluate(enf, ev.Created)
	return &res, ""
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string { return "Enforcement #" + strconv.FormatInt(m.id, 10) }

// ID returns the enforcement id.
func (m Model) ID() int64 { return m.id }

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return m.d.InputFocused() }

func (m Model) own() []key.Binding {
	k := m.keys
	return []key.Binding{k.Executions, k.Event, k.Rule, k.Trace, k.NextPane, k.Reload}
}

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	if m.d.Active() == paneConditions {
		return append(m.own(), m.cond.ShortHelp()...)
	}
	return append(m.own(), m.d.ShortHelp()...)
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	if m.d.Active() == paneConditions {
		return append([][]key.Binding{m.own()}, m.cond.FullHelp()...)
	}
	return append([][]key.Binding{m.own()}, m.d.FullHelp()...)
}

// headerLines is the height of the header plus the tab line.
const headerLines = 5

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.w = width
	m.d = m.d.SetSize(width, height, headerLines)
	return m.sizeCond()
}

// sizeCond fits the conditions component under the note.
func (m Model) sizeCond() Model {
	m.cond = m.cond.SetSize(m.w, max(m.d.PaneHeight(headerLines)-len(m.noteLines()), 1))
	return m
}

// toHeader is the one place where the enforcement's fields are made safe.
func toHeader(e *client.Enforcement) *header {
	h := &header{
		status:     format.Dash(textsafe.Line(string(e.Status))),
		condition:  format.Dash(textsafe.Line(string(e.Condition))),
		rule:       format.Dash(textsafe.Line(e.RuleRef)),
		trigger:    format.Dash(textsafe.Line(e.TriggerRef)),
		event:      "-",
		trace:      "-",
		created:    e.Created,
		resolved:   e.ResolvedAt,
		unresolved: e.ResolvedAt == nil,
	}
	if !client.IsRedacted(e.RuleRef) {
		h.ruleRef = e.RuleRef
	}
	if e.Rule != nil {
		h.rule += " (#" + strconv.FormatInt(*e.Rule, 10) + ")"
	}
	if e.Event != nil {
		h.eventID = *e.Event
		h.event = "#" + strconv.FormatInt(*e.Event, 10)
	}
	if e.TraceTag != nil && *e.TraceTag != "" {
		h.trace = textsafe.Line(*e.TraceTag)
	}
	return h
}

// Relative implements common.RelativeView: the header's times ("8m ago",
// the duration) are relative once loaded.
func (m Model) Relative() bool { return m.hdr != nil }

// Subject implements common.Subjecter: the enforcement.
func (m Model) Subject() (common.Subject, bool) {
	var v any
	if m.enf != nil {
		v = m.enf
	}
	return common.EntitySubject(common.KindEnforcement, m.id, v, m.d.JSONActive()), true
}

// BundleStart implements common.Bundler.
func (m Model) BundleStart() (common.BundleStart, bool) {
	return common.BundleStart{Kind: "enforcement", ID: m.id}, true
}
