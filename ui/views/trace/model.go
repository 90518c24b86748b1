// Package trace is the trace view: one event and everything it caused as a
// tree — event → its enforcements (status, rule, condition) → their
// executions (status, action, duration) → child executions — loaded
// concurrently (at most MaxConcurrent requests at once) and filled in as
// answers arrive, with per-node loading and error lines and a summary on
// top. When the event has a trace tag, a second tab shows the trace-tag
// timeline (GET /api/v1/traces/{tag}).
//
// Opening a trace of an event with k enforcements costs 1 + 1 + k requests
// (the event, its enforcements, the executions of each); child executions
// that are not in their enforcement's list are fetched when their node is
// expanded. Answers come from the program's short-lived cache when the same
// trace was opened a moment ago; r refetches.
package trace

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/fanout"
	"github.com/attune-tui/attune-tui/ui/views/logs"
)

// KeyMap holds the trace view's bindings.
type KeyMap struct {
	Up, Down, Top, Bottom key.Binding
	Toggle                key.Binding
	Collapse, Expand      key.Binding
	Open                  key.Binding
	NextTab               key.Binding
	Reload                key.Binding
	Output                key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Toggle:   key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "fold/unfold")),
		Collapse: key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "collapse/parent")),
		Expand:   key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "expand")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		NextTab:  key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "tree/timeline")),
		Reload:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Output:   logs.OpenKey(),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Output, k.Toggle, k.NextTab, k.Reload}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Open, k.Output, k.Toggle, k.Collapse, k.Expand},
		{k.Up, k.Down, k.Top, k.Bottom},
		{k.NextTab, k.Reload},
	}
}

// Start says where a trace starts: an event, an enforcement or an
// execution (walked up to its event), or a trace tag (its first event).
type Start struct {
	Kind string // "event", "enforcement", "execution" or "tag"
	ID   int64
	Tag  string
}

// StartFor maps a route to a Start: Route.ID with Route.Ref "" (an event),
// "enforcement" or "execution"; or Route.Ref alone as a trace tag.
func StartFor(r common.Route) Start {
	switch {
	case r.ID > 0 && (r.Ref == "enforcement" || r.Ref == "execution"):
		return Start{Kind: r.Ref, ID: r.ID}
	case r.ID > 0:
		return Start{Kind: "event", ID: r.ID}
	}
	return Start{Kind: "tag", Tag: r.Ref}
}

// state is the loading state of one part of the tree.
type state struct {
	loading bool
	err     error
	done    bool
	more    bool
}

// Model is the trace view.
type Model struct {
	deps  common.Deps
	api   *common.API
	keys  KeyMap
	start Start
	lim   fanout.Limiter
	// ctx is the current load's: a reload or Close cancels it, so the
	// requests of an earlier load that still wait for a slot are not made
	// and those in flight end.
	ctx    context.Context
	cancel context.CancelFunc
	seq    int
	// refresh is true while the current load bypasses the cache (after r).
	refresh bool

	resolveErr error
	eventID    int64
	event      eventInfo
	eventSt    state
	enfs       []enfInfo
	enfSt      state
	// execs holds executions per owner node key ("enf:ID" or "exec:ID");
	// maps are replaced, never mutated, so model copies stay independent.
	execs   map[string][]execInfo
	execSt  map[string]state
	fetched map[string]bool // execution nodes whose children were requested
	// stderr holds the one-line stderr tail of failed executions by id
	// (replaced, never mutated); tails counts the tails requested.
	stderr   map[int64]string
	tails    int
	collapse map[string]bool

	lines    []line
	summary  string
	cursor   int
	selected string // node key under the cursor
	offset   int

	tab      int // 0 tree, 1 timeline
	timeline []timelineItem
	tlSt     state
	tlOffset int

	now    time.Time
	spin   spinner.Model
	width  int
	height int
	init   tea.Cmd
}

// New returns the trace view for start and records its first requests.
func New(deps common.Deps, start Start) Model {
	deps = deps.WithDefaults()
	m := Model{
		deps:  deps,
		api:   deps.API,
		keys:  DefaultKeyMap(),
		start: start,
		lim:   fanout.New(MaxConcurrent),
		now:   deps.Now(),
		spin:  spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(deps.Styles.State.Spinner)),
	}
	var cmd tea.Cmd
	m, cmd = m.load(false)
	m.init = cmd
	return m
}

