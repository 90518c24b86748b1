package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// redactedMark replaces secrets wherever one could be printed.
const redactedMark = "[REDACTED]"

// TokenResponse is the data of a login or refresh answer. It holds secrets:
// String, GoString and Format never print the tokens.
type TokenResponse struct {
	// AccessToken is the JWT sent as "Authorization: Bearer ...".
	AccessToken string `json:"access_token"`
	// RefreshToken is the JWT sent to POST /auth/refresh.
	RefreshToken string `json:"refresh_token"`
	// TokenType is always "Bearer".
	TokenType string `json:"token_type"`
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int64 `json:"expires_in"`
	// User is the signed-in identity; present on login, absent on refresh.
	User *UserInfo `json:"user,omitempty"`
}

// String describes t without its tokens.
func (t TokenResponse) String() string {
	user := "<nil>"
	if t.User != nil {
		user = fmt.Sprintf("%d/%s", t.User.ID, t.User.Login)
	}
	return fmt.Sprintf("client.TokenResponse{AccessToken: %s, RefreshToken: %s, TokenType: %s, ExpiresIn: %d, User: %s}",
		redactedMark, redactedMark, t.TokenType, t.ExpiresIn, user)
}

// GoString implements fmt.GoStringer without the tokens.
func (t TokenResponse) GoString() string { return t.String() }

// Format implements fmt.Formatter: every verb prints String.
func (t TokenResponse) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, t.String()) }

// AuthService signs in, refreshes tokens and reads the current user.
type AuthService service

// Login signs in with login and password, stores the tokens for later calls
// and remembers the credentials so that the client can sign in again when
// the refresh token expires. An empty login or password is sent anyway: the
// server answers 422, returned as an *APIError.
//
// API: POST /auth/login
func (s *AuthService) Login(ctx context.Context, login, password string) (*TokenResponse, *Response, error) {
	a := s.client.auth
	if err := a.acquire(ctx); err != nil {
		return nil, nil, err
	}
	defer a.release()
	tok, resp, err := s.client.login(ctx, login, password)
	if err != nil {
		return nil, resp, err
	}
	a.mu.Lock()
	a.login, a.password, a.hasCredentials = login, password, true
	a.mu.Unlock()
	return tok, resp, nil
}

// Refresh exchanges the refresh token for a new access and refresh token now
// and stores both. It fails when the client has no refresh token (a static
// token, or not signed in yet).
//
// API: POST /auth/refresh
func (s *AuthService) Refresh(ctx context.Context) (*TokenResponse, *Response, error) {
	a := s.client.auth
	if err := a.acquire(ctx); err != nil {
		return nil, nil, err
	}
	defer a.release()
	return s.client.refresh(ctx)
}

// Me returns the signed-in identity with its effective permissions.
//
// API: GET /auth/me
func (s *AuthService) Me(ctx context.Context) (*CurrentUser, *Response, error) {
	return getItem[CurrentUser](ctx, s.client, &request{method: http.MethodGet, path: "/auth/me", auth: true})
}

// User returns the user from the last login answer, or nil before the first
// login or with a static token. It makes no request.
func (s *AuthService) User() *UserInfo {
	a := s.client.auth
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.user == nil {
		return nil
	}
	u := *a.user
	return &u
}

// SignedIn reports whether the client holds an access token.
func (s *AuthService) SignedIn() bool {
	tok := s.client.auth.current()
	return tok != ""
}

// login performs POST /auth/login and stores the tokens. The caller holds
// the auth semaphore.
func (c *Client) login(ctx context.Context, login, password string) (*TokenResponse, *Response, error) {
	body, err := json.Marshal(struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}{login, password})
	if err != nil {
		return nil, nil, fmt.Errorf("attune: encode login: %w", err)
	}
	tok, resp, err := getItem[TokenResponse](ctx, c, &request{method: http.MethodPost, path: "/auth/login", body: body})
	if err != nil {
		return nil, resp, err
	}
	if tok.AccessToken == "" {
		return nil, resp, fmt.Errorf("attune: POST /auth/login: %w: no access_token", ErrMalformedResponse)
	}
	c.auth.store(tok)
	return tok, resp, nil
}

// refresh performs POST /auth/refresh and stores both new tokens. The caller
// holds the auth semaphore.
func (c *Client) refresh(ctx context.Context) (*TokenResponse, *Response, error) {
	c.auth.mu.Lock()
	rt := c.auth.refresh
	c.auth.mu.Unlock()
	if rt == "" {
		return nil, nil, errors.New("attune: POST /auth/refresh: no refresh token (sign in with credentials first)")
	}
	body, err := json.Marshal(struct {
		RefreshToken string `json:"refresh_token"`
	}{rt})
	if err != nil {
		return nil, nil, fmt.Errorf("attune: encode refresh: %w", err)
	}
	tok, resp, err := getItem[TokenResponse](ctx, c, &request{method: http.MethodPost, path: "/auth/refresh", body: body})
	if err != nil {
		return nil, resp, err
	}
	if tok.AccessToken == "" {
		return nil, resp, fmt.Errorf("attune: POST /auth/refresh: %w: no access_token", ErrMalformedResponse)
	}
	c.auth.store(tok)
	return tok, resp, nil
}

// authState holds the tokens and credentials. sem serialises sign-in and
// refresh so that concurrent callers share one; mu guards the fields. gen
// counts token changes: a caller whose 401 answered an older generation
// just retries with the current token instead of refreshing again.
type authState struct {
	sem chan struct{}

	mu             sync.Mutex
	access         string
	refresh        string
	login          string
	password       string
	hasCredentials bool
	static         bool
	user           *UserInfo
	gen            uint64
	// failures counts failed automatic sign-ins and renewals; lastFail is
	// the latest. A caller that was already waiting when one failed shares
	// its error instead of trying again (20 concurrent 401s after a password
	// change must cause one failed login, not 20).
	failures uint64
	lastFail error
}

