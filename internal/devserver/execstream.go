package devserver

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// defaultSSEKeepAlive is axum's KeepAlive::default() interval.
const defaultSSEKeepAlive = 15 * time.Second

// sseWriteTimeout bounds one write to an execution stream.
const sseWriteTimeout = 10 * time.Second

// sseSub is one GET /api/v1/executions/stream client.
type sseSub struct {
	execID  *int64
	ch      chan json.RawMessage
	dropped chan struct{} // closed by the hub: queue full or server closed
}

// handleExecutionStream serves GET /api/v1/executions/stream (NOTIFIER.md
// §8): the raw payload of every execution notification as a data-only SSE
// message, optionally only for execution_id, with keep-alive comments and
// no resume.
func (s *Server) handleExecutionStream(w http.ResponseWriter, r *http.Request) {
	unauthorized := func(msg string) { apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", msg) }
	scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(raw) == "" {
		unauthorized("Missing authentication token")
		return
	}
	claims := &notifierClaims{}
	if err := s.parseClaims(strings.TrimSpace(raw), claims); err != nil {
		unauthorized("Missing authentication token")
		return
	}
	q := parseQuery(r)
	execID := q.int64("execution_id")
	if q.reject(w) {
		return
	}
	switch claims.TokenType {
	case tokenAccess:
	case tokenExecution:
		if execID == nil {
			apiError(w, http.StatusForbidden, "FORBIDDEN", "Execution tokens require an execution_id filter for update streams")
			return
		}
		if *execID != claims.ExecutionID {
			apiError(w, http.StatusForbidden, "FORBIDDEN", "Execution token is not valid for execution "+strconv.FormatInt(*execID, 10))
			return
		}
	default:
		unauthorized("Invalid authentication token")
		return
	}
	sub := &sseSub{execID: execID, ch: make(chan json.RawMessage, notifierQueue), dropped: make(chan struct{})}
	s.hub.mu.Lock()
	if s.hub.closed {
		s.hub.mu.Unlock()
		apiError(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "Server shutting down")
		return
	}
	s.hub.sse[sub] = struct{}{}
	s.hub.wg.Add(1)
	s.hub.mu.Unlock()
	defer s.hub.wg.Done()
	defer func() {
		s.hub.mu.Lock()
		delete(s.hub.sse, sub)
		s.hub.mu.Unlock()
	}()

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if rc.Flush() != nil {
		return
	}
	every := s.opts.SSEKeepAlive
	if every <= 0 {
		every = defaultSSEKeepAlive
	}
	keep := time.NewTicker(every)
	defer keep.Stop()
	for {
		var chunk []byte
		select {
		case <-r.Context().Done():
			return
		case <-sub.dropped:
			return
		case <-keep.C:
			chunk = []byte(":\n\n")
		case data := <-sub.ch:
			chunk = append(append([]byte("data: "), data...), "\n\n"...)
		}
		// A client that stops reading must not hold Close forever.
		_ = rc.SetWriteDeadline(time.Now().Add(sseWriteTimeout))
		if _, err := w.Write(chunk); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}
