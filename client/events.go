package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// EventsService lists and reads events.
type EventsService service

// EventListOptions filters GET /api/v1/events. Zero values are not sent.
type EventListOptions struct {
	ListOptions
	// Trigger filters by trigger id (query "trigger").
	Trigger int64
	// Source filters by sensor id (query "source").
	Source int64
	// TriggerRef filters by trigger ref (query "trigger_ref").
	TriggerRef string
	// RuleRef filters by the rule that generated the event (query "rule_ref").
	RuleRef string
	// TraceTag filters by exact trace tag (query "trace_tag").
	TraceTag string
}

// Query returns the query parameters List sends for o (for showing
// or reproducing a request).
func (o *EventListOptions) Query() url.Values { return o.values() }

// values encodes o as query parameters.
func (o *EventListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	o.ListOptions.encode(q)
	setID(q, "trigger", o.Trigger)
	setID(q, "source", o.Source)
	setString(q, "trigger_ref", o.TriggerRef)
	setString(q, "rule_ref", o.RuleRef)
	setString(q, "trace_tag", o.TraceTag)
	return q
}

// List returns one page of events.
//
// API: GET /api/v1/events
func (s *EventsService) List(ctx context.Context, opts *EventListOptions) (*Page[EventSummary], *Response, error) {
	return getPage[EventSummary](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/events", query: opts.values(), auth: true})
}

// All iterates over every event matching opts, page by page from opts.Page,
// stopping at the first error or when ctx ends.
//
// API: GET /api/v1/events
func (s *EventsService) All(ctx context.Context, opts *EventListOptions) iter.Seq2[EventSummary, error] {
	o := EventListOptions{}
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.Page, func(ctx context.Context, page int) (*Page[EventSummary], error) {
		o.Page = page
		p, _, err := s.List(ctx, &o)
		return p, err
	})
}

// Get returns one event with its payload and config.
//
// API: GET /api/v1/events/{id}
func (s *EventsService) Get(ctx context.Context, id int64) (*Event, *Response, error) {
	return s.GetWithOptions(ctx, id, nil)
}

// GetWithOptions is Get with query parameters; see [GetOptions].
//
// API: GET /api/v1/events/{id}
func (s *EventsService) GetWithOptions(ctx context.Context, id int64, opts *GetOptions) (*Event, *Response, error) {
	if err := checkID("event", id); err != nil {
		return nil, nil, err
	}
	return getItem[Event](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/events/{id}", pathParams: map[string]string{"id": idParam(id)}, query: opts.values(), auth: true})
}
