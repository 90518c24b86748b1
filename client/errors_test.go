package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attune-tui/attune-tui/client"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func TestErrorResponses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        *client.APIError
		is          error
	}{
		{
			name: "handler shape 404", status: 404, contentType: "application/json", body: `{"error":"Event with ID 999999 not found","code":"NOT_FOUND"}`,
			want: &client.APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "Event with ID 999999 not found", Method: "GET", Path: "/api/v1/events/42"},
			is:   client.ErrNotFound,
		},
		{
			name: "auth middleware shape 403", status: 403, contentType: "application/json", body: `{"error":{"code":403,"message":"Insufficient permissions"}}`,
			want: &client.APIError{StatusCode: 403, Message: "Insufficient permissions", Method: "GET", Path: "/api/v1/events/42"},
			is:   client.ErrForbidden,
		},
		{
			name: "HTML error page", status: 500, contentType: "text/html", body: "<html>\n<body><h1>500 Internal\x1b[31m Error</h1></body></html>",
			want: &client.APIError{StatusCode: 500, Message: `<html> <body><h1>500 Internal\x1b[31m Error</h1></body></html>`, Method: "GET", Path: "/api/v1/events/42"},
		},
		{
			name: "plain-text axum rejection", status: 400, contentType: "text/plain", body: "Invalid URL: Cannot parse `abc` to a `i64`",
			want: &client.APIError{StatusCode: 400, Message: "Invalid URL: Cannot parse `abc` to a `i64`", Method: "GET", Path: "/api/v1/events/42"},
		},
		{
			name: "empty body", status: 404, contentType: "",
			want: &client.APIError{StatusCode: 404, Message: "Not Found", Method: "GET", Path: "/api/v1/events/42"},
			is:   client.ErrNotFound,
		},
		{
			name: "long plain body is cut", status: 500, contentType: "text/plain", body: strings.Repeat("x", 5000),
			want: &client.APIError{StatusCode: 500, Message: strings.Repeat("x", 200) + "…(+4800 bytes)", Method: "GET", Path: "/api/v1/events/42"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /api/v1/events/42", func(w http.ResponseWriter, _ *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			_, resp, err := c.Events.Get(t.Context(), 42)
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if diff := cmp.Diff(tc.want, apiErr); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.is)
			}
			var te *client.TransportError
			if errors.As(err, &te) {
				t.Error("an API error must not be a TransportError")
			}
			if resp == nil || resp.StatusCode != tc.status {
				t.Errorf("Response = %+v, want status %d", resp, tc.status)
			}
		})
	}
}

func TestStatusToSentinel(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		want   error
	}{
		{401, client.ErrUnauthorized},
		{403, client.ErrForbidden},
		{404, client.ErrNotFound},
	}
	all := []error{client.ErrUnauthorized, client.ErrForbidden, client.ErrNotFound}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			err := &client.APIError{StatusCode: tc.status}
			for _, s := range all {
				if got := errors.Is(err, s); got != errors.Is(s, tc.want) {
					t.Errorf("errors.Is(%d, %v) = %v", tc.status, s, got)
				}
			}
		})
	}
}

func TestFixtureErrorBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fixture string
		status  int
		wantMsg string
		code    string
	}{
		{"error_not_found.json", 404, "Event with ID 999999 not found", "NOT_FOUND"},
		{"error_bad_credentials.json", 401, "Invalid login or password", "UNAUTHORIZED"},
		{"error_token_expired.json", 401, "Authentication token expired", ""},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			body := fixture(t, tc.fixture)
			mux.HandleFunc("GET /api/v1/executions/7", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, tc.status, body) })
			_, _, err := c.Executions.Get(t.Context(), 7)
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.Message != tc.wantMsg || apiErr.Code != tc.code || apiErr.StatusCode != tc.status {
				t.Errorf("err = %#v", err)
			}
		})
	}
}

func TestMalformedBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		body string
		want error
	}{
		{"not JSON", `{"data": {"id": 1,`, client.ErrMalformedResponse},
		{"HTML with 200", `<html>ok</html>`, client.ErrMalformedResponse},
		{"no data", `{"message":"hi"}`, client.ErrMalformedResponse},
		{"wrong type", `{"data":{"id":"one"}}`, client.ErrMalformedResponse},
		{"empty body", ``, client.ErrMalformedResponse},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /api/v1/events/1", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, []byte(tc.body)) })
			ev, _, err := c.Events.Get(t.Context(), 1)
			if !errors.Is(err, tc.want) || ev != nil {
				t.Errorf("Get = %v, %v; want %v", ev, err, tc.want)
			}
		})
	}
}

func TestOversizedBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		chunked bool
	}{
		{"content-length", false},
		{"chunked", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t, client.WithMaxBodySize(1024))
			big := `{"items":[` + strings.Repeat(`{"id":1},`, 500) + `{"id":1}],"pagination":{"page":1,"page_size":1,"has_previous":false,"has_next":false}}`
			var calls atomic.Int32
			mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				w.Header().Set("Content-Type", "application/json")
				if tc.chunked {
					_, _ = w.Write([]byte(big[:10]))
					w.(http.Flusher).Flush()
					_, _ = w.Write([]byte(big[10:]))
					return
				}
				_, _ = w.Write([]byte(big))
			})
			_, _, err := c.Events.List(t.Context(), nil)
			if !errors.Is(err, client.ErrResponseTooLarge) {
				t.Fatalf("err = %v, want ErrResponseTooLarge", err)
			}
			if !strings.Contains(err.Error(), "WithMaxBodySize") {
				t.Errorf("error should say how to fix it: %v", err)
			}
			if calls.Load() != 1 {
				t.Errorf("calls = %d, an oversized body must not be retried", calls.Load())
			}
		})
	}
}

func TestUnknownEnumAndAbsentVersusNull(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /api/v1/executions", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, []byte(`{"items":[
			{"id":1,"action_ref":"a.b","status":"paused_by_operator","parent":null,"enforcement":null,"rule_ref":null,"trigger_ref":null,
			 "workflow_task":null,"created":"2026-06-11T14:02:41Z","updated":"2026-06-11T14:02:41Z","brand_new_field":{"x":1}},
			{"id":2,"action_ref":"a.b","status":"running","created":"2026-06-11T14:02:41Z","updated":"2026-06-11T14:02:41Z","workflow_task":{"task":"t"}}
		],"pagination":{"page":1,"page_size":2,"has_previous":false,"has_next":false}}`))
	})
	mux.HandleFunc("GET /api/v1/executions/5", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, []byte(`{"data":{"id":5,"action_ref":"a.b","config":null,"status":"requested","result":null,"created":"2026-06-11T14:02:41Z","updated":"2026-06-11T14:02:41Z"}}`))
	})
	p, _, err := c.Executions.List(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := p.Items[0]
	if got.Status != "paused_by_operator" || got.Status.Known() || got.Status.Terminal() {
		t.Errorf("unknown status = %q (known %v)", got.Status, got.Status.Known())
	}
	if got.Parent != nil || got.RuleRef != nil || got.WorkflowTask != nil {
		t.Errorf("null fields must decode to nil: %+v", got)
	}
	absent := p.Items[1]
	if absent.Parent != nil || absent.RuleRef != nil || absent.TraceTag != nil || absent.StartedAt != nil {
		t.Errorf("absent fields must decode to nil: %+v", absent)
	}
	if string(absent.WorkflowTask) != `{"task":"t"}` {
		t.Errorf("WorkflowTask = %s", absent.WorkflowTask)
	}
	ex, _, err := c.Executions.Get(t.Context(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Config != nil || ex.Result != nil {
		t.Errorf("null config/result must be nil, got %q %q", ex.Config, ex.Result)
	}
	if b, _ := json.Marshal(ex); !strings.Contains(string(b), `"result":null`) {
		t.Errorf("nil result must marshal as null: %s", b)
	}
}

func TestTransportError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	c, err := client.New("http://"+addr, client.WithToken(testToken), client.WithRetryPolicy(fastRetry()))
	if err != nil {
		t.Fatal(err)
	}
	_, resp, err := c.Events.List(t.Context(), &client.EventListOptions{TraceTag: "secret-ish-query"})
	var te *client.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v (%T), want *TransportError", err, err)
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) || resp != nil {
		t.Errorf("transport failure must not be an APIError: %v %v", err, resp)
	}
	if te.Path != "/api/v1/events" || strings.Contains(err.Error(), "secret-ish-query") {
		t.Errorf("error must name the path without the query: %v", err)
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		url  string
		opts []client.Option
	}{
		{"relative URL", "/api", nil},
		{"no scheme", "attune.example.com", nil},
		{"ftp", "ftp://attune.example.com", nil},
		{"query", "https://attune.example.com/?x=1", nil},
		{"userinfo", "https://u:p@attune.example.com", nil},
		{"empty token", "https://attune.example.com", []client.Option{client.WithToken("")}},
		{"empty password", "https://attune.example.com", []client.Option{client.WithCredentials("a", "")}},
		{"missing CA file", "https://attune.example.com", []client.Option{client.WithCAFile("/nonexistent/ca.pem")}},
		{"TLS option with custom transport", "https://attune.example.com", []client.Option{client.WithTransport(roundTripFunc(nil)), client.WithInsecureSkipVerify()}},
		{"bad body size", "https://attune.example.com", []client.Option{client.WithMaxBodySize(0)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if c, err := client.New(tc.url, tc.opts...); err == nil {
				t.Errorf("New = %v, want an error", c)
			} else if strings.Contains(err.Error(), ":p@") {
				t.Errorf("error leaks userinfo: %v", err)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	t.Parallel()
	c, err := client.New("https://attune.example.com", client.WithInsecureSkipVerify())
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Warnings(); len(w) != 1 || !strings.Contains(w[0], "TLS") {
		t.Errorf("Warnings = %q", w)
	}
	c, err = client.New("http://127.0.0.1:8080")
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Warnings(); w != nil {
		t.Errorf("Warnings = %q, want none for loopback http", w)
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("/", func(_ http.ResponseWriter, r *http.Request) { t.Errorf("unexpected request %s", r.URL) })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err := c.Events.List(ctx, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
