package devserver_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/contract"
	"github.com/attune-tui/attune-tui/internal/testutil"
)

// clock is a manual clock for token expiry tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends one request; token "" means no Authorization header.
func call(t *testing.T, spec *contract.Spec, base, method, path, contentType, body, token string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, base+path, rd)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if spec != nil {
		vreq, _ := http.NewRequestWithContext(context.Background(), method, base+path, strings.NewReader(body))
		if contentType != "" {
			vreq.Header.Set("Content-Type", contentType)
		}
		spec.ValidateResponseBody(t, vreq, resp.StatusCode, resp.Header, b)
	}
	return response{resp.StatusCode, resp.Header, b}
}

type tokens struct {
	Access  string `json:"access_token"`
	Refresh string `json:"refresh_token"`
	Type    string `json:"token_type"`
	Expires int64  `json:"expires_in"`
	User    *struct {
		ID    int64  `json:"id"`
		Login string `json:"login"`
	} `json:"user"`
}

func login(t *testing.T, spec *contract.Spec, ds *testutil.DevServer) tokens {
	t.Helper()
	r := call(t, spec, ds.URL, http.MethodPost, "/auth/login", "application/json",
		`{"login":"`+ds.Login+`","password":"`+ds.Password+`"}`, "")
	if r.status != http.StatusOK {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	var env struct {
		Data tokens `json:"data"`
	}
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatalf("login body: %v", err)
	}
	return env.Data
}

