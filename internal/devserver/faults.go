package devserver

import (
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults describes injected misbehaviour. Rates are probabilities in [0, 1]
// drawn independently per request, in this order: reset, error, malformed,
// truncated. Latency applies to every affected request first.
type Faults struct {
	// PathPrefix limits faults to paths with this prefix ("" = all paths).
	PathPrefix string
	// Latency is added before the request is handled.
	Latency time.Duration
	// ErrorRate answers with a 500 INTERNAL_SERVER_ERROR or a 503
	// RETRYABLE_DATABASE_ERROR with Retry-After (alternating).
	ErrorRate float64
	// RetryAfter is the Retry-After value of injected 503s (default 1 s).
	RetryAfter time.Duration
	// MalformedRate answers 200 with a body that is not valid JSON.
	MalformedRate float64
	// TruncateRate answers 200 announcing the full Content-Length but sends
	// only part of the body, then closes the connection.
	TruncateRate float64
	// ResetRate hijacks the connection and closes it without a response
	// (with SO_LINGER 0, so the client sees a reset).
	ResetRate float64
	// Seed makes the fault dice reproducible.
	Seed uint64
	// LogStreamDropAfter, when positive, aborts every log SSE connection
	// once it has sent that many bytes of log (the cut falls on a
	// character boundary in RT-EX2): the body ends without a done event,
	// so a client must resume from its last id.
	LogStreamDropAfter int64
	// ExpireLogs lists executions whose log versions retention deleted:
	// their artifact versions are absent (404) and the SSE route finds no
	// stream, while the execution row stays.
	ExpireLogs []int64
	// NotifierDropAfter, when positive, aborts every notifier socket
	// (no close frame) once it has sent that many notifications.
	NotifierDropAfter int
	// NotifierStall holds every notifier socket open but silent: nothing
	// is written (no notification, no Pong), and notifications published
	// meanwhile are lost for them. Clearing it resumes the sockets.
	NotifierStall bool
	// NotifierCompactOnly sends compact payloads (NOTIFIER.md §5) for every
	// notification that has a compact form, on the notifier and the
	// execution SSE stream.
	NotifierCompactOnly bool
	// NotifierRefuse, when non-zero, refuses every notifier handshake with
	// that HTTP status: 401 {"error":"invalid_or_expired_token"}, 500
	// {"error":"permission_lookup_failed"}, other statuses an empty body.
	NotifierRefuse int
}

// faultState guards the active Faults and their random source.
type faultState struct {
	mu     sync.Mutex
	f      Faults
	rng    *rand.Rand
	errSeq int
}

func newFaultState(f Faults) *faultState {
	return &faultState{f: f, rng: rand.New(rand.NewPCG(f.Seed, 0x5eed))}
}

// SetFaults replaces the injected faults at runtime (safe for concurrent use).
func (s *Server) SetFaults(f Faults) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.f = f
	s.faults.rng = rand.New(rand.NewPCG(f.Seed, 0x5eed))
	s.faults.errSeq = 0
	s.faults.f.ExpireLogs = append([]int64(nil), f.ExpireLogs...)
	s.stall.set(f.NotifierStall)
	s.wake.notify() // open log streams re-read (expired logs)
}

// Faults returns the faults currently injected.
func (s *Server) Faults() Faults {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.f
}

type faultKind int

const (
	faultNone faultKind = iota
	faultReset
	faultError500
	faultError503
	faultMalformed
	faultTruncate
)

// decide draws the fault for one request.
func (fs *faultState) decide(path string) (faultKind, time.Duration, time.Duration) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := fs.f
	if !strings.HasPrefix(path, f.PathPrefix) {
		return faultNone, 0, 0
	}
	retry := f.RetryAfter
	if retry <= 0 {
		retry = time.Second
	}
	roll := func(rate float64) bool { return rate > 0 && fs.rng.Float64() < rate }
	switch {
	case roll(f.ResetRate):
		return faultReset, f.Latency, retry
	case roll(f.ErrorRate):
		fs.errSeq++
		if fs.errSeq%2 == 1 {
			return faultError500, f.Latency, retry
		}
		return faultError503, f.Latency, retry
	case roll(f.MalformedRate):
		return faultMalformed, f.Latency, retry
	case roll(f.TruncateRate):
		return faultTruncate, f.Latency, retry
	}
	return faultNone, f.Latency, retry
}

// apply injects the fault for r, if any. It reports true when it answered
// (or dropped) the request itself.
func (fs *faultState) apply(w http.ResponseWriter, r *http.Request) bool {
	kind, latency, retry := fs.decide(r.URL.Path)
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	switch kind {
	case faultNone:
		return false
	case faultReset:
		dropConn(w, true)
	case faultError500:
		apiError(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "Injected fault: internal server error")
	case faultError503:
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retry.Seconds()))))
		apiError(w, http.StatusServiceUnavailable, "RETRYABLE_DATABASE_ERROR",
			"Database operation temporarily unavailable; please retry")
	case faultMalformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"items": [{"id": 1, "trigger_ref": "core.`))
	case faultTruncate:
		body := []byte(`{"data": {"id": 1, "note": "this body is cut short by fault injection ` +
			strings.Repeat("x", 256) + `"}}`)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		dropConn(w, false)
	}
	return true
}

// dropConn hijacks the connection and closes it, abruptly (RST) when reset
// is set. Without hijack support (e.g. a ResponseRecorder) it panics with
// http.ErrAbortHandler, which net/http turns into an aborted response.
func dropConn(w http.ResponseWriter, reset bool) {
	rc := http.NewResponseController(w)
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
