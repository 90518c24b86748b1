package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// ExecutionsService lists and reads executions.
type ExecutionsService service

// ExecutionListOptions filters GET /api/v1/executions. Zero values are not
// sent. The server lists newest first and defaults to 20 per page.
type ExecutionListOptions struct {
	ListOptions
	// Status filters by status (query "status").
	Status ExecutionStatus
	// ActionRef filters by action ref (query "action_ref").
	ActionRef string
	// RuleRef filters by rule ref (query "rule_ref").
	RuleRef string
	// TriggerRef filters by trigger ref, exact or "pack.*" (query "trigger_ref").
	TriggerRef string
	// PackName filters by pack (query "pack_name").
	PackName string
	// TraceTag filters by exact trace tag (query "trace_tag").
	TraceTag string
	// ResultContains filters by a case-insensitive substring of the result
	// JSON (query "result_contains").
	ResultContains string
	// Executor filters by initiating identity id (query "executor").
	Executor int64
	// Enforcement filters by enforcement id (query "enforcement").
	Enforcement int64
	// Parent filters by parent execution id (query "parent").
	Parent int64
	// TopLevelOnly lists only executions without a parent (query
	// "top_level_only"; sent only when true).
	TopLevelOnly bool
}

// Query returns the query parameters List sends for o (for showing
// or reproducing a request).
func (o *ExecutionListOptions) Query() url.Values { return o.values() }

// values encodes o as query parameters.
func (o *ExecutionListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	o.ListOptions.encode(q)
	setString(q, "status", string(o.Status))
	setString(q, "action_ref", o.ActionRef)
	setString(q, "rule_ref", o.RuleRef)
	setString(q, "trigger_ref", o.TriggerRef)
	setString(q, "pack_name", o.PackName)
	setString(q, "trace_tag", o.TraceTag)
	setString(q, "result_contains", o.ResultContains)
	setID(q, "executor", o.Executor)
	setID(q, "enforcement", o.Enforcement)
	setID(q, "parent", o.Parent)
	if o.TopLevelOnly {
		q.Set("top_level_only", "true")
	}
	return q
}

// List returns one page of executions, newest first.
//
// API: GET /api/v1/executions
func (s *ExecutionsService) List(ctx context.Context, opts *ExecutionListOptions) (*Page[ExecutionSummary], *Response, error) {
	return getPage[ExecutionSummary](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/executions", query: opts.values(), auth: true})
}

// All iterates over every execution matching opts, page by page from
// opts.Page, stopping at the first error or when ctx ends.
//
// API: GET /api/v1/executions
func (s *ExecutionsService) All(ctx context.Context, opts *ExecutionListOptions) iter.Seq2[ExecutionSummary, error] {
	o := ExecutionListOptions{}
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.Page, func(ctx context.Context, page int) (*Page[ExecutionSummary], error) {
		o.Page = page
		p, _, err := s.List(ctx, &o)
		return p, err
	})
}

// Get returns one execution with its config and result.
//
// API: GET /api/v1/executions/{id}
func (s *ExecutionsService) Get(ctx context.Context, id int64) (*Execution, *Response, error) {
	return s.GetWithOptions(ctx, id, nil)
}

// GetWithOptions is Get with query parameters; see [GetOptions].
//
// API: GET /api/v1/executions/{id}
func (s *ExecutionsService) GetWithOptions(ctx context.Context, id int64, opts *GetOptions) (*Execution, *Response, error) {
	if err := checkID("execution", id); err != nil {
		return nil, nil, err
	}
	return getItem[Execution](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/executions/{id}", pathParams: map[string]string{"id": idParam(id)}, query: opts.values(), auth: true})
}
