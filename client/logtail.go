package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// LogStreamName names one of an execution's two output streams.
type LogStreamName string

// The two log streams of an execution.
const (
	Stdout LogStreamName = "stdout"
	Stderr LogStreamName = "stderr"
)

// valid reports whether s is stdout or stderr.
func (s LogStreamName) valid() bool { return s == Stdout || s == Stderr }

// checkStream rejects stream names other than stdout and stderr.
func checkStream(s LogStreamName) error {
	if !s.valid() {
		return fmt.Errorf("attune: log stream %q: %w: want stdout or stderr", sanitize(string(s), maxSnippet), ErrInvalidArgument)
	}
	return nil
}

// LogEventKind says what a LogEvent carries.
type LogEventKind int

// Kinds of LogEvent.
const (
	// LogText: Text holds new log text (SSE event content or append).
	LogText LogEventKind = iota + 1
	// LogWaiting: the server is waiting for output (Message = data).
	LogWaiting
	// LogCaughtUp: ": initial-catchup-complete" seen: now tailing.
	LogCaughtUp
	// LogReconnecting: the connection dropped or a retryable error came;
	// Err says why; the tail resumes from Offset by itself.
	LogReconnecting
	// LogDone: the stream ended (event done); Next returns io.EOF
	// afterwards.
	LogDone
)

// String names the kind.
func (k LogEventKind) String() string {
	switch k {
	case LogText:
		return "text"
	case LogWaiting:
		return "waiting"
	case LogCaughtUp:
		return "caught-up"
	case LogReconnecting:
		return "reconnecting"
	case LogDone:
		return "done"
	}
	return "LogEventKind(" + strconv.Itoa(int(k)) + ")"
}

// LogEvent is one thing that happened on a followed log stream.
type LogEvent struct {
	Kind LogEventKind
	// Text is, for LogText, the chunk's text: its data lines joined with
	// "\n". Every chunk continues the previous one, catch-up chunks too
	// (never replace text on a catch-up chunk). A "\r" in the log arrives
	// as "\n" and "\r\n" as "\n\n" (the server splits data lines on both);
	// invalid UTF-8 arrives as U+FFFD. The text is untrusted: sanitise it
	// before drawing.
	Text string
	// Catchup is, for LogText, true for a "content" (catch-up) chunk and
	// false for an "append" chunk.
	Catchup bool
	// Offset is the resume cursor after this event: the absolute byte
	// offset in the raw log up to which text has been delivered. It is
	// always on a character boundary.
	Offset int64
	// Message is, for LogWaiting and LogDone, the data line(s); it may be
	// empty.
	Message string
	// Err is, for LogReconnecting, the cause: a *TransportError, an
	// *APIError (429, 502, 503, 504), a retryable *LogStreamError or an idle
	// timeout.
	Err error
	// At is when the client received the event.
	At time.Time
}

// TailLogOptions configures ExecutionsService.TailLog.
type TailLogOptions struct {
	// Offset is the byte offset to start from (default 0, the beginning).
	// It must be on a character boundary: use a LogEvent.Offset or
	// LogTail.Offset from an earlier tail.
	Offset int64
	// MaxRetries is how many consecutive reconnects without progress Next
	// makes before it gives up (default 8; negative: never reconnect).
	// Progress is new text, or a connection that stayed up for a minute.
	MaxRetries int
}

// LogStreamError is a non-retryable "event: error" from the log stream
// (RT-EX2), such as invalid_log_cursor, log_stream_missing or
// log_stream_incomplete. Retryable ones arrive as LogReconnecting events.
type LogStreamError struct {
	// Code is the server's error code.
	Code string `json:"code"`
	// Message is the server's message (untrusted).
	Message string `json:"message"`
	// Retryable says whether reconnecting may help.
	Retryable bool `json:"retryable"`
}

// Error implements error.
func (e *LogStreamError) Error() string {
	return "attune: log stream error " + sanitize(e.Code, maxSnippet) + ": " + sanitize(e.Message, maxSnippet)
}

// Defaults of a LogTail.
const (
	defaultLogRetries = 8
	defaultLogIdle    = 45 * time.Second
	defaultLogHealthy = time.Minute
)

