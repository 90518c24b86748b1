package testutil_test

import (
	"context"
	"net/http"
	"net/url"
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
