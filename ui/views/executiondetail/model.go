// Package executiondetail shows one execution: action, status with its
// timestamps and duration, executor and worker, error text (result.error or
// result.stderr), its result and config in JSON viewer panes, and its child
// executions (enter opens one). u opens its enforcement, p its parent, t its
// trace.
package executiondetail

import (
	"context"
	"encoding/json"
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
	"github.com/attune-tui/attune-tui/ui/format"
	"github.com/attune-tui/attune-tui/ui/views/executions"
	"github.com/attune-tui/attune-tui/ui/views/logs"
)

// KeyMap holds the view's own bindings.
type KeyMap struct {
	NextPane    key.Binding
	Reload      key.Binding
	Enforcement key.Binding
	Parent      key.Binding
	Trace       key.Binding
	Up, Down    key.Binding
	OpenChild   key.Binding
	Output      key.Binding
}

// DefaultKeyMap returns the default bindings; link keys start disabled.
func DefaultKeyMap() KeyMap {
	k := KeyMap{
		NextPane:    detail.NextPaneKey("next pane"),
		Reload:      detail.ReloadKey(),
		Enforcement: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "open enforcement")),
		Parent:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "open parent")),
		Trace:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		OpenChild:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open child")),
		Output:      logs.OpenKey(),
	}
	k.Enforcement.SetEnabled(false)
	k.Parent.SetEnabled(false)
	k.Trace.SetEnabled(false)
	k.Output.SetEnabled(false) // until the execution is loaded
	return k
}

// Panes.
const (
	paneResult = iota
	paneConfig
	paneChildren
	paneStdout
	paneStderr
)

// header is the execution's header fields, terminal-safe.
type header struct {
	action, status, trace, errText string
	statusRaw                      client.ExecutionStatus
	enforcement, parent            int64
	executor, worker               string
	created, updated               time.Time
	started                        *time.Time
}

// child is one child execution, terminal-safe.
type child struct {
	id               int64
	action, status   string
	statusRaw        client.ExecutionStatus
	created, updated time.Time
	started          *time.Time
}

// loadedMsg answers the GET of the execution.
type loadedMsg struct {
	seq  int
	hdr  *header
	exec *client.Execution
	err  error
	at   time.Time
}

// childrenMsg answers the list of child executions.
type childrenMsg struct {
	seq      int
	children []child
	more     bool
	err      error
}

// Model is the execution detail view.
type Model struct {
	deps      common.Deps
	api       common.ExecutionsAPI
	keys      KeyMap
	id        int64
	hdr       *header
	exec      *client.Execution // as fetched, for Y
	now       time.Time
	d         detail.Model
	children  []child
	childMore bool
	childErr  error
	childDone bool
	cursor    int
	// out shows the stdout and stderr panes; nil until the execution is
	// loaded. Its streams start when their pane is first shown.
	out *logs.Model
	// freshOut asks the next load to rebuild the log panes (after r).
	freshOut bool
	// hidden is set while a screen opened from here is on top: no log
	// stream starts until ShownMsg.
	hidden bool
	init   tea.Cmd
}

// New returns the detail view of execution id and records its requests
// (the execution and its children); Init returns the command.
func New(deps common.Deps, id int64) Model {
	deps = deps.WithDefaults()
	m := Model{
		deps: deps,
		api:  deps.API.Executions,
		keys: DefaultKeyMap(),
		id:   id,
		now:  deps.Now(),
		d: detail.New(deps.Styles, "execution", []detail.Pane{
			{Name: "Result", JSON: true}, {Name: "Config", JSON: true}, {Name: "Children"},
			{Name: "stdout"}, {Name: "stderr"},
		}),
	}
	var cmd tea.Cmd
	m, cmd = m.load(false)
	m.init = cmd
	return m
}

func (m Model) load(refresh bool) (Model, tea.Cmd) {
	m.childDone = false
	m.d = m.d.SetPaneName(paneChildren, m.childrenTab())
	id, api, now, deps := m.id, m.api, m.deps.Now, m.deps
	var cmd tea.Cmd
	m.d, cmd = m.d.Load(func(seq int) tea.Cmd {
		fetch := detail.GetCmd(deps, "execution:"+strconv.FormatInt(id, 10), refresh, func(ctx context.Context) (*client.Execution, *client.Response, error) {
			return api.Get(ctx, id)
		}, func(ex *client.Execution, err error) tea.Msg {
			if err != nil {
				return loadedMsg{seq: seq, err: fmt.Errorf("get execution %d: %w", id, err), at: now()}
			}
			return loadedMsg{seq: seq, hdr: toHeader(ex), exec: ex, at: now()}
		})
		q := client.ExecutionListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 100}, Parent: id}
		kids := detail.GetCmd(deps, common.ListKey("executions", q.Query()), refresh, func(ctx context.Context) (*client.Page[client.ExecutionSummary], *client.Response, error) {
			return api.List(ctx, &q)
		}, func(p *client.Page[client.ExecutionSummary], err error) tea.Msg {
			if err != nil {
				return childrenMsg{seq: seq, err: fmt.Errorf("list children of execution %d: %w", id, err)}
			}
			out := make([]child, len(p.Items))
			for i, e := range p.Items {
				out[i] = toChild(e)
			}
			return childrenMsg{seq: seq, children: out, more: p.Pagination.HasNext}
		})
		return tea.Batch(fetch, kids)
	})
	return m, cmd
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string { return "Execution #" + strconv.FormatInt(m.id, 10) }