// errIdleTimeout is the cause of a drop after nothing arrived for the idle
// timeout; errHeaderTimeout of a connect that got no answer in time.
var (
	errIdleTimeout   = errors.New("log stream idle: nothing received, not even a keep-alive")
	errHeaderTimeout = errors.New("log stream: no response headers in time")
)

// LogTail follows one log stream of an execution over SSE, reconnecting
// from its cursor after drops. Next is not safe for concurrent use; Close
// and Offset are safe from any goroutine. Close it when done: the server
// admits only a few open log streams per identity.
type LogTail struct {
	c          *Client
	id         int64
	stream     LogStreamName
	maxRetries int
	hc         *http.Client
	r          *request // for paths in errors and the auth helper

	// Tunables, unexported so that tests can shorten them.
	idle          time.Duration
	headerTimeout time.Duration
	healthy       time.Duration

	ctx    context.Context
	cancel context.CancelFunc

	cursor atomic.Int64
	conn   *logConn
	fails  int           // consecutive interruptions without progress
	wait   time.Duration // before the next connect
	final  error         // sticky: io.EOF after done, or the fatal error
}

// logConn is one open SSE response.
type logConn struct {
	body   io.ReadCloser
	p      *sseReader
	cancel context.CancelCauseFunc
	ctx    context.Context
	idle   *time.Timer
	opened time.Time
}

// idleReader resets the idle timer whenever bytes arrive.
type idleReader struct {
	r io.Reader
	t *time.Timer
	d time.Duration
}

// Read implements io.Reader.
func (ir *idleReader) Read(p []byte) (int, error) {
	n, err := ir.r.Read(p)
	if n > 0 {
		ir.t.Reset(ir.d)
	}
	return n, err
}

// TailLog returns a follower of the execution's stdout or stderr. It
// validates id and stream and makes no request: the first Next connects.
// The stream sends the log from opts.Offset (catch-up), then new output,
// and ends with LogDone when the log is complete. Dropped connections,
// 429 (with Retry-After), 502, 503, 504, idle connections (nothing for 45 s)
// and retryable error events are resumed from the cursor with backoff, so
// that no text is lost or repeated. ctx bounds the whole tail.
//
// API: GET /api/v1/executions/{id}/logs/{stream}/stream
func (s *ExecutionsService) TailLog(ctx context.Context, id int64, stream LogStreamName, opts *TailLogOptions) (*LogTail, error) {
	if err := checkID("execution", id); err != nil {
		return nil, err
	}
	if err := checkStream(stream); err != nil {
		return nil, err
	}
	o := TailLogOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Offset < 0 {
		return nil, fmt.Errorf("attune: log offset %d: %w: negative", o.Offset, ErrInvalidArgument)
	}
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = defaultLogRetries
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	c := s.client
	// The stream must outlive the client's per-request timeout, so it gets
	// a copy of the HTTP client (same transport, TLS and redirect policy)
	// without the total timeout; connecting is bounded by headerTimeout
	// and reading by the idle timeout instead.
	hc := *c.rc.GetClient()
	headerTimeout := hc.Timeout
	if headerTimeout <= 0 {
		headerTimeout = DefaultTimeout
	}
	hc.Timeout = 0
	t := &LogTail{
		c: c, id: id, stream: stream, maxRetries: o.MaxRetries, hc: &hc,
		r: &request{method: http.MethodGet, path: "/api/v1/executions/{id}/logs/{stream}/stream",
			pathParams: map[string]string{"id": idParam(id), "stream": string(stream)}, auth: true},
		idle: defaultLogIdle, headerTimeout: headerTimeout, healthy: defaultLogHealthy,
	}
	t.ctx, t.cancel = context.WithCancel(ctx)
	t.cursor.Store(o.Offset)
	return t, nil
}

// Offset returns the resume cursor: the byte offset up to which text has
// been delivered. Pass it as TailLogOptions.Offset to continue later.
func (t *LogTail) Offset() int64 { return t.cursor.Load() }

// Close stops the tail and closes its connection. Next then returns an
// error wrapping context.Canceled. Close is safe from any goroutine and
// more than once.
func (t *LogTail) Close() error {
	t.cancel()
	return nil
}

