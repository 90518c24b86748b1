package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// RulesService lists and reads rules.
type RulesService service

// RuleListOptions filters GET /api/v1/rules. Zero values are not sent. The
// ref filters are exact matches; the server orders by ref and always counts.
type RuleListOptions struct {
	PageOptions
	// Q is whitespace-separated search tokens, each a case-insensitive
	// substring of ref, label, description or a ref field (query "q";
	// ignored by older servers).
	Q string
	// PackRef filters by pack ref (query "pack_ref").
	PackRef string
	// ActionRef filters by action ref (query "action_ref").
	ActionRef string
	// TriggerRef filters by trigger ref (query "trigger_ref").
	TriggerRef string
	// Enabled filters by enabled state when non-nil (query "enabled").
	Enabled *bool
}

// values encodes o as query parameters.
func (o *RuleListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	o.PageOptions.encode(q)
	setString(q, "q", o.Q)
	setString(q, "pack_ref", o.PackRef)
	setString(q, "action_ref", o.ActionRef)
	setString(q, "trigger_ref", o.TriggerRef)
	if o.Enabled != nil {
		q.Set("enabled", strconv.FormatBool(*o.Enabled))
	}
	return q
}

// List returns one page of rules. Items carry no conditions: use Get.
//
// API: GET /api/v1/rules
func (s *RulesService) List(ctx context.Context, opts *RuleListOptions) (*Page[RuleSummary], *Response, error) {
	return getPage[RuleSummary](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/rules", query: opts.values(), auth: true})
}

// All iterates over every rule matching opts, page by page from opts.Page,
// stopping at the first error or when ctx ends.
//
// API: GET /api/v1/rules
func (s *RulesService) All(ctx context.Context, opts *RuleListOptions) iter.Seq2[RuleSummary, error] {
	o := RuleListOptions{}
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.Page, func(ctx context.Context, page int) (*Page[RuleSummary], error) {
		o.Page = page
		p, _, err := s.List(ctx, &o)
		return p, err
	})
}

// Get returns one rule including its conditions. An empty or redacted ref
// is rejected before any request.
//
// API: GET /api/v1/rules/{ref}
func (s *RulesService) Get(ctx context.Context, ref string) (*Rule, *Response, error) {
	if err := checkRef("rule", ref); err != nil {
		return nil, nil, err
	}
	return getItem[Rule](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/rules/{ref}", pathParams: map[string]string{"ref": ref}, auth: true})
}
