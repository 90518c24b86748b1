package trace

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/fanout"
	"github.com/attune-tui/attune-tui/ui/components/logview"
)

// MaxConcurrent is how many requests one trace view has in flight at once.
const MaxConcurrent = 4

// perPage is the page size of the enforcement and execution lists of a
// trace (one page each; more is reported as "+ more").
const perPage = 100

// eventInfo is the root event, terminal-safe.
type eventInfo struct {
	src      *client.Event // as fetched (Y; not drawn)
	id       int64
	trigger  string
	tag      string // raw trace tag for the request, "" when none or redacted
	tagText  string
	created  time.Time
	hasEvent bool
}

// enfInfo is one enforcement, terminal-safe.
type enfInfo struct {
	src       client.EnforcementSummary // as fetched (Y; not drawn)
	id        int64
	status    client.EnforcementStatus
	statusTxt string
	rule      string
	condition string
	created   time.Time
}

// execInfo is one execution, terminal-safe.
type execInfo struct {
	src       client.ExecutionSummary // as fetched (Y; not drawn)
	id        int64
	parent    int64
	status    client.ExecutionStatus
	statusTxt string
	action    string
	actionRef string // raw, for requests
	created   time.Time
	updated   time.Time
	started   *time.Time
}

// Messages. seq drops answers to an earlier load (after r).
type (
	resolvedMsg struct {
		seq   int
		event int64
		err   error
	}
	eventMsg struct {
		seq int
		ev  eventInfo
		err error
		at  time.Time
	}
	enfsMsg struct {
		seq   int
		items []enfInfo
		more  bool
		err   error
	}
	execsMsg struct {
		seq   int
		owner string // node key of the enforcement or parent execution
		items []execInfo
		more  bool
		err   error
	}
	timelineMsg struct {
		seq   int
		items []timelineItem
		err   error
	}
)

// timelineItem is one line of the trace-tag timeline, terminal-safe.
type timelineItem struct {
	at   time.Time
	kind string
	id   int64
	text string
}

// loader runs the view's requests through the view's limiter (at most
// MaxConcurrent at once; ctx, the load's, ends the wait) and the program's
// answer cache.
type loader struct {
	api     *common.API
	cache   *common.Cache
	lim     fanout.Limiter
	ctx     context.Context
	reqCtx  func() (context.Context, context.CancelFunc)
	refresh bool
	seq     int
	now     func() time.Time
}

func (l loader) run(f func(ctx context.Context) tea.Msg) tea.Cmd {
	return l.lim.Cmd(l.ctx, func() tea.Msg {
		ctx, cancel := l.reqCtx()
		defer cancel()
		return f(ctx)
	})
}

func nodeKey(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// resolveCmd walks up from an execution or enforcement to its event.
func (l loader) resolveCmd(kind string, id int64) tea.Cmd {
	return l.run(func(ctx context.Context) tea.Msg {
		if kind == "execution" {
			ex, err := common.Cached(l.cache, nodeKey("execution", id), l.refresh, func() (*client.Execution, *client.Response, error) {
				return l.api.Executions.Get(ctx, id)
			})
			if err != nil {
				return resolvedMsg{seq: l.seq, err: fmt.Errorf("get execution %d: %w", id, err)}
			}
			if ex.Enforcement == nil {
				return resolvedMsg{seq: l.seq, err: fmt.Errorf("execution %d has no enforcement (a manual run): no event to trace", id)}
			}
			id = *ex.Enforcement
		}
		enf, err := common.Cached(l.cache, nodeKey("enforcement", id), l.refresh, func() (*client.Enforcement, *client.Response, error) {
			return l.api.Enforcements.Get(ctx, id)
		})
		if err != nil {
			return resolvedMsg{seq: l.seq, err: fmt.Errorf("get enforcement %d: %w", id, err)}
		}
		if enf.Event == nil {
			return resolvedMsg{seq: l.seq, err: fmt.Errorf("enforcement %d has no event", id)}
		}
		return resolvedMsg{seq: l.seq, event: *enf.Event}
	})
}

// resolveTagCmd finds the first event of a trace tag.
func (l loader) resolveTagCmd(tag string) tea.Cmd {
	return l.run(func(ctx context.Context) tea.Msg {
		rep, err := common.Cached(l.cache, "trace:"+tag, l.refresh, func() (*client.TraceReport, *client.Response, error) {
			return l.api.Traces.Get(ctx, tag)
		})
		if err != nil {
			return resolvedMsg{seq: l.seq, err: fmt.Errorf("get trace %s: %w", textsafe.Line(tag), err)}
		}
		var first *client.EventSummary
		for i, ev := range rep.Events {
			if first == nil || ev.Created.Before(first.Created) {
				first = &rep.Events[i]
			}
		}
		if first == nil {
			return resolvedMsg{seq: l.seq, err: fmt.Errorf("trace %s has no event", textsafe.Line(tag))}
		}
		return resolvedMsg{seq: l.seq, event: first.ID}
	})
}

func (l loader) eventCmd(id int64) tea.Cmd {
	return l.run(func(ctx context.Context) tea.Msg {
		ev, err := common.Cached(l.cache, nodeKey("event", id), l.refresh, func() (*client.Event, *client.Response, error) {
			return l.api.Events.Get(ctx, id)
		})
		if err != nil {
			return eventMsg{seq: l.seq, err: fmt.Errorf("get event %d: %w", id, err), at: l.now()}
		}
		info := eventInfo{src: ev, id: ev.ID, trigger: textsafe.Line(ev.TriggerRef), created: ev.Created, hasEvent: true, tagText: "-"}
		if ev.TraceTag != nil && *ev.TraceTag != "" {
			info.tagText = textsafe.Line(*ev.TraceTag)
			if !client.IsRedacted(*ev.TraceTag) {
				info.tag = *ev.TraceTag
			}
		}
		return eventMsg{seq: l.seq, ev: info, at: l.now()}
	})
}

func (l loader) enforcementsCmd(event int64) tea.Cmd {
	return l.run(func(ctx context.Context) tea.Msg {
		q := client.EnforcementListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: perPage}, Event: event}
		p, err := common.Cached(l.cache, common.ListKey("enforcements", q.Query()), l.refresh, func() (*client.Page[client.EnforcementSummary], *client.Response, error) {
			return l.api.Enforcements.List(ctx, &q)
		})
		if err != nil {
			return enfsMsg{seq: l.seq, err: fmt.Errorf("list enforcements of event %d: %w", event, err)}
		}
		out := make([]enfInfo, len(p.Items))
		for i, e := range p.Items {
			out[i] = enfInfo{
				src: e, id: e.ID, status: e.Status, statusTxt: textsafe.Line(string(e.Status)),
				rule: textsafe.Line(e.RuleRef), condition: textsafe.Line(string(e.Condition)), created: e.Created,
			}
		}
		return enfsMsg{seq: l.seq, items: out, more: p.Pagination.HasNext}
	})
}

