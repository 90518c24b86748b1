package common

import (
	"context"
	"fmt"

	"github.com/attune-tui/attune-tui/client"
)

// API is the Attune API as the UI uses it: the client's services, each
// behind an interface of the calls the UI makes, with the client's own
// option types (the go-github way of depending on a client). NewAPI fills
// it from a *client.Client with nothing in between; a test replaces the
// one service it fakes.
type API struct {
	// Auth reports the signed-in identity (*client.AuthService).
	Auth AuthAPI
	// Events lists and reads events (*client.EventsService).
	Events EventsAPI
	// Enforcements lists and reads enforcements (*client.EnforcementsService).
	Enforcements EnforcementsAPI
	// Executions lists, reads, counts and follows executions and their
	// output (*client.ExecutionsService).
	Executions ExecutionsAPI
	// Rules lists and reads rules (*client.RulesService).
	Rules RulesAPI
	// Traces reads everything linked to a trace tag (*client.TracesService).
	Traces TracesAPI
	// Sensors reads sensors; the filter bars resolve sensor refs with it
	// (*client.SensorsService).
	Sensors SensorsAPI
	// OpenLive opens a live source (see LiveOptions); it connects in the
	// background and ctx ends it. Nil: the API has no live channel.
	OpenLive func(ctx context.Context, o LiveOptions) (LiveSource, error)
}

// AuthAPI is the part of *client.AuthService the UI calls.
type AuthAPI interface {
	// Me returns the signed-in identity.
	Me(ctx context.Context) (*client.CurrentUser, *client.Response, error)
}

// EventsAPI is the part of *client.EventsService the UI calls.
type EventsAPI interface {
	// List returns one page of events, newest first.
	List(ctx context.Context, opts *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error)
	// Get returns one event with its payload and config.
	Get(ctx context.Context, id int64) (*client.Event, *client.Response, error)
}

// EnforcementsAPI is the part of *client.EnforcementsService the UI calls.
type EnforcementsAPI interface {
	// List returns one page of enforcements, newest first.
	List(ctx context.Context, opts *client.EnforcementListOptions) (*client.Page[client.EnforcementSummary], *client.Response, error)
	// Get returns one enforcement with conditions, payload and config.
	Get(ctx context.Context, id int64) (*client.Enforcement, *client.Response, error)
}

// ExecutionsAPI is the part of *client.ExecutionsService the UI calls.
type ExecutionsAPI interface {
	// List returns one page of executions, newest first.
	List(ctx context.Context, opts *client.ExecutionListOptions) (*client.Page[client.ExecutionSummary], *client.Response, error)
	// Get returns one execution with config and result.
	Get(ctx context.Context, id int64) (*client.Execution, *client.Response, error)
	// Stats returns the execution counts per status bucket.
	Stats(ctx context.Context) (*client.ExecutionStats, *client.Response, error)
	// Log returns the complete log of one output stream of a finished
	// execution (or, with opts, a byte range of it).
	Log(ctx context.Context, ex *client.Execution, stream client.LogStreamName, opts *client.LogReadOptions) (*client.ExecutionLog, *client.Response, error)
	// TailLog follows one output stream of an execution; it connects
	// lazily and ctx ends it.
	TailLog(ctx context.Context, id int64, stream client.LogStreamName, opts *client.TailLogOptions) (*client.LogTail, error)
}

// RulesAPI is the part of *client.RulesService the UI calls.
type RulesAPI interface {
	// List returns one page of rules (no conditions), ordered by ref.
	List(ctx context.Context, opts *client.RuleListOptions) (*client.Page[client.RuleSummary], *client.Response, error)
	// Get returns one rule with its current conditions.
	Get(ctx context.Context, ref string) (*client.Rule, *client.Response, error)
}

// TracesAPI is the part of *client.TracesService the UI calls.
type TracesAPI interface {
	// Get returns everything the server links to a trace tag.
	Get(ctx context.Context, tag string) (*client.TraceReport, *client.Response, error)
}

// SensorsAPI is the part of *client.SensorsService the UI calls.
type SensorsAPI interface {
	// Get returns one sensor by ref.
	Get(ctx context.Context, ref string) (*client.Sensor, *client.Response, error)
}

// NewAPI returns the API backed by c: its services, and live sources from
// its notifier and execution stream.
func NewAPI(c *client.Client) *API {
	return &API{
		Auth:         c.Auth,
		Events:       c.Events,
		Enforcements: c.Enforcements,
		Executions:   c.Executions,
		Rules:        c.Rules,
		Traces:       c.Traces,
		Sensors:      c.Sensors,
		OpenLive: func(ctx context.Context, o LiveOptions) (LiveSource, error) {
			return openLive(ctx, c, o)
		},
	}
}

// openLive opens the live channel o names on c: the execution SSE stream,
// or the notifier subscribed to every notification.
func openLive(ctx context.Context, c *client.Client, o LiveOptions) (LiveSource, error) {
	if o.Executions {
		st, err := c.Executions.Stream(ctx, &client.ExecutionStreamOptions{FailFast: o.FailFast})
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	u := o.NotifierURL
	if u == "" {
		u = c.DefaultNotifierURL()
	}
	n, err := client.NewNotifier(ctx, c, u, &client.NotifierOptions{Filters: []client.Filter{client.FilterAll}, FailFast: o.FailFast})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// LoginWith returns a LoginFunc for the login form: it creates a
// client for baseURL with opts (transport, CA, user agent — no credentials)
// and signs in with the typed login and password.
func LoginWith(baseURL string, opts ...client.Option) LoginFunc {
	return func(ctx context.Context, login, password string) (*API, error) {
		c, err := client.New(baseURL, opts...)
		if err != nil {
			return nil, fmt.Errorf("new client: %w", err)
		}
		if _, _, err := c.Auth.Login(ctx, login, password); err != nil {
			return nil, err
		}
		return NewAPI(c), nil
	}
}
