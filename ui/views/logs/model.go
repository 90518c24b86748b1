// Package logs shows what an execution printed: its stdout and stderr, each
// in a log viewer. A finished execution's logs are downloaded whole (the
// artifact version of that execution, or result.stdout); a running one's
// are followed over the log stream, resuming after drops, until the stream
// says it is done. tab switches streams; r reloads.
//
// The screen is also embedded in the execution detail's stdout and stderr
// tabs (NewEmbedded), without its own header.
package logs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/logview"
)

// KeyMap holds the screen's own bindings (the viewer has its own).
type KeyMap struct {
	Stream key.Binding
	Reload key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Stream: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "stdout/stderr")),
		Reload: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
	}
}

// Streams in tab order.
var streams = [2]client.LogStreamName{client.Stdout, client.Stderr}

// batchSize caps how many stream events one message carries, and
// batchBytes how much text: one Update then costs at most about a
// millisecond of line splitting, so keys are not kept waiting behind a
// fast stream's backlog.
const (
	batchSize  = 512
	batchBytes = 256 << 10
)

// pane is one stream's viewer and its source.
type pane struct {
	lv      logview.Model
	started bool
	// load identifies the current load: answers that carry another one
	// (an earlier load, or another Model's after a reload of the detail
	// that embeds this one) are dropped.
	load *loadID
	tail *follow
	err  error
	// offset is the resume cursor after the last text applied; paused
	// says the stream was closed while hidden and resumes from offset.
	offset int64
	paused bool
}

// loadID is the identity of one load of a pane (compared by pointer).
type loadID struct{ _ byte }

// follow is a running tail: events pumped from the stream into a bounded
// channel (a slow screen makes the pump wait, so memory stays bounded).
type follow struct {
	events chan client.LogEvent
	done   chan error
	cancel context.CancelFunc
}

// Model is the log screen.
type Model struct {
	deps     common.Deps
	api      common.ExecutionsAPI
	keys     KeyMap
	id       int64
	embedded bool
	ex       *client.Execution
	exErr    error
	loading  bool
	active   int
	panes    [2]pane
	width    int
	height   int
	init     tea.Cmd
}

// execMsg answers the GET of the execution.
type execMsg struct {
	ex  *client.Execution
	err error
}

// logMsg answers the download of a complete log.
type logMsg struct {
	stream int
	load   *loadID
	log    *client.ExecutionLog
	c      logview.Content
	err    error
}

// tailMsg carries events of a followed stream; err ends it.
type tailMsg struct {
	stream int
	load   *loadID
	events []client.LogEvent
	err    error
	end    bool
}

// New returns the log screen of execution id, showing stream first
// ("stdout" when empty or unknown).
func New(deps common.Deps, id int64, stream string) Model {
	m := newModel(deps, id)
	if stream == string(client.Stderr) {
		m.active = 1
	}
	m.init = m.fetchExec()
	return m
}

// NewEmbedded returns the log panes of execution ex for the execution
// detail: no header and no stream key; SetStream picks the stream.
func NewEmbedded(deps common.Deps, ex *client.Execution) Model {
	m := newModel(deps, ex.ID)
	m.embedded = true
	m.ex = ex
	return m
}

func newModel(deps common.Deps, id int64) Model {
	deps = deps.WithDefaults()
	m := Model{deps: deps, api: deps.API.Executions, keys: DefaultKeyMap(), id: id, loading: true}
	for i, s := range streams {
		m.panes[i].lv = logview.New(deps.Styles, i, string(s))
	}
	return m
}

// fetchExec returns the command that reads the execution.
func (m Model) fetchExec() tea.Cmd {
	api, deps, id := m.api, m.deps, m.id
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		ex, _, err := api.Get(ctx, id)
		if err != nil {
			return execMsg{err: fmt.Errorf("get execution %d: %w", id, err)}
		}
		return execMsg{ex: ex}
	}
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string {
	return "Output #" + strconv.FormatInt(m.id, 10)
}

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return m.panes[m.active].lv.InputFocused() }

