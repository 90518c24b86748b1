package client_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/attune-tui/attune-tui/client"
)

// inventedExample is LOGS.md §4's example, verbatim.
const inventedExample = "event: waiting\ndata: Waiting for log output\n\n" +
	"event: waiting\ndata: Log stream found\n\n" +
	"id: 29\nevent: content\ndata: probing https://example.test\ndata: \n\n" +
	": initial-catchup-complete\n\n" +
	"event: waiting\ndata: Waiting for log output\n\n" +
	"id: 52\nevent: append\ndata: HTTP 503 after 1204 ms\ndata: \n\n" +
	"event: waiting\ndata: Waiting for log output\n\n" +
	"event: waiting\ndata: Waiting for log output\n\n" +
	"event: done\ndata: Execution complete\n\n"

// ev is a LogEvent without its arrival time, for comparisons.
func ev(kind client.LogEventKind, text string, catchup bool, off int64, msg string) client.LogEvent {
	return client.LogEvent{Kind: kind, Text: text, Catchup: catchup, Offset: off, Message: msg}
}

// collect reads tail to its end and returns the events and the final error
// (nil after io.EOF).
func collect(t *testing.T, tail *client.LogTail) ([]client.LogEvent, error) {
	t.Helper()
	var out []client.LogEvent
	for range 100000 {
		e, err := tail.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if e.At.IsZero() {
			t.Errorf("event %+v has no arrival time", e)
		}
		out = append(out, e)
	}
	t.Fatal("tail never ended")
	return nil, nil
}

// ignoreAtErr compares LogEvents without At and Err.
var ignoreAtErr = cmpopts.IgnoreFields(client.LogEvent{}, "At", "Err")