// Next blocks until something happens on the stream and returns it. It
// returns io.EOF after LogDone; a *LogStreamError for a non-retryable error
// event; an *APIError for a non-2xx answer that retrying cannot fix (401
// after the client's one renewal, 403, 404, 400); an error wrapping the
// last cause when MaxRetries reconnects in a row made no progress; and a
// *TransportError wrapping the context's error once ctx ends or Close is
// called. Errors are sticky: every later call returns the same one.
func (t *LogTail) Next() (LogEvent, error) {
	for {
		if t.final != nil {
			t.drop()
			return LogEvent{}, t.final
		}
		if t.ctx.Err() != nil {
			return LogEvent{}, t.stop(t.ctxError())
		}
		if t.conn == nil {
			if t.wait > 0 {
				tm := time.NewTimer(t.wait)
				select {
				case <-t.ctx.Done():
					tm.Stop()
					return LogEvent{}, t.stop(t.ctxError())
				case <-tm.C:
				}
				t.wait = 0
			}
			retryAfter, err := t.connect()
			if err != nil {
				if retryAfter < 0 {
					return LogEvent{}, t.stop(err)
				}
				return t.interrupted(err, retryAfter)
			}
		}
		f, err := t.conn.p.next()
		if err != nil {
			if t.ctx.Err() != nil {
				return LogEvent{}, t.stop(t.ctxError())
			}
			if errors.Is(err, errSSETooLarge) {
				return LogEvent{}, t.stop(fmt.Errorf("attune: %s %s: %w: %w", t.r.method, t.r.displayPath(), ErrResponseTooLarge, err))
			}
			if cause := context.Cause(t.conn.ctx); cause != nil {
				err = cause
			} else if errors.Is(err, io.EOF) {
				err = errors.New("log stream ended without done")
			}
			return t.interrupted(&TransportError{Method: t.r.method, Path: t.r.displayPath(), Err: err}, 0)
		}
		if ev, ok, err := t.handle(f); err != nil || ok {
			return ev, err
		}
	}
}

// handle turns a frame into an event (ok) or an error, or skips it.
func (t *LogTail) handle(f sseFrame) (LogEvent, bool, error) {
	now := time.Now()
	if f.comment {
		if f.text == "initial-catchup-complete" {
			return LogEvent{Kind: LogCaughtUp, Offset: t.cursor.Load(), At: now}, true, nil
		}
		return LogEvent{}, false, nil // keep-alives and other markers
	}
	switch f.name {
	case "waiting":
		return LogEvent{Kind: LogWaiting, Message: f.data, Offset: t.cursor.Load(), At: now}, true, nil
	case "content", "append":
		prev := t.cursor.Load()
		next := advance(prev, f)
		if next > prev {
			t.fails = 0
		}
		t.cursor.Store(next)
		return LogEvent{Kind: LogText, Text: f.data, Catchup: f.name == "content", Offset: next, At: now}, true, nil
	case "done":
		t.final = io.EOF
		t.drop()
		return LogEvent{Kind: LogDone, Message: f.data, Offset: t.cursor.Load(), At: now}, true, nil
	case "error":
		e := &LogStreamError{}
		if err := json.Unmarshal([]byte(f.data), e); err != nil || e.Code == "" {
			e = &LogStreamError{Message: f.data}
		}
		if e.Retryable {
			ev, err := t.interrupted(e, 0)
			return ev, true, err
		}
		return LogEvent{}, false, t.stop(e)
	}
	return LogEvent{}, false, nil
}

// advance returns the cursor after a text frame received at cursor prev.
//
// Every change the server makes to the text keeps its byte length ("\r" and
// "\r\n" become data-line breaks that join back as "\n" and "\n\n") except
// invalid bytes, which grow into U+FFFD. So prev+len(text) never falls short
// of the raw bytes delivered, and the event id is exact except that RT-EX
// counts a character split across the chunk boundary as consumed while its
// text comes with the next chunk: resuming at that id would lose it. The
// smaller of the two is therefore always a character boundary up to which
// the text was delivered; the next chunk's id brings the cursor back in
// step. Ids that go backwards or do not parse are ignored.
//
// One case stays lossy: on RT-EX, when a chunk holds invalid bytes (which
// lengthen its text) and also ends in a split character, the smaller value
// is the id, past the split character; a drop right after that chunk then
// resumes inside the character, which comes back as U+FFFD.
func advance(prev int64, f sseFrame) int64 {
	next := prev + int64(len(f.data))
	if f.hasID {
		if id, err := strconv.ParseInt(f.id, 10, 64); err == nil && id >= prev && id < next {
			next = id
		}
	}
	return next
}

