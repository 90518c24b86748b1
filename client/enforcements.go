package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// EnforcementsService lists and reads enforcements and their executions.
type EnforcementsService service

// EnforcementListOptions filters GET /api/v1/enforcements. Zero values are
// not sent.
type EnforcementListOptions struct {
	ListOptions
	// Rule filters by rule id (query "rule").
	Rule int64
	// Event filters by event id (query "event").
	Event int64
	// Status filters by status (query "status").
	Status EnforcementStatus
	// TriggerRef filters by trigger ref (query "trigger_ref").
	TriggerRef string
	// RuleRef filters by rule ref (query "rule_ref").
	RuleRef string
	// TraceTag filters by exact trace tag (query "trace_tag").
	TraceTag string
}

// Query returns the query parameters List sends for o (for showing
// or reproducing a request).
func (o *EnforcementListOptions) Query() url.Values { return o.values() }

// values encodes o as query parameters.
func (o *EnforcementListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	o.ListOptions.encode(q)
	setID(q, "rule", o.Rule)
	setID(q, "event", o.Event)
	setString(q, "status", string(o.Status))
	setString(q, "trigger_ref", o.TriggerRef)
	setString(q, "rule_ref", o.RuleRef)
	setString(q, "trace_tag", o.TraceTag)
	return q
}

// List returns one page of enforcements.
//
// API: GET /api/v1/enforcements
func (s *EnforcementsService) List(ctx context.Context, opts *EnforcementListOptions) (*Page[EnforcementSummary], *Response, error) {
	return getPage[EnforcementSummary](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/enforcements", query: opts.values(), auth: true})
}

// All iterates over every enforcement matching opts, page by page from
// opts.Page, stopping at the first error or when ctx ends.
//
// API: GET /api/v1/enforcements
func (s *EnforcementsService) All(ctx context.Context, opts *EnforcementListOptions) iter.Seq2[EnforcementSummary, error] {
	o := EnforcementListOptions{}
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.Page, func(ctx context.Context, page int) (*Page[EnforcementSummary], error) {
		o.Page = page
		p, _, err := s.List(ctx, &o)
		return p, err
	})
}

// Get returns one enforcement with its conditions snapshot, payload and
// resolved config.
//
// API: GET /api/v1/enforcements/{id}
func (s *EnforcementsService) Get(ctx context.Context, id int64) (*Enforcement, *Response, error) {
	return s.GetWithOptions(ctx, id, nil)
}

// GetWithOptions is Get with query parameters; see [GetOptions].
//
// API: GET /api/v1/enforcements/{id}
func (s *EnforcementsService) GetWithOptions(ctx context.Context, id int64, opts *GetOptions) (*Enforcement, *Response, error) {
	if err := checkID("enforcement", id); err != nil {
		return nil, nil, err
	}
	return getItem[Enforcement](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/enforcements/{id}", pathParams: map[string]string{"id": idParam(id)}, query: opts.values(), auth: true})
}

// ListExecutions returns one page of the executions an enforcement
// scheduled. The server always counts, so the page has totals.
//
// API: GET /api/v1/enforcements/{enforcement_id}/executions
func (s *EnforcementsService) ListExecutions(ctx context.Context, id int64, opts *PageOptions) (*Page[ExecutionSummary], *Response, error) {
	if err := checkID("enforcement", id); err != nil {
		return nil, nil, err
	}
	q := url.Values{}
	if opts != nil {
		opts.encode(q)
	}
	return getPage[ExecutionSummary](ctx, s.client, &request{
		method: http.MethodGet, path: "/api/v1/enforcements/{enforcement_id}/executions",
		pathParams: map[string]string{"enforcement_id": idParam(id)}, query: q, auth: true,
	})
}

// AllExecutions iterates over every execution of an enforcement, stopping
// at the first error or when ctx ends.
//
// API: GET /api/v1/enforcements/{enforcement_id}/executions
func (s *EnforcementsService) AllExecutions(ctx context.Context, id int64, opts *PageOptions) iter.Seq2[ExecutionSummary, error] {
	o := PageOptions{}
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.Page, func(ctx context.Context, page int) (*Page[ExecutionSummary], error) {
		o.Page = page
		p, _, err := s.ListExecutions(ctx, id, &o)
		return p, err
	})
}
