package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// behaviour is how statesAPI answers the calls of the chain screens.
type behaviour int

const (
	// answer: lists are empty, single resources exist.
	answer behaviour = iota
	// block: every call waits until its context ends (the loading state).
	block
	// fail: every call fails (the error state).
	fail
)

// statesAPI serves the chain screens in one state. The root event list
// never answers (it is hidden under the screen under test, and the status
// bar shows "● ok" only once that screen's own request succeeded); Me
// answers. Traces are not served: no case reaches them.
type statesAPI struct {
	mode behaviour
	// gate, when not nil, holds every call of the mode until it is closed,
	// so that a failure is reported after a sibling request's success
	// (whose SyncMsg clears the status bar's error).
	gate <-chan struct{}
	// getEvent, listEnforcements and listExecutions, when set, answer
	// those calls instead of the mode.
	getEvent         func(id int64) (*client.Event, error)
	listEnforcements func(q *client.EnforcementListOptions) (*client.Page[client.EnforcementSummary], error)
	listExecutions   func(q *client.ExecutionListOptions) (*client.Page[client.ExecutionSummary], error)
}

// API returns the API s serves.
func (s statesAPI) API() *common.API {
	a := uitest.Fake()
	a.Events = statesEvents{s}
	a.Enforcements = statesEnforcements{s}
	a.Executions = statesExecutions{ExecutionsAPI: a.Executions, s: s}
	a.Rules = statesRules{s}
	return a
}

// stateEvent is the event every answering GetEvent returns.
func stateEvent(id int64) *client.Event {
	return &client.Event{ID: id, TriggerRef: "core.webhook", Created: uitest.Now().Add(-time.Minute)}
}

// emptyPage is the answer of a list with no rows.
func emptyPage[T any]() *client.Page[T] {
	return &client.Page[T]{Items: []T{}, Pagination: client.Pagination{Page: 1, PageSize: 20}}
}

// listFailure is the error of a failing list call: a server error whose
// message carries an escape sequence that must never reach the screen.
func listFailure(path string) error {
	return &client.APIError{StatusCode: 500, Code: "INTERNAL_SERVER_ERROR",
		Message: "database \x1b[31munavailable", Method: "GET", Path: path}
}

// notFound is the error of a failing get call.
func notFound(path string) error {
	return &client.APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "not found", Method: "GET", Path: path}
}

// call answers a call according to s.mode: ok's value, a block until ctx
// ends, or failure.
func call[T any](ctx context.Context, s statesAPI, ok T, failure error) (T, error) {
	var zero T
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
	}
	switch s.mode {
	case block:
		<-ctx.Done()
		return zero, ctx.Err()
	case fail:
		return zero, failure
	}
	return ok, nil
}

// noResponse is a service's answer without an HTTP response.
func noResponse[T any](v T, err error) (T, *client.Response, error) { return v, nil, err }

type statesEvents struct{ s statesAPI }

func (statesEvents) List(ctx context.Context, _ *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error) {
	<-ctx.Done()
	return nil, nil, ctx.Err()
}

func (e statesEvents) Get(ctx context.Context, id int64) (*client.Event, *client.Response, error) {
	if e.s.getEvent != nil {
		return noResponse(e.s.getEvent(id))
	}
	return noResponse(call(ctx, e.s, stateEvent(id), &client.TransportError{Method: "GET", Path: "/api/v1/events/{id}",
		Err: errors.New("dial tcp 127.0.0.1:8080: connect: connection refused")}))
}

type statesEnforcements struct{ s statesAPI }

func (e statesEnforcements) List(ctx context.Context, q *client.EnforcementListOptions) (*client.Page[client.EnforcementSummary], *client.Response, error) {
	if e.s.listEnforcements != nil {
		return noResponse(e.s.listEnforcements(q))
	}
	return noResponse(call(ctx, e.s, emptyPage[client.EnforcementSummary](), listFailure("/api/v1/enforcements")))
}

func (e statesEnforcements) Get(ctx context.Context, _ int64) (*client.Enforcement, *client.Response, error) {
	return noResponse(call[*client.Enforcement](ctx, e.s, nil, notFound("/api/v1/enforcements/{id}")))
}

type statesExecutions struct {
	common.ExecutionsAPI // logs: not served
	s                    statesAPI
}

func (e statesExecutions) List(ctx context.Context, q *client.ExecutionListOptions) (*client.Page[client.ExecutionSummary], *client.Response, error) {
	if e.s.listExecutions != nil {
		return noResponse(e.s.listExecutions(q))
	}
	return noResponse(call(ctx, e.s, emptyPage[client.ExecutionSummary](), listFailure("/api/v1/executions")))
}

