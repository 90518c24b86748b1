package client

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// Version is the client version sent in the default User-Agent.
const Version = "0.1.0"

// MaxPageSize is the largest page size the client sends. Larger per_page or
// page_size values are clamped to it, because the server either ignores the
// excess or silently skips rows (see the contract's "Rule listing").
const MaxPageSize = 100

// Client talks to one Attune API server. It is safe for concurrent use.
// Every call takes a context first and returns (value, *Response, error).
//
// A Client never prints its token or password: String, GoString and Format
// show only the base URL and the kind of authentication.
type Client struct {
	// Auth signs in, refreshes tokens and reports the current user.
	Auth *AuthService
	// Events lists and reads events.
	Events *EventsService
	// Enforcements lists and reads enforcements and their executions.
	Enforcements *EnforcementsService
	// Executions lists and reads executions.
	Executions *ExecutionsService
	// Rules lists and reads rules.
	Rules *RulesService
	// Triggers reads triggers and the rules attached to them.
	Triggers *TriggersService
	// Sensors reads sensors.
	Sensors *SensorsService
	// Traces reads trace reports.
	Traces *TracesService
	// Health checks the server's health.
	Health *HealthService
	// Artifacts reads artifacts and their versions and downloads content
	// (runtime logs among them).
	Artifacts *ArtifactsService

	base      string // scheme://host[:port][/prefix], no trailing slash
	rc        *resty.Client
	userAgent string
	maxBody   int64
	timeout   time.Duration // per attempt, 0 = none
	retry     RetryPolicy
	logger    *slog.Logger // nil = no logging
	logBodies bool
	warnings  []string
	auth      *authState
	common    service
}

// service is the shared state of every service: the client it belongs to.
type service struct {
	client *Client
}

