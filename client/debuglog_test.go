package client_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/attune-tui/attune-tui/client"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDebugLog checks the request lines WithLogger writes, with and
// without bodies: method, path, status, duration and attempt, never a
// password or token.
func TestDebugLog(t *testing.T) {
	t.Parallel()
	for _, bodies := range []bool{false, true} {
		t.Run(map[bool]string{false: "lines", true: "bodies"}[bodies], func(t *testing.T) {
			t.Parallel()
			var buf syncBuffer
			opts := []client.Option{client.WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))}
			if bodies {
				opts = append(opts, client.WithLogBodies())
			}
			srv := &authServer{t: t}
			c, mux := setupNoToken(t, opts...)
			srv.register(mux)
			if _, _, err := c.Auth.Login(t.Context(), testLogin, testPassword); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.Events.List(t.Context(), &client.EventListOptions{TriggerRef: "core.secret_query"}); err != nil {
				t.Fatal(err)
			}
			srv.expire()
			if _, _, err := c.Events.List(t.Context(), nil); err != nil { // 401, refresh, retry
				t.Fatal(err)
			}
			out := buf.String()
			for _, want := range []string{
				`method=POST path=/auth/login`, `status=200`, `attempt=1`, `duration=`,
				`method=GET path=/api/v1/events`, `status=401`, `method=POST path=/auth/refresh`,
			} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
			for _, secret := range []string{testPassword, "access-1", "refresh-1", "access-2", "refresh-2", "Bearer", "secret_query"} {
				if strings.Contains(out, secret) {
					t.Errorf("log contains %q:\n%s", secret, out)
				}
			}
			if got := strings.Contains(out, "request_body="); got != bodies {
				t.Errorf("bodies logged = %v, want %v:\n%s", got, bodies, out)
			}
			if bodies && !strings.Contains(out, `\"password\":\"[REDACTED]\"`) {
				t.Errorf("login body not redacted as expected:\n%s", out)
			}
		})
	}
}
