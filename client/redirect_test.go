package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/attune-tui/attune-tui/client"
)

// catcher records every request that reaches another origin; none may.
type catcher struct {
	mu   sync.Mutex
	seen []string
}

func (c *catcher) record(r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, fmt.Sprintf("%s %s Host=%s Authorization=%q body=%q", r.Method, r.URL, r.Host, r.Header.Get("Authorization"), body))
}

func (c *catcher) requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.seen...)
}

// TestRedirectsNeverCarryCredentialsElsewhere points the client at a
// misbehaving API that redirects GETs, login and refresh with 302, 307 and
// 308 to another port on 127.0.0.1 and to another host name ("localhost",
// same port): the other origin must never receive a request, and the error
// must name the Location and say why it was not followed.
func TestRedirectsNeverCarryCredentialsElsewhere(t *testing.T) {
	t.Parallel()
	evil := &catcher{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evil.record(r)
		writeJSON(w, 200, []byte(`{"data":{"access_token":"evil","refresh_token":"evil","token_type":"Bearer","expires_in":3600},"items":[],"pagination":{"page":1,"page_size":50,"has_previous":false,"has_next":false}}`))
	}))
	t.Cleanup(other.Close)

	type target struct {
		name string
		loc  func(apiPort string, path string) string
	}
	targets := []target{
		{"other port", func(_, p string) string { return other.URL + p + "?token=leak" }},
		{"other host name", func(port, p string) string { return "http://localhost:" + port + p + "?token=leak" }},
	}
	type call struct {
		name string
		path string // the path that redirects
		run  func(ctx context.Context, c *client.Client) error
	}
	calls := []call{
		{"GET events with token", "/api/v1/events", func(ctx context.Context, c *client.Client) error {
			_, _, err := c.Events.List(ctx, nil)
			return err
		}},
		{"login", "/auth/login", func(ctx context.Context, c *client.Client) error {
			_, _, err := c.Auth.Login(ctx, testLogin, testPassword)
			return err
		}},
		{"refresh", "/auth/refresh", func(ctx context.Context, c *client.Client) error {
			if _, _, err := c.Auth.Login(ctx, testLogin, testPassword); err != nil {
				return fmt.Errorf("login before refresh: %w", err)
			}
			_, _, err := c.Auth.Refresh(ctx)
			return err
		}},
	}
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, tg := range targets {
			for _, cl := range calls {
				t.Run(fmt.Sprintf("%d %s %s", status, tg.name, cl.name), func(t *testing.T) {
					t.Parallel()
					var port string
					api := &authServer{t: t}
					mux := http.NewServeMux()
					api.register(mux)
					outer := http.NewServeMux()
					outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
						if !strings.HasPrefix(r.Host, "127.0.0.1:") {
							evil.record(r)
							http.Error(w, "wrong origin", http.StatusTeapot)
							return
						}
						if r.URL.Path == cl.path {
							http.Redirect(w, r, tg.loc(port, r.URL.Path), status)
							return
						}
						mux.ServeHTTP(w, r)
					})
					srv := httptest.NewServer(outer)
					t.Cleanup(srv.Close)
					_, port, _ = net.SplitHostPort(srv.Listener.Addr().String())
					opts := []client.Option{client.WithRetryPolicy(fastRetry())}
					if cl.name == "GET events with token" {
						opts = append(opts, client.WithToken("access-0"))
					}
					c, err := client.New(srv.URL, opts...)
					if err != nil {
						t.Fatal(err)
					}
					err = cl.run(t.Context(), c)
					var re *client.RedirectError
					if !errors.As(err, &re) {
						t.Fatalf("err = %v (%T), want *client.RedirectError", err, err)
					}
					msg := err.Error()
					wantLoc := strings.TrimSuffix(tg.loc(port, cl.path), "?token=leak")
					for _, want := range []string{wantLoc, "not followed", fmt.Sprint(status), cl.path} {
						if !strings.Contains(msg, want) {
							t.Errorf("error %q does not contain %q", msg, want)
						}
					}
					if strings.Contains(msg, "leak") {
						t.Errorf("error %q carries the Location's query string", msg)
					}
					if re.Location != wantLoc {
						t.Errorf("Location = %q, want %q", re.Location, wantLoc)
					}
				})
			}
		}
	}
	t.Cleanup(func() {
		if got := evil.requests(); len(got) > 0 {
			t.Errorf("the other origin received %d requests, want none:\n%s", len(got), strings.Join(got, "\n"))
		}
	})
}

// TestSameOriginGETRedirect follows a same-origin redirect of a GET, with
// the token and without a Referer, and refuses one of a POST.
func TestSameOriginGETRedirect(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var referer []string
	var mu sync.Mutex
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, basePath+"/api/v1/events-moved?page=1", http.StatusFound)
	})
	mux.HandleFunc("GET /api/v1/events-moved", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		referer = append(referer, r.Header.Get("Referer"))
		mu.Unlock()
		testHeaders(t, r, testToken)
		writeJSON(w, 200, []byte(`{"items":[],"pagination":{"page":1,"page_size":50,"has_previous":false,"has_next":false}}`))
	})
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, basePath+"/auth/login2", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("POST /auth/login2", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a redirected login was followed")
	})
	if _, _, err := c.Events.List(t.Context(), &client.EventListOptions{TriggerRef: "secret.trigger"}); err != nil {
		t.Fatalf("same-origin GET redirect: %v", err)
	}
	mu.Lock()
	if len(referer) != 1 || referer[0] != "" {
		t.Errorf("Referer = %q, want one request without it", referer)
	}
	mu.Unlock()
	_, _, err := c.Auth.Login(t.Context(), testLogin, testPassword)
	var re *client.RedirectError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "/auth/login2") {
		t.Errorf("login redirect: err = %v, want a RedirectError naming /auth/login2", err)
	}
}

// TestRedirectPolicyLeavesCallersClientAlone checks that WithHTTPClient's
// client keeps its own CheckRedirect.
func TestRedirectPolicyLeavesCallersClientAlone(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	if _, err := client.New("http://127.0.0.1:1", client.WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil {
		t.Error("New set CheckRedirect on the caller's http.Client")
	}
}