// New returns a client for the API at baseURL, an absolute http(s) URL that
// may carry a path prefix (e.g. "https://host/attune"); API paths such as
// /api/v1/events and /auth/login are appended to it.
func New(baseURL string, opts ...Option) (*Client, error) {
	s := settings{
		userAgent: "attune-tui/" + Version,
		maxBody:   DefaultMaxBodySize,
		retry:     DefaultRetryPolicy(),
	}
	for _, opt := range opts {
		if err := opt(&s); err != nil {
			return nil, fmt.Errorf("attune client: %w", err)
		}
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("attune client: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("attune client: base URL %q: want http(s)://host[:port][/path] without user, query or fragment", u.Redacted())
	}
	c := &Client{
		base:      strings.TrimRight(u.String(), "/"),
		userAgent: s.userAgent,
		maxBody:   s.maxBody,
		retry:     s.retry,
		logger:    s.logger,
		logBodies: s.logBodies,
		auth:      newAuthState(s.token, s.login, s.password),
	}
	hc, err := buildHTTPClient(&s)
	if err != nil {
		return nil, fmt.Errorf("attune client: %w", err)
	}
	c.timeout = hc.Timeout
	if s.insecure {
		c.warnings = append(c.warnings, "TLS certificate verification is disabled (insecure skip verify): anyone on the network path can read the token")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		c.warnings = append(c.warnings, "the API URL uses plain http: tokens and passwords travel unencrypted")
	}
	// Resty builds requests (path params, query, headers) and executes them
	// once per attempt. Its own retry is off (RetryCount 0) and the retry
	// loop lives in Client.send, because resty's retry conditions ignore the
	// HTTP method, it ignores Retry-After unless told, and its timeout is
	// per attempt anyway. Debug output is never enabled (it would print the
	// Authorization header) and its logger is silenced.
	c.rc = resty.NewWithClient(hc).
		SetBaseURL(c.base).
		SetLogger(discardLogger{}).
		SetDebug(false).
		SetRetryCount(0)
	c.common.client = c
	c.Auth = (*AuthService)(&c.common)
	c.Events = (*EventsService)(&c.common)
	c.Enforcements = (*EnforcementsService)(&c.common)
	c.Executions = (*ExecutionsService)(&c.common)
	c.Rules = (*RulesService)(&c.common)
	c.Triggers = (*TriggersService)(&c.common)
	c.Sensors = (*SensorsService)(&c.common)
	c.Traces = (*TracesService)(&c.common)
	c.Health = (*HealthService)(&c.common)
	c.Artifacts = (*ArtifactsService)(&c.common)
	return c, nil
}

// buildHTTPClient returns the *http.Client for s, never mutating one the
// caller passed in.
func buildHTTPClient(s *settings) (*http.Client, error) {
	hc := &http.Client{Timeout: DefaultTimeout}
	if s.httpClient != nil {
		cp := *s.httpClient
		hc = &cp
	}
	if s.transport != nil {
		hc.Transport = s.transport
	}
	if s.timeout > 0 {
		hc.Timeout = s.timeout
	}
	hc.CheckRedirect = redirectPolicy(hc.CheckRedirect)
	if s.rootCAs == nil && !s.insecure {
		return hc, nil
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	tr, ok := rt.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("TLS options need an *http.Transport, got %T", rt)
	}
	tr = tr.Clone()
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if tr.TLSClientConfig != nil {
		cfg = tr.TLSClientConfig.Clone()
	}
	if s.rootCAs != nil {
		cfg.RootCAs = s.rootCAs
	}
	if s.insecure {
		cfg.InsecureSkipVerify = true //nolint:gosec // explicit, reported by Client.Warnings
	}
	tr.TLSClientConfig = cfg
	hc.Transport = tr
	return hc, nil
}

// maxRedirects is how many same-origin redirects one request follows.
const maxRedirects = 10

// redirectPolicy returns the CheckRedirect of the client's http.Client, so
// that every request made with it (REST calls, and streams added later)
// obeys it: only GET requests follow a redirect, only to the origin
// (scheme, host, port) of the first request, and never with a Referer. A
// login, a refresh or any other request with a body is never re-sent, and a
// token never travels to another server. Anything else is a
// *RedirectError. next, the caller's own policy, runs after ours.
func redirectPolicy(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		req.Header.Del("Referer")
		first := via[0]
		e := &RedirectError{Method: first.Method, Path: first.URL.Path, Location: redirectLocation(req.URL)}
		if req.Response != nil {
			e.StatusCode = req.Response.StatusCode
		}
		switch {
		case first.Method != http.MethodGet:
			e.Reason = "only GET requests follow redirects (a " + first.Method + " may carry a password or token)"
		case req.Method != http.MethodGet:
			e.Reason = "it changes the method to " + req.Method
		case origin(req.URL) != origin(first.URL):
			e.Reason = "it leaves the API's origin " + origin(first.URL) + " (credentials are never sent to another server)"
		case len(via) >= maxRedirects:
			e.Reason = fmt.Sprintf("more than %d redirects", maxRedirects)
		default:
			if next != nil {
				return next(req, via)
			}
			return nil
		}
		return e
	}
}

// origin returns u's scheme://host:port, lower-cased, with the default port
// made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// redirectLocation renders a redirect target for an error: no user
// information, query or fragment (they may carry secrets), sanitised.
func redirectLocation(u *url.URL) string {
	cp := *u
	cp.User, cp.RawQuery, cp.ForceQuery, cp.Fragment, cp.RawFragment = nil, "", false, "", ""
	return sanitize(cp.String(), maxSnippet)
}

// isLoopback reports whether host names the local machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// BaseURL returns the base URL the client was created with, without a
// trailing slash.
func (c *Client) BaseURL() string { return c.base }

// Warnings returns configuration warnings a UI should show, such as disabled
// TLS verification. It returns nil when there are none.
func (c *Client) Warnings() []string { return slices.Clone(c.warnings) }

// String describes the client without secrets. It has a value receiver so
// that a copied Client value prints safely too.
func (c Client) String() string {
	auth := "none"
	if c.auth != nil {
		auth = c.auth.kind()
	}
	return fmt.Sprintf("client.Client{base: %s, auth: %s}", c.base, auth)
}

// GoString implements fmt.GoStringer without secrets.
func (c Client) GoString() string { return c.String() }

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s)
// prints String and never a token or password.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// discardLogger silences resty's logger.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

// errNoData is wrapped when a single-item envelope has no data.
var errNoData = errors.New(`response has no "data"`)
