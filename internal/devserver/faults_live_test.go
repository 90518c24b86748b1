package devserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
)

// TestFaults switches each fault on at runtime and checks what a client sees,
// plus request accounting.
func TestFaults(t *testing.T) {
	t.Parallel()
	ds := testutil.StartDevServer(t, testutil.DevOptions{Events: 20})
	get := func(path string) (*http.Response, []byte, error) {
		tr := &http.Transport{DisableKeepAlives: true}
		defer tr.CloseIdleConnections()
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, ds.URL+path, nil)
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, b, err
	}
	tests := []struct {
		name  string
		f     devserver.Faults
		check func(t *testing.T, resp *http.Response, body []byte, err error)
	}{
		{"error 500 then 503", devserver.Faults{ErrorRate: 1, RetryAfter: 2 * time.Second}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 500 || !strings.Contains(string(body), "INTERNAL_SERVER_ERROR") {
				t.Fatalf("first: %v %v %s", err, resp, body)
			}
			resp, body, err = get("/health")
			if err != nil || resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" ||
				!strings.Contains(string(body), "RETRYABLE_DATABASE_ERROR") {
				t.Fatalf("second: %v %v %s", err, resp, body)
			}
		}},
		{"malformed", devserver.Faults{MalformedRate: 1}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 200 || json.Valid(body) {
				t.Fatalf("want 200 with invalid JSON: %v %s", err, body)
			}
		}},
		{"truncated", devserver.Faults{TruncateRate: 1}, func(t *testing.T, _ *http.Response, _ []byte, err error) {
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("want unexpected EOF, got %v", err)
			}
		}},
		{"reset", devserver.Faults{ResetRate: 1}, func(t *testing.T, _ *http.Response, _ []byte, err error) {
			if err == nil {
				t.Fatal("want a transport error")
			}
		}},
		{"other prefix untouched", devserver.Faults{ErrorRate: 1, PathPrefix: "/api/"}, func(t *testing.T, resp *http.Response, _ []byte, err error) {
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("health affected: %v %v", err, resp)
			}
		}},
		{"latency", devserver.Faults{Latency: 30 * time.Millisecond}, func(t *testing.T, resp *http.Response, _ []byte, err error) {
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%v %v", err, resp)
			}
		}},
	}
	for _, tc := range tests { // sequential: faults are server-wide
		t.Run(tc.name, func(t *testing.T) {
			ds.Server.SetFaults(tc.f)
			defer ds.Server.SetFaults(devserver.Faults{})
			start := time.Now()
			resp, body, err := get("/health")
			if tc.f.Latency > 0 && time.Since(start) < tc.f.Latency {
				t.Errorf("answered in %s, latency %s", time.Since(start), tc.f.Latency)
			}
			tc.check(t, resp, body, err)
		})
	}
	ds.Server.ResetStats()
	for range 3 {
		if _, _, err := get("/api/v1/events"); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := get("/health"); err != nil {
		t.Fatal(err)
	}
	if n := ds.Server.Requests("/api/v1/events"); n != 3 {
		t.Errorf("Requests(/api/v1/events) = %d, want 3", n)
	}
	if n := ds.Server.Requests(""); n != 4 {
		t.Errorf("Requests(\"\") = %d, want 4", n)
	}
}

// TestLiveTraffic runs live traffic through a full life cycle and checks
// that new events arrive newest-first and executions reach terminal states,
// then that stopping leaks no goroutine.
func TestLiveTraffic(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // runs after the server's cleanup
	steps := make(chan struct{}, 1000)
	ds := testutil.StartDevServer(t, testutil.DevOptions{Events: 30, LiveRate: 200, OnLiveStep: func() {
		select {
		case steps <- struct{}{}:
		default:
		}
	}})
	tok := loginTok(t, ds)
	type page struct {
		Items []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"items"`
	}
	fetch := func(path string) page {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, ds.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var p page
		if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	deadline := time.After(60 * time.Second)
	sawNewEvent, sawLiveTerminal := false, false
	for !(sawNewEvent && sawLiveTerminal) {
		select {
		case <-steps:
		case <-deadline:
			t.Fatalf("live traffic did not progress (new event %v, terminal %v)", sawNewEvent, sawLiveTerminal)
		}
		ev := fetch("/api/v1/events?per_page=1")
		sawNewEvent = len(ev.Items) == 1 && ev.Items[0].ID > 30
		for _, st := range []string{"completed", "failed", "timeout"} {
			ex := fetch("/api/v1/executions?per_page=100&status=" + st)
			for _, it := range ex.Items {
				if it.ID > 0 && isLive(t, ds, tok, it.ID) {
					sawLiveTerminal = true
				}
			}
		}
	}
}

func isLive(t *testing.T, ds *testutil.DevServer, tok string, id int64) bool {
	t.Helper()
	// Live executions belong to events newer than the seed (ids > 30).
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet,
		ds.URL+"/api/v1/executions/"+itoa(id), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Data struct {
			TraceTag string `json:"trace_tag"`
		} `json:"data"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&env)
	i := strings.LastIndexByte(env.Data.TraceTag, '.')
	if i < 0 {
		return false
	}
	eventID, err := strconv.ParseInt(env.Data.TraceTag[i+1:], 10, 64)
	return err == nil && eventID > 30
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func loginTok(t *testing.T, ds *testutil.DevServer) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, ds.URL+"/auth/login",
		strings.NewReader(`{"login":"`+ds.Login+`","password":"`+ds.Password+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Data struct {
			Access string `json:"access_token"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	return env.Data.Access
}

// TestStartDemo starts and stops the in-process demo server.
func TestStartDemo(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	d, err := devserver.StartDemo(context.Background(), devserver.DemoOptions{Events: 50, DBPath: t.TempDir() + "/demo.db"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.URL, "http://127.0.0.1:") || d.Login != "demo" || d.Password != "demo" {
		t.Errorf("demo %s %s", d.URL, d.Login)
	}
	tr := &http.Transport{}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, d.URL+"/health", nil)
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	tr.CloseIdleConnections()
	if resp.StatusCode != 200 {
		t.Errorf("health %d", resp.StatusCode)
	}
	if err := d.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