// ShortHelp implements help.KeyMap. Embedded, the detail's own keys
// (tab, r) stand instead of the screen's.
func (m Model) ShortHelp() []key.Binding {
	var own []key.Binding
	if !m.embedded {
		own = []key.Binding{m.keys.Stream, m.keys.Reload}
	}
	return append(own, m.panes[m.active].lv.ShortHelp()...)
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	if m.embedded {
		return m.panes[m.active].lv.FullHelp()
	}
	own := []key.Binding{m.keys.Stream, m.keys.Reload}
	return append([][]key.Binding{own}, m.panes[m.active].lv.FullHelp()...)
}

// headerLines is the height of the screen's own header.
const headerLines = 2

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View { return m.Resize(width, height) }

// Resize is SetSize with the concrete type, for embedding.
func (m Model) Resize(width, height int) Model {
	m.width, m.height = width, height
	h := height
	if !m.embedded {
		h -= headerLines
	}
	for i := range m.panes {
		m.panes[i].lv = m.panes[i].lv.SetSize(width, max(h, 2))
	}
	return m
}

// SetStream shows stream i (0 stdout, 1 stderr): it starts loading it the
// first time, resumes it when it was paused, and pauses the other one (a
// stream is closed while it is not shown, LOGS.md §5).
func (m Model) SetStream(i int) (Model, tea.Cmd) {
	i = min(max(i, 0), 1)
	if i != m.active {
		m = m.pause(m.active)
	}
	m.active = i
	if m.ex == nil {
		return m, nil
	}
	if p := &m.panes[i]; p.paused {
		p.paused = false
		return m.follow(i, p.offset)
	}
	return m.start(i, false)
}

// Pause closes the followed streams (the screen is hidden); SetStream
// resumes the shown one from where it was.
func (m Model) Pause() Model {
	for i := range m.panes {
		m = m.pause(i)
	}
	return m
}

// pause closes stream i's tail, keeping its text and resume cursor.
func (m Model) pause(i int) Model {
	p := &m.panes[i]
	if p.tail == nil {
		return m
	}
	p.tail.cancel()
	p.tail = nil
	p.paused = true
	p.load = &loadID{} // drop what the closed stream still delivers
	p.lv = p.lv.SetState(p.lv.State(), "stream closed while hidden")
	return m
}

// Close implements common.Closer: it ends the followed streams.
func (m Model) Close() {
	for _, p := range m.panes {
		if p.tail != nil {
			p.tail.cancel()
		}
	}
}

// start loads stream i: the whole log when the execution has finished,
// else a followed stream. With again set it reloads.
func (m Model) start(i int, again bool) (Model, tea.Cmd) {
	p := &m.panes[i]
	if p.started && !again {
		return m, nil
	}
	if p.tail != nil {
		p.tail.cancel()
		p.tail = nil
	}
	p.started = true
	p.load = &loadID{}
	p.err = nil
	p.offset, p.paused = 0, false
	p.lv = p.lv.Reset()
	if m.ex.Status.Terminal() {
		return m, m.download(i, p.load)
	}
	return m.follow(i, 0)
}

// download returns the command that fetches a complete log and splits it
// into lines off the UI loop.
func (m Model) download(i int, load *loadID) tea.Cmd {
	api, deps, ex, stream := m.api, m.deps, m.ex, streams[i]
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		l, _, err := api.Log(ctx, ex, stream, nil)
		if err != nil {
			return logMsg{stream: i, load: load, err: err}
		}
		return logMsg{stream: i, load: load, log: l, c: logview.Build(l.Text)}
	}
}

