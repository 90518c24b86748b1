package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
)

const (
	testLogin    = "admin"
	testPassword = "pw-Sup3r-S3cret"
)

// authServer is a tiny token issuer: tokens are "access-N"/"refresh-N";
// only the latest access token is accepted.
type authServer struct {
	t         *testing.T
	mu        sync.Mutex
	gen       int
	logins    atomic.Int32
	refreshes atomic.Int32
	calls     atomic.Int32
	// refreshFails makes /auth/refresh answer 401.
	refreshFails bool
	// passwordChanged makes every login answer 401.
	passwordChanged atomic.Bool
	// loginLatency delays login answers, like a server hashing a password.
	loginLatency time.Duration
	// gate, when set, holds every events request until gateN of them have
	// arrived, so that all are in flight before any answer.
	gate  chan struct{}
	gateN int32
}

func (s *authServer) issue() []byte {
	s.mu.Lock()
	s.gen++
	g := s.gen
	s.mu.Unlock()
	return fmt.Appendf(nil, `{"data":{"access_token":"access-%d","refresh_token":"refresh-%d","token_type":"Bearer","expires_in":3600}}`, g, g)
}

func (s *authServer) current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("access-%d", s.gen)
}

// expire invalidates the current access token (as if it had expired).
func (s *authServer) expire() {
	s.mu.Lock()
	s.gen += 1000
	s.mu.Unlock()
}