func (m Model) loader() loader {
	d := m.deps
	d.Lifetime = m.ctx // the load's requests end with it
	return loader{api: m.api, cache: m.deps.Cache, lim: m.lim, ctx: m.ctx, reqCtx: d.RequestContext,
		refresh: m.refresh, seq: m.seq, now: m.deps.Now}
}

// Close implements common.Closer: the requests of the trace stop.
func (m Model) Close() {
	if m.cancel != nil {
		m.cancel()
	}
}

// load (re)starts the whole trace, stopping the requests of the last load.
func (m Model) load(refresh bool) (Model, tea.Cmd) {
	m.Close()
	m.ctx, m.cancel = context.WithCancel(m.deps.Lifetime)
	m.seq++
	m.refresh = refresh
	m.resolveErr = nil
	m.eventSt, m.enfSt, m.tlSt = state{}, state{}, state{}
	m.enfs, m.timeline = nil, nil
	m.execs, m.execSt, m.fetched = map[string][]execInfo{}, map[string]state{}, map[string]bool{}
	m.stderr, m.tails = map[int64]string{}, 0
	if m.collapse == nil {
		m.collapse = map[string]bool{}
	}
	l := m.loader()
	var cmd tea.Cmd
	switch m.start.Kind {
	case "event":
		m.eventID = m.start.ID
		var c2 tea.Cmd
		m, c2 = m.loadEvent(l)
		cmd = c2
	case "tag":
		m.eventSt.loading = true
		cmd = l.resolveTagCmd(m.start.Tag)
	default:
		m.eventSt.loading = true
		cmd = l.resolveCmd(m.start.Kind, m.start.ID)
	}
	m = m.rebuild()
	return m, tea.Batch(cmd, m.spin.Tick)
}

// loadEvent requests the event and its enforcements together.
func (m Model) loadEvent(l loader) (Model, tea.Cmd) {
	m.eventSt = state{loading: true}
	m.enfSt = state{loading: true}
	return m, tea.Batch(l.eventCmd(m.eventID), l.enforcementsCmd(m.eventID))
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string {
	switch m.start.Kind {
	case "tag":
		return "Trace " + textsafe.Line(m.start.Tag)
	case "event":
		return "Trace of #" + strconv.FormatInt(m.start.ID, 10)
	}
	return "Trace of " + m.start.Kind + " #" + strconv.FormatInt(m.start.ID, 10)
}

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return false }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding { return m.keys.ShortHelp() }

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding { return m.keys.FullHelp() }

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.width, m.height = width, height
	return m.scroll()
}

// Selected returns the node key under the cursor ("event:5", "enf:12",
// "exec:40"), or "".
func (m Model) Selected() string { return m.selected }

func sortTimeline(items []timelineItem) {
	slices.SortStableFunc(items, func(a, b timelineItem) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
}

// Relative implements common.RelativeView: durations of running
// executions ("running for 12s") are relative.
func (m Model) Relative() bool { return m.eventSt.done }

// Subject implements common.Subjecter: the node under the cursor, copied
// by the trace tag (its id when the event has no tag or it is redacted);
// the request is the trace-tag report, or the event's when there is no
// tag.
func (m Model) Subject() (common.Subject, bool) {
	kind, id, ok := parseKey(m.selected)
	if !ok || !m.eventSt.done {
		return common.Subject{}, false
	}
	var s common.Subject
	switch kind {
	case "event":
		s = common.EntitySubject(common.KindEvent, id, nil, false)
		if m.event.src != nil {
			s.Value = m.event.src
		}
	case "enf":
		s = common.EntitySubject(common.KindEnforcement, id, nil, false)
		for _, e := range m.enfs {
			if e.id == id {
				s.Value = e.src
			}
		}
	case "exec":
		s = common.EntitySubject(common.KindExecution, id, nil, false)
		for _, xs := range m.execs {
			for _, x := range xs {
				if x.id == id {
					s.Value = x.src
				}
			}
		}
	default:
		return common.Subject{}, false
	}
	if tag := m.event.tag; tag != "" {
		s.Ref = tag
		s.Copy, s.CopyWhat = tag, "trace tag "+tag
		s.Request = common.Request{
			Path:    "/api/v1/traces/" + url.PathEscape(tag),
			GetNote: "`get` has no traces; the curl command reads the trace report",
		}
	}
	return s, true
}

// BundleStart implements common.Bundler: the trace's event, once known.
func (m Model) BundleStart() (common.BundleStart, bool) {
	if m.eventID == 0 {
		return common.BundleStart{}, false
	}
	return common.BundleStart{Kind: "event", ID: m.eventID}, true
}