// TestRoutes exercises every route of CONTRACT.md, including error answers,
// and validates each answer against openapi.json.
func TestRoutes(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	ds := testutil.StartDevServer(t, testutil.DevOptions{Seed: 3, Events: 300})
	tok := login(t, spec, ds)
	const (
		handlerShape = "handler"
		authShape    = "auth"
		plain        = "plain"
		empty        = "empty"
		jsonBody     = "json"
	)
	tests := []struct {
		name, method, path, ctype, body string
		auth                            bool
		status                          int
		shape                           string
		contains                        string
		skipSpec                        bool
	}{
		{"health", "GET", "/health", "", "", false, 200, jsonBody, `{"status":"ok"}`, false},
		{"health detailed", "GET", "/health/detailed", "", "", false, 200, jsonBody, `"database":"connected"`, false},
		{"health live", "GET", "/health/live", "", "", false, 200, empty, "", false},
		{"health ready", "GET", "/health/ready", "", "", false, 200, empty, "", false},
		{"me", "GET", "/auth/me", "", "", true, 200, jsonBody, `"auth_provider":"local"`, false},
		{"me without token", "GET", "/auth/me", "", "", false, 401, handlerShape, `"Unauthorized"`, false},
		{"login wrong password", "POST", "/auth/login", "application/json", `{"login":"demo","password":"nope"}`, false, 401, handlerShape, "Invalid login or password", false},
		{"login unknown user", "POST", "/auth/login", "application/json", `{"login":"eve","password":"demo"}`, false, 401, handlerShape, "Invalid login or password", false},
		{"login empty login", "POST", "/auth/login", "application/json", `{"login":"","password":"demo"}`, false, 422, handlerShape, "VALIDATION_ERROR", false},
		{"login empty password", "POST", "/auth/login", "application/json", `{"login":"demo","password":""}`, false, 422, handlerShape, "VALIDATION_ERROR", false},
		{"login missing field", "POST", "/auth/login", "application/json", `{"login":"demo"}`, false, 422, plain, "missing field `password`", true},
		{"login bad json", "POST", "/auth/login", "application/json", `{"login":`, false, 400, plain, "Failed to parse the request body as JSON", true},
		{"login no content type", "POST", "/auth/login", "", `{"login":"demo","password":"demo"}`, false, 415, plain, "Content-Type: application/json", true},
		{"refresh garbage", "POST", "/auth/refresh", "application/json", `{"refresh_token":"x.y.z"}`, false, 401, handlerShape, "Invalid or expired refresh token", false},
		{"refresh with access token", "POST", "/auth/refresh", "application/json", `{"refresh_token":"` + tok.Access + `"}`, false, 401, handlerShape, "Invalid token type", false},
		{"refresh no body", "POST", "/auth/refresh", "", "", false, 401, handlerShape, "Invalid or expired refresh token", false},
		{"events", "GET", "/api/v1/events?per_page=5", "", "", true, 200, jsonBody, `"has_next":true`, false},
		{"events no token", "GET", "/api/v1/events", "", "", false, 401, authShape, "Missing authentication token", false},
		{"events refresh token as bearer", "GET", "/api/v1/events", "", "", false, 401, authShape, "Invalid authentication token", false},
		{"events filtered total", "GET", "/api/v1/events?trigger_ref=github.push&include_total=true", "", "", true, 200, jsonBody, `"total_items"`, false},
		{"events bad page", "GET", "/api/v1/events?page=abc", "", "", true, 400, plain, "Failed to deserialize query string", true},
		{"events negative page", "GET", "/api/v1/events?page=-1", "", "", true, 400, plain, "invalid digit", true},
		{"events per_page 0", "GET", "/api/v1/events?per_page=0", "", "", true, 400, handlerShape, "BAD_REQUEST", true},
		{"events per_page 1000", "GET", "/api/v1/events?per_page=1000", "", "", true, 200, jsonBody, `"page_size":1000`, false},
		{"events bad bool", "GET", "/api/v1/events?include_total=yes", "", "", true, 400, plain, "include_total", true},
		{"event", "GET", "/api/v1/events/300", "", "", true, 200, jsonBody, `"payload":{`, false},
		{"event missing", "GET", "/api/v1/events/999999", "", "", true, 404, handlerShape, "Event with ID 999999 not found", false},
		{"event bad id", "GET", "/api/v1/events/abc", "", "", true, 400, plain, "Cannot parse", true},
		{"enforcements", "GET", "/api/v1/enforcements?status=processed&include_total=true", "", "", true, 200, jsonBody, `"status":"processed"`, false},
		{"enforcements bad status", "GET", "/api/v1/enforcements?status=success", "", "", true, 400, plain, "unknown variant", true},
		{"enforcement", "GET", "/api/v1/enforcements/1", "", "", true, 200, jsonBody, `"conditions"`, false},
		{"enforcement missing", "GET", "/api/v1/enforcements/999999", "", "", true, 404, handlerShape, "Enforcement with ID 999999 not found", false},
		{"enforcement executions", "GET", "/api/v1/enforcements/1/executions?page_size=10", "", "", true, 200, jsonBody, `"total_items"`, false},
		{"executions", "GET", "/api/v1/executions", "", "", true, 200, jsonBody, `"page_size":20`, false},
		{"executions wildcard", "GET", "/api/v1/executions?trigger_ref=core.*&top_level_only=true", "", "", true, 200, jsonBody, `"trigger_ref":"core.`, false},
		{"executions bad status", "GET", "/api/v1/executions?status=succeeded", "", "", true, 400, plain, "unknown variant", true},
		{"execution", "GET", "/api/v1/executions/1", "", "", true, 200, jsonBody, `"action_ref"`, false},
		{"execution missing", "GET", "/api/v1/executions/999999", "", "", true, 404, handlerShape, "Execution with ID 999999 not found", false},
		{"rules", "GET", "/api/v1/rules?enabled=false", "", "", true, 200, jsonBody, `"enabled":false`, false},
		{"rules q", "GET", "/api/v1/rules?q=PAGER+crit", "", "", true, 200, jsonBody, `"total_items":1`, false},
		{"rules no token", "GET", "/api/v1/rules", "", "", false, 401, authShape, "Missing authentication token", false},
		{"rule", "GET", "/api/v1/rules/aws.notify_alarms", "", "", true, 200, jsonBody, `"conditions":[{"field"`, false},
		{"rule missing", "GET", "/api/v1/rules/no.such", "", "", true, 404, handlerShape, "Rule 'no.such' not found", false},
		{"trigger", "GET", "/api/v1/triggers/github.push", "", "", true, 200, jsonBody, `"webhook_enabled":true`, false},
		{"trigger missing", "GET", "/api/v1/triggers/no.such", "", "", true, 404, handlerShape, "Trigger 'no.such' not found", false},
		{"trigger rules", "GET", "/api/v1/triggers/github.pull_request/rules", "", "", true, 200, jsonBody, `"enabled":false`, false},
		{"trigger rules missing", "GET", "/api/v1/triggers/no.such/rules", "", "", true, 404, handlerShape, "Trigger 'no.such' not found", false},
		{"sensor", "GET", "/api/v1/sensors/slack.events_sensor", "", "", true, 200, jsonBody, `"worker_tolerations":[{`, false},
		{"sensor missing", "GET", "/api/v1/sensors/no.such", "", "", true, 404, handlerShape, "Sensor 'no.such' not found", false},
		{"trace", "GET", "/api/v1/traces/core.intervaltimer.1", "", "", true, 200, jsonBody, `"origins":["event"]`, false},
		{"trace unknown", "GET", "/api/v1/traces/nothing.here", "", "", true, 200, jsonBody, `"origins":[]`, false},
		{"trace invalid", "GET", "/api/v1/traces/%20", "", "", true, 400, handlerShape, "Invalid trace_tag", false},
		{"unknown route", "GET", "/api/v1/nope", "", "", true, 404, empty, "", true},
		{"wrong method", "DELETE", "/api/v1/events", "", "", true, 405, empty, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token := ""
			if tc.auth {
				token = tok.Access
			}
			if tc.name == "events refresh token as bearer" {
				token = tok.Refresh
			}
			s := spec
			if tc.skipSpec {
				s = nil // framework rejections are outside the spec
			}
			r := call(t, s, ds.URL, tc.method, tc.path, tc.ctype, tc.body, token)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tc.status, r.body)
			}
			if tc.contains != "" && !strings.Contains(string(r.body), tc.contains) {
				t.Errorf("body does not contain %q: %.400s", tc.contains, r.body)
			}
			ct := r.header.Get("Content-Type")
			switch tc.shape {
			case empty:
				if len(r.body) != 0 {
					t.Errorf("body %q, want empty", r.body)
				}
			case plain:
				if !strings.HasPrefix(ct, "text/plain") {
					t.Errorf("content type %q, want text/plain", ct)
				}
			case handlerShape:
				var b struct {
					Error string `json:"error"`
					Code  string `json:"code"`
				}
				if err := json.Unmarshal(r.body, &b); err != nil || b.Error == "" || b.Code == "" {
					t.Errorf("not the handler error shape: %s (%v)", r.body, err)
				}
			case authShape:
				var b struct {
					Error struct {
						Code    int    `json:"code"`
						Message string `json:"message"`
					} `json:"error"`
				}
				if err := json.Unmarshal(r.body, &b); err != nil || b.Error.Code != tc.status || b.Error.Message == "" {
					t.Errorf("not the auth error shape: %s (%v)", r.body, err)
				}
			case jsonBody:
				if ct != "application/json" || !json.Valid(r.body) {
					t.Errorf("content type %q / invalid JSON", ct)
				}
			}
		})
	}
}

