// Package eventdetail shows one event: a header with its id, trigger,
// times, source, rule and trace tag, and its payload and config in two JSON
// viewer panes (tab switches). Opening it costs exactly one request.
package eventdetail

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/detail"
)

// KeyMap holds the detail view's own bindings; the active pane's bindings
// are added in help.
type KeyMap struct {
	NextPane key.Binding
	Reload   key.Binding
	// Why opens the "why did (or didn't) each rule fire?" panel.
	Why key.Binding
	// Enforcements opens the enforcements of the event.
	Enforcements key.Binding
	// Trace opens the event's trace.
	Trace key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextPane: detail.NextPaneKey("payload/config"),
		Reload:   detail.ReloadKey(),
		Why:      key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "why rules fired")),

		Enforcements: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "enforcements")),
		Trace:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
	}
}

// Panes.
const (
	panePayload = iota
	paneConfig
)

// header is the event's header fields, terminal-safe.
type header struct {
	trigger         string
	triggerRedacted bool
	source          string
	rule            string
	trace           string
	created         time.Time
}

// loadedMsg answers the GET of the event.
type loadedMsg struct {
	seq int
	ev  *client.Event
	err error
	at  time.Time
}

// Model is the event detail view.
type Model struct {
	deps common.Deps
	api  common.EventsAPI
	keys KeyMap
	id   int64
	hdr  *header
	ev   *client.Event // as fetched, for Y
	now  time.Time
	d    detail.Model
	init tea.Cmd
}

// New returns the detail view of event id and records its request; Init
// returns the command.
func New(deps common.Deps, id int64) Model {
	deps = deps.WithDefaults()
	m := Model{
		deps: deps,
		api:  deps.API.Events,
		keys: DefaultKeyMap(),
		id:   id,
		now:  deps.Now(),
		d:    detail.New(deps.Styles, "event", []detail.Pane{{Name: "Payload", JSON: true}, {Name: "Config", JSON: true}}),
	}
	var cmd tea.Cmd
	m, cmd = m.load()
	m.init = cmd
	return m
}

func (m Model) load() (Model, tea.Cmd) {
	id, api, now, deps := m.id, m.api, m.deps.Now, m.deps
	var cmd tea.Cmd
	m.d, cmd = m.d.Load(func(seq int) tea.Cmd {
		return detail.GetCmd(deps, "", false, func(ctx context.Context) (*client.Event, *client.Response, error) {
			return api.Get(ctx, id)
		}, func(ev *client.Event, err error) tea.Msg {
			if err != nil {
				err = fmt.Errorf("get event %d: %w", id, err)
			}
			return loadedMsg{seq: seq, ev: ev, err: err, at: now()}
		})
	})
	return m, cmd
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string { return "#" + strconv.FormatInt(m.id, 10) }

// ID returns the event id.
func (m Model) ID() int64 { return m.id }

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return m.d.InputFocused() }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	return append([]key.Binding{m.keys.Enforcements, m.keys.Why, m.keys.Trace, m.keys.NextPane, m.keys.Reload}, m.d.ShortHelp()...)
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	return append([][]key.Binding{{m.keys.NextPane, m.keys.Reload, m.keys.Why, m.keys.Enforcements, m.keys.Trace}}, m.d.FullHelp()...)
}

// headerLines is the height of the header plus the tab line.
const headerLines = 4

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.d = m.d.SetSize(width, height, headerLines)
	return m
}

// toHeader is the one place where the event's fields are made safe.
func toHeader(ev *client.Event) *header {
	h := &header{trigger: textsafe.Line(ev.TriggerRef), created: ev.Created, source: "-", rule: "-", trace: "-"}
	h.triggerRedacted = client.IsRedacted(ev.TriggerRef)
	if h.trigger == "" {
		h.trigger = "-"
	}
	if ev.SourceRef != nil && *ev.SourceRef != "" {
		h.source = textsafe.Line(*ev.SourceRef)
	}
	if ev.Source != nil {
		h.source += " (#" + strconv.FormatInt(*ev.Source, 10) + ")"
	}
	if ev.RuleRef != nil && *ev.RuleRef != "" {
		h.rule = textsafe.Line(*ev.RuleRef)
	}
	if ev.Rule != nil {
		h.rule += " (#" + strconv.FormatInt(*ev.Rule, 10) + ")"
	}
	if ev.TraceTag != nil && *ev.TraceTag != "" {
		h.trace = textsafe.Line(*ev.TraceTag)
	}
	h.source = strings.TrimPrefix(h.source, "- ")
	h.rule = strings.TrimPrefix(h.rule, "- ")
	return h
}

// Relative implements common.RelativeView: the header's times ("8m ago",
// the duration) are relative once loaded.
func (m Model) Relative() bool { return m.hdr != nil }

// Subject implements common.Subjecter: the event.
func (m Model) Subject() (common.Subject, bool) {
	var v any
	if m.ev != nil {
		v = m.ev
	}
	return common.EntitySubject(common.KindEvent, m.id, v, m.d.JSONActive()), true
}

// BundleStart implements common.Bundler.
func (m Model) BundleStart() (common.BundleStart, bool) {
	return common.BundleStart{Kind: "event", ID: m.id}, true
}
