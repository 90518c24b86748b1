package common

import (
	"context"
	"fmt"

	"github.com/attune-tui/attune-tui/client"
)

// clientAPI adapts a *client.Client to API.
type clientAPI struct{ c *client.Client }

// ClientAPI returns the API backed by c. The root package re-exports it as
// ui.NewAPI.
func ClientAPI(c *client.Client) API { return clientAPI{c: c} }

// ListEvents implements API.
func (a clientAPI) ListEvents(ctx context.Context, q EventQuery) (*client.Page[client.EventSummary], error) {
	p, _, err := a.c.Events.List(ctx, eventOptions(q))
	return p, err
}

// GetEvent implements API.
func (a clientAPI) GetEvent(ctx context.Context, id int64) (*client.Event, error) {
	ev, _, err := a.c.Events.Get(ctx, id)
	return ev, err
}

// Me implements API.
func (a clientAPI) Me(ctx context.Context) (*client.CurrentUser, error) {
	u, _, err := a.c.Auth.Me(ctx)
	return u, err
}

// ListEnforcements implements API.
func (a clientAPI) ListEnforcements(ctx context.Context, q EnforcementQuery) (*client.Page[client.EnforcementSummary], error) {
	p, _, err := a.c.Enforcements.List(ctx, enforcementOptions(q))
	return p, err
}

// GetEnforcement implements API.
func (a clientAPI) GetEnforcement(ctx context.Context, id int64) (*client.Enforcement, error) {
	e, _, err := a.c.Enforcements.Get(ctx, id)
	return e, err
}

// ListExecutions implements API.
func (a clientAPI) ListExecutions(ctx context.Context, q ExecutionQuery) (*client.Page[client.ExecutionSummary], error) {
	p, _, err := a.c.Executions.List(ctx, executionOptions(q))
	return p, err
}

// GetExecution implements API.
func (a clientAPI) GetExecution(ctx context.Context, id int64) (*client.Execution, error) {
	e, _, err := a.c.Executions.Get(ctx, id)
	return e, err
}

// GetTrace implements API.
func (a clientAPI) GetTrace(ctx context.Context, tag string) (*client.TraceReport, error) {
	t, _, err := a.c.Traces.Get(ctx, tag)
	return t, err
}

// ListRules implements API.
func (a clientAPI) ListRules(ctx context.Context, q RuleQuery) (*client.Page[client.RuleSummary], error) {
	p, _, err := a.c.Rules.List(ctx, &client.RuleListOptions{
		PageOptions: client.PageOptions{Page: q.Page, PageSize: q.PageSize},
		TriggerRef:  q.TriggerRef, Enabled: q.Enabled,
	})
	return p, err
}

// GetSensor returns one sensor (SensorGetter).
func (a clientAPI) GetSensor(ctx context.Context, ref string) (*client.Sensor, error) {
	s, _, err := a.c.Sensors.Get(ctx, ref)
	return s, err
}

// GetRule implements API.
func (a clientAPI) GetRule(ctx context.Context, ref string) (*client.Rule, error) {
	r, _, err := a.c.Rules.Get(ctx, ref)
	return r, err
}

// ExecutionLog implements API.
func (a clientAPI) ExecutionLog(ctx context.Context, ex *client.Execution, stream client.LogStreamName, opts *client.LogReadOptions) (*client.ExecutionLog, error) {
	l, _, err := a.c.Executions.Log(ctx, ex, stream, opts)
	return l, err
}

// TailLog implements API.
func (a clientAPI) TailLog(ctx context.Context, id int64, stream client.LogStreamName, offset int64) (LogTail, error) {
	t, err := a.c.Executions.TailLog(ctx, id, stream, &client.TailLogOptions{Offset: offset})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ExecutionStats implements API.
func (a clientAPI) ExecutionStats(ctx context.Context) (*client.ExecutionStats, error) {
	s, _, err := a.c.Executions.Stats(ctx)
	return s, err
}

// OpenLive implements API.
func (a clientAPI) OpenLive(ctx context.Context, o LiveOptions) (LiveSource, error) {
	if o.Executions {
		st, err := a.c.Executions.Stream(ctx, &client.ExecutionStreamOptions{FailFast: o.FailFast})
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	u := o.NotifierURL
	if u == "" {
		u = a.c.DefaultNotifierURL()
	}
	n, err := client.NewNotifier(ctx, a.c, u, &client.NotifierOptions{Filters: []client.Filter{client.FilterAll}, FailFast: o.FailFast})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// LoginWith returns a LoginFunc for the login form: it creates a
// client for baseURL with opts (transport, CA, user agent — no credentials)
// and signs in with the typed login and password.
func LoginWith(baseURL string, opts ...client.Option) LoginFunc {
	return func(ctx context.Context, login, password string) (API, error) {
		c, err := client.New(baseURL, opts...)
		if err != nil {
			return nil, fmt.Errorf("new client: %w", err)
		}
		if _, _, err := c.Auth.Login(ctx, login, password); err != nil {
			return nil, err
		}
		return ClientAPI(c), nil
	}
}
