package client_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attune-tui/attune-tui/client"
)

// localRoundTripper serves every request with handler in process, through
// an httptest.ResponseRecorder: no listener, no socket, no DNS.
type localRoundTripper struct {
	handler http.Handler
	calls   *atomic.Int32 // requests served
}

// RoundTrip implements http.RoundTripper.
func (l localRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close() // a RoundTripper always closes the body
	}
	if err := req.Context().Err(); err != nil {
		return nil, fmt.Errorf("local round trip: %w", err)
	}
	l.calls.Add(1)
	// The handler gets its own copy, as a server would: it must not change
	// the caller's request.
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:0"
	if in.Body == nil {
		in.Body = http.NoBody // a server request always has a body
	}
	rec := httptest.NewRecorder()
	l.handler.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// localHost is the base URL's host: it does not resolve, so any request
// that left the process would fail.
const localHost = "http://attune.invalid"

// setupLocal is setupWith over a localRoundTripper: the mux is mounted
// under basePath, and the client reaches it through WithTransport. It
// returns the client, the mux and the count of requests served.
func setupLocal(t *testing.T, opts ...client.Option) (*client.Client, *http.ServeMux, *atomic.Int32) {
	t.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle(basePath+"/", http.StripPrefix(basePath, mux))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	calls := &atomic.Int32{}
	all := append([]client.Option{
		client.WithRetryPolicy(fastRetry()),
		client.WithTransport(localRoundTripper{handler: outer, calls: calls}),
	}, opts...)
	c, err := client.New(localHost+basePath, all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, mux, calls
}

// TestLocalRoundTripper runs a few method checks with no listener at all:
// the client's transport hands each request to a ServeMux in process.
func TestLocalRoundTripper(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts []client.Option
		// test registers handlers on mux, then calls c and checks.
		test      func(t *testing.T, c *client.Client, mux *http.ServeMux)
		wantCalls int32 // requests through the local transport
	}{
		{name: "Events.List with filters", opts: []client.Option{client.WithToken(testToken)}, test: testLocalList, wantCalls: 1},
		{name: "Events.Get", opts: []client.Option{client.WithToken(testToken)}, test: testLocalGet, wantCalls: 1},
		{name: "404 is a typed API error", opts: []client.Option{client.WithToken(testToken)}, test: testLocalNotFound, wantCalls: 1},
		// login, list, then after expiry: list (401), refresh, list again.
		{name: "401 refreshes once and retries", opts: []client.Option{client.WithCredentials(testLogin, testPassword)}, test: testLocalRefresh, wantCalls: 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux, calls := setupLocal(t, tc.opts...)
			tc.test(t, c, mux)
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("requests through the local transport = %d, want %d", got, tc.wantCalls)
			}
		})
	}
}

func testLocalList(t *testing.T, c *client.Client, mux *http.ServeMux) {
	body := fixture(t, "events_page.json")
	mux.HandleFunc("/api/v1/events", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		want := url.Values{"page": {"2"}, "per_page": {"25"}, "include_total": {"true"}, "trigger": {"12"},
			"trigger_ref": {"monitoring.http_alert"}, "trace_tag": {"monitoring.http_alert.4811"}}
		if diff := cmp.Diff(want, r.URL.Query()); diff != "" {
			t.Errorf("query (-want +got):\n%s", diff)
		}
		testHeaders(t, r, testToken)
		testBody(t, r, "")
		writeJSON(w, http.StatusOK, body)
	})
	p, resp, err := c.Events.List(t.Context(), &client.EventListOptions{
		ListOptions: client.ListOptions{Page: 2, PerPage: 25, IncludeTotal: true},
		Trigger:     12, TriggerRef: "monitoring.http_alert", TraceTag: "monitoring.http_alert.4811",
	})
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	ids := make([]int64, len(p.Items))
	for i, e := range p.Items {
		ids[i] = e.ID
	}
	if diff := cmp.Diff([]int64{4812, 4811, 4810}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(client.Pagination{Page: 1, PageSize: 3, HasNext: true}, p.Pagination); diff != "" {
		t.Errorf("pagination (-want +got):\n%s", diff)
	}
	if resp.StatusCode != http.StatusOK || resp.Pagination == nil {
		t.Errorf("response = %d, pagination %v", resp.StatusCode, resp.Pagination)
	}
}

func testLocalGet(t *testing.T, c *client.Client, mux *http.ServeMux) {
	body := fixture(t, "event_detail.json")
	mux.HandleFunc("GET /api/v1/events/{id}", func(w http.ResponseWriter, r *http.Request) {
		if got := r.PathValue("id"); got != "4811" {
			t.Errorf("id = %s, want 4811", got)
		}
		testHeaders(t, r, testToken)
		writeJSON(w, http.StatusOK, body)
	})
	ev, _, err := c.Events.Get(t.Context(), 4811)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if ev.ID != 4811 || ev.TriggerRef != "monitoring.http_alert" || len(ev.Payload) == 0 || ev.Config != nil {
		t.Errorf("event = %+v", ev)
	}
}

func testLocalNotFound(t *testing.T, c *client.Client, mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/events/{id}", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, []byte(`{"error":"Event with ID 999999 not found","code":"NOT_FOUND"}`))
	})
	_, resp, err := c.Events.Get(t.Context(), 999999)
	want := &client.APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "Event with ID 999999 not found",
		Method: http.MethodGet, Path: "/api/v1/events/999999"}
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v (%T), want *APIError", err, err)
	}
	if diff := cmp.Diff(want, apiErr); diff != "" {
		t.Errorf("APIError (-want +got):\n%s", diff)
	}
	if !errors.Is(err, client.ErrNotFound) {
		t.Error("errors.Is(err, ErrNotFound) = false")
	}
	var te *client.TransportError
	if errors.As(err, &te) {
		t.Error("an API error must not be a TransportError")
	}
	if resp == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("Response = %+v, want status 404", resp)
	}
}

func testLocalRefresh(t *testing.T, c *client.Client, mux *http.ServeMux) {
	srv := &authServer{t: t}
	srv.register(mux)
	if _, _, err := c.Events.List(t.Context(), nil); err != nil { // lazy login first
		t.Fatalf("first list: %v", err)
	}
	srv.expire()
	if _, _, err := c.Events.List(t.Context(), nil); err != nil {
		t.Fatalf("list after expiry: %v", err)
	}
	if r, l, n := srv.refreshes.Load(), srv.logins.Load(), srv.calls.Load(); r != 1 || l != 1 || n != 3 {
		t.Errorf("refreshes = %d, logins = %d, list calls = %d; want 1, 1, 3", r, l, n)
	}
}
