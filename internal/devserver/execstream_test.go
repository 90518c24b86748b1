package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// execSSE is an open /api/v1/executions/stream response.
type execSSE struct {
	tb   testing.TB
	resp *http.Response
	rd   *bufio.Reader
}

func (e *notifierEnv) openStream(tb testing.TB, query, auth string) (*http.Response, []byte) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/api/v1/executions/stream"+query, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		tb.Fatalf("stream: %v", err)
	}
	tb.Cleanup(func() { cancel(); resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	return resp, nil
}

func (e *notifierEnv) stream(tb testing.TB, query string) *execSSE {
	tb.Helper()
	resp, body := e.openStream(tb, query, "Bearer "+e.token)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("stream: %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		tb.Fatalf("content type %q", ct)
	}
	return &execSSE{tb: tb, resp: resp, rd: bufio.NewReader(resp.Body)}
}

// next reads one SSE block (up to a blank line) and returns its lines.
func (s *execSSE) next() []string {
	s.tb.Helper()
	var lines []string
	for {
		line, err := s.rd.ReadString('\n')
		if err != nil {
			s.tb.Fatalf("read stream: %v (after %q)", err, lines)
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			return lines
		}
		lines = append(lines, line)
	}
}

// message reads blocks until a data message, skipping keep-alive comments,
// and checks it has only a data line.
func (s *execSSE) message() map[string]any {
	s.tb.Helper()
	for {
		lines := s.next()
		if len(lines) == 1 && strings.HasPrefix(lines[0], ":") {
			continue
		}
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "data: ") {
			s.tb.Fatalf("message %q: want one data line (no event:, id:, retry:)", lines)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(strings.TrimPrefix(lines[0], "data: ")), &m); err != nil {
			s.tb.Fatalf("data: %v", err)
		}
		return m
	}
}

// TestExecutionStreamAuth covers §8's authentication rules.
func TestExecutionStreamAuth(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	h := time.Hour
	exec := e.mint(t, tokenExecution, "1", h, func(c *notifierClaims) { c.ExecutionID = 12 })
	tests := []struct {
		name, query, auth string
		status            int
		body              string
	}{
		{"missing", "", "", 401, `{"error":"Missing authentication token","code":"UNAUTHORIZED"}`},
		{"not bearer", "", "Basic ZGVtbzpkZW1v", 401, `{"error":"Missing authentication token","code":"UNAUTHORIZED"}`},
		{"malformed", "", "Bearer x.y.z", 401, `{"error":"Missing authentication token","code":"UNAUTHORIZED"}`},
		{"expired", "", "Bearer " + e.mint(t, tokenAccess, "1", -time.Second, nil), 401, `{"error":"Missing authentication token","code":"UNAUTHORIZED"}`},
		{"query token ignored", "?token=" + e.token, "", 401, `{"error":"Missing authentication token","code":"UNAUTHORIZED"}`},
		{"refresh", "", "Bearer " + e.mint(t, tokenRefresh, "1", h, nil), 401, `{"error":"Invalid authentication token","code":"UNAUTHORIZED"}`},
		{"sensor", "", "Bearer " + e.mint(t, tokenSensor, "1", h, nil), 401, `{"error":"Invalid authentication token","code":"UNAUTHORIZED"}`},
		{"worker", "", "Bearer " + e.mint(t, tokenWorker, "1", h, nil), 401, `{"error":"Invalid authentication token","code":"UNAUTHORIZED"}`},
		{"execution token without id", "", "Bearer " + exec, 403, `{"error":"Execution tokens require an execution_id filter for update streams","code":"FORBIDDEN"}`},
		{"execution token other id", "?execution_id=13", "Bearer " + exec, 403, `{"error":"Execution token is not valid for execution 13","code":"FORBIDDEN"}`},
		{"bad execution_id", "?execution_id=x", "Bearer " + e.token, 400, ""},
		{"execution token own id", "?execution_id=12", "Bearer " + exec, 200, ""},
		{"access", "", "Bearer " + e.token, 200, ""},
		{"access lower-case scheme", "", "bearer " + e.token, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, body := e.openStream(t, tc.query, tc.auth)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, body, tc.status)
			}
			if tc.body != "" && strings.TrimSpace(string(body)) != tc.body {
				t.Fatalf("body %s, want %s", body, tc.body)
			}
		})
	}
}

// TestExecutionStream covers §8's body: every execution notification's
// raw payload, in order, as data-only messages; execution_id filters;
// keep-alive comments.
func TestExecutionStream(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	w := e.dial(t, e.token)
	w.subscribe("entity_type:execution")
	w.sync()
	all := e.stream(t, "")
	var target int64
	var one *execSSE
	seen := map[string]bool{}
	for i := 0; i < 400 && (len(seen) < 3 || one == nil); i++ {
		e.step(t)
		frames := w.sync()
		for _, f := range frames {
			m := all.message()
			want, _ := json.Marshal(f["payload"])
			got, _ := json.Marshal(m)
			if string(got) != string(want) {
				t.Fatalf("stream %s, want the notifier payload %s", got, want)
			}
			seen[f["notification_type"].(string)] = true
			if one != nil && id(f) == target {
				if m := one.message(); id(m) != target {
					t.Fatalf("execution_id=%d got %v", target, m)
				}
			}
		}
		if one == nil {
			for _, f := range frames {
				if f["notification_type"] == NoteExecutionCreated {
					target = id(f)
					one = e.stream(t, "?execution_id="+itoa(target))
					break
				}
			}
		}
	}
	if len(seen) < 3 {
		t.Fatalf("saw %v, want execution_created, execution_status_changed and workflow_execution_status_changed", seen)
	}
	// The filtered stream was read once per message of its target, so any
	// other execution's message would have shown up there as a mismatch.
	t.Run("keep-alive", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{SSEKeepAlive: time.Millisecond})
		s := e.stream(t, "")
		if lines := s.next(); len(lines) != 1 || lines[0] != ":" {
			t.Fatalf("keep-alive %q, want a bare comment", lines)
		}
	})
}
