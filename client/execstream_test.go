package client_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
)

// sseConn is one open execution stream on the fake server: what is sent
// on out is written and flushed; closing out ends the response.
type sseConn struct {
	query string
	out   chan string
}

// fakeExecStream serves /api/v1/executions/stream on mux.
type fakeExecStream struct {
	conns  chan *sseConn
	status atomic.Int32 // when set, answer with it
	ctype  atomic.Value // Content-Type override
	hits   atomic.Int32
}

func newFakeExecStream(t *testing.T, mux *http.ServeMux) *fakeExecStream {
	t.Helper()
	f := &fakeExecStream{conns: make(chan *sseConn, 16)}
	mux.HandleFunc("GET /api/v1/executions/stream", func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			writeJSON(w, 401, []byte(`{"error":"Missing authentication token","code":"UNAUTHORIZED"}`))
			return
		}
		if st := f.status.Load(); st != 0 {
			writeJSON(w, int(st), []byte(`{"error":"nope","code":"X"}`))
			return
		}
		if r.Header.Get("Accept") != "text/event-stream" {
			t.Errorf("Accept = %q", r.Header.Get("Accept"))
		}
		ct, _ := f.ctype.Load().(string)
		w.Header().Set("Content-Type", cmpOr(ct, "text/event-stream"))
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		c := &sseConn{query: r.URL.RawQuery, out: make(chan string, 64)}
		f.conns <- c
		for {
			select {
			case <-r.Context().Done():
				return
			case s, ok := <-c.out:
				if !ok {
					return
				}
				_, _ = w.Write([]byte(s))
				w.(http.Flusher).Flush()
			}
		}
	})
	return f
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// conn waits for the next stream request.
func (f *fakeExecStream) conn(t *testing.T) *sseConn {
	t.Helper()
	select {
	case c := <-f.conns:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no execution stream request")
		return nil
	}
}

// startExecStream starts a stream and closes it at cleanup.
func startExecStream(t *testing.T, c *client.Client, o *client.ExecutionStreamOptions) *client.ExecutionStream {
	t.Helper()
	if o.MinBackoff == 0 {
		o.MinBackoff, o.MaxBackoff = time.Millisecond, 5*time.Millisecond
	}
	st, err := c.Executions.Stream(t.Context(), o)
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// streamErr waits for the stream to fail.
func streamErr(t *testing.T, st *client.ExecutionStream) error {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case <-deadline:
			t.Fatal("stream did not give up")
		default:
		}
		if _, err := st.Next(t.Context()); err != nil {
			return err
		}
	}
}

func TestExecutionStreamMessagesAndKeepAlives(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	f := newFakeExecStream(t, mux)
	st := startExecStream(t, c, &client.ExecutionStreamOptions{ExecutionID: 9937})
	sc := f.conn(t)
	if sc.query != "execution_id=9937" {
		t.Errorf("query = %q", sc.query)
	}
	expectKind(t, st, client.LiveConnected)
	if s := st.State(); s != client.LiveStateLive {
		t.Errorf("State = %v", s)
	}
	// Keep-alives and non-payload data are skipped; key order differs
	// from the WebSocket payload and the type is told by keys.
	sc.out <- ": keep-alive\n\n"
	sc.out <- "data: not json\n\n"
	sc.out <- `data: {"id":9937,"entity_id":9937,"entity_type":"execution","action_id":5,"action_ref":"core.http","status":"requested","trace_tag":"t","enforcement":1,"rule_ref":null,"trigger_ref":null,"parent":null,"started_at":null,"workflow_task":null,"created":"2026-06-11T14:02:43+00:00","updated":"2026-06-11T14:02:43+00:00","auth_mode":"full"}` + "\n\n"
	sc.out <- ":\n\n"
	sc.out <- `data: {"entity_type":"execution","entity_id":9937,"id":9937,"status":"running","old_status":"requested","trace_tag":"t","auth_mode":"deferred"}` + "\r\n\r\n"
	sc.out <- `data: {"entity_type":"execution","entity_id":9937,"id":9937,"action_ref":"core.wf","status":"failed","old_status":"running","workflow_def":3,"parent":null,"created":"2026-06-11T14:02:40+00:00","updated":"2026-06-11T14:02:45+00:00"}` + "\n\n"
	want := []struct {
		typ     client.NotificationType
		status  client.ExecutionStatus
		compact bool
	}{
		{client.NotifyExecutionCreated, client.ExecutionRequested, false},
		{client.NotifyExecutionStatusChanged, client.ExecutionRunning, true},
		{client.NotifyWorkflowExecutionStatusChanged, client.ExecutionFailed, false},
	}
	for _, w := range want {
		n := expectKind(t, st, client.LiveNotification).Notification
		if n.Type != w.typ || n.EntityID != 9937 || n.EntityType != "execution" || n.Compact != w.compact {
			t.Errorf("notification %+v, want %v", n, w)
			continue
		}
		status := client.ExecutionStatus("")
		switch {
		case n.Execution != nil:
			status = n.Execution.Status
		case n.Workflow != nil:
			status = n.Workflow.Status
		}
		if status != w.status {
			t.Errorf("%s: status %q, want %q", n.Type, status, w.status)
		}
	}
	if _, err := c.Executions.Stream(t.Context(), &client.ExecutionStreamOptions{ExecutionID: -1}); !errors.Is(err, client.ErrInvalidArgument) {
		t.Errorf("ExecutionID -1: %v", err)
	}
}

