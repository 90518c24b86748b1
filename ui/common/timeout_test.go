package common

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
)

// TestSlowServerTimesOut checks that a server that never answers is
// reported as "timed out after N s", not "unreachable", whether the client's
// per-attempt timeout or the caller's deadline ends the wait.
func TestSlowServerTimesOut(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	t.Cleanup(srv.Close)
	cases := []struct {
		name     string
		timeout  time.Duration
		deadline time.Duration
		want     string
	}{
		{"client timeout", time.Second, 0,
			"timed out after 1 s: the server did not answer · list events (GET /api/v1/events)"},
		{"caller deadline", 30 * time.Second, 1200 * time.Millisecond,
			"timed out after 1 s: the server did not answer · list events (GET /api/v1/events)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := client.New(srv.URL, client.WithToken("tok"), client.WithTimeout(tc.timeout),
				client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			_, _, err = c.Events.List(ctx, nil)
			var te *client.TransportError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a transport error", err)
			}
			if got := ErrorLine(fmt.Errorf("list events: %w", err)); got != tc.want {
				t.Errorf("ErrorLine() = %q\n                 want %q", got, tc.want)
			}
		})
	}
}