func (e statesExecutions) Stats(ctx context.Context) (*client.ExecutionStats, *client.Response, error) {
	return noResponse(call(ctx, e.s, &client.ExecutionStats{}, listFailure("/api/v1/executions/stats")))
}

func (e statesExecutions) Get(ctx context.Context, _ int64) (*client.Execution, *client.Response, error) {
	return noResponse(call[*client.Execution](ctx, e.s, nil, notFound("/api/v1/executions/{id}")))
}

type statesRules struct{ s statesAPI }

func (r statesRules) List(ctx context.Context, _ *client.RuleListOptions) (*client.Page[client.RuleSummary], *client.Response, error) {
	return noResponse(call(ctx, r.s, emptyPage[client.RuleSummary](), listFailure("/api/v1/rules")))
}

func (r statesRules) Get(ctx context.Context, _ string) (*client.Rule, *client.Response, error) {
	return noResponse(call[*client.Rule](ctx, r.s, nil, notFound("/api/v1/rules/{ref}")))
}

// missingEvent: the event of a trace is gone (404) and the server lists
// no enforcements for it.
func missingEvent(int64) (*client.Event, error) { return nil, notFound("/api/v1/events/{id}") }

// eventFound: the event loads, whatever the mode.
func eventFound(id int64) (*client.Event, error) { return stateEvent(id), nil }

// twoEnforcements lists enforcements #12 and #11 of the event (with
// nodeExecutions: listing the executions of #11 fails, #12 has one
// completed execution).
func twoEnforcements(q *client.EnforcementListOptions) (*client.Page[client.EnforcementSummary], error) {
	at := uitest.Now().Add(-time.Minute)
	p := emptyPage[client.EnforcementSummary]()
	for _, e := range []struct {
		id   int64
		rule string
	}{{12, "core.notify"}, {11, "core.archive"}} {
		p.Items = append(p.Items, client.EnforcementSummary{ID: e.id, RuleRef: e.rule,
			TriggerRef: "core.webhook", Event: &q.Event, Status: client.EnforcementProcessed,
			Condition: client.ConditionAll, Created: at})
	}
	return p, nil
}

// nodeExecutions: see twoEnforcements.
func nodeExecutions(q *client.ExecutionListOptions) (*client.Page[client.ExecutionSummary], error) {
	if q.Enforcement == 11 {
		return nil, &client.TransportError{Method: "GET", Path: "/api/v1/executions",
			Err: errors.New("read tcp 127.0.0.1:50000->127.0.0.1:8080: connection reset by peer")}
	}
	at := uitest.Now().Add(-time.Minute)
	p := emptyPage[client.ExecutionSummary]()
	if q.Enforcement == 12 {
		enf := q.Enforcement
		started := at.Add(100 * time.Millisecond)
		p.Items = append(p.Items, client.ExecutionSummary{ID: 21, ActionRef: "core.echo",
			Status: client.ExecutionCompleted, Enforcement: &enf, StartedAt: &started,
			Created: at, Updated: at.Add(1500 * time.Millisecond)})
	}
	return p, nil
}

// noEnforcementList: the event has no enforcements, whatever the mode.
func noEnforcementList(*client.EnforcementListOptions) (*client.Page[client.EnforcementSummary], error) {
	return emptyPage[client.EnforcementSummary](), nil
}

// errBar is the start of the status bar's error part: it appears once the
// screen has reported its failure to the root, the last step of an error
// state.
const errBar = "│ ! "

// stateAPI returns a constructor of statesAPI in mode, without a gate.
func stateAPI(mode behaviour) func(<-chan struct{}) *common.API {
	return func(<-chan struct{}) *common.API { return statesAPI{mode: mode}.API() }
}

