package client_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/contract"
)

// TestContract runs every client method against a server that validates each
// incoming request against openapi.json and answers with the shared fixture
// for that route, whose response is validated as well.
func TestContract(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	routes := map[string]string{
		"POST /auth/login":                         "login_response.json",
		"POST /auth/refresh":                       "login_response.json",
		"GET /api/v1/events":                       "events_page.json",
		"GET /api/v1/events/{id}":                  "event_detail.json",
		"GET /api/v1/enforcements":                 "enforcements_page.json",
		"GET /api/v1/enforcements/{id}":            "enforcement_detail.json",
		"GET /api/v1/enforcements/{id}/executions": "executions_page.json",
		"GET /api/v1/executions":                   "executions_page.json",
		"GET /api/v1/executions/{id}":              "execution_detail.json",
		"GET /api/v1/rules":                        "rules_page.json",
		"GET /api/v1/rules/{ref}":                  "rule_detail.json",
		"GET /api/v1/triggers/{ref}/rules":         "rules_page.json",
		"GET /api/v1/traces/{tag}":                 "trace_report.json",
	}
	c, mux := setupWith(t, client.WithCredentials(testLogin, testPassword))
	checked := spec // the mux strips basePath before the handlers run
	bodies := map[string][]byte{
		// No shared fixture for a trigger; this body follows TriggerResponse.
		"GET /api/v1/triggers/{ref}": []byte(`{"data":{"id":12,"ref":"monitoring.http_alert","label":"HTTP alert","description":null,"enabled":true,
			"param_schema":null,"out_schema":null,"pack":3,"pack_ref":"monitoring","sensor":null,"sensor_ref":null,"webhook_enabled":true,
			"webhook_key":null,"is_adhoc":false,"reference_visibility":"public","reference_allowed_pack_refs":[],
			"created":"2026-05-30T09:12:44Z","updated":"2026-05-30T09:12:44Z"}}`),
		"GET /api/v1/sensors/{ref}": []byte(`{"data":{"id":2,"ref":"core.timer_sensor","label":"Timer","description":null,"entrypoint":"timer.py","runtime":1,
			"runtime_ref":"core.python","enabled":true,"pack":1,"pack_ref":"core","param_schema":null,"worker_selector":{"os":"linux"},"worker_tolerations":[],
			"worker_affinity":{},"created":"2026-05-30T09:12:44Z","updated":"2026-05-30T09:12:44Z"}}`),
		"GET /auth/me": []byte(`{"data":{"id":1,"login":"admin","display_name":"Administrator","auth_provider":"local","is_local":true,"can_change_password":true,
			"effective_permissions":[{"resource":"events","actions":["read"]}],"assigned_permission_set_refs":["core.admin"]}}`),
		"GET /health":          []byte(`{"status":"ok"}`),
		"GET /health/detailed": []byte(`{"status":"ok","version":"0.6.0","database":"connected"}`),
		"GET /health/live":     nil,
		"GET /health/ready":    nil,
	}
	for pattern, name := range routes {
		bodies[pattern] = spec.Fixture(t, name)
	}
	for pattern, body := range bodies {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			req := r.Clone(r.Context())
			checked.ValidateRequest(t, req)
			rec := httptest.NewRecorder()
			writeJSON(rec, http.StatusOK, body)
			checked.ValidateResponseBody(t, req, rec.Code, rec.Header(), rec.Body.Bytes())
			writeJSON(w, rec.Code, body)
		})
	}
	ctx := t.Context()
	yes := true
	calls := []struct {
		name string
		call func() error
	}{
		{"events", func() error {
			_, _, err := c.Events.List(ctx, &client.EventListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 1000, IncludeTotal: true}, Trigger: 1, Source: 2, TriggerRef: "a.b", RuleRef: "c.d", TraceTag: "a.b.1"})
			return err
		}},
		{"event", func() error { _, _, err := c.Events.Get(ctx, 4811); return err }},
		{"event decrypted", func() error {
			_, _, err := c.Events.GetWithOptions(ctx, 4811, &client.GetOptions{IncludeSecretValues: true})
			return err
		}},
		{"enforcement decrypted", func() error {
			_, _, err := c.Enforcements.GetWithOptions(ctx, 2288, &client.GetOptions{IncludeSecretValues: true})
			return err
		}},
		{"execution decrypted", func() error {
			_, _, err := c.Executions.GetWithOptions(ctx, 9937, &client.GetOptions{IncludeSecretValues: true})
			return err
		}},
		{"trigger", func() error {
			_, _, err := c.Triggers.GetWithOptions(ctx, "monitoring.http_alert", &client.TriggerGetOptions{ReferencingPackRef: "deployments"})
			return err
		}},
		{"enforcements", func() error {
			_, _, err := c.Enforcements.List(ctx, &client.EnforcementListOptions{ListOptions: client.ListOptions{Page: 2, PerPage: 5, IncludeTotal: true}, Rule: 1, Event: 2, Status: client.EnforcementDisabled, TriggerRef: "a.b", RuleRef: "c.d", TraceTag: "x"})
			return err
		}},
		{"enforcement", func() error { _, _, err := c.Enforcements.Get(ctx, 2288); return err }},
		{"enforcement executions", func() error {
			_, _, err := c.Enforcements.ListExecutions(ctx, 2288, &client.PageOptions{Page: 1, PageSize: 500})
			return err
		}},
		{"executions", func() error {
			_, _, err := c.Executions.List(ctx, &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 100, IncludeTotal: true}, Status: client.ExecutionTimeout, ActionRef: "a.b", RuleRef: "c", TriggerRef: "core.*", PackName: "core", TraceTag: "t", ResultContains: "err", Executor: 1, Enforcement: 2, Parent: 3, TopLevelOnly: true})
			return err
		}},
		{"execution", func() error { _, _, err := c.Executions.Get(ctx, 9937); return err }},
		{"rules", func() error {
			_, _, err := c.Rules.List(ctx, &client.RuleListOptions{PageOptions: client.PageOptions{Page: 1, PageSize: 100}, Q: "x y", PackRef: "p", ActionRef: "a.b", TriggerRef: "t.r", Enabled: &yes})
			return err
		}},
		{"rule", func() error { _, _, err := c.Rules.Get(ctx, "monitoring.page_oncall"); return err }},
		{"trigger rules", func() error {
			_, _, err := c.Triggers.ListRules(ctx, "monitoring.http_alert", &client.PageOptions{Page: 1, PageSize: 100})
			return err
		}},
		{"trace", func() error { _, _, err := c.Traces.Get(ctx, "monitoring.http_alert.4811"); return err }},
		{"sensor", func() error { _, _, err := c.Sensors.Get(ctx, "core.timer_sensor"); return err }},
		{"me", func() error { _, _, err := c.Auth.Me(ctx); return err }},
		{"refresh", func() error { _, _, err := c.Auth.Refresh(ctx); return err }},
		{"health", func() error { _, _, err := c.Health.Check(ctx); return err }},
		{"health detailed", func() error { _, _, err := c.Health.Detailed(ctx); return err }},
		{"health live", func() error { _, err := c.Health.Live(ctx); return err }},
		{"health ready", func() error { _, _, err := c.Health.Ready(ctx); return err }},
	}
	for _, tc := range calls {
		if err := tc.call(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
