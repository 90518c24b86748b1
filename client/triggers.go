package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// TriggersService reads triggers and the rules attached to them.
type TriggersService service

// Get returns one trigger. An empty or redacted ref is rejected before any
// request.
//
// API: GET /api/v1/triggers/{ref}
func (s *TriggersService) Get(ctx context.Context, ref string) (*Trigger, *Response, error) {
	return s.GetWithOptions(ctx, ref, nil)
}

// GetWithOptions is Get with query parameters; see [TriggerGetOptions].
//
// API: GET /api/v1/triggers/{ref}
func (s *TriggersService) GetWithOptions(ctx context.Context, ref string, opts *TriggerGetOptions) (*Trigger, *Response, error) {
	if err := checkRef("trigger", ref); err != nil {
		return nil, nil, err
	}
	return getItem[Trigger](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/triggers/{ref}", pathParams: map[string]string{"ref": ref}, query: opts.values(), auth: true})
}

// ListRules returns one page of the rules attached to a trigger, enabled
// and disabled alike, ordered by ref. The server always counts.
//
// API: GET /api/v1/triggers/{trigger_ref}/rules
func (s *TriggersService) ListRules(ctx context.Context, ref string, opts *PageOptions) (*Page[RuleSummary], *Response, error) {
	if err := checkRef("trigger", ref); err != nil {
		return nil, nil, err
	}
	q := url.Values{}
	if opts != nil {
		opts.encode(q)
	}
	return getPage[RuleSummary](ctx, s.client, &request{
		method: http.MethodGet, path: "/api/v1/triggers/{trigger_ref}/rules",
		pathParams: map[string]string{"trigger_ref": ref}, query: q, auth: true,
	})
}

// AllRules iterates over every rule attached to a trigger, stopping at the
// first error or when ctx ends.
//
// API: GET /api/v1/triggers/{trigger_ref}/rules
func (s *TriggersService) AllRules(ctx context.Context, ref string, opts *PageOptions) iter.Seq2[RuleSummary, error] {
	o := PageOptions{}
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.Page, func(ctx context.Context, page int) (*Page[RuleSummary], error) {
		o.Page = page
		p, _, err := s.ListRules(ctx, ref, &o)
		return p, err
	})
}

// SensorsService reads sensors.
type SensorsService service

// Get returns one sensor. An empty or redacted ref is rejected before any
// request.
//
// API: GET /api/v1/sensors/{ref}
func (s *SensorsService) Get(ctx context.Context, ref string) (*Sensor, *Response, error) {
	if err := checkRef("sensor", ref); err != nil {
		return nil, nil, err
	}
	return getItem[Sensor](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/sensors/{ref}", pathParams: map[string]string{"ref": ref}, auth: true})
}

// TracesService reads trace reports.
type TracesService service

// Get returns everything the server knows under a trace tag: its events,
// enforcements, executions and queue items, filtered by the caller's
// grants. An empty or redacted tag is rejected before any request.
//
// API: GET /api/v1/traces/{trace_tag}
func (s *TracesService) Get(ctx context.Context, tag string) (*TraceReport, *Response, error) {
	if err := checkRef("trace tag", tag); err != nil {
		return nil, nil, err
	}
	return getItem[TraceReport](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/traces/{trace_tag}", pathParams: map[string]string{"trace_tag": tag}, auth: true})
}