// TestScreenStates golden-tests the loading, empty and error states of the
// chain screens (the ready states are in TestChainFlow) at 80×24 and
// 120×40. Each case opens its screen with a ":" command over the event
// list (still loading) and waits for the last text of its state to be
// drawn.
func TestScreenStates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// api builds the fake; gate is closed once the screen's successful
		// request has been synced ("● ok"), when gated is true, and at once
		// otherwise.
		api     func(gate <-chan struct{}) *common.API
		gated   bool
		command string
		// want are the texts drawn last in that state: the golden is taken
		// once all of them were drawn after the command.
		want []string
		// title is the breadcrumb segment of the screen on top.
		title string
	}{
		{name: "enforcements_loading", api: stateAPI(block), command: "enforcements",
			want: []string{"Loading enforcements…"}, title: "Enforcements"},
		{name: "enforcements_empty", api: stateAPI(answer), command: "enforcements",
			want: []string{"No enforcements — 0 shows all statuses", "● ok"}, title: "Enforcements"},
		{name: "enforcements_error", api: stateAPI(fail), command: "enforcements",
			want: []string{"Could not load enforcements", "press r to retry", errBar}, title: "Enforcements"},
		{name: "executions_loading", api: stateAPI(block), command: "executions",
			want: []string{"Loading executions…"}, title: "Executions"},
		{name: "executions_empty", api: stateAPI(answer), command: "executions",
			want: []string{"No executions — 0 shows all statuses", "● ok", "0 pending"}, title: "Executions"},
		{name: "executions_error", api: stateAPI(fail), command: "executions",
			want: []string{"Could not load executions", "press r to retry", errBar, "counts: ?"}, title: "Executions"},
		{name: "enforcement_loading", api: stateAPI(block), command: "enforcement 5",
			want: []string{"Loading enforcement…"}, title: "Enforcement #5"},
		{name: "enforcement_error", api: stateAPI(fail), command: "enforcement 5",
			want: []string{"Could not load enforcement", "press r to retry", errBar}, title: "Enforcement #5"},
		{name: "execution_loading", api: stateAPI(block), command: "execution 5",
			want: []string{"Loading execution…"}, title: "Execution #5"},
		{name: "execution_error", api: stateAPI(fail), command: "execution 5",
			want: []string{"Could not load execution", "press r to retry", errBar}, title: "Execution #5"},
		{name: "rule_loading", api: stateAPI(block), command: "rule core.x",
			want: []string{"Loading rule…"}, title: "Rule core.x"},
		{name: "rule_error", api: stateAPI(fail), command: "rule core.x",
			want: []string{"Could not load rule", "press r to retry", errBar}, title: "Rule core.x"},
		{name: "trace_loading", api: stateAPI(block), command: "trace 5",
			want: []string{"loading trace…", "loading enforcements…"}, title: "Trace of #5"},
		{name: "trace_event_missing", api: func(<-chan struct{}) *common.API {
			return statesAPI{mode: answer, getEvent: missingEvent}.API()
		}, command: "trace 5", want: []string{"✗ 404 NOT_FOUND", "no enforcements", errBar}, title: "Trace of #5"},
		{name: "trace_enforcements_error", api: func(g <-chan struct{}) *common.API {
			return statesAPI{mode: fail, gate: g, getEvent: eventFound}.API()
		}, gated: true, command: "trace 5", want: []string{"✗ 500 INTERNAL_SERVER_ERROR", errBar}, title: "Trace of #5"},
		{name: "trace_node_error", api: func(<-chan struct{}) *common.API {
			return statesAPI{mode: answer, getEvent: eventFound, listEnforcements: twoEnforcements, listExecutions: nodeExecutions}.API()
		}, command: "trace 5", want: []string{"✗ server unreachable", "execution #21", "2 enforcements", "● ok"}, title: "Trace of #5"},
		{name: "why_loading", api: stateAPI(block), command: "why 5",
			want: []string{"Loading event…"}, title: "Rules for #5"},
		{name: "why_error", api: stateAPI(fail), command: "why 5",
			want: []string{"Could not load event", "press r to retry", errBar}, title: "Rules for #5"},
		{name: "why_rule_list_error", api: func(g <-chan struct{}) *common.API {
			return statesAPI{mode: fail, gate: g, getEvent: eventFound, listEnforcements: noEnforcementList}.API()
		}, gated: true, command: "why 5", want: []string{"Could not list rules", "press r to retry", errBar}, title: "Rules for #5"},
	}
	for _, tc := range tests {
		for _, sz := range sizes {
			t.Run(tc.name+"_"+sz.name, func(t *testing.T) {
				t.Parallel()
				gate := make(chan struct{})
				if !tc.gated {
					close(gate)
				}
				d := uitest.Deps(tc.api(gate))
				d.RequestTimeout = time.Minute // loading must outlast the test
				tm := start(t, d, sz.w, sz.h)
				wait(t, tm, "Loading events", "tester")
				typeKeys(tm, ":")
				tm.Type(tc.command)
				typeKeys(tm, "enter")
				if tc.gated {
					wait(t, tm, "● ok")
					close(gate)
				}
				wait(t, tm, tc.want...)
				a, v := final(t, tm)
				for _, f := range []string{"/", "-", "\\"} {
					v = strings.ReplaceAll(v, f+" loading trace", "| loading trace")
				}
				// A top-level list replaces the stack; other screens stack.
				if views := a.Views(); tc.command == "enforcements" || tc.command == "executions" {
					if len(views) != 1 || views[0] != tc.title {
						t.Errorf("stack = %q, want only %q", views, tc.title)
					}
				} else if len(views) != 2 || views[1] != tc.title {
					t.Errorf("stack = %q, want Events and %q", views, tc.title)
				}
				if strings.Contains(v, "\x1b") {
					t.Error("an escape sequence reached the screen")
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}
