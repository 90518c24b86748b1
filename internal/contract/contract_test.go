package contract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/internal/contract"
)

// jsonHeader is the header of every JSON answer.
func jsonHeader() http.Header {
	return http.Header{"Content-Type": []string{"application/json"}}
}

func TestFixturesMatchSpec(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	cases := []struct {
		fixture string
		method  string
		target  string
		status  int
	}{
		{"login_response.json", http.MethodPost, "/auth/login", 200},
		{"events_page.json", http.MethodGet, "/api/v1/events?per_page=3", 200},
		{"event_detail.json", http.MethodGet, "/api/v1/events/4811", 200},
		{"enforcements_page.json", http.MethodGet, "/api/v1/enforcements?event=4811&include_total=true", 200},
		{"enforcement_detail.json", http.MethodGet, "/api/v1/enforcements/2288", 200},
		{"executions_page.json", http.MethodGet, "/api/v1/executions?per_page=3", 200},
		{"execution_detail.json", http.MethodGet, "/api/v1/executions/9937", 200},
		{"trace_report.json", http.MethodGet, "/api/v1/traces/monitoring.http_alert.4811", 200},
		{"rule_detail.json", http.MethodGet, "/api/v1/rules/monitoring.page_oncall", 200},
		{"rules_page.json", http.MethodGet, "/api/v1/triggers/monitoring.http_alert/rules", 200},
		{"error_not_found.json", http.MethodGet, "/api/v1/events/999999", 404},
		{"error_bad_credentials.json", http.MethodPost, "/auth/login", 401},
		{"error_token_expired.json", http.MethodGet, "/api/v1/events", 401},
		{"error_token_expired.json", http.MethodGet, "/api/v1/rules", 401},
	}
	for _, tc := range cases {
		t.Run(tc.fixture+" "+tc.target, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, tc.target, nil)
			spec.ValidateResponseBody(t, req, tc.status, jsonHeader(), spec.Fixture(t, tc.fixture))
		})
	}
}

func TestDocumentedDeviationsAreTolerated(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	cases := []struct {
		name   string
		method string
		target string
		status int
		body   string
	}{
		{"null event payload", http.MethodGet, "/api/v1/events/1", 200,
			`{"data":{"id":1,"trigger":null,"trigger_ref":"core.x","config":null,"payload":null,"source":null,"source_ref":null,"rule":null,"rule_ref":null,"created":"2026-06-11T14:02:41.120514Z"}}`},
		{"null execution config and result", http.MethodGet, "/api/v1/executions/1", 200,
			`{"data":{"id":1,"action":null,"action_ref":"core.echo","config":null,"parent":null,"enforcement":null,"executor":null,"worker":null,"status":"requested","result":null,"created":"2026-06-11T14:02:41Z","updated":"2026-06-11T14:02:41Z"}}`},
		{"array conditions", http.MethodGet, "/api/v1/enforcements/1", 200,
			`{"data":{"id":1,"rule":null,"rule_ref":"a.b","trigger_ref":"c.d","config":null,"event":null,"status":"created","payload":{},"condition":"all","conditions":[{"field":"x","operator":"equals","value":1}],"created":"2026-06-11T14:02:41Z","resolved_at":null}}`},
		{"totals omitted", http.MethodGet, "/api/v1/events", 200,
			`{"items":[],"pagination":{"page":1,"page_size":50,"has_previous":false,"has_next":false}}`},
		{"422 on login", http.MethodPost, "/auth/login", 422,
			`{"error":"Invalid login request: login must not be empty","code":"VALIDATION_ERROR"}`},
		{"403 on events", http.MethodGet, "/api/v1/events", 403,
			`{"error":"Insufficient permissions: events:read","code":"FORBIDDEN"}`},
		{"auth envelope 401 on trigger rules", http.MethodGet, "/api/v1/triggers/a.b/rules", 401,
			`{"error":{"code":401,"message":"Missing authentication token"}}`},
		{"503 retryable database error", http.MethodGet, "/api/v1/executions", 503,
			`{"error":"Database operation temporarily unavailable; please retry","code":"RETRYABLE_DATABASE_ERROR"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, tc.target, nil)
			if err := spec.CheckResponse(req, tc.status, jsonHeader(), []byte(tc.body)); err != nil {
				t.Errorf("want tolerated, got %v", err)
			}
		})
	}
}

func TestViolationsAreReported(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	cases := []struct {
		name   string
		method string
		target string
		status int
		body   string
	}{
		{"event list item without trigger_ref", http.MethodGet, "/api/v1/events", 200,
			`{"items":[{"id":1,"has_payload":false,"created":"2026-06-11T14:02:41Z"}],"pagination":{"page":1,"page_size":50,"has_previous":false,"has_next":false}}`},
		{"null enforcement payload (not documented)", http.MethodGet, "/api/v1/enforcements/1", 200,
			`{"data":{"id":1,"rule":null,"rule_ref":"a.b","trigger_ref":"c.d","config":null,"event":null,"status":"created","payload":null,"condition":"all","conditions":null,"created":"2026-06-11T14:02:41Z","resolved_at":null}}`},
		{"error body of neither shape", http.MethodGet, "/api/v1/events/1", 404, `{"message":"nope"}`},
		{"pagination missing has_next", http.MethodGet, "/api/v1/rules", 200,
			`{"items":[],"pagination":{"page":1,"page_size":50,"has_previous":false}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, tc.target, nil)
			if err := spec.CheckResponse(req, tc.status, jsonHeader(), []byte(tc.body)); err == nil {
				t.Error("want a violation, got none")
			}
		})
	}
}

func TestRequests(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t).WithBasePath("/attune")
	cases := []struct {
		name   string
		method string
		target string
		body   string
		auth   bool
		valid  bool
	}{
		{"events with filters", http.MethodGet, "/attune/api/v1/events?trigger_ref=a.b&per_page=100&include_total=true", "", true, true},
		{"per_page above 100", http.MethodGet, "/attune/api/v1/events?per_page=101", "", true, false},
		{"page 0", http.MethodGet, "/attune/api/v1/executions?page=0", "", true, false},
		{"non-integer id", http.MethodGet, "/attune/api/v1/events/abc", "", true, false},
		{"rules page_size", http.MethodGet, "/attune/api/v1/rules?page_size=100&enabled=true", "", true, true},
		{"login body", http.MethodPost, "/attune/auth/login", `{"login":"a","password":"b"}`, false, true},
		{"login without password", http.MethodPost, "/attune/auth/login", `{"login":"a"}`, false, false},
		{"unknown path", http.MethodGet, "/attune/api/v1/nope", "", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tc.auth {
				req.Header.Set("Authorization", "Bearer x.y.z")
			}
			err := spec.CheckRequest(req)
			if tc.valid && err != nil {
				t.Errorf("want valid, got %v", err)
			}
			if !tc.valid && err == nil {
				t.Error("want a violation, got none")
			}
		})
	}
}

func TestBasePathMismatch(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t).WithBasePath("/attune")
	req := httptest.NewRequest(http.MethodGet, "/api/v1/events", nil)
	if err := spec.CheckRequest(req); err == nil {
		t.Error("want an error for a path outside the base path")
	}
}