// follow starts following stream i from offset.
func (m Model) follow(i int, offset int64) (Model, tea.Cmd) {
	p := &m.panes[i]
	ctx, cancel := context.WithCancel(m.deps.Lifetime)
	f := &follow{events: make(chan client.LogEvent, batchSize), done: make(chan error, 1), cancel: cancel}
	p.tail = f
	p.load = &loadID{}
	st := logview.Loading
	if p.lv.Lines() > 0 {
		st = p.lv.State()
	}
	p.lv = p.lv.SetState(st, "connecting…")
	api, id, stream := m.api, m.id, streams[i]
	go pump(ctx, api, id, stream, offset, f)
	return m, wait(f, i, p.load)
}

// pump reads the stream into f.events until it ends, then reports why on
// f.done (nil after done).
func pump(ctx context.Context, api common.ExecutionsAPI, id int64, stream client.LogStreamName, offset int64, f *follow) {
	defer close(f.events)
	t, err := api.TailLog(ctx, id, stream, &client.TailLogOptions{Offset: offset})
	if err != nil {
		f.done <- err
		return
	}
	defer func() { _ = t.Close() }()
	for {
		ev, err := t.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			f.done <- err
			return
		}
		select {
		case f.events <- ev:
		case <-ctx.Done():
			f.done <- ctx.Err()
			return
		}
	}
}

// wait returns the command that waits for the next events of f: it blocks
// for one, then takes whatever else is already queued (up to batchSize
// events or batchBytes of text), so a fast stream arrives in few messages.
func wait(f *follow, stream int, load *loadID) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-f.events
		if !ok {
			return tailMsg{stream: stream, load: load, err: <-f.done, end: true}
		}
		evs := []client.LogEvent{ev}
		size := len(ev.Text)
		for len(evs) < batchSize && size < batchBytes {
			select {
			case ev, ok := <-f.events:
				if !ok {
					return tailMsg{stream: stream, load: load, events: evs, err: <-f.done, end: true}
				}
				evs = append(evs, ev)
				size += len(ev.Text)
				continue
			default:
			}
			break
		}
		return tailMsg{stream: stream, load: load, events: evs}
	}
}

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return m.UpdateLogs(msg) }

// UpdateLogs is Update with the concrete type, for embedding.
func (m Model) UpdateLogs(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case execMsg:
		m.loading = false
		if msg.err != nil {
			m.exErr = msg.err
			return m, common.ReportError(msg.err, "output of execution "+strconv.FormatInt(m.id, 10), false)
		}
		m.ex = msg.ex
		return m.start(m.active, false)
	case logMsg:
		p := &m.panes[msg.stream]
		if msg.load != p.load {
			return m, nil
		}
		if msg.err != nil {
			if errors.Is(msg.err, client.ErrLogNotSealed) {
				// Still being written: follow it instead.
				return m.follow(msg.stream, 0)
			}
			p.err = msg.err
			p.lv = p.lv.SetState(logview.Stopped, stoppedNote(msg.err))
			return m, common.ReportError(msg.err, fmt.Sprintf("%s of execution %d", streams[msg.stream], m.id), false)
		}
		p.lv = p.lv.SetContent(msg.c)
		note := ""
		if msg.log.Source == client.LogFromResult {
			note = "from result.stdout"
		}
		p.lv = p.lv.SetState(logview.Sealed, note)
		return m, common.Synced(m.deps.Now())
	case tailMsg:
		return m.onTail(msg)
	case common.LiveMsg:
		// The header's status follows the execution; the streams end by
		// themselves (done).
		if m.ex != nil && msg.TouchesID("execution", m.id) {
			return m, m.fetchExec()
		}
		return m, nil
	case tea.KeyMsg:
		if !m.InputFocused() {
			switch {
			case !m.embedded && key.Matches(msg, m.keys.Stream):
				return m.SetStream(1 - m.active)
			case key.Matches(msg, m.keys.Reload):
				if m.ex == nil {
					m.loading, m.exErr = true, nil
					return m, m.fetchExec()
				}
				// Re-read the execution: it may have finished meanwhile.
				m.panes[m.active].started = false
				m.loading = true
				return m, m.fetchExec()
			}
		}
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		p := &m.panes[m.active]
		var cmd tea.Cmd
		p.lv, cmd = p.lv.Update(msg)
		return m, cmd
	}
	// Anything else (a search answer) goes to both panes; each keeps only
	// its own, so an answer that arrives after a stream switch is not lost.
	var cmds [2]tea.Cmd
	for i := range m.panes {
		m.panes[i].lv, cmds[i] = m.panes[i].lv.Update(msg)
	}
	return m, tea.Batch(cmds[0], cmds[1])
}

