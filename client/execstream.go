package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ExecutionStreamOptions configures ExecutionsService.Stream. The zero
// value follows every execution.
type ExecutionStreamOptions struct {
	// ExecutionID, when positive, follows only that execution (an
	// execution token must set it to its own execution).
	ExecutionID int64
	// QueueSize bounds the events waiting for Next (default 1024); a slow
	// consumer makes the client drop events, reported as one LiveGap.
	QueueSize int
	// MinBackoff and MaxBackoff bound the wait between reconnects
	// (defaults 1 s and 30 s).
	MinBackoff, MaxBackoff time.Duration
	// FailFast ends the stream with an error when the first connection
	// attempt fails, instead of retrying.
	FailFast bool

	idle time.Duration // the idle timeout; tests shorten it
}

// defaultExecStreamIdle is how long an execution stream may stay silent
// before it is dropped and reconnected: the server sends a keep-alive
// comment every 15 s.
const defaultExecStreamIdle = 45 * time.Second

// errExecStreamIdle is the cause of a drop after nothing arrived for the
// idle timeout.
var errExecStreamIdle = errors.New("execution stream idle: nothing received, not even a keep-alive")

// ExecutionStream follows GET /api/v1/executions/stream (NOTIFIER.md §8) in
// the background: every message becomes a LiveNotification whose type is
// told by the payload's keys (workflow_def: NotifyWorkflowExecutionStatusChanged;
// old_status: NotifyExecutionStatusChanged; else NotifyExecutionCreated). Keep-alive
// comments are skipped. The stream cannot resume: after every reconnect a
// LiveGap tells the consumer to refetch over REST. Unlike the notifier,
// the server authorizes nothing per message. All methods are safe for
// concurrent use; Next should have a single consumer.
type ExecutionStream struct {
	c    *Client
	u    string
	r    *request
	hc   *http.Client
	opts ExecutionStreamOptions

	// Tunables, unexported so that tests can shorten them.
	idle          time.Duration
	headerTimeout time.Duration
	healthy       time.Duration

	liveLife
}

// Stream starts following execution changes over SSE. It validates opts
// and returns at once; the connection is made in the background and
// reported as LiveConnected. ctx bounds the stream's life; Close ends it
// earlier.
//
// API: GET /api/v1/executions/stream
func (s *ExecutionsService) Stream(ctx context.Context, opts *ExecutionStreamOptions) (*ExecutionStream, error) {
	var o ExecutionStreamOptions
	if opts != nil {
		o = *opts
	}
	if o.ExecutionID != 0 {
		if err := checkID("execution", o.ExecutionID); err != nil {
			return nil, err
		}
	}
	if o.QueueSize <= 0 {
		o.QueueSize = defaultNotifierQueue
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = defaultNotifierMinWait
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = defaultNotifierMaxWait
	}
	o.MaxBackoff = max(o.MaxBackoff, o.MinBackoff)
	if o.idle <= 0 {
		o.idle = defaultExecStreamIdle
	}
	c := s.client
	// As for a log tail: the HTTP client's copy without the total timeout
	// (same transport, TLS and redirect policy); the connect is bounded by
	// headerTimeout and reading by the idle timeout.
	hc := *c.rc.GetClient()
	headerTimeout := hc.Timeout
	if headerTimeout <= 0 {
		headerTimeout = DefaultTimeout
	}
	hc.Timeout = 0
	u := c.base + "/api/v1/executions/stream"
	if o.ExecutionID > 0 {
		u += "?" + url.Values{"execution_id": {strconv.FormatInt(o.ExecutionID, 10)}}.Encode()
	}
	st := &ExecutionStream{
		c: c, u: u, hc: &hc, opts: o,
		r:    &request{method: http.MethodGet, path: "/api/v1/executions/stream", auth: true},
		idle: o.idle, headerTimeout: headerTimeout, healthy: defaultNotifierHealthy,
	}
	st.begin(ctx, o.QueueSize)
	go st.run()
	return st, nil
}

// Next blocks until the next event and returns it. After Close it returns
// ErrLiveClosed; after a fatal error (an *APIError such as 401 after the
// client's one renewal or 403, a wrong Content-Type, or the first failure
// with FailFast) it returns the queued events, then that error; when ctx
// ends it returns ctx's error (the stream keeps running).
func (st *ExecutionStream) Next(ctx context.Context) (LiveEvent, error) { return st.q.next(ctx) }

// State returns the connection state.
func (st *ExecutionStream) State() LiveState { return LiveState(st.state.Load()) }

// Close stops the stream, closes its connection and waits for its
// goroutine. Next then returns ErrLiveClosed. Safe more than once.
func (st *ExecutionStream) Close() error {
	st.close()
	return nil
}

// run connects, reads and reconnects until the context ends or a fatal
// error.
func (st *ExecutionStream) run() {
	var final error
	defer func() { st.end(final) }()
	fails := 0
	first := true
	wait := time.Duration(0)
	for {
		if wait > 0 && !st.sleep(wait) {
			return
		}
		conn, retryAfter, err := st.connect()
		if st.ctx.Err() != nil {
			return
		}
		if err != nil {
			if retryAfter < 0 || (first && st.opts.FailFast) {
				final = err
				return
			}
			fails++
			wait = st.backoff(fails)
			if retryAfter > 0 {
				wait = min(retryAfter, st.opts.MaxBackoff)
			}
			st.state.Store(int32(LiveStateReconnecting))
			st.q.push(LiveEvent{Kind: LiveReconnecting, Err: err, Delay: wait, At: time.Now()})
			continue
		}
		err = st.read(conn, !first)
		first = false
		if st.ctx.Err() != nil {
			return
		}
		if errors.Is(err, errSSETooLarge) {
			final = fmt.Errorf("attune: %s %s: %w: %w", st.r.method, st.r.displayPath(), ErrResponseTooLarge, err)
			return
		}
		if time.Since(conn.opened) >= st.healthy {
			fails = 0
		}
		fails++
		wait = st.backoff(fails)
		st.state.Store(int32(LiveStateReconnecting))
		st.q.push(LiveEvent{Kind: LiveReconnecting, Err: &TransportError{Method: st.r.method, Path: st.r.displayPath(), Err: err}, Delay: wait, At: time.Now()})
	}
}