func TestLogSSEFrames(t *testing.T) {
	t.Parallel()
	waiting := ev(client.LogWaiting, "", false, 0, "Waiting for log output")
	cases := []struct {
		name    string
		body    string
		retries int
		want    []client.LogEvent
		wantErr func(error) bool
	}{
		{name: "invented example (RT-EX)", body: inventedExample, want: []client.LogEvent{
			waiting, ev(client.LogWaiting, "", false, 0, "Log stream found"),
			ev(client.LogText, "probing https://example.test\n", true, 29, ""),
			ev(client.LogCaughtUp, "", false, 29, ""),
			ev(client.LogWaiting, "", false, 29, "Waiting for log output"),
			ev(client.LogText, "HTTP 503 after 1204 ms\n", false, 52, ""),
			ev(client.LogWaiting, "", false, 52, "Waiting for log output"),
			ev(client.LogWaiting, "", false, 52, "Waiting for log output"),
			ev(client.LogDone, "", false, 52, "Execution complete"),
		}},
		{name: "CRLF framing", body: strings.ReplaceAll(inventedExample, "\n", "\r\n"), want: []client.LogEvent{
			waiting, ev(client.LogWaiting, "", false, 0, "Log stream found"),
			ev(client.LogText, "probing https://example.test\n", true, 29, ""),
			ev(client.LogCaughtUp, "", false, 29, ""),
			ev(client.LogWaiting, "", false, 29, "Waiting for log output"),
			ev(client.LogText, "HTTP 503 after 1204 ms\n", false, 52, ""),
			ev(client.LogWaiting, "", false, 52, "Waiting for log output"),
			ev(client.LogWaiting, "", false, 52, "Waiting for log output"),
			ev(client.LogDone, "", false, 52, "Execution complete"),
		}},
		{name: "CR framing", body: strings.ReplaceAll(inventedExample, "\n", "\r"), want: []client.LogEvent{
			waiting, ev(client.LogWaiting, "", false, 0, "Log stream found"),
			ev(client.LogText, "probing https://example.test\n", true, 29, ""),
			ev(client.LogCaughtUp, "", false, 29, ""),
			ev(client.LogWaiting, "", false, 29, "Waiting for log output"),
			ev(client.LogText, "HTTP 503 after 1204 ms\n", false, 52, ""),
			ev(client.LogWaiting, "", false, 52, "Waiting for log output"),
			ev(client.LogWaiting, "", false, 52, "Waiting for log output"),
			ev(client.LogDone, "", false, 52, "Execution complete"),
		}},
		{name: "done without data (no stream ever allocated)", body: "event: done\n\n", want: []client.LogEvent{ev(client.LogDone, "", false, 0, "")}},
		{name: "done without data at the very end, CRLF", body: "event: waiting\r\ndata: Waiting for log output\r\n\r\nevent: done\r\n\r\n",
			want: []client.LogEvent{waiting, ev(client.LogDone, "", false, 0, "")}},
		{name: "RT-EX2: comments while idle, keep-alives, sealed", body: ": initial-catchup-complete\n\n" +
			"id: 3\nevent: append\ndata: a\ndata: b\n\n" +
			": log-stream-changed\n\n:\n\n: execution-terminal\n\n: log-stream-reconciled\n\n" +
			"id: 6\nevent: append\ndata:c\r\ndata: \n\n" + // "data:c" without the space, CRLF in the framing
			"event: done\ndata: Log stream sealed\n\n",
			want: []client.LogEvent{
				ev(client.LogCaughtUp, "", false, 0, ""),
				ev(client.LogText, "a\nb", false, 3, ""),
				ev(client.LogText, "c\n", false, 5, ""), // id 6 > 3+2: trust the text length
				ev(client.LogDone, "", false, 5, "Log stream sealed"),
			}},
		{name: "CR and CRLF in the source become separate data lines", body: "id: 7\nevent: content\ndata: a\ndata: \ndata: b\ndata: c\ndata: \n\nevent: done\ndata: Execution complete\n\n",
			// source "a\r\nb\rc\n": 7 bytes, every transformation keeps the length
			want: []client.LogEvent{ev(client.LogText, "a\n\nb\nc\n", true, 7, ""), ev(client.LogDone, "", false, 7, "Execution complete")}},
		{name: "RT-EX counts a split character in id; the cursor does not", body: "id: 4\nevent: content\ndata: ab\n\n" +
			"id: 7\nevent: content\ndata: \u20acc\n\nevent: done\n\n", // source "ab€c": € = e2 82 ac split after e2 82
			want: []client.LogEvent{ev(client.LogText, "ab", true, 2, ""), ev(client.LogText, "€c", true, 6, ""), ev(client.LogDone, "", false, 6, "")}},
		{name: "RT-EX2 id over whole characters and invalid bytes as U+FFFD", body: "id: 2\nevent: content\ndata: ab\n\n" +
			"id: 6\nevent: content\ndata: \u20ac\ufffd\n\nevent: done\n\n", // source "ab€\xff": text grows by 2
			want: []client.LogEvent{ev(client.LogText, "ab", true, 2, ""), ev(client.LogText, "€\ufffd", true, 6, ""), ev(client.LogDone, "", false, 6, "")}},
		{name: "unknown events, retry, nameless events and an id going backwards are ignored", body: "retry: 10\n\nevent: surprise\ndata: x\n\ndata: message\n\n" +
			"id: 5\nevent: content\ndata: hello\n\nid: 1\nevent: append\ndata: !\n\nid: junk\nevent: append\ndata: ?\n\nevent: done\ndata: Execution complete\n\n",
			want: []client.LogEvent{ev(client.LogText, "hello", true, 5, ""), ev(client.LogText, "!", false, 6, ""), ev(client.LogText, "?", false, 7, ""), ev(client.LogDone, "", false, 7, "Execution complete")}},
		{name: "non-retryable error event", body: "id: 2\nevent: content\ndata: ok\n\nevent: error\ndata: {\"code\":\"log_stream_incomplete\",\"message\":\"the log stream was never sealed\",\"retryable\":false}\n\n",
			want: []client.LogEvent{ev(client.LogText, "ok", true, 2, "")},
			wantErr: func(err error) bool {
				var lse *client.LogStreamError
				return errors.As(err, &lse) && lse.Code == "log_stream_incomplete" && !lse.Retryable && lse.Message == "the log stream was never sealed"
			}},
		{name: "error event with a plain-text message", body: "event: error\ndata: File not found\n\n",
			wantErr: func(err error) bool {
				var lse *client.LogStreamError
				return errors.As(err, &lse) && lse.Code == "" && lse.Message == "File not found" && !lse.Retryable
			}},
		{name: "body ends without done and no retries allowed", retries: -1, body: "id: 2\nevent: content\ndata: ok\n\nid: 4\nevent: content\ndata: cut",
			want: []client.LogEvent{ev(client.LogText, "ok", true, 2, "")},
			wantErr: func(err error) bool {
				var te *client.TransportError
				return errors.As(err, &te) && strings.Contains(err.Error(), "gave up after 0 reconnects")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /api/v1/executions/{id}/logs/{stream}/stream", func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer "+testToken || r.Header.Get("Accept") != "text/event-stream" || r.URL.Query().Get("offset") != "0" || r.Header.Get("Last-Event-ID") != "" {
					t.Errorf("request %s headers %v", r.URL, r.Header)
				}
				w.Header().Set("Content-Type", "text/event-stream")
				_, _ = io.WriteString(w, tc.body)
			})
			tail, err := c.Executions.TailLog(t.Context(), 9937, client.Stdout, &client.TailLogOptions{MaxRetries: tc.retries})
			if err != nil {
				t.Fatal(err)
			}
			defer tail.Close()
			got, err := collect(t, tail)
			if d := cmp.Diff(tc.want, got, ignoreAtErr, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
			switch {
			case tc.wantErr == nil && err != nil:
				t.Errorf("err = %v", err)
			case tc.wantErr != nil && !tc.wantErr(err):
				t.Errorf("err = %v (%T)", err, err)
			}
			if _, err2 := tail.Next(); (err == nil && !errors.Is(err2, io.EOF)) || (err != nil && !errors.Is(err2, err)) {
				t.Errorf("Next after the end = %v, want the same ending again", err2)
			}
		})
	}
}