// executionsCmd lists the executions of an enforcement (owner "enf:ID") or
// the children of an execution (owner "exec:ID").
func (l loader) executionsCmd(owner string, q client.ExecutionListOptions) tea.Cmd {
	return l.run(func(ctx context.Context) tea.Msg {
		q.Page, q.PerPage = 1, perPage
		p, err := common.Cached(l.cache, common.ListKey("executions", q.Query()), l.refresh, func() (*client.Page[client.ExecutionSummary], *client.Response, error) {
			return l.api.Executions.List(ctx, &q)
		})
		if err != nil {
			return execsMsg{seq: l.seq, owner: owner, err: fmt.Errorf("list executions: %w", err)}
		}
		out := make([]execInfo, len(p.Items))
		for i, e := range p.Items {
			out[i] = toExec(e)
		}
		return execsMsg{seq: l.seq, owner: owner, items: out, more: p.Pagination.HasNext}
	})
}

func toExec(e client.ExecutionSummary) execInfo {
	x := execInfo{
		src: e, id: e.ID, status: e.Status, statusTxt: textsafe.Line(string(e.Status)), action: textsafe.Line(e.ActionRef), actionRef: e.ActionRef,
		created: e.Created, updated: e.Updated, started: e.StartedAt,
	}
	if e.Parent != nil {
		x.parent = *e.Parent
	}
	return x
}

// stderrTailBytes is how much of a failed execution's stderr the trace
// reads for its one-line tail.
const stderrTailBytes = 4096

// maxStderrTails caps the stderr tails one trace load requests.
const maxStderrTails = 16

// stderrMsg answers the stderr tail of a failed execution.
type stderrMsg struct {
	seq  int
	id   int64
	text string // last non-blank line, terminal-safe; "" when none
	err  error
}

// stderrTailCmd reads the end of execution x's stderr and keeps its last
// non-blank line.
func (l loader) stderrTailCmd(x execInfo) tea.Cmd {
	return l.run(func(ctx context.Context) tea.Msg {
		ex := &client.Execution{ID: x.id, ActionRef: x.actionRef, Status: x.status}
		lg, err := common.Cached(l.cache, fmt.Sprintf("stderr-tail:%d", x.id), l.refresh, func() (*client.ExecutionLog, *client.Response, error) {
			return l.api.Executions.Log(ctx, ex, client.Stderr, &client.LogReadOptions{Tail: stderrTailBytes})
		})
		if err != nil {
			return stderrMsg{seq: l.seq, id: x.id, err: err}
		}
		return stderrMsg{seq: l.seq, id: x.id, text: lastLine(lg.Text)}
	})
}

// lastLine returns the last non-blank line of s, without SGR sequences,
// terminal-safe.
func lastLine(s string) string {
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := len(lines) - 1; i >= 0; i-- {
		if t := strings.TrimSpace(logview.StripSGR(lines[i])); t != "" {
			return textsafe.Line(t)
		}
	}
	return ""
}

// timelineCmd loads the trace-tag report and sorts what it links by time.
func (l loader) timelineCmd(tag string) tea.Cmd {
	return l.run(func(ctx context.Context) tea.Msg {
		rep, err := common.Cached(l.cache, "trace:"+tag, l.refresh, func() (*client.TraceReport, *client.Response, error) {
			return l.api.Traces.Get(ctx, tag)
		})
		if err != nil {
			return timelineMsg{seq: l.seq, err: fmt.Errorf("get trace %s: %w", textsafe.Line(tag), err)}
		}
		var items []timelineItem
		for _, ev := range rep.Events {
			items = append(items, timelineItem{at: ev.Created, kind: "event", id: ev.ID, text: textsafe.Line(ev.TriggerRef)})
		}
		for _, e := range rep.Enforcements {
			items = append(items, timelineItem{at: e.Created, kind: "enforcement", id: e.ID,
				text: textsafe.Line(string(e.Status)) + " · " + textsafe.Line(e.RuleRef)})
		}
		for _, e := range rep.Executions {
			items = append(items, timelineItem{at: e.Created, kind: "execution", id: e.ID,
				text: textsafe.Line(string(e.Status)) + " · " + textsafe.Line(e.ActionRef)})
		}
		sortTimeline(items)
		return timelineMsg{seq: l.seq, items: items}
	})
}
