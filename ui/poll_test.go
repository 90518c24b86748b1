package ui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// driveNoPoll is drive without the poll loop's own ticks (the test sends
// them).
func driveNoPoll(t *testing.T, a *App, cmd tea.Cmd) {
	t.Helper()
	for rounds := 0; cmd != nil && rounds < 20; rounds++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			if _, ok := msg.(pollMsg); ok {
				continue
			}
			_, c := a.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
}

// TestPollBacksOff: with no live source, L turns polling on; against a
// server that answers every request with 401 each failed poll doubles the
// wait up to the cap and the status bar says when it retries; a success
// brings the normal interval back, and L again turns polling off.
func TestPollBacksOff(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/auth/me" {
			_, _ = w.Write([]byte(`{"data":{"id":1,"login":"u"}}`))
			return
		}
		if fail.Load() {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"code":401,"message":"Authentication token expired"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"items":[],"pagination":{"page":1,"page_size":20,"has_previous":false,"has_next":false}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.WithToken("tok"), client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	deps := uitest.Deps(common.NewAPI(c))
	deps.RefreshInterval = time.Millisecond
	deps.MaxRefreshBackoff = 16 * time.Millisecond
	a := New(deps)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	driveNoPoll(t, a, a.Init())
	if a.mode != liveOff || a.status.Live != "" {
		t.Fatalf("without a live source: mode %d, status %q", a.mode, a.status.Live)
	}
	driveNoPoll(t, a, a.handleKey(uitest.Key("L")))
	if a.mode != livePoll || !strings.HasPrefix(a.status.Live, "○ poll") {
		t.Fatalf("L: mode %d, status %q; want polling", a.mode, a.status.Live)
	}
	fail.Store(true)
	tick := func() {
		t.Helper()
		driveNoPoll(t, a, a.onPoll(pollMsg{gen: a.pollGen}))
	}
	for i, want := range []time.Duration{2, 4, 8, 16, 16} {
		tick()
		if got := a.pollDelay(); got != want*time.Millisecond || !strings.HasPrefix(a.status.Retry, "retry in") {
			t.Fatalf("failed poll %d: next wait %v (status %q), want %v", i+1, got, a.status.Retry, want*time.Millisecond)
		}
	}
	fail.Store(false)
	tick()
	if got := a.pollDelay(); got != time.Millisecond || a.status.Retry != "" {
		t.Errorf("after a success: next wait %v, status %q; want the interval and no retry", got, a.status.Retry)
	}
	driveNoPoll(t, a, a.handleKey(uitest.Key("L")))
	if a.mode != liveOff || a.status.Live != "" {
		t.Errorf("L again: mode %d, status %q; want polling off", a.mode, a.status.Live)
	}
}
