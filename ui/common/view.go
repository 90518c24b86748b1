package common

import (
	"time"

	"github.com/attune-tui/attune-tui/client"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// View is one screen on the root's navigation stack.
type View interface {
	tea.Model
	help.KeyMap
	// SetSize gives the view the size of the area it may draw in.
	SetSize(width, height int) View
	// Title is the view's breadcrumb segment, e.g. "Events" or "#4812".
	Title() string
	// InputFocused reports whether a text input has focus, in which case
	// the root's single-key global bindings (q, ?, :) yield to it.
	InputFocused() bool
}

// Kind names a kind of screen that can be opened.
type Kind string

// Screen kinds. The root has a screen for each.
const (
	KindEvents       Kind = "events"
	KindEvent        Kind = "event"
	KindEnforcements Kind = "enforcements"
	KindEnforcement  Kind = "enforcement"
	KindExecutions   Kind = "executions"
	KindExecution    Kind = "execution"
	KindTrace        Kind = "trace"
	KindRule         Kind = "rule"
	// KindWhy is the "why did (or didn't) each rule fire?" panel of the
	// event Route.ID.
	KindWhy Kind = "why"
	// KindLogs is the output (stdout/stderr) of the execution Route.ID;
	// Route.Ref names the stream shown first ("stdout" when empty).
	KindLogs Kind = "logs"
	// KindOverview is the overview: execution counts, recent failures by
	// action and rule, the newest failed executions and enforcements.
	KindOverview Kind = "overview"
)

// Closer is implemented by views that hold resources (a followed log
// stream) beyond their requests; the root calls Close when the view leaves
// the stack.
type Closer interface {
	Close()
}

// Route says which screen to open and for what.
type Route struct {
	Kind Kind
	// ID is the resource id for single-resource screens, or a filter (the
	// event of enforcements, the enforcement of executions).
	ID int64
	// Ref is a string key (trace tag, rule ref, ...). For KindTrace with an
	// ID, Ref names what the ID is: "" (an event), "enforcement" or
	// "execution"; without an ID, Ref is a trace tag.
	Ref string
}

// OpenMsg asks the root to push the screen for Route.
type OpenMsg struct{ Route Route }

// BackMsg asks the root to pop the active screen.
type BackMsg struct{}

// ErrorMsg reports a failure to the root's status bar. Origin says what
// failed ("events", "event 4812"); Retrying says the view will retry by
// itself (auto-refresh), which the status bar shows as "reconnecting".
type ErrorMsg struct {
	Err      error
	Origin   string
	Retrying bool
}

// RetryMsg tells the root that auto-refresh keeps failing and backs off:
// the next try is In from now, which the status bar shows. In 0 means it is
// back to its normal interval.
type RetryMsg struct{ In time.Duration }

// RetryIn returns a command that emits RetryMsg.
func RetryIn(d time.Duration) tea.Cmd { return func() tea.Msg { return RetryMsg{In: d} } }

// SyncMsg tells the root that a request succeeded at At, for the status
// bar's connection state and "last refresh" time.
type SyncMsg struct{ At time.Time }

// Open returns a command that emits OpenMsg for r.
func Open(r Route) tea.Cmd { return func() tea.Msg { return OpenMsg{Route: r} } }

// Back returns a command that emits BackMsg.
func Back() tea.Cmd { return func() tea.Msg { return BackMsg{} } }

// ReportError returns a command that emits ErrorMsg.
func ReportError(err error, origin string, retrying bool) tea.Cmd {
	return func() tea.Msg { return ErrorMsg{Err: err, Origin: origin, Retrying: retrying} }
}

// Synced returns a command that emits SyncMsg.
func Synced(at time.Time) tea.Cmd { return func() tea.Msg { return SyncMsg{At: at} } }

// ClockMsg is the root's once-a-second clock: views that draw relative
// times ("3s ago", "running for 12s") take At as their now and redraw. The
// root sends it to the active view only, and only when it is Relative.
type ClockMsg struct{ At time.Time }

// HelpNoter is implemented by views whose columns need a word of
// explanation (what a symbol or a "-" means); the help overlay shows the
// notes under the view's keys.
type HelpNoter interface {
	// HelpNotes returns the notes, one paragraph each, plain text.
	HelpNotes() []string
}

// RelativeView is implemented by views that draw times relative to now; the
// root's clock reaches them while Relative reports true.
type RelativeView interface {
	Relative() bool
}

// LiveMsg tells the active view what the live source saw since the last
// one: the changed entities by type ("event", "enforcement", "execution")
// and id, and whether notifications may have been missed (Gap: refetch
// what is shown). The root sends it to the active view only and clears the
// answer cache first, so a refetch never gets a stale answer.
type LiveMsg struct {
	Changed map[string]map[int64]bool
	// Executions holds the newest full (not compact) notice per changed
	// execution, so a list can update a row in place without a request.
	Executions map[int64]*client.ExecutionNotice
	// Enforcements holds the newest full notice per changed enforcement
	// (its event, rule and trigger), likewise.
	Enforcements map[int64]*client.EnforcementNotice
	// Owners holds, per entity type, the ids of what the changed entities
	// belong to: an execution's enforcement and parent execution, an
	// enforcement's event (so a trace or list can tell a new child of
	// something it shows).
	Owners map[string]map[int64]bool
	// Gap says notifications may have been missed: refetch what is shown.
	Gap bool
	// Poll marks the gap of a poll tick (no live source pushes changes):
	// a screen that shows an error keeps it until the refetch answers.
	Poll bool
}

// TouchesOwner reports whether an entity of type typ changed that belongs
// to id (its enforcement, parent or event), or a gap happened.
func (l LiveMsg) TouchesOwner(typ string, id int64) bool { return l.Gap || l.Owners[typ][id] }

// Touches reports whether the message may concern entities of type typ
// (a gap concerns everything).
func (l LiveMsg) Touches(typ string) bool { return l.Gap || len(l.Changed[typ]) > 0 }

// TouchesID reports whether entity typ/id changed (or a gap happened).
func (l LiveMsg) TouchesID(typ string, id int64) bool { return l.Gap || l.Changed[typ][id] }

// MouseView is implemented by views that take mouse messages (wheel,
// click). The root sends them with Y relative to the view's top and
// without motion events; a double click reaches the view as a click and
// then the enter key. Other views get the wheel as the up and down keys.
type MouseView interface {
	HandlesMouse() bool
}

// Wherer is implemented by lists that filter their loaded rows by a jq
// predicate over each row's detail (":where EXPR"; an empty EXPR clears).
// It returns the view with the filter started and its command, or an error
// (a predicate that does not compile) and the view unchanged.
type Wherer interface {
	Where(expr string) (View, tea.Cmd, error)
}

// ShownMsg tells a view that it is on top again (the screen above it was
// closed): a view that closed a stream while hidden resumes it.
type ShownMsg struct{}