// TestTokenLifecycle: login claims, refresh rotation without user, expiry
// of access and refresh tokens (auth-middleware shape on the API).
func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	clk := &clock{t: time.Date(2026, 6, 11, 15, 0, 0, 0, time.UTC)}
	ds := testutil.StartDevServer(t, testutil.DevOptions{
		Events: 50, AccessTTL: time.Minute, RefreshTTL: time.Hour, Now: clk.Now,
	})
	tok := login(t, spec, ds)
	if tok.Type != "Bearer" || tok.Expires != 60 || tok.User == nil || tok.User.Login != ds.Login {
		t.Fatalf("login response %+v", tok)
	}
	claims := decodeClaims(t, tok.Access)
	if claims["sub"] != "1" || claims["login"] != ds.Login || claims["token_type"] != "access" ||
		claims["exp"].(float64)-claims["iat"].(float64) != 60 {
		t.Errorf("access claims %v", claims)
	}
	if decodeClaims(t, tok.Refresh)["token_type"] != "refresh" {
		t.Error("refresh token has the wrong token_type")
	}

	r := call(t, spec, ds.URL, "POST", "/auth/refresh", "application/json", `{"refresh_token":"`+tok.Refresh+`"}`, "")
	if r.status != 200 {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	var env struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatal(err)
	}
	if _, ok := env.Data["user"]; ok {
		t.Error("refresh response carries user; upstream omits it")
	}
	var renv struct {
		Data tokens `json:"data"`
	}
	if err := json.Unmarshal(r.body, &renv); err != nil {
		t.Fatal(err)
	}
	rotated := renv.Data
	if rotated.Access == tok.Access || rotated.Refresh == tok.Refresh || rotated.Access == "" {
		t.Error("refresh did not rotate both tokens")
	}

	if r := call(t, spec, ds.URL, "GET", "/api/v1/events?per_page=1", "", "", rotated.Access); r.status != 200 {
		t.Fatalf("fresh token rejected: %d", r.status)
	}
	clk.Advance(61 * time.Second)
	r = call(t, spec, ds.URL, "GET", "/api/v1/events?per_page=1", "", "", rotated.Access)
	if r.status != 401 || !strings.Contains(string(r.body), `{"error":{"code":401,"message":"Authentication token expired"}}`) {
		t.Errorf("expired access token: %d %s", r.status, r.body)
	}
	// The refresh token still works, until it expires too.
	if r := call(t, spec, ds.URL, "POST", "/auth/refresh", "application/json", `{"refresh_token":"`+rotated.Refresh+`"}`, ""); r.status != 200 {
		t.Errorf("refresh after access expiry: %d", r.status)
	}
	clk.Advance(2 * time.Hour)
	r = call(t, spec, ds.URL, "POST", "/auth/refresh", "application/json", `{"refresh_token":"`+rotated.Refresh+`"}`, "")
	if r.status != 401 || !strings.Contains(string(r.body), "Invalid or expired refresh token") {
		t.Errorf("expired refresh token: %d %s", r.status, r.body)
	}
}

func decodeClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("decode claims: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("claims JSON: %v", err)
	}
	return m
}
