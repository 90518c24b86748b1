package client_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/contract"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// basePath is where setup mounts the API, so that absolute-path mistakes in
// the client show up as 404s.
const basePath = "/attune"

// testToken is the static token setup configures.
const testToken = "tok-static-1234567890"

// setup starts an httptest server whose mux is mounted under basePath and
// returns a client for it with a static token and fast retries, plus the mux.
func setup(t *testing.T, opts ...client.Option) (*client.Client, *http.ServeMux) {
	t.Helper()
	return setupWith(t, append([]client.Option{client.WithToken(testToken)}, opts...)...)
}

// setupWith is setup without the static token.
func setupWith(t *testing.T, opts ...client.Option) (*client.Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle(basePath+"/", http.StripPrefix(basePath, mux))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(outer)
	t.Cleanup(srv.Close)
	all := append([]client.Option{client.WithRetryPolicy(fastRetry())}, opts...)
	c, err := client.New(srv.URL+basePath, all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, mux
}

// fastRetry is a retry policy with millisecond waits for tests.
func fastRetry() client.RetryPolicy {
	return client.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxElapsed: 5 * time.Second}
}

// fixturePath returns the path of a shared fixture, skipping the test when
// the shared folder is absent.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	p, err := contract.Locate()
	if err != nil {
		t.Skipf("fixtures: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(p), "fixtures", name))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}

// writeJSON answers with status and body as JSON.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// testMethod fails t when r's method is not want.
func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("method = %s, want %s", r.Method, want)
	}
}

// testHeaders checks the headers every request must carry; auth says
// whether the bearer token is expected.
func testHeaders(t *testing.T, r *http.Request, token string) {
	t.Helper()
	if got, want := r.Header.Get("Authorization"), bearer(token); got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
	if got := r.Header.Get("User-Agent"); got != "attune-tui/"+client.Version {
		t.Errorf("User-Agent = %q", got)
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q", got)
	}
}

// bearer returns the Authorization value for token ("" for none).
func bearer(token string) string {
	if token == "" {
		return ""
	}
	return "Bearer " + token
}

// testBody fails t when r's body is not want.
func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if got := strings.TrimSpace(string(b)); got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
}
