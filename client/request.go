package client

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Response is the HTTP side of an API answer.
type Response struct {
	// StatusCode is the HTTP status code of the final attempt.
	StatusCode int
	// Header holds the response headers of the final attempt.
	Header http.Header
	// Pagination is the parsed pagination block of a list answer; nil for
	// single items.
	Pagination *Pagination
	// Message is the envelope's optional "message"; GETs never set it.
	Message string
	// Attempts is how many HTTP attempts the call took (retries and the
	// retry after a token refresh included).
	Attempts int
}

// request describes one API call before it is sent.
type request struct {
	method     string
	path       string            // template such as "/api/v1/events/{id}"
	pathParams map[string]string // unescaped values; resty escapes them
	query      url.Values
	body       []byte // JSON body, nil for none
	auth       bool   // send the bearer token and renew it on 401
	noRetry    bool   // a probe: report the first answer, never retry
	accept     string // Accept header; "" means application/json
	header     map[string]string
	maxBody    int64 // cap on a 2xx body; 0 means the client's limit
}

// displayPath returns the path as sent, without query string, for errors.
func (r *request) displayPath() string {
	p := r.path
	for k, v := range r.pathParams {
		p = strings.ReplaceAll(p, "{"+k+"}", url.PathEscape(v))
	}
	return p
}

// rawResponse is one attempt's answer with its (capped) body.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// response is the Response for this answer after attempts tries.
func (r *rawResponse) response(attempts int) *Response {
	return &Response{StatusCode: r.status, Header: r.header, Attempts: attempts}
}

// do runs r with authentication and retries and decodes a 2xx JSON body into
// out (when out is non-nil). A non-2xx answer becomes an *APIError.
func (c *Client) do(ctx context.Context, r *request, out any) (*Response, error) {
	raw, attempts, err := c.exchange(ctx, r)
	if raw == nil {
		return nil, err
	}
	resp := raw.response(attempts)
	if err != nil {
		return resp, err
	}
	if out != nil {
		if err := json.Unmarshal(raw.body, out); err != nil {
			return resp, c.malformed(r, raw.status, err)
		}
	}
	return resp, nil
}

// exchange sends r, renewing the token once on 401, and returns the final
// raw answer. err is an *APIError for a non-2xx answer (raw is then set too)
// and a *TransportError or argument error otherwise.
func (c *Client) exchange(ctx context.Context, r *request) (*rawResponse, int, error) {
	return c.authed(ctx, r, func(token string) (*rawResponse, int, error) { return c.send(ctx, r, token) })
}

// authed runs send with the bearer token (when r.auth), renews the token
// once on a 401 and sends again, and turns a final non-2xx answer into an
// *APIError. send performs the request with token ("" for none) and returns
// its answer, the number of attempts it took, and a transport error.
func (c *Client) authed(ctx context.Context, r *request, send func(token string) (*rawResponse, int, error)) (*rawResponse, int, error) {
	var token string
	var ep epoch
	if r.auth {
		var err error
		token, ep, err = c.auth.token(ctx, c)
		if err != nil {
			return nil, 0, err
		}
	}
	raw, attempts, err := send(token)
	if err != nil {
		return nil, attempts, err
	}
	if raw.status == http.StatusUnauthorized && r.auth && c.auth.canRenew() {
		if rerr := c.auth.renew(ctx, c, ep); rerr != nil {
			if ctx.Err() != nil {
				return nil, attempts, rerr
			}
			apiErr := c.apiError(r, raw)
			apiErr.Hint = c.auth.hint(rerr)
			return raw, attempts, apiErr
		}
		token = c.auth.current()
		var n int
		raw, n, err = send(token)
		attempts += n
		if err != nil {
			return nil, attempts, err
		}
	}
	if raw.status < 200 || raw.status > 299 {
		apiErr := c.apiError(r, raw)
		if apiErr.StatusCode == http.StatusUnauthorized && r.auth {
			apiErr.Hint = c.auth.hint(nil)
		}
		return raw, attempts, apiErr
	}
	return raw, attempts, nil
}

// apiError builds the *APIError for a non-2xx raw answer, scrubbing any
// secret the server might have echoed.
func (c *Client) apiError(r *request, raw *rawResponse) *APIError {
	e := newAPIError(r.method, r.displayPath(), raw.status, raw.body)
	e.Message = c.auth.scrub(e.Message)
	return e
}

// send performs r with retries. Only GET requests are retried, only after a
// transport error or a 429, 502, 503 or 504, at most RetryPolicy.MaxAttempts
// times and within RetryPolicy.MaxElapsed; Retry-After (seconds or HTTP date)
// replaces the backoff, capped at RetryPolicy.MaxDelay. A cancelled context
// ends a wait at once.
func (c *Client) send(ctx context.Context, r *request, token string) (*rawResponse, int, error) {
	start := time.Now()
	for attempt := 1; ; attempt++ {
		began := time.Now()
		raw, err := c.attempt(ctx, r, token)
		c.logAttempt(ctx, r, attempt, time.Since(began), raw, err)
		if ctx.Err() != nil {
			return nil, attempt, c.contextError(ctx, r, start)
		}
		if !c.retryable(r, raw, err) || attempt >= c.retry.MaxAttempts {
			return raw, attempt, err
		}
		wait := c.retry.backoff(attempt)
		if raw != nil {
			if ra, ok := parseRetryAfter(raw.header.Get("Retry-After"), time.Now()); ok {
				wait = min(ra, c.retry.MaxDelay)
			}
		}
		if time.Since(start)+wait > c.retry.MaxElapsed {
			return raw, attempt, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, attempt, c.contextError(ctx, r, start)
		case <-t.C:
		}
	}
}

