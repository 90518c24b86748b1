package devserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The log SSE route, GET /api/v1/executions/{id}/logs/{stream}/stream
// (LOGS.md §4, §5, §7), in upstream's two wire generations: RT-EX2 (the
// default) and RT-EX (Options.LogStreamCompat).

// Chunk sizes of catch-up and append events.
const (
	chunkRTEX  = 64 << 10
	chunkRTEX2 = 1 << 20
)

// Admission limits of RT-EX2 (server.execution_log_stream_*_limit).
const (
	logStreamsPerIdentity = 5
	logStreamsGlobal      = 100
)

// logGrace is how long RT-EX2 waits after an execution ended for its stream
// to appear or be sealed.
const logGrace = 2 * time.Second

// admission counts open log streams per identity and in total.
type admission struct {
	mu    sync.Mutex
	per   map[string]int
	total int
	open  int // log SSE responses in progress, both modes
}

func newAdmission() *admission { return &admission{per: map[string]int{}} }

// acquire takes a slot for identity, or returns upstream's 429 message.
func (a *admission) acquire(identity string) (bool, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.total >= logStreamsGlobal:
		return false, "The API execution log stream limit is full; retry after another stream closes"
	case a.per[identity] >= logStreamsPerIdentity:
		return false, "This identity has reached its execution log stream limit; close another stream or retry later"
	}
	a.per[identity]++
	a.total++
	return true, ""
}

func (a *admission) release(identity string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.per[identity]--
	a.total--
	if a.per[identity] <= 0 {
		delete(a.per, identity)
	}
}

// enter and leave count a log SSE response in progress.
func (a *admission) enter() {
	a.mu.Lock()
	a.open++
	a.mu.Unlock()
}

func (a *admission) leave() {
	a.mu.Lock()
	a.open--
	a.mu.Unlock()
}

// OpenLogStreams returns how many log SSE responses are in progress right
// now (tests wait for 0 after their clients disconnect).
func (s *Server) OpenLogStreams() int {
	s.admit.mu.Lock()
	defer s.admit.mu.Unlock()
	return s.admit.open
}

// sseAuth authenticates the log SSE route as upstream does: a missing or
// rejected bearer token falls back to the (never set) browser cookie, so
// both answer "Missing authentication token"; a non-access token is
// "Invalid authentication token". Both in the handler error shape.
func (s *Server) sseAuth(w http.ResponseWriter, r *http.Request) (string, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	var claims *tokenClaims
	var err error
	if ok && raw != "" {
		claims, err = s.parseToken(raw)
	}
	switch {
	case !ok || raw == "" || err != nil:
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Missing authentication token")
		return "", false
	case claims.TokenType != tokenAccess:
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Invalid authentication token")
		return "", false
	}
	return claims.Subject, true
}

// handleLogStream serves GET /api/v1/executions/{id}/logs/{stream}/stream.
func (s *Server) handleLogStream(w http.ResponseWriter, r *http.Request) {
	identity, ok := s.sseAuth(w, r)
	if !ok {
		return
	}
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v, err := s.readLog(ctx, id, "")
	if err != nil {
		internalError(w, err)
		return
	}
	if !v.found {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Execution with ID %d not found", id))
		return
	}
	stream := r.PathValue("stream")
	if stream != StreamStdout && stream != StreamStderr {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST",
			fmt.Sprintf("Unsupported log stream '%s'. Expected 'stdout' or 'stderr'.", stream))
		return
	}
	var cursor uint64
	haveOffset := false
	if raw := r.URL.Query()["offset"]; len(raw) > 0 {
		if cursor, err = strconv.ParseUint(raw[0], 10, 64); err != nil {
			plainError(w, http.StatusBadRequest, "Failed to deserialize query string: offset: invalid digit found in string")
			return
		}
		haveOffset = true
	}
	compat := s.opts.LogStreamCompat
	if !compat {
		if h := r.Header.Get("Last-Event-ID"); h != "" && !haveOffset {
			if cursor, err = strconv.ParseUint(strings.TrimSpace(h), 10, 64); err != nil {
				apiError(w, http.StatusBadRequest, "BAD_REQUEST", "Last-Event-ID must be an unsigned byte offset")
				return
			}
		}
		if ok, msg := s.admit.acquire(identity); !ok {
			w.Header().Set("Retry-After", "1")
			apiError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", msg)
			return
		}
		defer s.admit.release(identity)
	}
	s.admit.enter()
	defer s.admit.leave()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	if !compat {
		h.Set("X-Accel-Buffering", "no")
	}
	w.WriteHeader(http.StatusOK)
	out := &sseWriter{w: w, rc: http.NewResponseController(w), dropAfter: s.Faults().LogStreamDropAfter}
	if err := out.flush(); err != nil {
		return
	}
	if compat {
		s.streamRTEX(ctx, out, id, stream, int64(min(cursor, 1<<62)))
	} else {
		s.streamRTEX2(ctx, out, id, stream, int64(min(cursor, 1<<62)))
	}
}