// epoch is what a request was sent with: the token generation and the
// failure count at that moment.
type epoch struct {
	gen, fails uint64
}

// newAuthState returns the state for a static token and/or credentials.
func newAuthState(token, login, password string) *authState {
	return &authState{
		sem:            make(chan struct{}, 1),
		access:         token,
		static:         token != "",
		login:          login,
		password:       password,
		hasCredentials: login != "",
	}
}

// String describes the auth state without secrets.
func (a *authState) String() string { return "authState{" + a.kind() + "}" }

// GoString implements fmt.GoStringer without secrets.
func (a *authState) GoString() string { return a.String() }

// Format implements fmt.Formatter without secrets.
func (a *authState) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, a.String()) }

// kind names the authentication in use, for String methods.
func (a *authState) kind() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.hasCredentials && a.access != "":
		return "credentials (signed in)"
	case a.hasCredentials:
		return "credentials (not signed in)"
	case a.access != "" && a.static:
		return "static token"
	case a.access != "":
		return "session token"
	}
	return "none"
}

// acquire takes the semaphore or gives up when ctx ends.
func (a *authState) acquire(ctx context.Context) error {
	select {
	case a.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("attune: waiting for sign-in: %w", ctx.Err())
	}
}

// release gives the semaphore back.
func (a *authState) release() { <-a.sem }

// current returns the access token.
func (a *authState) current() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.access
}

// store saves the tokens of a login or refresh answer.
func (a *authState) store(t *TokenResponse) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.access, a.refresh, a.static = t.AccessToken, t.RefreshToken, false
	if t.User != nil {
		u := *t.User
		a.user = &u
	}
	a.gen++
}

// token returns the token to send, signing in first when the client has
// credentials but no token yet (lazy login, shared by concurrent callers).
func (a *authState) token(ctx context.Context, c *Client) (string, epoch, error) {
	a.mu.Lock()
	tok, ep := a.access, epoch{gen: a.gen, fails: a.failures}
	creds := a.hasCredentials
	login, password := a.login, a.password
	a.mu.Unlock()
	if tok != "" || !creds {
		return tok, ep, nil
	}
	if err := a.acquire(ctx); err != nil {
		return "", epoch{}, err
	}
	defer a.release()
	a.mu.Lock()
	tok, fails, lastFail := a.access, a.failures, a.lastFail
	started := ep.fails
	ep = epoch{gen: a.gen, fails: fails}
	a.mu.Unlock()
	switch {
	case tok != "":
		return tok, ep, nil
	case fails != started && lastFail != nil:
		return "", epoch{}, lastFail // a sign-in failed while this caller waited
	}
	if _, _, err := c.login(ctx, login, password); err != nil {
		err = a.signInError(err)
		a.failed(ctx, err)
		return "", epoch{}, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.access, epoch{gen: a.gen, fails: a.failures}, nil
}

// failed records a failed sign-in or renewal, unless ctx ended it (then the
// next caller tries for itself).
func (a *authState) failed(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	a.mu.Lock()
	a.failures++
	a.lastFail = err
	a.mu.Unlock()
}

// signInError adds a hint to a failed automatic sign-in.
func (a *authState) signInError(err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized {
		apiErr.Hint = "sign-in with the configured credentials was rejected: check the login and password"
	}
	return err
}

// canRenew reports whether a 401 can be answered by refreshing or signing
// in again.
func (a *authState) canRenew() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.refresh != "" || a.hasCredentials
}

// renew replaces the token that produced a 401 (sent at epoch ep): the first
// caller refreshes (or signs in again when the refresh fails and credentials
// are known); callers that wait meanwhile find a newer generation and
// return, or, when that renewal failed, return its error without trying
// again.
func (a *authState) renew(ctx context.Context, c *Client, ep epoch) (err error) {
	if err := a.acquire(ctx); err != nil {
		return err
	}
	defer a.release()
	a.mu.Lock()
	gen, fails, lastFail := a.gen, a.failures, a.lastFail
	a.mu.Unlock()
	switch {
	case gen != ep.gen:
		return nil
	case fails != ep.fails && lastFail != nil:
		return lastFail
	}
	defer func() {
		if err != nil {
			a.failed(ctx, err)
		}
	}()
	a.mu.Lock()
	hasRefresh := a.refresh != ""
	creds := a.hasCredentials
	login, password := a.login, a.password
	a.mu.Unlock()
	if hasRefresh {
		if _, _, err = c.refresh(ctx); err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
	}
	if creds {
		_, _, err = c.login(ctx, login, password)
	}
	return err
}

// hint says what to do after a final 401; renewErr is the failed renewal,
// if any.
func (a *authState) hint(renewErr error) string {
	a.mu.Lock()
	static, creds := a.static, a.hasCredentials
	a.mu.Unlock()
	switch {
	case renewErr != nil && creds:
		return "the session expired and signing in again failed (" + a.scrub(renewErr.Error()) + "): check the login and password"
	case renewErr != nil:
		return "the session expired and could not be refreshed: sign in again"
	case static:
		return "the access token was rejected: it may have expired; configure a new token or use a login and password"
	case creds:
		return "the server rejected a freshly issued token: check the account's permissions or sign in again"
	}
	return "no credentials configured: set a token or a login and password"
}

// scrub replaces any known secret in s, for messages the server might have
// echoed a secret into.
func (a *authState) scrub(s string) string {
	a.mu.Lock()
	secrets := []string{a.access, a.refresh, a.password}
	a.mu.Unlock()
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, redactedMark)
		}
	}
	return s
}
