package devserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/internal/testutil/onceper"
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

// seededFiles holds, per seed, the database file New leaves after seeding
// it (indexes built, analyzed), made once per test binary: seeding is most
// of a server's start under -race, and startServer copies the file
// instead. Test-only shared state; each test writes its own copy.
var seededFiles onceper.Map[SeedOptions, []byte]

// copySeeded writes the database seeded with so to path.
func copySeeded(path string, so SeedOptions) error {
	b, err := seededFiles.Get(so, func() ([]byte, error) { return seedFile(so) })
	if err != nil {
		return fmt.Errorf("seed %+v: %w", so, err)
	}
	return os.WriteFile(path, b, 0o600)
}

// seedFile seeds a database with so in a temporary directory, closes it
// and returns the file.
func seedFile(so SeedOptions) ([]byte, error) {
	dir, err := os.MkdirTemp("", "devserver-test-seed-*")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }() // a leftover temp dir is harmless
	srv, err := New(context.Background(), Options{DBPath: filepath.Join(dir, "dev.db"), Seed: so})
	if err != nil {
		return nil, err
	}
	if err := srv.Close(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "dev.db-wal")); err == nil {
		return nil, errors.New("the closed database left a WAL file")
	}
	return os.ReadFile(filepath.Join(dir, "dev.db"))
}

// startServer serves a Server on a copy of the database seeded with
// opts.Seed (see copySeeded) with httptest on 127.0.0.1 and logs in.
func startServer(tb testing.TB, opts Options) *testServer {
	tb.Helper()
	if opts.DBPath == "" {
		opts.DBPath = filepath.Join(tb.TempDir(), "dev.db")
		if err := copySeeded(opts.DBPath, opts.Seed); err != nil {
			tb.Fatal(err)
		}
	}
	return serve(tb, opts)
}

// startFreshServer is startServer with a database New seeds itself.
func startFreshServer(tb testing.TB, opts Options) *testServer {
	tb.Helper()
	opts.DBPath = filepath.Join(tb.TempDir(), "dev.db")
	return serve(tb, opts)
}

// serve serves a Server for opts with httptest on 127.0.0.1 and logs in.
func serve(tb testing.TB, opts Options) *testServer {
	tb.Helper()
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