// logPoll is the idle poll interval: Options.LogPollInterval or def.
func (s *Server) logPoll(def time.Duration) time.Duration {
	if s.opts.LogPollInterval > 0 {
		return s.opts.LogPollInterval
	}
	return def
}

// waitLog waits until wake fires, poll passes, the live log's next growth
// (next, µs on the live clock) is due, or ctx ends (false).
func (s *Server) waitLog(ctx context.Context, wake <-chan struct{}, poll time.Duration, next int64) (woken, ok bool) {
	d := poll
	if next > 0 {
		until := time.Duration(next-micros(s.liveNow())) * time.Microsecond
		d = min(d, max(until, 5*time.Millisecond))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false, false
	case <-wake:
		return true, true
	case <-t.C:
		return false, true
	}
}

// streamRTEX2 is the newest generation: validated cursor, comments while
// idle, done only once sealed and caught up, error events.
func (s *Server) streamRTEX2(ctx context.Context, out *sseWriter, id int64, stream string, cursor int64) {
	poll := s.logPoll(time.Second)
	validated, caught, wasTerminal := false, false, false
	var lastWaiting time.Time
	for {
		wake := s.wake.wait()
		v, err := s.readLog(ctx, id, stream)
		if err != nil {
			if ctx.Err() == nil {
				out.errorEvent("log_stream_read_failed", "Failed to read the execution log stream", true)
				_ = out.flush()
			}
			return
		}
		now := micros(s.liveNow())
		graceOver := !v.found || now-v.updated >= logGrace.Microseconds()
		terminal := !v.found || v.terminal
		sent := false
		switch {
		case !v.exists:
			if terminal && graceOver {
				out.errorEvent("log_stream_missing", fmt.Sprintf("No %s log stream exists for execution %d", stream, id), false)
				_ = out.flush()
				return
			}
			if time.Since(lastWaiting) >= time.Second {
				out.event(-1, "waiting", "Waiting for log output", true)
				lastWaiting = time.Now()
			}
		default:
			content := v.content
			if !validated {
				if cursor > int64(len(content)) || insideRune(content, int(cursor)) {
					out.errorEvent("invalid_log_cursor", fmt.Sprintf(
						"Log cursor %d is not a character boundary within the %d bytes of the %s log", cursor, len(content), stream), false)
					_ = out.flush()
					return
				}
				validated = true
			}
			for cursor < int64(len(content)) {
				end := min(cursor+chunkRTEX2, int64(len(content)))
				if end < int64(len(content)) || !v.sealed {
					end = boundaryBefore(content, cursor, end)
				}
				if end <= cursor {
					break // an incomplete character at the end of a pending log
				}
				name := "append"
				if !caught {
					name = "content"
				}
				if n := out.limit(end - cursor); n < end-cursor {
					end = boundaryBefore(content, cursor, cursor+n)
				}
				if end <= cursor {
					out.drop() // the drop fault's budget ends before the next character
				}
				out.event(end, name, lossy(content[cursor:end]), true)
				out.sent += end - cursor
				cursor, sent = end, true
				if out.dropDue() {
					out.drop()
				}
			}
			if !caught {
				out.comment("initial-catchup-complete")
				caught = true
			}
			if v.sealed && cursor == int64(len(content)) {
				out.event(-1, "done", "Log stream sealed", true)
				_ = out.flush()
				return
			}
			if !v.sealed && terminal && graceOver {
				out.errorEvent("log_stream_incomplete", fmt.Sprintf(
					"The %s log stream of execution %d was never sealed", stream, id), false)
				_ = out.flush()
				return
			}
		}
		if terminal && !wasTerminal {
			out.comment("execution-terminal")
			wasTerminal = true
		}
		if err := out.flush(); err != nil {
			return
		}
		woken, ok := s.waitLog(ctx, wake, poll, v.next)
		if !ok {
			return
		}
		if !sent {
			if woken {
				out.comment("log-stream-changed")
			} else {
				out.comment("log-stream-reconciled")
			}
		}
	}
}

// streamRTEX is the older generation: waiting events every poll while
// idle, done two empty polls after the last byte once terminal, id counting
// a split UTF-8 sequence whose text comes with the next chunk.
func (s *Server) streamRTEX(ctx context.Context, out *sseWriter, id int64, stream string, cursor int64) {
	poll := s.logPoll(250 * time.Millisecond)
	found, caught := false, false
	empty := 0
	var carry []byte
	for {
		wake := s.wake.wait()
		v, err := s.readLog(ctx, id, stream)
		if err != nil {
			v = logView{found: true, status: "running"} // read errors look like no new data
		}
		terminal := !v.found || v.terminal
		if !v.exists {
			if terminal {
				out.event(-1, "done", "", false)
				_ = out.flush()
				return
			}
			out.event(-1, "waiting", "Waiting for log output", true)
		} else {
			if !found {
				out.event(-1, "waiting", "Log stream found", true)
				found = true
			}
			content := v.content
			sent := false
			for cursor < int64(len(content)) {
				end := min(cursor+chunkRTEX, int64(len(content)))
				end = cursor + out.limit(end-cursor)
				if end <= cursor {
					out.drop()
				}
				carry = append(carry, content[cursor:end]...)
				text, rest := splitIncomplete(carry)
				carry = append([]byte(nil), rest...)
				name := "append"
				if !caught {
					name = "content"
				}
				out.event(end, name, lossy(text), true)
				out.sent += end - cursor
				cursor, sent = end, true
				if out.dropDue() {
					out.drop()
				}
			}
			if !caught {
				out.comment("initial-catchup-complete")
				caught = true
			}
			if sent {
				empty = 0
			} else {
				empty++
				if terminal && empty >= 3 {
					out.event(-1, "done", "Execution complete", true)
					_ = out.flush()
					return
				}
				out.event(-1, "waiting", "Waiting for log output", true)
			}
		}
		if err := out.flush(); err != nil {
			return
		}
		if _, ok := s.waitLog(ctx, wake, poll, 0); !ok {
			return
		}
	}
}

