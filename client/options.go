package client

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"
)

// Defaults used by New.
const (
	// DefaultMaxBodySize is the default cap on a successful response body.
	DefaultMaxBodySize int64 = 32 << 20
	// DefaultTimeout is the default limit on one HTTP attempt, body included.
	DefaultTimeout = 30 * time.Second
)

// Option configures a Client in New.
type Option func(*settings) error

// settings collects options before New builds the client. Secrets live here
// only until New hands them to the auth state.
type settings struct {
	token          string
	login          string
	password       string
	hasCredentials bool
	httpClient     *http.Client
	transport      http.RoundTripper
	userAgent      string
	timeout        time.Duration
	maxBody        int64
	rootCAs        *x509.CertPool
	insecure       bool
	retry          RetryPolicy
	logger         *slog.Logger
	logBodies      bool
}

// RetryPolicy bounds the retries of idempotent (GET) requests. A request is
// retried only after a transport error or a 429, 502, 503 or 504 answer.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included.
	// 1 disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt; it doubles per
	// attempt and a random jitter of up to half of it is taken off.
	BaseDelay time.Duration
	// MaxDelay caps one wait, including a server's Retry-After.
	MaxDelay time.Duration
	// MaxElapsed caps the time spent on one call across all attempts: no
	// retry starts whose wait would end after it.
	MaxElapsed time.Duration
}

// DefaultRetryPolicy returns the policy New uses: 3 attempts, 250 ms base
// delay, 10 s cap per wait and 30 s in total.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 250 * time.Millisecond, MaxDelay: 10 * time.Second, MaxElapsed: 30 * time.Second}
}

// WithToken authenticates with a static bearer access token. On a 401 the
// client cannot refresh it and reports an error matching ErrUnauthorized.
func WithToken(token string) Option {
	return func(s *settings) error {
		if token == "" {
			return errors.New("WithToken: empty token")
		}
		s.token = token
		return nil
	}
}

// WithCredentials authenticates with a login and password. The client signs
// in lazily on the first call that needs a token, refreshes on 401 and signs
// in again when the refresh token is no longer accepted.
func WithCredentials(login, password string) Option {
	return func(s *settings) error {
		if login == "" || password == "" {
			return errors.New("WithCredentials: empty login or password")
		}
		s.login, s.password, s.hasCredentials = login, password, true
		return nil
	}
}

// WithHTTPClient uses a copy of hc for requests. Its transport is used as
// is unless a TLS option needs to change it, in which case an
// *http.Transport is cloned.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil client")
		}
		s.httpClient = hc
		return nil
	}
}

// WithTransport sets the http.RoundTripper used for requests (for tests,
// proxies or instrumentation).
func WithTransport(rt http.RoundTripper) Option {
	return func(s *settings) error {
		if rt == nil {
			return errors.New("WithTransport: nil transport")
		}
		s.transport = rt
		return nil
	}
}

// WithUserAgent overrides the User-Agent header, which defaults to
// "attune-tui/" + Version.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		s.userAgent = ua
		return nil
	}
}

// WithTimeout limits each HTTP attempt, reading the body included. The
// whole call, retries included, is bounded by the RetryPolicy and the
// caller's context. It defaults to DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout: non-positive timeout %v", d)
		}
		s.timeout = d
		return nil
	}
}

// WithMaxBodySize caps the size of a successful response body; a larger body
// fails with an error wrapping ErrResponseTooLarge. It defaults to
// DefaultMaxBodySize. Error bodies are always capped at 1 MiB.
func WithMaxBodySize(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxBodySize: non-positive size %d", n)
		}
		s.maxBody = n
		return nil
	}
}

// WithRetryPolicy replaces DefaultRetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		if p.MaxAttempts < 1 || p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxElapsed < 0 {
			return fmt.Errorf("WithRetryPolicy: invalid policy %+v", p)
		}
		s.retry = p
		return nil
	}
}

// WithRootCAs trusts the certificates in pool instead of the system roots.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(s *settings) error {
		if pool == nil {
			return errors.New("WithRootCAs: nil pool")
		}
		s.rootCAs = pool
		return nil
	}
}

// WithCAFile trusts the PEM certificates in the file at path instead of the
// system roots.
func WithCAFile(path string) Option {
	return func(s *settings) error {
		pem, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("WithCAFile: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("WithCAFile: no PEM certificate in %s", path)
		}
		s.rootCAs = pool
		return nil
	}
}

// WithInsecureSkipVerify disables TLS certificate verification. Only for
// development: Client.Warnings reports it so a UI can show it.
func WithInsecureSkipVerify() Option {
	return func(s *settings) error {
		s.insecure = true
		return nil
	}
}

// WithLogger logs every HTTP attempt at debug level to logger: method, path
// (never the query string), status, duration and attempt number, and the
// error of a failed one. Tokens, passwords and the Authorization header are
// never logged.
func WithLogger(logger *slog.Logger) Option {
	return func(s *settings) error {
		if logger == nil {
			return errors.New("WithLogger: nil logger")
		}
		s.logger = logger
		return nil
	}
}

// WithLogBodies adds request and response bodies (capped, JSON fields that
// name a password, token or secret redacted, any known secret scrubbed) to
// the lines WithLogger writes.
func WithLogBodies() Option {
	return func(s *settings) error {
		s.logBodies = true
		return nil
	}
}
