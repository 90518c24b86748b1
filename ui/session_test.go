package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
	"github.com/attune-tui/attune-tui/ui/views/eventdetail"
	"github.com/attune-tui/attune-tui/ui/views/events"
)

// serverClock is the dev server's clock in a session test: fixed until the
// test moves it forward.
type serverClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the current server time.
func (c *serverClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// advance moves the server time forward by d.
func (c *serverClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// drive runs cmd and feeds every message it produces back into a, round
// after round, until no command is left: every request the screen started
// has been answered and handled when it returns.
func drive(t *testing.T, a *App, cmd tea.Cmd) {
	t.Helper()
	for round := 0; cmd != nil; round++ {
		if round == 100 {
			t.Fatal("the app keeps producing commands")
		}
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			_, c := a.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
}

// press sends one key to a and drives what it starts.
func press(t *testing.T, a *App, k string) {
	t.Helper()
	_, cmd := a.Update(uitest.Key(k))
	drive(t, a, cmd)
}

// assertNoError fails when the status bar or the error overlay holds an
// error.
func assertNoError(t *testing.T, a *App, step string) {
	t.Helper()
	if a.status.Err != "" || a.lastErr != "" {
		t.Fatalf("%s: status bar error %q (full: %q)", step, a.status.Err, a.lastErr)
	}
	lines := strings.Split(a.View(), "\n")
	if bar := lines[len(lines)-1]; strings.Contains(bar, "! ") {
		t.Fatalf("%s: status bar shows an error: %q", step, bar)
	}
}

// TestTokenExpiryMidSession (issue #7): the server's clock passes the
// access token's lifetime while the event list is open; refreshing the
// list and opening an event keep working through one token refresh, and
// an expired refresh token makes the client sign in again, with no error
// shown either way.
func TestTokenExpiryMidSession(t *testing.T) {
	t.Parallel()
	const (
		accessTTL  = time.Minute
		refreshTTL = 10 * time.Minute
	)
	tests := []struct {
		name        string
		advance     time.Duration
		wantRefresh int // POST /auth/refresh calls (answered or rejected)
		wantLogin   int // POST /auth/login calls after the first sign-in
	}{
		{name: "access token expired", advance: accessTTL + 2*time.Second, wantRefresh: 1, wantLogin: 0},
		{name: "refresh token expired", advance: refreshTTL + 2*time.Second, wantRefresh: 1, wantLogin: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := &serverClock{now: uitest.Now()}
			api, ds := uitest.StartDev(t, testutil.DevOptions{
				AccessTTL: accessTTL, RefreshTTL: refreshTTL, Now: clock.Now,
			})
			deps := uitest.Deps(api)
			deps.Lifetime = t.Context()
			a := New(deps)
			_, _ = a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
			drive(t, a, a.Init())
			list, ok := a.Active().(events.Model)
			if !ok || list.SelectedID() == 0 {
				t.Fatalf("event list not loaded: active %T, views %v", a.Active(), a.Views())
			}
			assertNoError(t, a, "first page")
			srv := ds.Server
			if n := srv.Requests("/auth/refresh") + srv.Requests("/auth/login"); n != 0 {
				t.Fatalf("%d sign-in requests before the clock moved", n)
			}

			clock.advance(tc.advance)
			lists := srv.Requests("/api/v1/events")
			press(t, a, "r")
			if got := srv.Requests("/api/v1/events") - lists; got != 2 {
				t.Errorf("r: %d list requests, want 2 (rejected, then retried)", got)
			}
			assertNoError(t, a, "r after expiry")
			if got := srv.Requests("/auth/refresh"); got != tc.wantRefresh {
				t.Errorf("after r: %d refreshes, want %d", got, tc.wantRefresh)
			}
			if got := srv.Requests("/auth/login"); got != tc.wantLogin {
				t.Errorf("after r: %d logins, want %d", got, tc.wantLogin)
			}

			want := list.SelectedID()
			press(t, a, "enter")
			ed, ok := a.Active().(eventdetail.Model)
			if !ok || ed.ID() != want {
				t.Fatalf("enter: active %T, views %v; want the detail of event %d", a.Active(), a.Views(), want)
			}
			if v := a.View(); !strings.Contains(v, "[Payload]") {
				t.Errorf("event detail not shown:\n%s", v)
			}
			assertNoError(t, a, "event detail")
			// The renewed token serves the detail: no second renewal.
			if got := srv.Requests("/auth/refresh"); got != tc.wantRefresh {
				t.Errorf("after the detail: %d refreshes, want %d", got, tc.wantRefresh)
			}
			if got := srv.Requests("/auth/login"); got != tc.wantLogin {
				t.Errorf("after the detail: %d logins, want %d", got, tc.wantLogin)
			}
		})
	}
}