// stoppedNote is what a stopped pane says about err: the contract's
// sentence when the logs cannot be read (no permission or expired; the
// full error is in the status bar's "!"), else the error's line.
func stoppedNote(err error) string {
	if errors.Is(err, client.ErrLogsUnavailable) {
		return "no permission to read logs, or logs expired (kept 7 days)"
	}
	return common.ErrorLine(err)
}

// onTail applies a batch of stream events.
func (m Model) onTail(msg tailMsg) (Model, tea.Cmd) {
	p := &m.panes[msg.stream]
	if msg.load != p.load || p.tail == nil {
		return m, nil
	}
	lv := p.lv
	for _, ev := range msg.events {
		switch ev.Kind {
		case client.LogText:
			lv = lv.Append(ev.Text, at(ev.At, m.deps.Now))
			p.offset = ev.Offset
			if lv.State() == logview.Live {
				lv = lv.SetState(logview.Live, "")
			}
		case client.LogWaiting:
			if lv.Lines() == 0 {
				lv = lv.SetState(logview.Loading, "waiting for output")
			}
		case client.LogCaughtUp:
			if lv.Lines() == 0 {
				lv = lv.SetState(logview.Live, "caught up; waiting for output")
			} else {
				lv = lv.SetState(logview.Live, "")
			}
		case client.LogReconnecting:
			note := "reconnecting"
			if ev.Err != nil {
				note += ": " + common.ErrorLine(ev.Err)
			}
			lv = lv.SetState(lv.State(), note)
		case client.LogDone:
			lv = lv.SetState(logview.Sealed, "")
		}
	}
	p.lv = lv
	if !msg.end {
		return m, wait(p.tail, msg.stream, msg.load)
	}
	p.tail = nil
	switch {
	case msg.err == nil:
		if p.lv.State() != logview.Sealed {
			p.lv = p.lv.SetState(logview.Sealed, "")
		}
		return m, nil
	case errors.Is(msg.err, context.Canceled):
		return m, nil
	}
	p.err = msg.err
	p.lv = p.lv.SetState(logview.Stopped, stoppedNote(msg.err)+" · r retries")
	return m, common.ReportError(msg.err, fmt.Sprintf("%s of execution %d", streams[msg.stream], m.id), false)
}

// Execution returns the execution once loaded (nil before).
func (m Model) Execution() *client.Execution { return m.ex }

// at is the time stream events are stamped with when the client gave none.
func at(t time.Time, now func() time.Time) time.Time {
	if t.IsZero() {
		return now()
	}
	return t
}

// safe returns s terminal-safe for the header.
func safe(s string) string { return textsafe.Line(s) }

// OpenKey is the binding that opens an execution's output, the same on
// every screen that has one (the execution list and detail, the trace).
// l is taken by the JSON viewer's unfold, so O ("output").
func OpenKey() key.Binding {
	return key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "output"))
}

// RouteFor is the route of an execution's output: stderr first for a
// failed (or timed out, abandoned, cancelled) execution, where the reason
// is, stdout otherwise.
func RouteFor(id int64, status client.ExecutionStatus) common.Route {
	r := common.Route{Kind: common.KindLogs, ID: id}
	if status.Problem() {
		r.Ref = string(client.Stderr)
	}
	return r
}
