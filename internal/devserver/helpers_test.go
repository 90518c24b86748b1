package devserver

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// memSink collects generated rows for brute-force comparisons.
type memSink struct {
	events       []eventRow
	enforcements []enforcementRow
	executions   []executionRow
}

func (m *memSink) event(e *eventRow) error { m.events = append(m.events, *e); return nil }
func (m *memSink) enforcement(e *enforcementRow) error {
	m.enforcements = append(m.enforcements, *e)
	return nil
}
func (m *memSink) execution(e *executionRow) error {
	m.executions = append(m.executions, *e)
	return nil
}

// generate runs the seed generator into memory.
func generate(tb testing.TB, opts SeedOptions) *memSink {
	tb.Helper()
	m := &memSink{}
	if err := newGenerator(opts).run(context.Background(), m); err != nil {
		tb.Fatalf("generate: %v", err)
	}
	return m
}

type testServer struct {
	srv   *Server
	url   string
	token string
}

// startServer serves a freshly seeded Server with httptest on 127.0.0.1
// and logs in.
func startServer(tb testing.TB, opts Options) *testServer {
	tb.Helper()
	if opts.DBPath == "" {
		opts.DBPath = tb.TempDir() + "/dev.db"
	}
	srv, err := New(context.Background(), opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv)
	tb.Cleanup(func() {
		ts.Close()
		if err := srv.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	t := &testServer{srv: srv, url: ts.URL}
	status, body := t.do(tb, http.MethodPost, "/auth/login", `{"login":"`+srv.Login()+`","password":"`+srv.Password()+`"}`, false)
	if status != http.StatusOK {
		tb.Fatalf("login: %d %s", status, body)
	}
	var lr struct {
		Data struct {
			AccessToken string `json:"access_token"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &lr); err != nil {
		tb.Fatalf("login body: %v", err)
	}
	t.token = lr.Data.AccessToken
	return t
}

// do sends a request (JSON body when body is not empty) and returns the
// status and body.
func (t *testServer) do(tb testing.TB, method, path, body string, auth bool) (int, []byte) {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, t.url+path, rd)
	if err != nil {
		tb.Fatalf("request: %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read body: %v", err)
	}
	return resp.StatusCode, b
}

// getJSON GETs path with the bearer token, requires 200 and decodes into v.
func (t *testServer) getJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	status, body := t.do(tb, http.MethodGet, path, "", true)
	if status != http.StatusOK {
		tb.Fatalf("GET %s: %d %s", path, status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("GET %s: decode: %v", path, err)
	}
}