func TestTailLogRejectsArguments(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	for _, tc := range []struct {
		id     int64
		stream client.LogStreamName
		opts   *client.TailLogOptions
	}{{0, client.Stdout, nil}, {1, "stdin", nil}, {1, "../x", nil}, {1, client.Stderr, &client.TailLogOptions{Offset: -1}}} {
		if _, err := c.Executions.TailLog(t.Context(), tc.id, tc.stream, tc.opts); !errors.Is(err, client.ErrInvalidArgument) {
			t.Errorf("TailLog(%d, %q, %+v) err = %v", tc.id, tc.stream, tc.opts, err)
		}
	}
}

func TestTailLogHTTPErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		body   string
		is     error
	}{
		{401, `{"error":"Missing authentication token","code":"UNAUTHORIZED"}`, client.ErrUnauthorized},
		{403, `{"error":"Execution token is not valid for execution 9937","code":"FORBIDDEN"}`, client.ErrForbidden},
		{404, `{"error":"Execution with ID 9937 not found","code":"NOT_FOUND"}`, client.ErrNotFound},
		{400, `{"error":"Last-Event-ID must be an unsigned byte offset","code":"BAD_REQUEST"}`, nil},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var calls atomic.Int32
			mux.HandleFunc("GET /api/v1/executions/{id}/logs/{stream}/stream", func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				writeJSON(w, tc.status, []byte(tc.body))
			})
			tail, err := c.Executions.TailLog(t.Context(), 9937, client.Stderr, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tail.Close()
			_, err = tail.Next()
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Path != "/api/v1/executions/9937/logs/stderr/stream" || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("err = %v", err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error leaks the token: %v", err)
			}
			if calls.Load() != 1 {
				t.Errorf("%d requests, want 1 (no retry of a %d)", calls.Load(), tc.status)
			}
		})
	}
}

func TestTailLogRejectsOversizedAndNonSSEBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ctype, body string
		is                error
	}{
		{"a 5 MiB line", "text/event-stream", "id: 1\nevent: content\ndata: " + strings.Repeat("x", 5<<20) + "\n\n", client.ErrResponseTooLarge},
		{"5 MiB of data in one event", "text/event-stream", "event: content\n" + strings.Repeat("data: "+strings.Repeat("y", 1<<20)+"\n", 5) + "\n", client.ErrResponseTooLarge},
		{"a proxy's HTML page", "text/html; charset=utf-8", "<html>sign in</html>", client.ErrMalformedResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /api/v1/executions/{id}/logs/{stream}/stream", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				_, _ = io.WriteString(w, tc.body)
			})
			tail, err := c.Executions.TailLog(t.Context(), 9937, client.Stdout, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tail.Close()
			if evs, err := collect(t, tail); !errors.Is(err, tc.is) || len(evs) != 0 {
				t.Errorf("events %d, err %v", len(evs), err)
			}
		})
	}
}