// ID returns the execution id.
func (m Model) ID() int64 { return m.id }

// InputFocused implements common.View.
func (m Model) InputFocused() bool {
	return m.d.InputFocused() || m.onLogs() && m.out.InputFocused()
}

func (m Model) own() []key.Binding {
	k := m.keys
	return []key.Binding{k.Output, k.Enforcement, k.Parent, k.Trace, k.NextPane, k.Reload}
}

// onLogs reports whether a log pane is active.
func (m Model) onLogs() bool {
	a := m.d.Active()
	return (a == paneStdout || a == paneStderr) && m.out != nil
}

// Close implements common.Closer: it ends the followed log streams.
func (m Model) Close() {
	if m.out != nil {
		m.out.Close()
	}
}

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	if m.onLogs() {
		return append(m.own(), m.out.ShortHelp()...)
	}
	if m.d.Active() == paneChildren {
		return append(m.own(), m.keys.OpenChild, m.keys.Up, m.keys.Down)
	}
	return append(m.own(), m.d.ShortHelp()...)
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	if m.onLogs() {
		return append([][]key.Binding{m.own()}, m.out.FullHelp()...)
	}
	if m.d.Active() == paneChildren {
		return [][]key.Binding{m.own(), {m.keys.OpenChild, m.keys.Up, m.keys.Down}}
	}
	return append([][]key.Binding{m.own()}, m.d.FullHelp()...)
}

// headerLines is the height of the header plus the tab line.
const headerLines = 5

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.d = m.d.SetSize(width, height, headerLines)
	if m.out != nil {
		out := m.out.Resize(width, m.d.PaneHeight(headerLines))
		m.out = &out
	}
	return m
}

// toHeader is the one place where the execution's fields are made safe.
func toHeader(e *client.Execution) *header {
	h := &header{
		action:    format.Dash(textsafe.Line(e.ActionRef)),
		status:    format.Dash(textsafe.Line(string(e.Status))),
		statusRaw: e.Status,
		trace:     "-",
		executor:  "-",
		worker:    "-",
		created:   e.Created,
		updated:   e.Updated,
		started:   e.StartedAt,
		errText:   textsafe.Line(errorText(e.Result)),
	}
	if e.Enforcement != nil {
		h.enforcement = *e.Enforcement
	}
	if e.Parent != nil {
		h.parent = *e.Parent
	}
	if e.Executor != nil {
		h.executor = "#" + strconv.FormatInt(*e.Executor, 10)
	}
	if e.Worker != nil {
		h.worker = "#" + strconv.FormatInt(*e.Worker, 10)
	}
	if e.TraceTag != nil && *e.TraceTag != "" {
		h.trace = textsafe.Line(*e.TraceTag)
	}
	return h
}

// toChild is the one place where child executions are made safe.
func toChild(e client.ExecutionSummary) child {
	return child{
		id: e.ID, action: format.Dash(textsafe.Line(e.ActionRef)), status: format.Dash(textsafe.Line(string(e.Status))),
		statusRaw: e.Status, created: e.Created, updated: e.Updated, started: e.StartedAt,
	}
}

// ErrorText returns the error message of an execution's result, as the
// detail shows it (result.error, its message, else result.stderr).
func ErrorText(result json.RawMessage) string { return errorText(result) }

// errorText returns the error message of a result: result.error (a string,
// or an object's "message"), else result.stderr; "" when there is none.
func errorText(result json.RawMessage) string {
	var r map[string]json.RawMessage
	if len(result) == 0 || json.Unmarshal(result, &r) != nil {
		return ""
	}
	for _, k := range []string{"error", "stderr"} {
		raw, ok := r[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if s = strings.TrimSpace(s); s != "" {
				return s
			}
			continue
		}
		var obj struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &obj) == nil && obj.Message != "" {
			return obj.Message
		}
		if string(raw) != "null" {
			return string(raw)
		}
	}
	return ""
}

// duration is the execution's duration text.
func (h *header) duration(now time.Time) string {
	return executions.Duration(h.statusRaw, h.created, h.updated, h.started, now)
}

// Relative implements common.RelativeView: the header's times ("8m ago",
// the duration) are relative once loaded.
func (m Model) Relative() bool { return m.hdr != nil }

// Subject implements common.Subjecter: the execution. On the result and
// config panes y and Y are the JSON viewer's, on the output panes the log
// viewer's.
func (m Model) Subject() (common.Subject, bool) {
	var v any
	if m.exec != nil {
		v = m.exec
	}
	return common.EntitySubject(common.KindExecution, m.id, v, m.d.JSONActive() || m.onLogsPane()), true
}

// BundleStart implements common.Bundler.
func (m Model) BundleStart() (common.BundleStart, bool) {
	return common.BundleStart{Kind: "execution", ID: m.id}, true
}