// backoff is the wait before attempt fails+1.
func (st *ExecutionStream) backoff(fails int) time.Duration {
	return RetryPolicy{BaseDelay: st.opts.MinBackoff, MaxDelay: st.opts.MaxBackoff}.backoff(fails)
}

// read delivers one connection's messages until it ends and returns why.
func (st *ExecutionStream) read(conn *logConn, reconnected bool) error {
	defer func() {
		conn.idle.Stop()
		conn.cancel(context.Canceled)
		_ = conn.body.Close()
	}()
	st.state.Store(int32(LiveStateLive))
	now := time.Now()
	st.q.push(LiveEvent{Kind: LiveConnected, At: now})
	if reconnected {
		st.q.push(LiveEvent{Kind: LiveGap, Gap: &Gap{Reconnected: true}, At: now})
	}
	for {
		f, err := conn.p.next()
		if err != nil {
			if cause := context.Cause(conn.ctx); cause != nil && !errors.Is(cause, context.Canceled) {
				return cause
			}
			if errors.Is(err, io.EOF) {
				return errors.New("execution stream ended")
			}
			return err
		}
		if f.comment || (f.name != "" && f.name != "message") || f.data == "" {
			continue // keep-alives; no other event names are sent
		}
		nt, derr := executionNotification([]byte(f.data))
		if derr != nil {
			continue // not a payload; nothing to refetch by
		}
		st.q.push(LiveEvent{Kind: LiveNotification, Notification: nt, At: time.Now()})
	}
}

// connect opens the stream. On failure retryAfter is -1 for an error that
// retrying cannot fix, else the server's Retry-After (0 when none).
func (st *ExecutionStream) connect() (*logConn, time.Duration, error) {
	c := st.c
	cctx, cancel := context.WithCancelCause(st.ctx)
	var live *http.Response
	send := func(token string) (*rawResponse, int, error) {
		req, err := http.NewRequestWithContext(cctx, http.MethodGet, st.u, nil)
		if err != nil {
			return nil, 1, fmt.Errorf("attune: %s %s: %w", st.r.method, st.r.displayPath(), err)
		}
		req.Header.Set("Accept", "text/event-stream")
		req.Header.Set("Cache-Control", "no-cache")
		req.Header.Set("User-Agent", c.userAgent)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		raw, res, err := c.doStream(st.ctx, cctx, st.hc, st.r, req, cancel, st.headerTimeout)
		live = res
		return raw, 1, err
	}
	raw, _, err := c.authed(cctx, st.r, send)
	if err != nil {
		cancel(context.Canceled)
		var re *RedirectError
		if errors.As(err, &re) {
			return nil, -1, err
		}
		if raw == nil {
			return nil, 0, err
		}
		switch raw.status {
		case http.StatusRequestTimeout, http.StatusTooManyRequests:
			ra, _ := parseRetryAfter(raw.header.Get("Retry-After"), time.Now())
			return nil, ra, err
		}
		if raw.status >= 500 {
			ra, _ := parseRetryAfter(raw.header.Get("Retry-After"), time.Now())
			return nil, ra, err
		}
		return nil, -1, err
	}
	if ct := live.Header.Get("Content-Type"); ct != "" {
		if mt, _, perr := mime.ParseMediaType(ct); perr != nil || mt != "text/event-stream" {
			_ = live.Body.Close()
			cancel(context.Canceled)
			return nil, -1, fmt.Errorf("attune: %s %s: %w: Content-Type %q, want text/event-stream", st.r.method, st.r.displayPath(), ErrMalformedResponse, sanitize(ct, maxSnippet))
		}
	}
	idle := time.AfterFunc(st.idle, func() { cancel(errExecStreamIdle) })
	conn := &logConn{body: live.Body, cancel: cancel, ctx: cctx, idle: idle, opened: time.Now(),
		p: newSSEReader(&idleReader{r: live.Body, t: idle, d: st.idle})}
	return conn, 0, nil
}

// doStream sends req, the request of a stream (SSE) whose life is life:
// its answer's headers must come within timeout, or cancel ends cctx (the
// attempt's context) with errHeaderTimeout. A 2xx answer is returned open
// as live, to be read; any other has up to maxErrorBody of its body read
// into raw and is closed.
func (c *Client) doStream(life, cctx context.Context, hc *http.Client, r *request, req *http.Request, cancel context.CancelCauseFunc, timeout time.Duration) (raw *rawResponse, live *http.Response, err error) {
	timer := time.AfterFunc(timeout, func() { cancel(errHeaderTimeout) })
	res, err := hc.Do(req)
	timer.Stop()
	if err != nil {
		if cause := context.Cause(cctx); cause != nil && life.Err() == nil {
			err = cause
		}
		return nil, nil, c.transportError(r, err)
	}
	raw = &rawResponse{status: res.StatusCode, header: res.Header}
	if res.StatusCode >= 200 && res.StatusCode <= 299 {
		return raw, res, nil
	}
	raw.body, err = io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	_ = res.Body.Close()
	if err != nil {
		return nil, nil, c.transportError(r, err)
	}
	return raw, nil, nil
}