// interrupted handles a dropped or refused connection: it schedules a
// reconnect (after retryAfter when positive, else backoff) and reports it,
// or gives up when too many interruptions in a row made no progress.
func (t *LogTail) interrupted(cause error, retryAfter time.Duration) (LogEvent, error) {
	if t.conn != nil && time.Since(t.conn.opened) >= t.healthy {
		t.fails = 0
	}
	t.drop()
	t.fails++
	if t.fails > t.maxRetries {
		return LogEvent{}, t.stop(fmt.Errorf("attune: %s %s: log stream: gave up after %d reconnects without progress: %w",
			t.r.method, t.r.displayPath(), t.fails-1, cause))
	}
	t.wait = t.c.retry.backoff(t.fails)
	if retryAfter > 0 {
		t.wait = min(retryAfter, t.c.retry.MaxDelay)
	}
	return LogEvent{Kind: LogReconnecting, Err: cause, Offset: t.cursor.Load(), At: time.Now()}, nil
}

// stop records a final error and closes the connection.
func (t *LogTail) stop(err error) error {
	t.final = err
	t.drop()
	return err
}

// ctxError is the error for an ended context or a closed tail.
func (t *LogTail) ctxError() error {
	return &TransportError{Method: t.r.method, Path: t.r.displayPath(), Err: t.ctx.Err()}
}

// drop closes the current connection, if any.
func (t *LogTail) drop() {
	if t.conn == nil {
		return
	}
	t.conn.idle.Stop()
	t.conn.cancel(context.Canceled)
	_ = t.conn.body.Close()
	t.conn = nil
}

// connect opens the stream at the cursor. On failure retryAfter is -1 for
// an error that retrying cannot fix, else the server's Retry-After (0 when
// none) for a retryable one.
func (t *LogTail) connect() (retryAfter time.Duration, err error) {
	c := t.c
	cctx, cancel := context.WithCancelCause(t.ctx)
	off := t.cursor.Load()
	// Concatenation is safe here: the id is a formatted integer and the
	// stream was checked to be stdout or stderr.
	u := c.base + "/api/v1/executions/" + idParam(t.id) + "/logs/" + string(t.stream) + "/stream?offset=" + strconv.FormatInt(off, 10)
	var live *http.Response
	send := func(token string) (*rawResponse, int, error) {
		req, err := http.NewRequestWithContext(cctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, 1, fmt.Errorf("attune: %s %s: %w", t.r.method, t.r.displayPath(), err)
		}
		req.Header.Set("Accept", "text/event-stream")
		req.Header.Set("Cache-Control", "no-cache")
		req.Header.Set("User-Agent", c.userAgent)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if off > 0 {
			req.Header.Set("Last-Event-ID", strconv.FormatInt(off, 10))
		}
		raw, res, err := c.doStream(t.ctx, cctx, t.hc, t.r, req, cancel, t.headerTimeout)
		live = res
		return raw, 1, err
	}
	raw, _, err := c.authed(cctx, t.r, send)
	if err != nil {
		cancel(context.Canceled)
		if t.ctx.Err() != nil {
			return -1, t.ctxError()
		}
		var te *TransportError
		if errors.As(err, &te) && raw == nil {
			return 0, err
		}
		if raw != nil {
			switch raw.status {
			case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
				ra, _ := parseRetryAfter(raw.header.Get("Retry-After"), time.Now())
				return ra, err
			}
		}
		return -1, err
	}
	if ct := live.Header.Get("Content-Type"); ct != "" {
		if mt, _, perr := mime.ParseMediaType(ct); perr != nil || mt != "text/event-stream" {
			_ = live.Body.Close()
			cancel(context.Canceled)
			return -1, fmt.Errorf("attune: %s %s: %w: Content-Type %q, want text/event-stream", t.r.method, t.r.displayPath(), ErrMalformedResponse, sanitize(ct, maxSnippet))
		}
	}
	idle := time.AfterFunc(t.idle, func() { cancel(errIdleTimeout) })
	t.conn = &logConn{body: live.Body, cancel: cancel, ctx: cctx, idle: idle, opened: time.Now(),
		p: newSSEReader(&idleReader{r: live.Body, t: idle, d: t.idle})}
	return 0, nil
}
