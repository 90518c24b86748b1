package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attune-tui/attune-tui/client"
)

func ptr[T any](v T) *T { return &v }

func ts(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// jsonEqual is a cmp option comparing json.RawMessage by meaning, not bytes.
var jsonEqual = cmp.Comparer(func(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return cmp.Equal(x, y)
})

// apiCase is one client method against one fixture.
type apiCase struct {
	name      string
	method    string
	path      string // escaped path below the base path
	query     url.Values
	body      string
	token     string // expected bearer token; "" for none
	fixture   string
	call      func(ctx context.Context, c *client.Client) (any, *client.Response, error)
	want      func(t *testing.T) any
	wantPages bool // Response.Pagination must be set
}

func TestServices(t *testing.T) {
	t.Parallel()
	cases := []apiCase{
		{
			name: "Events.List with every filter", method: http.MethodGet, path: "/api/v1/events",
			query: url.Values{"page": {"2"}, "per_page": {"100"}, "include_total": {"true"}, "trigger": {"12"}, "source": {"2"},
				"trigger_ref": {"monitoring.http_alert"}, "rule_ref": {"core.heartbeat_echo"}, "trace_tag": {"core.intervaltimer.4812"}},
			token: testToken, fixture: "events_page.json", wantPages: true,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				return c.Events.List(ctx, &client.EventListOptions{
					ListOptions: client.ListOptions{Page: 2, PerPage: 500, IncludeTotal: true},
					Trigger:     12, Source: 2, TriggerRef: "monitoring.http_alert", RuleRef: "core.heartbeat_echo", TraceTag: "core.intervaltimer.4812",
				})
			},
			want: func(t *testing.T) any {
				return &client.Page[client.EventSummary]{
					Items: []client.EventSummary{
						{ID: 4812, Trigger: ptr[int64](3), TriggerRef: "core.intervaltimer", Source: ptr[int64](2), SourceRef: ptr("core.timer_sensor"), Rule: ptr[int64](7), RuleRef: ptr("core.heartbeat_echo"), TraceTag: ptr("core.intervaltimer.4812"), HasPayload: true, Created: ts(t, "2026-06-11T14:03:00.004817Z")},
						{ID: 4811, Trigger: ptr[int64](12), TriggerRef: "monitoring.http_alert", TraceTag: ptr("monitoring.http_alert.4811"), HasPayload: true, Created: ts(t, "2026-06-11T14:02:41.120514Z")},
						{ID: 4810, Trigger: ptr[int64](3), TriggerRef: "core.intervaltimer", Source: ptr[int64](2), SourceRef: ptr("core.timer_sensor"), Rule: ptr[int64](7), RuleRef: ptr("core.heartbeat_echo"), TraceTag: ptr("core.intervaltimer.4810"), HasPayload: true, Created: ts(t, "2026-06-11T14:02:00.003921Z")},
					},
					Pagination: client.Pagination{Page: 1, PageSize: 3, HasNext: true},
				}
			},
		},
		{
			name: "Events.List nil options sends no query", method: http.MethodGet, path: "/api/v1/events", query: url.Values{},
			token: testToken, fixture: "events_page.json", wantPages: true,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				p, r, err := c.Events.List(ctx, nil)
				if err != nil {
					return nil, r, err
				}
				return len(p.Items), r, nil
			},
			want: func(*testing.T) any { return 3 },
		},
		{
			name: "Events.Get", method: http.MethodGet, path: "/api/v1/events/4811", query: url.Values{},
			token: testToken, fixture: "event_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				return c.Events.Get(ctx, 4811)
			},
			want: func(t *testing.T) any {
				return &client.Event{
					ID: 4811, Trigger: ptr[int64](12), TriggerRef: "monitoring.http_alert", TraceTag: ptr("monitoring.http_alert.4811"),
					Config: nil, // null in the fixture
					Payload: raw(`{"alert":{"name":"HighErrorRate","status":"firing","severity":"critical","labels":{"service":"checkout","env":"prod","region":"us-east-1"},
						"annotations":{"summary":"5xx rate above 5% for 10m","runbook_url":"https://runbooks.example.com/checkout/5xx"},"samples":[0.051,0.063,0.071],"starts_at":"2026-06-11T13:52:30Z"},
						"receiver":{"ip":"10.20.0.14","user_agent":"Alertmanager/0.27.0"}}`),
					Created: ts(t, "2026-06-11T14:02:41.120514Z"),
				}
			},
		},
		{
			name: "Enforcements.List", method: http.MethodGet, path: "/api/v1/enforcements",
			query: url.Values{"event": {"4811"}, "include_total": {"true"}, "rule": {"9"}, "status": {"processed"}, "trigger_ref": {"t.r"}, "rule_ref": {"r.r"}, "trace_tag": {"x.1"}, "per_page": {"10"}},
			token: testToken, fixture: "enforcements_page.json", wantPages: true,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				return c.Enforcements.List(ctx, &client.EnforcementListOptions{
					ListOptions: client.ListOptions{PerPage: 10, IncludeTotal: true},
					Rule:        9, Event: 4811, Status: client.EnforcementProcessed, TriggerRef: "t.r", RuleRef: "r.r", TraceTag: "x.1",
				})
			},
			want: func(t *testing.T) any {
				return &client.Page[client.EnforcementSummary]{
					Items: []client.EnforcementSummary{
						{ID: 2289, Rule: ptr[int64](10), RuleRef: "monitoring.open_incident", TriggerRef: "monitoring.http_alert", Event: ptr[int64](4811), Status: client.EnforcementCreated, Condition: client.ConditionAll, Created: ts(t, "2026-06-11T14:02:41.132440Z")},
						{ID: 2288, Rule: ptr[int64](9), RuleRef: "monitoring.page_oncall", TriggerRef: "monitoring.http_alert", Event: ptr[int64](4811), Status: client.EnforcementProcessed, Condition: client.ConditionAll, TraceTag: ptr("monitoring.http_alert.4811"), Created: ts(t, "2026-06-11T14:02:41.131907Z")},
					},
					Pagination: client.Pagination{Page: 1, PageSize: 50, TotalItems: ptr(2), TotalPages: ptr(1)},
				}
			},
		},
		{
			name: "Enforcements.Get", method: http.MethodGet, path: "/api/v1/enforcements/2288", query: url.Values{},
			token: testToken, fixture: "enforcement_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				return c.Enforcements.Get(ctx, 2288)
			},
			want: func(t *testing.T) any {
				var full struct{ Data json.RawMessage }
				_ = json.Unmarshal(fixture(t, "enforcement_detail.json"), &full)
				var m map[string]json.RawMessage
				_ = json.Unmarshal(full.Data, &m)
				return &client.Enforcement{
					ID: 2288, Rule: ptr[int64](9), RuleRef: "monitoring.page_oncall", TriggerRef: "monitoring.http_alert", Event: ptr[int64](4811),
					Status: client.EnforcementProcessed, Condition: client.ConditionAll,
					Conditions: raw(`{"expression":"{{ event.payload.alert.status == \"firing\" and event.payload.alert.severity in [\"critical\", \"page\"] }}"}`),
					Config:     raw(`{"service":"checkout","summary":"HighErrorRate: 5xx rate above 5% for 10m","urgency":"high"}`),
					Payload:    m["payload"],
					TraceTag:   ptr("monitoring.http_alert.4811"),
					Created:    ts(t, "2026-06-11T14:02:41.131907Z"), ResolvedAt: ptr(ts(t, "2026-06-11T14:02:41.402118Z")),
				}
			},
		},
		{
			name: "Enforcements.ListExecutions uses page_size", method: http.MethodGet, path: "/api/v1/enforcements/2288/executions",
			query: url.Values{"page": {"3"}, "page_size": {"100"}}, token: testToken, fixture: "executions_page.json", wantPages: true,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				p, r, err := c.Enforcements.ListExecutions(ctx, 2288, &client.PageOptions{Page: 3, PageSize: 1000})
				if err != nil {
					return nil, r, err
				}
				return p.Items[1], r, nil
			},
			want: func(t *testing.T) any {
				return client.ExecutionSummary{ID: 9936, ActionRef: "slack.post_message", Status: client.ExecutionRunning, TraceTag: ptr("monitoring.http_alert.4811"),
					TimeoutSeconds: ptr[int32](300), Parent: ptr[int64](9935), StartedAt: ptr(ts(t, "2026-06-11T14:02:44.912760Z")),
					Created: ts(t, "2026-06-11T14:02:44.305118Z"), Updated: ts(t, "2026-06-11T14:02:44.912760Z")}
			},
		},
		{
			name: "Executions.List with every filter", method: http.MethodGet, path: "/api/v1/executions",
			query: url.Values{"status": {"failed"}, "action_ref": {"core.echo"}, "rule_ref": {"a.b"}, "trigger_ref": {"core.*"}, "pack_name": {"core"},
				"trace_tag": {"t.1"}, "result_contains": {"exit code"}, "executor": {"5"}, "enforcement": {"2290"}, "parent": {"9935"}, "top_level_only": {"true"}, "page": {"1"}},
			token: testToken, fixture: "executions_page.json", wantPages: true,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				p, r, err := c.Executions.List(ctx, &client.ExecutionListOptions{
					ListOptions: client.ListOptions{Page: 1}, Status: client.ExecutionFailed, ActionRef: "core.echo", RuleRef: "a.b", TriggerRef: "core.*",
					PackName: "core", TraceTag: "t.1", ResultContains: "exit code", Executor: 5, Enforcement: 2290, Parent: 9935, TopLevelOnly: true,
				})
				if err != nil {
					return nil, r, err
				}
				return p.Items[0], r, nil
			},
			want: func(t *testing.T) any {
				return client.ExecutionSummary{ID: 9937, ActionRef: "core.echo", Status: client.ExecutionCompleted, TraceTag: ptr("core.intervaltimer.4812"),
					TimeoutSeconds: ptr[int32](600), Enforcement: ptr[int64](2290), RuleRef: ptr("core.heartbeat_echo"), TriggerRef: ptr("core.intervaltimer"),
					StartedAt: ptr(ts(t, "2026-06-11T14:03:00.618204Z")), Created: ts(t, "2026-06-11T14:03:00.210377Z"), Updated: ts(t, "2026-06-11T14:03:01.093551Z")}
			},
		},
		{
			name: "Executions.Get", method: http.MethodGet, path: "/api/v1/executions/9937", query: url.Values{},
			token: testToken, fixture: "execution_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				return c.Executions.Get(ctx, 9937)
			},
			want: func(t *testing.T) any {
				return &client.Execution{ID: 9937, Action: ptr[int64](14), ActionRef: "core.echo", Config: raw(`{"message":"heartbeat from core.intervaltimer"}`),
					Enforcement: ptr[int64](2290), ArtifactRetentionPolicy: ptr(client.RetentionVersions), ArtifactRetentionLimit: ptr[int32](5), Worker: ptr[int64](3),
					Status: client.ExecutionCompleted, TraceTag: ptr("core.intervaltimer.4812"), TimeoutSeconds: ptr[int32](600),
					Result:    raw(`{"exit_code":0,"stdout":"heartbeat from core.intervaltimer\n","stderr":"","succeeded":true}`),
					StartedAt: ptr(ts(t, "2026-06-11T14:03:00.618204Z")), Created: ts(t, "2026-06-11T14:03:00.210377Z"), Updated: ts(t, "2026-06-11T14:03:01.093551Z")}
			},
		},
		{
			name: "Rules.List", method: http.MethodGet, path: "/api/v1/rules",
			query: url.Values{"page": {"1"}, "page_size": {"100"}, "q": {"page oncall"}, "pack_ref": {"monitoring"}, "action_ref": {"a.b"}, "trigger_ref": {"monitoring.http_alert"}, "enabled": {"false"}},
			token: testToken, fixture: "rules_page.json", wantPages: true,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				p, r, err := c.Rules.List(ctx, &client.RuleListOptions{PageOptions: client.PageOptions{Page: 1, PageSize: 100}, Q: "page oncall",
					PackRef: "monitoring", ActionRef: "a.b", TriggerRef: "monitoring.http_alert", Enabled: ptr(false)})
				if err != nil {
					return nil, r, err
				}
				return p.Items[2], r, nil
			},
			want: func(t *testing.T) any {
				return client.RuleSummary{ID: 14, Ref: "monitoring.ticket_warnings", PackRef: "monitoring", Label: "Ticket warning-level alerts",
					ActionRef: "incidents.create_ticket", TriggerRef: "monitoring.http_alert", ActionParams: raw(`{"title":"[warning] {{ event.payload.alert.name }}"}`),
					TriggerParams: raw(`{}`), PermissionSetRefs: []string{}, Created: ts(t, "2026-06-04T11:21:37.052913Z"), Updated: ts(t, "2026-06-09T08:05:51.640027Z")}
			},
		},
		{
			name: "Rules.Get escapes the ref", method: http.MethodGet, path: "/api/v1/rules/odd%20ref%2Fx", query: url.Values{},
			token: testToken, fixture: "rule_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				r, resp, err := c.Rules.Get(ctx, "odd ref/x")
				if err != nil {
					return nil, resp, err
				}
				return r.Ref, resp, nil
			},
			want: func(*testing.T) any { return "monitoring.page_oncall" },
		},
		{
			name: "Rules.Get", method: http.MethodGet, path: "/api/v1/rules/monitoring.page_oncall", query: url.Values{},
			token: testToken, fixture: "rule_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				return c.Rules.Get(ctx, "monitoring.page_oncall")
			},
			want: func(t *testing.T) any {
				return &client.Rule{ID: 9, Ref: "monitoring.page_oncall", Pack: 4, PackRef: "monitoring", Label: "Page on-call for critical alerts",
					Description: ptr("Opens a PagerDuty incident when a critical alert is firing"), Action: ptr[int64](21), ActionRef: "pagerduty.trigger_incident",
					Trigger: ptr[int64](12), TriggerRef: "monitoring.http_alert",
					Conditions:    raw(`{"expression":"{{ event.payload.alert.status == \"firing\" and event.payload.alert.severity in [\"critical\", \"page\"] }}"}`),
					ActionParams:  raw(`{"service":"{{ event.payload.alert.labels.service }}","summary":"{{ event.payload.alert.name }}: {{ event.payload.alert.annotations.summary }}","urgency":"high"}`),
					TriggerParams: raw(`{}`), Enabled: true, Created: ts(t, "2026-05-30T09:12:44.501223Z"), Updated: ts(t, "2026-06-02T16:40:09.118730Z")}
			},
		},
		{
			name: "Triggers.ListRules", method: http.MethodGet, path: "/api/v1/triggers/monitoring.http_alert/rules", query: url.Values{"page_size": {"25"}},
			token: testToken, fixture: "rules_page.json", wantPages: true,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				p, r, err := c.Triggers.ListRules(ctx, "monitoring.http_alert", &client.PageOptions{PageSize: 25})
				if err != nil {
					return nil, r, err
				}
				var refs []string
				for _, it := range p.Items {
					refs = append(refs, it.Ref)
				}
				total, _ := p.TotalItems()
				return []any{refs, total, p.HasNext(), p.HasPrevious()}, r, nil
			},
			want: func(*testing.T) any {
				return []any{[]string{"monitoring.open_incident", "monitoring.page_oncall", "monitoring.ticket_warnings"}, 3, false, false}
			},
		},
		{
			name: "Traces.Get", method: http.MethodGet, path: "/api/v1/traces/monitoring.http_alert.4811", query: url.Values{},
			token: testToken, fixture: "trace_report.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				r, resp, err := c.Traces.Get(ctx, "monitoring.http_alert.4811")
				if err != nil {
					return nil, resp, err
				}
				return []any{r.TraceTag, r.Origins, len(r.Executions), r.Enforcements[0], r.Events[0].ID, len(r.QueueItems)}, resp, nil
			},
			want: func(t *testing.T) any {
				return []any{"monitoring.http_alert.4811", []string{"event"}, 2, client.TraceEnforcementSummary{ID: 2288, Rule: ptr[int64](9),
					RuleRef: "monitoring.page_oncall", TriggerRef: "monitoring.http_alert", Event: ptr[int64](4811), Status: client.EnforcementProcessed,
					Condition: client.ConditionAll, Created: ts(t, "2026-06-11T14:02:41.131907Z"), ResolvedAt: ptr(ts(t, "2026-06-11T14:02:41.402118Z"))}, int64(4811), 0}
			},
		},
		{
			name: "Triggers.Get", method: http.MethodGet, path: "/api/v1/triggers/core.webhook", query: url.Values{}, token: testToken,
			fixture: "", // inline body below
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				tr, r, err := c.Triggers.Get(ctx, "core.webhook")
				if err != nil {
					return nil, r, err
				}
				return []any{tr.Ref, tr.ReferenceVisibility, tr.ParamSchema == nil, tr.SensorRef}, r, nil
			},
			want: func(*testing.T) any { return []any{"core.webhook", client.VisibilityPublic, true, (*string)(nil)} },
		},
		{
			name: "Sensors.Get", method: http.MethodGet, path: "/api/v1/sensors/core.timer_sensor", query: url.Values{}, token: testToken,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				s, r, err := c.Sensors.Get(ctx, "core.timer_sensor")
				if err != nil {
					return nil, r, err
				}
				return []any{s.Ref, s.RuntimeRef, string(s.WorkerSelector)}, r, nil
			},
			want: func(*testing.T) any { return []any{"core.timer_sensor", "core.python", `{"os":"linux"}`} },
		},
		{
			name: "Auth.Me", method: http.MethodGet, path: "/auth/me", query: url.Values{}, token: testToken,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) { return c.Auth.Me(ctx) },
			want: func(*testing.T) any {
				return &client.CurrentUser{ID: 1, Login: "admin", DisplayName: ptr("Administrator"), AuthProvider: "local", IsLocal: true, CanChangePassword: true,
					EffectivePermissions: raw(`[{"resource":"events","actions":["read"]}]`), AssignedPermissionSetRefs: []string{"core.admin"}}
			},
		},
		{
			name: "Health.Check sends no token", method: http.MethodGet, path: "/health", query: url.Values{},
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) { return c.Health.Check(ctx) },
			want: func(*testing.T) any { return &client.Health{Status: "ok"} },
		},
		{
			name: "Health.Detailed", method: http.MethodGet, path: "/health/detailed", query: url.Values{},
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				return c.Health.Detailed(ctx)
			},
			want: func(*testing.T) any { return &client.Health{Status: "ok", Version: "0.6.0", Database: "connected"} },
		},
		{
			name: "Events.GetWithOptions", method: http.MethodGet, path: "/api/v1/events/4811", query: url.Values{"include_secret_values": {"true"}},
			token: testToken, fixture: "event_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				e, r, err := c.Events.GetWithOptions(ctx, 4811, &client.GetOptions{IncludeSecretValues: true})
				if err != nil {
					return nil, r, err
				}
				return e.ID, r, nil
			},
			want: func(*testing.T) any { return int64(4811) },
		},
		{
			name: "Enforcements.GetWithOptions", method: http.MethodGet, path: "/api/v1/enforcements/2288", query: url.Values{"include_secret_values": {"true"}},
			token: testToken, fixture: "enforcement_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				e, r, err := c.Enforcements.GetWithOptions(ctx, 2288, &client.GetOptions{IncludeSecretValues: true})
				if err != nil {
					return nil, r, err
				}
				return e.ID, r, nil
			},
			want: func(*testing.T) any { return int64(2288) },
		},
		{
			name: "Executions.GetWithOptions zero options send nothing", method: http.MethodGet, path: "/api/v1/executions/9937", query: url.Values{},
			token: testToken, fixture: "execution_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				e, r, err := c.Executions.GetWithOptions(ctx, 9937, &client.GetOptions{})
				if err != nil {
					return nil, r, err
				}
				return e.ID, r, nil
			},
			want: func(*testing.T) any { return int64(9937) },
		},
		{
			name: "Executions.GetWithOptions", method: http.MethodGet, path: "/api/v1/executions/9937", query: url.Values{"include_secret_values": {"true"}},
			token: testToken, fixture: "execution_detail.json",
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				e, r, err := c.Executions.GetWithOptions(ctx, 9937, &client.GetOptions{IncludeSecretValues: true})
				if err != nil {
					return nil, r, err
				}
				return e.ID, r, nil
			},
			want: func(*testing.T) any { return int64(9937) },
		},
		{
			name: "Triggers.GetWithOptions", method: http.MethodGet, path: "/api/v1/triggers/core.webhook", query: url.Values{"referencing_pack_ref": {"deployments"}}, token: testToken,
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				tr, r, err := c.Triggers.GetWithOptions(ctx, "core.webhook", &client.TriggerGetOptions{ReferencingPackRef: "deployments"})
				if err != nil {
					return nil, r, err
				}
				return tr.Ref, r, nil
			},
			want: func(*testing.T) any { return "core.webhook" },
		},
		{
			name: "Health.Live", method: http.MethodGet, path: "/health/live", query: url.Values{},
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				r, err := c.Health.Live(ctx)
				return nil, r, err
			},
			want: func(*testing.T) any { return nil },
		},
		{
			name: "Health.Ready", method: http.MethodGet, path: "/health/ready", query: url.Values{},
			call: func(ctx context.Context, c *client.Client) (any, *client.Response, error) {
				return c.Health.Ready(ctx)
			},
			want: func(*testing.T) any { return (*client.Readiness)(nil) },
		},
	}
	inline := map[string]string{
		"/api/v1/triggers/core.webhook": `{"data":{"id":1,"ref":"core.webhook","label":"Webhook","description":null,"enabled":true,"param_schema":null,"out_schema":null,
			"pack":1,"pack_ref":"core","sensor":null,"sensor_ref":null,"webhook_enabled":true,"webhook_key":null,"is_adhoc":false,"reference_visibility":"public",
			"reference_allowed_pack_refs":[],"created":"2026-05-30T09:12:44Z","updated":"2026-05-30T09:12:44Z"}}`,
		"/api/v1/sensors/core.timer_sensor": `{"data":{"id":2,"ref":"core.timer_sensor","label":"Timer","description":null,"entrypoint":"timer.py","runtime":1,
			"runtime_ref":"core.python","enabled":true,"pack":1,"pack_ref":"core","param_schema":null,"worker_selector":{"os":"linux"},"worker_tolerations":[],
			"worker_affinity":{},"created":"2026-05-30T09:12:44Z","updated":"2026-05-30T09:12:44Z"}}`,
		"/auth/me": `{"data":{"id":1,"login":"admin","display_name":"Administrator","auth_provider":"local","is_local":true,"can_change_password":true,
			"effective_permissions":[{"resource":"events","actions":["read"]}],"assigned_permission_set_refs":["core.admin"]}}`,
		"/health":          `{"status":"ok"}`,
		"/health/detailed": `{"status":"ok","version":"0.6.0","database":"connected"}`,
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var body []byte
			if tc.fixture != "" {
				body = fixture(t, tc.fixture)
			} else {
				body = []byte(inline[tc.path])
			}
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, tc.method)
				if got := r.URL.EscapedPath(); got != tc.path {
					t.Errorf("path = %s, want %s", got, tc.path)
				}
				if diff := cmp.Diff(tc.query, r.URL.Query()); diff != "" {
					t.Errorf("query (-want +got):\n%s", diff)
				}
				testHeaders(t, r, tc.token)
				testBody(t, r, tc.body)
				writeJSON(w, http.StatusOK, body)
			})
			got, resp, err := tc.call(t.Context(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("response = %d %v", resp.StatusCode, resp.Header)
			}
			if (resp.Pagination != nil) != tc.wantPages {
				t.Errorf("Response.Pagination = %v, want set: %v", resp.Pagination, tc.wantPages)
			}
			if diff := cmp.Diff(tc.want(t), got, jsonEqual); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRejectedArguments(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("/", func(_ http.ResponseWriter, r *http.Request) {
		t.Errorf("no request expected, got %s %s", r.Method, r.URL)
	})
	cases := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"empty rule ref", func(ctx context.Context) error { _, _, err := c.Rules.Get(ctx, ""); return err }},
		{"redacted rule ref", func(ctx context.Context) error { _, _, err := c.Rules.Get(ctx, client.Redacted); return err }},
		{"dot-dot trigger ref", func(ctx context.Context) error { _, _, err := c.Triggers.Get(ctx, ".."); return err }},
		{"redacted trigger rules", func(ctx context.Context) error {
			_, _, err := c.Triggers.ListRules(ctx, client.Redacted, nil)
			return err
		}},
		{"traversing sensor ref", func(ctx context.Context) error { _, _, err := c.Sensors.Get(ctx, "../../auth"); return err }},
		{"empty trace tag", func(ctx context.Context) error { _, _, err := c.Traces.Get(ctx, ""); return err }},
		{"zero event id", func(ctx context.Context) error { _, _, err := c.Events.Get(ctx, 0); return err }},
		{"negative enforcement id", func(ctx context.Context) error { _, _, err := c.Enforcements.Get(ctx, -1); return err }},
		{"zero enforcement executions", func(ctx context.Context) error {
			_, _, err := c.Enforcements.ListExecutions(ctx, 0, nil)
			return err
		}},
		{"zero execution id", func(ctx context.Context) error { _, _, err := c.Executions.Get(ctx, 0); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.call(t.Context()); !errorsIs(err, client.ErrInvalidArgument) {
				t.Errorf("err = %v, want ErrInvalidArgument", err)
			}
		})
	}
}