func (s *authServer) register(mux *http.ServeMux) {
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		s.logins.Add(1)
		if s.loginLatency > 0 {
			select { // server latency, not synchronisation
			case <-time.After(s.loginLatency):
			case <-r.Context().Done():
				return
			}
		}
		var body struct{ Login, Password string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch {
		case body.Login == "" || body.Password == "":
			writeJSON(w, 422, []byte(`{"error":"Invalid login request: login must not be empty","code":"VALIDATION_ERROR"}`))
		case body.Login != testLogin || body.Password != testPassword || s.passwordChanged.Load():
			writeJSON(w, 401, []byte(`{"error":"Invalid login or password","code":"UNAUTHORIZED"}`))
		default:
			b := s.issue()
			var env map[string]map[string]any
			_ = json.Unmarshal(b, &env)
			env["data"]["user"] = map[string]any{"id": 1, "login": testLogin, "display_name": "Administrator"}
			out, _ := json.Marshal(env)
			writeJSON(w, 200, out)
		}
	})
	mux.HandleFunc("POST /auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		s.refreshes.Add(1)
		var body struct {
			RefreshToken string `json:"refresh_token"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		if s.refreshFails || !strings.HasPrefix(body.RefreshToken, "refresh-") {
			writeJSON(w, 401, []byte(`{"error":"Invalid or expired refresh token","code":"UNAUTHORIZED"}`))
			return
		}
		writeJSON(w, 200, s.issue())
	})
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, r *http.Request) {
		if n := s.calls.Add(1); s.gate != nil {
			if n == s.gateN {
				close(s.gate)
			}
			select {
			case <-s.gate:
			case <-r.Context().Done():
				return
			}
		}
		if r.Header.Get("Authorization") != "Bearer "+s.current() {
			writeJSON(w, 401, []byte(`{"error":{"code":401,"message":"Authentication token expired"}}`))
			return
		}
		writeJSON(w, 200, []byte(`{"items":[],"pagination":{"page":1,"page_size":50,"has_previous":false,"has_next":false}}`))
	})
}

func TestLazyLoginAndUser(t *testing.T) {
	t.Parallel()
	srv := &authServer{t: t}
	c, mux := setupNoToken(t, client.WithCredentials(testLogin, testPassword))
	srv.register(mux)
	if c.Auth.User() != nil || c.Auth.SignedIn() {
		t.Fatal("no user before the first call")
	}
	if _, _, err := c.Events.List(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Events.List(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	if n := srv.logins.Load(); n != 1 {
		t.Errorf("logins = %d, want 1", n)
	}
	if u := c.Auth.User(); u == nil || u.Login != testLogin || u.ID != 1 {
		t.Errorf("User = %+v", u)
	}
}

func TestLoginRequest(t *testing.T) {
	t.Parallel()
	c, mux := setupNoToken(t)
	// Read here, not in the handler: fixture skips the test without the
	// shared folder, and a skip must come from the test's goroutine.
	body := fixture(t, "login_response.json")
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		testHeaders(t, r, "")
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		testBody(t, r, `{"login":"admin","password":"`+testPassword+`"}`)
		writeJSON(w, 200, body)
	})
	tok, resp, err := c.Auth.Login(t.Context(), testLogin, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 || !strings.HasPrefix(tok.AccessToken, "eyJ") || tok.User == nil || *tok.User.DisplayName != "Administrator" {
		t.Errorf("token = %+v", tok)
	}
	if resp.StatusCode != 200 || !c.Auth.SignedIn() {
		t.Errorf("status %d, signed in %v", resp.StatusCode, c.Auth.SignedIn())
	}
}

func TestLoginErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		login    string
		password string
		status   int
		is       error
	}{
		{"empty login is a 422", "", testPassword, 422, nil},
		{"empty password is a 422", testLogin, "", 422, nil},
		{"wrong password", testLogin, "nope", 401, client.ErrUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := &authServer{t: t}
			c, mux := setupNoToken(t)
			srv.register(mux)
			_, _, err := c.Auth.Login(t.Context(), tc.login, tc.password)
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Path != "/auth/login" || apiErr.Method != "POST" {
				t.Fatalf("err = %v", err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.is)
			}
			if n := srv.logins.Load(); n != 1 {
				t.Errorf("logins = %d: POST must not be retried", n)
			}
		})
	}
}

// listConcurrently lists events from n goroutines at once and returns their
// errors.
func listConcurrently(t *testing.T, c *client.Client, n int) []error {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, _, errs[i] = c.Events.List(t.Context(), nil) })
	}
	wg.Wait()
	return errs
}

func TestConcurrent401sShareOneRefresh(t *testing.T) {
	t.Parallel()
	srv := &authServer{t: t}
	c, mux := setupNoToken(t, client.WithCredentials(testLogin, testPassword))
	srv.register(mux)
	if _, _, err := c.Auth.Login(t.Context(), testLogin, testPassword); err != nil {
		t.Fatal(err)
	}
	srv.expire()
	const n = 20
	for _, err := range listConcurrently(t, c, n) {
		if err != nil {
			t.Errorf("call failed: %v", err)
		}
	}
	if got := srv.refreshes.Load(); got != 1 {
		t.Errorf("refreshes = %d, want exactly 1", got)
	}
	if got := srv.logins.Load(); got != 1 {
		t.Errorf("logins = %d, want only the initial one", got)
	}
}

// TestConcurrentCallersShareAFailedRenewal: the token expired and the
// password changed; 20 concurrent calls must cause one refresh and one
// login attempt (then fail together), not 20 of each — repeated failed
// logins can lock an account.
func TestConcurrentCallersShareAFailedRenewal(t *testing.T) {
	t.Parallel()
	const n = 20
	srv := &authServer{t: t, refreshFails: true}
	c, mux := setupNoToken(t, client.WithCredentials(testLogin, testPassword))
	srv.register(mux)
	if _, _, err := c.Auth.Login(t.Context(), testLogin, testPassword); err != nil {
		t.Fatal(err)
	}
	srv.expire()
	srv.passwordChanged.Store(true)
	srv.gate, srv.gateN = make(chan struct{}), n
	for _, err := range listConcurrently(t, c, n) {
		if !errors.Is(err, client.ErrUnauthorized) || !strings.Contains(err.Error(), "check the login and password") {
			t.Errorf("err = %v, want ErrUnauthorized saying to check the credentials", err)
		}
	}
	if r, l := srv.refreshes.Load(), srv.logins.Load(); r != 1 || l != 2 {
		t.Errorf("refreshes = %d, logins = %d; want 1 and 2 (the initial login and one retry)", r, l)
	}
	// A later call, after the failure, tries again by itself.
	if _, _, err := c.Events.List(t.Context(), nil); !errors.Is(err, client.ErrUnauthorized) {
		t.Errorf("later call: %v", err)
	}
	if l := srv.logins.Load(); l != 3 {
		t.Errorf("logins = %d after a later call, want 3", l)
	}
}

// TestConcurrentFirstSignInFailsOnce: 20 calls at start with a wrong
// password make one login attempt. (The callers must all be waiting before
// the login fails; the server's 200 ms login latency leaves them time to
// start.)
func TestConcurrentFirstSignInFailsOnce(t *testing.T) {
	t.Parallel()
	const n = 20
	srv := &authServer{t: t, loginLatency: 200 * time.Millisecond}
	c, mux := setupNoToken(t, client.WithCredentials(testLogin, "wrong-password"))
	srv.register(mux)
	for _, err := range listConcurrently(t, c, n) {
		if !errors.Is(err, client.ErrUnauthorized) {
			t.Errorf("err = %v, want ErrUnauthorized", err)
		}
	}
	if l := srv.logins.Load(); l != 1 {
		t.Errorf("logins = %d, want 1", l)
	}
}

func TestRefreshFailureFallsBackToLogin(t *testing.T) {
	t.Parallel()
	srv := &authServer{t: t, refreshFails: true}
	c, mux := setupNoToken(t, client.WithCredentials(testLogin, testPassword))
	srv.register(mux)
	if _, _, err := c.Events.List(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	srv.expire()
	if _, _, err := c.Events.List(t.Context(), nil); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if r, l := srv.refreshes.Load(), srv.logins.Load(); r != 1 || l != 2 {
		t.Errorf("refreshes = %d, logins = %d; want 1 and 2", r, l)
	}
}

func TestFinalUnauthorized(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		opts     []client.Option
		wantHint string
		calls    int32
	}{
		{"static token", []client.Option{client.WithToken("stale-token-abcdef")}, "configure a new token", 1},
		{"no credentials", nil, "no credentials configured", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := &authServer{t: t}
			c, mux := setupNoToken(t, tc.opts...)
			srv.register(mux)
			_, _, err := c.Events.List(t.Context(), nil)
			if !errors.Is(err, client.ErrUnauthorized) {
				t.Fatalf("err = %v, want ErrUnauthorized", err)
			}
			if !strings.Contains(err.Error(), tc.wantHint) {
				t.Errorf("error %q should say %q", err, tc.wantHint)
			}
			if got := srv.calls.Load(); got != tc.calls {
				t.Errorf("calls = %d, want %d", got, tc.calls)
			}
		})
	}
}

func TestRenewalFailsWhenCredentialsAreRevoked(t *testing.T) {
	t.Parallel()
	srv := &authServer{t: t, refreshFails: true}
	c, mux := setupNoToken(t)
	srv.register(mux)
	if _, _, err := c.Auth.Login(t.Context(), testLogin, testPassword); err != nil {
		t.Fatal(err)
	}
	srv.expire()
	// A login that fails after the refresh failed: use a second client whose
	// remembered password is wrong.
	c2, mux2 := setupNoToken(t, client.WithCredentials(testLogin, "wrong-password"))
	srv2 := &authServer{t: t, refreshFails: true}
	srv2.register(mux2)
	_, _, err := c2.Events.List(t.Context(), nil)
	if !errors.Is(err, client.ErrUnauthorized) || !strings.Contains(err.Error(), "check the login and password") {
		t.Errorf("lazy login with a wrong password: %v", err)
	}
	_, _, err = c.Events.List(t.Context(), nil)
	if err != nil {
		t.Errorf("re-login with remembered Login credentials: %v", err)
	}
}

func TestRefreshRotatesBothTokens(t *testing.T) {
	t.Parallel()
	srv := &authServer{t: t}
	c, mux := setupNoToken(t)
	srv.register(mux)
	if _, _, err := c.Auth.Refresh(t.Context()); err == nil {
		t.Error("Refresh before sign-in must fail")
	}
	first, _, err := c.Auth.Login(t.Context(), testLogin, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := c.Auth.Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken {
		t.Error("refresh must rotate both tokens")
	}
	if u := c.Auth.User(); u == nil || u.Login != testLogin {
		t.Errorf("the refresh answer has no user; the login's must be kept: %+v", u)
	}
	if _, _, err := c.Events.List(t.Context(), nil); err != nil {
		t.Errorf("the rotated token must be used: %v", err)
	}
	if _, _, err := c.Auth.Refresh(t.Context()); err != nil {
		t.Errorf("the rotated refresh token must be used: %v", err)
	}
}

func TestAuthWaitHonoursContext(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	c, mux := setupNoToken(t, client.WithCredentials(testLogin, testPassword))
	entered := make(chan struct{})
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		select {
		case <-block:
		case <-r.Context().Done():
		}
		writeJSON(w, 401, []byte(`{"error":"Invalid login or password","code":"UNAUTHORIZED"}`))
	})
	done := make(chan struct{})
	defer func() { close(block); <-done }()
	go func() { // holds the sign-in
		defer close(done)
		_, _, _ = c.Events.List(context.Background(), nil)
	}()
	<-entered
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := c.Events.List(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled while another caller signs in", err)
	}
}

// setupNoToken is setup without the default static token.
func setupNoToken(t *testing.T, opts ...client.Option) (*client.Client, *http.ServeMux) {
	t.Helper()
	return setupWith(t, opts...)
}