func TestExecutionStreamReconnectReportsGap(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	f := newFakeExecStream(t, mux)
	o := &client.ExecutionStreamOptions{}
	client.SetExecutionStreamIdle(o, time.Second) // long enough for a loaded machine to deliver a message
	st := startExecStream(t, c, o)
	sc := f.conn(t)
	if sc.query != "" {
		t.Errorf("query = %q", sc.query)
	}
	expectKind(t, st, client.LiveConnected)

	close(sc.out) // the server ends the response
	if ev := expectKind(t, st, client.LiveReconnecting); ev.Err == nil {
		t.Error("no cause")
	}
	sc = f.conn(t)
	expectKind(t, st, client.LiveConnected)
	if ev := expectKind(t, st, client.LiveGap); !ev.Gap.Reconnected {
		t.Errorf("gap = %+v", ev.Gap)
	}
	sc.out <- `data: {"entity_type":"execution","entity_id":1,"id":1,"status":"running","old_status":"requested","auth_mode":"deferred"}` + "\n\n"
	expectKind(t, st, client.LiveNotification)

	// Silence beyond the idle timeout (no keep-alive) drops the connection.
	ev := expectKind(t, st, client.LiveReconnecting)
	if !strings.Contains(fmt.Sprint(ev.Err), "idle") {
		t.Errorf("Err = %v, want the idle timeout", ev.Err)
	}
	f.conn(t)
	expectKind(t, st, client.LiveConnected)
	expectKind(t, st, client.LiveGap)

	// 503 is retried.
	f.status.Store(503)
	st2 := startExecStream(t, c, &client.ExecutionStreamOptions{})
	var apiErr *client.APIError
	if ev := expectKind(t, st2, client.LiveReconnecting); !errors.As(ev.Err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("Err = %v, want the 503", ev.Err)
	}
	f.status.Store(0)
	for nextEvent(t, st2).Kind != client.LiveConnected {
	}
	f.conn(t)
}

func TestExecutionStreamFatal(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	f := newFakeExecStream(t, mux)
	f.status.Store(403)
	if err := streamErr(t, startExecStream(t, c, &client.ExecutionStreamOptions{})); !errors.Is(err, client.ErrForbidden) {
		t.Errorf("403: %v", err)
	}
	f.status.Store(0)
	f.ctype.Store("text/html")
	if err := streamErr(t, startExecStream(t, c, &client.ExecutionStreamOptions{})); !errors.Is(err, client.ErrMalformedResponse) {
		t.Errorf("text/html: %v", err)
	}
	f.ctype.Store("text/event-stream")

	bad, mux2 := setupWith(t, client.WithToken("wrong-token-123456"))
	newFakeExecStream(t, mux2)
	err := streamErr(t, startExecStream(t, bad, &client.ExecutionStreamOptions{}))
	if !errors.Is(err, client.ErrUnauthorized) || strings.Contains(err.Error(), "wrong-token") {
		t.Errorf("401: %v", err)
	}

	// FailFast ends at the first retryable failure too.
	f.status.Store(503)
	if err := streamErr(t, startExecStream(t, c, &client.ExecutionStreamOptions{FailFast: true})); err == nil {
		t.Error("FailFast: no error")
	}
	st := startExecStream(t, c, &client.ExecutionStreamOptions{})
	_ = st.Close()
	if _, err := st.Next(t.Context()); !errors.Is(err, client.ErrLiveClosed) {
		t.Errorf("after Close: %v", err)
	}
	if s := st.State(); s != client.LiveStateClosed {
		t.Errorf("State = %v", s)
	}
}
