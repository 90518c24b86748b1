package testutil_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/internal/testutil"
)

func TestStartDevServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  testutil.DevOptions
		login string
	}{
		{"defaults", testutil.DevOptions{}, "demo"},
		{"custom credentials", testutil.DevOptions{Events: 20, Login: "alice", Password: "s3cret"}, "alice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ds := testutil.StartDevServer(t, tc.opts)
			u, err := url.Parse(ds.URL)
			if err != nil || u.Hostname() != "127.0.0.1" {
				t.Fatalf("URL %q is not on 127.0.0.1", ds.URL)
			}
			if ds.Login != tc.login || ds.Password == "" {
				t.Errorf("credentials %q", ds.Login)
			}
			body := `{"login":"` + ds.Login + `","password":"` + ds.Password + `"}`
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, ds.URL+"/auth/login", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("login: %d", resp.StatusCode)
			}
			if n := ds.Server.Requests("/auth/login"); n != 1 {
				t.Errorf("Requests = %d, want 1", n)
			}
		})
	}
}

// TestMain stops the shared dev servers after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := testutil.CloseSharedDevServers(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// TestSeededCopiesAreIndependent: two servers of the same seed start from
// the same data (one seeded file, copied), and a change to one (a live
// step) is not seen by the other.
func TestSeededCopiesAreIndependent(t *testing.T) {
	t.Parallel()
	opts := testutil.DevOptions{Seed: 5, Events: 40}
	a, b := testutil.StartDevServer(t, opts), testutil.StartDevServer(t, opts)
	if a.URL == b.URL || a.Server == b.Server {
		t.Fatal("the two servers are one")
	}
	newest := func(ds *testutil.DevServer) string { return get(t, ds, "/api/v1/events?page=1&per_page=1") }
	if newest(a) != newest(b) {
		t.Fatalf("same seed, different data:\n%s\n%s", newest(a), newest(b))
	}
	before := newest(b)
	if err := a.Server.LiveStep(t.Context()); err != nil {
		t.Fatal(err)
	}
	if newest(a) == before {
		t.Error("the live step changed nothing on its own server")
	}
	if newest(b) != before {
		t.Error("a live step on one copy changed the other")
	}
}

// TestSharedDevServer: the shared server of a seed is one server for every
// caller, and it serves that seed.
func TestSharedDevServer(t *testing.T) {
	t.Parallel()
	opts := testutil.DevOptions{Seed: 3, Events: 20}
	a, b := testutil.SharedDevServer(t, opts), testutil.SharedDevServer(t, opts)
	if a != b {
		t.Error("two shared servers for one seed")
	}
	if !strings.Contains(get(t, a, "/api/v1/events?page=1&per_page=1"), `"id":20`) {
		t.Error("the shared server does not serve its seed")
	}
}

// get returns the body of a signed-in GET of path on ds.
func get(t *testing.T, ds *testutil.DevServer, path string) string {
	t.Helper()
	body := `{"login":"` + ds.Login + `","password":"` + ds.Password + `"}`
	resp, err := http.Post(ds.URL+"/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		Data struct {
			AccessToken string `json:"access_token"`
		} `json:"data"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	_ = resp.Body.Close()
	if err != nil || tok.Data.AccessToken == "" {
		t.Fatalf("login: %v %+v", err, tok)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ds.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok.Data.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v\n%s", path, resp.StatusCode, err, b)
	}
	return string(b)
}