// contextError is the error of a call whose context ended; a deadline
// records how long the call waited.
func (c *Client) contextError(ctx context.Context, r *request, start time.Time) error {
	te := &TransportError{Method: r.method, Path: r.displayPath(), Err: ctx.Err()}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		te.After = time.Since(start)
	}
	return te
}

// retryable reports whether an attempt's outcome may be retried.
func (c *Client) retryable(r *request, raw *rawResponse, err error) bool {
	if r.method != http.MethodGet || r.noRetry {
		return false
	}
	if err != nil {
		var te *TransportError
		return errors.As(err, &te)
	}
	switch raw.status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff returns the wait before attempt+1: BaseDelay doubled per attempt,
// capped at MaxDelay, minus a random jitter of up to half.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < attempt && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	if half := int64(d / 2); half > 0 {
		d -= time.Duration(rand.Int64N(half + 1)) //nolint:gosec // jitter needs no crypto
	}
	return d
}

// parseRetryAfter parses a Retry-After value in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, 1<<20)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// attempt performs one HTTP exchange. A non-2xx status is not an error here.
func (c *Client) attempt(ctx context.Context, r *request, token string) (*rawResponse, error) {
	req := c.rc.R().
		SetContext(ctx).
		SetDoNotParseResponse(true).
		SetHeader("Accept", cmp.Or(r.accept, "application/json")).
		SetHeader("User-Agent", c.userAgent)
	for k, v := range r.header {
		req.SetHeader(k, v)
	}
	if token != "" {
		req.SetHeader("Authorization", "Bearer "+token)
	}
	if len(r.pathParams) > 0 {
		req.SetPathParams(r.pathParams)
	}
	if len(r.query) > 0 {
		req.SetQueryParamsFromValues(r.query)
	}
	if r.body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(r.body)
	}
	res, err := req.Execute(r.method, r.path)
	if err != nil {
		return nil, c.transportError(r, err)
	}
	body := res.RawBody()
	defer func() { _ = body.Close() }()
	raw := &rawResponse{status: res.StatusCode(), header: res.Header()}
	limit := int64(maxErrorBody)
	ok := raw.status >= 200 && raw.status <= 299
	if ok {
		limit = cmp.Or(r.maxBody, c.maxBody)
		if res.RawResponse.ContentLength > limit {
			return nil, c.tooLarge(r, limit)
		}
	}
	raw.body, err = io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, c.transportError(r, err)
	}
	if int64(len(raw.body)) > limit {
		if ok {
			return nil, c.tooLarge(r, limit)
		}
		raw.body = raw.body[:limit] // an error body is only quoted: truncate
	}
	return raw, nil
}

// malformed is the error for a body that does not decode.
func (c *Client) malformed(r *request, status int, err error) error {
	return fmt.Errorf("attune: %s %s: decode %d response: %w: %w", r.method, r.displayPath(), status, ErrMalformedResponse, err)
}

// tooLarge is the error for a success body over the limit.
func (c *Client) tooLarge(r *request, limit int64) error {
	if r.maxBody > 0 {
		return fmt.Errorf("attune: %s %s: %w: more than %d bytes (this call's own limit; ask for a byte range)", r.method, r.displayPath(), ErrResponseTooLarge, limit)
	}
	return fmt.Errorf("attune: %s %s: %w: more than %d bytes (raise WithMaxBodySize or narrow the request)", r.method, r.displayPath(), ErrResponseTooLarge, limit)
}

// transportError wraps err, dropping *url.Error's URL (it carries the query
// string) but keeping its cause.
func (c *Client) transportError(r *request, err error) error {
	var re *RedirectError
	if errors.As(err, &re) {
		re.Method, re.Path = r.method, r.displayPath()
		return re
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	te := &TransportError{Method: r.method, Path: r.displayPath(), Err: err}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() && c.timeout > 0 {
		te.After = c.timeout
	}
	return te
}

// getItem is the common call of a single {"data": ...} envelope.
func getItem[T any](ctx context.Context, c *Client, r *request) (*T, *Response, error) {
	var env struct {
		Data    *T      `json:"data"`
		Message *string `json:"message"`
	}
	resp, err := c.do(ctx, r, &env)
	if err != nil {
		return nil, resp, err
	}
	if env.Message != nil {
		resp.Message = *env.Message
	}
	if env.Data == nil {
		return nil, resp, fmt.Errorf("attune: %s %s: %w: %w", r.method, r.displayPath(), ErrMalformedResponse, errNoData)
	}
	normalizeNulls(reflect.ValueOf(env.Data))
	return env.Data, resp, nil
}

// getPage is the common GET of an {"items": [...], "pagination": {...}} list.
func getPage[T any](ctx context.Context, c *Client, r *request) (*Page[T], *Response, error) {
	var env struct {
		Items      []T         `json:"items"`
		Pagination *Pagination `json:"pagination"`
	}
	resp, err := c.do(ctx, r, &env)
	if err != nil {
		return nil, resp, err
	}
	if env.Pagination == nil || env.Items == nil {
		return nil, resp, fmt.Errorf("attune: %s %s: %w: list without items or pagination", r.method, r.displayPath(), ErrMalformedResponse)
	}
	p := &Page[T]{Items: env.Items, Pagination: *env.Pagination}
	normalizeNulls(reflect.ValueOf(p.Items))
	resp.Pagination = &p.Pagination
	return p, resp, nil
}