// sseWriter writes SSE frames as axum does and flushes them.
type sseWriter struct {
	w         http.ResponseWriter
	rc        *http.ResponseController
	buf       bytes.Buffer
	sent      int64 // log bytes sent on this connection
	dropAfter int64 // Faults.LogStreamDropAfter (0 = never)
}

// event writes one event; id < 0 omits the id field, hasData false omits
// the data field. Each \n and each \r in data starts a new data line.
func (o *sseWriter) event(id int64, name, data string, hasData bool) {
	if id >= 0 {
		o.buf.WriteString("id: ")
		o.buf.WriteString(strconv.FormatInt(id, 10))
		o.buf.WriteByte('\n')
	}
	o.buf.WriteString("event: ")
	o.buf.WriteString(name)
	o.buf.WriteByte('\n')
	if hasData {
		for {
			i := strings.IndexAny(data, "\r\n")
			o.buf.WriteString("data: ")
			if i < 0 {
				o.buf.WriteString(data)
				o.buf.WriteByte('\n')
				break
			}
			o.buf.WriteString(data[:i])
			o.buf.WriteByte('\n')
			data = data[i+1:]
		}
	}
	o.buf.WriteByte('\n')
}

// errorEvent writes an RT-EX2 error event.
func (o *sseWriter) errorEvent(code, msg string, retryable bool) {
	b, _ := json.Marshal(struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		Retryable bool   `json:"retryable"`
	}{code, msg, retryable})
	o.event(-1, "error", string(b), true)
}

// comment writes ": text".
func (o *sseWriter) comment(text string) {
	o.buf.WriteString(": ")
	o.buf.WriteString(text)
	o.buf.WriteString("\n\n")
}

// flush sends what is buffered.
func (o *sseWriter) flush() error {
	if o.buf.Len() > 0 {
		if _, err := o.w.Write(o.buf.Bytes()); err != nil {
			return fmt.Errorf("write event: %w", err)
		}
		o.buf.Reset()
	}
	if err := o.rc.Flush(); err != nil {
		return fmt.Errorf("flush event: %w", err)
	}
	return nil
}

// limit caps n log bytes to what the drop fault still allows.
func (o *sseWriter) limit(n int64) int64 {
	if o.dropAfter <= 0 {
		return n
	}
	return max(0, min(n, o.dropAfter-o.sent))
}

// dropDue reports whether the drop fault's budget is spent.
func (o *sseWriter) dropDue() bool { return o.dropAfter > 0 && o.sent >= o.dropAfter }

// drop flushes what was written and aborts the connection (the client sees
// the body end without a done event, mid chunked encoding).
func (o *sseWriter) drop() {
	_ = o.flush()
	panic(http.ErrAbortHandler)
}

// insideRune reports whether offset i of b falls inside a valid multi-byte
// UTF-8 sequence (after its first byte).
func insideRune(b []byte, i int) bool {
	if i <= 0 || i >= len(b) {
		return false
	}
	for start := i - 1; start >= 0 && start >= i-3; start-- {
		if utf8.RuneStart(b[start]) {
			r, size := utf8.DecodeRune(b[start:])
			if r == utf8.RuneError && size <= 1 {
				return false // an invalid byte is a character of its own
			}
			return start+size > i
		}
	}
	return false
}

// boundaryBefore moves end back to the start of a character that the chunk
// [start, end) would split (it never moves before start).
func boundaryBefore(b []byte, start, end int64) int64 {
	if end >= int64(len(b)) {
		_, rest := splitIncomplete(b[start:end])
		return end - int64(len(rest))
	}
	e := int(end)
	for insideRune(b, e) && int64(e) > start {
		e--
	}
	return int64(e)
}

// splitIncomplete splits b before a trailing incomplete (but so far valid)
// UTF-8 sequence.
func splitIncomplete(b []byte) (whole, rest []byte) {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if !utf8.RuneStart(c) {
			continue
		}
		tail := b[len(b)-k:]
		if !utf8.FullRune(tail) {
			return b[:len(b)-k], tail
		}
		break
	}
	return b, nil
}

// lossy decodes b as UTF-8, each invalid byte becoming U+FFFD.
func lossy(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			sb.WriteRune(utf8.RuneError)
		} else {
			sb.Write(b[:size])
		}
		b = b[size:]
	}
	return sb.String()
}
