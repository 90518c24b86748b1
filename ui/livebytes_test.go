package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestLiveTerminalBytes measures what a live change writes to the terminal
// at 120×40 (true colour): one new row arriving on the event list, and one
// execution's status changing in place on the execution list.
func TestLiveTerminalBytes(t *testing.T) {
	t.Parallel()
	clock := &serverClock{now: uitest.Now()}
	api, ds := uitest.StartDev(t, testutil.DevOptions{Now: clock.Now})
	log := newWriteLog()
	d := uitest.Deps(api)
	d.NotifierURL = ds.NotifierURL
	d.Lifetime = t.Context() // the live source ends with the test
	d.PerPage = 50           // more rows than the screen holds, as in production
	p := runProgram(t, d, termenv.TrueColor, log)
	log.waitWrite(t, 0, "Demo User")
	log.waitWrite(t, 0, "● live")
	ctx := context.Background()

	// step makes one live step and returns the bytes written up to the
	// write holding text (everything the step caused counts: the CAUSED
	// cells, the header).
	step := func(text string) int {
		t.Helper()
		n := log.count()
		clock.advance(time.Second)
		if err := ds.Server.LiveStep(ctx); err != nil {
			t.Fatal(err)
		}
		last := log.waitWrite(t, n, text)
		b := 0
		for i := n; i <= last; i++ {
			b += log.size(i)
		}
		return b
	}
	// With the cursor on the newest row, a new event comes into view: every
	// row moves down one line, and the standard renderer rewrites each.
	topBytes := step("301")
	if topBytes > 16384 {
		t.Errorf("bytes for one new row with the cursor on top = %d, want ≤ 16 KiB (every row moves; see BENCHMARKS.md)", topBytes)
	}
	// Away from the top the view stays and the header counts the row.
	n := log.count()
	p.Send(uitest.Key("down"))
	log.waitWrite(t, n, "300")
	rowBytes := step("↑ 1 new")
	if rowBytes > 1536 {
		t.Errorf("bytes for one new row = %d, want ≤ 1.5 KiB", rowBytes)
	}

	t.Logf("live terminal bytes at 120x40 (true colour): new event row %d B (%d B with the cursor on top)", rowBytes, topBytes)
}

// TestStatusChangeBytes measures what one execution's status change in
// place writes at 120×40: a server whose list changes exactly one row, and
// the notice of that change. The execution counts in the header stay (the
// stats answer does not change), so the row alone is measured.
func TestStatusChangeBytes(t *testing.T) {
	t.Parallel()
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.TrueColor} {
		t.Run(profileName(profile), func(t *testing.T) {
			t.Parallel()
			statusChangeBytes(t, profile)
		})
	}
}

func statusChangeBytes(t *testing.T, profile termenv.Profile) {
	base := uitest.Now().Add(-time.Hour)
	var mu sync.Mutex
	rows := make([]client.ExecutionSummary, 50)
	for i := range rows {
		enf := int64(1000 - i)
		rows[i] = client.ExecutionSummary{ID: int64(500 - i), ActionRef: "core.http_request", Status: client.ExecutionRunning,
			Enforcement: &enf, Created: base.Add(-time.Duration(i) * time.Minute), Updated: base}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var body any
		switch r.URL.Path {
		case "/auth/me":
			body = map[string]any{"data": map[string]any{"id": 1, "login": "u"}}
		case "/api/v1/executions/stats":
			body = map[string]any{"data": client.ExecutionStats{Total: 50, Running: 50}}
		case "/api/v1/executions":
			mu.Lock()
			body = client.Page[client.ExecutionSummary]{Items: slices.Clone(rows), Pagination: client.Pagination{Page: 1, PageSize: 50}}
			mu.Unlock()
		default:
			body = client.Page[client.EventSummary]{Items: []client.EventSummary{}, Pagination: client.Pagination{Page: 1, PageSize: 50}}
		}
		_ = json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.WithToken("tok"))
	if err != nil {
		t.Fatal(err)
	}
	log := newWriteLog()
	d := uitest.Deps(common.NewAPI(c))
	p := runProgram(t, d, profile, log)
	log.waitWrite(t, 0, "No events")
	for _, k := range []string{":", "e", "x", "e", "c", "u", "t", "i", "o", "n", "s", "enter"} {
		p.Send(uitest.Key(k))
	}
	log.waitWrite(t, 0, "50 running")
	log.waitWrite(t, 0, "50 loaded · end")

	// Execution 490 (the eleventh row) fails: the server and the notice say so.
	mu.Lock()
	rows[10].Status, rows[10].Updated = client.ExecutionFailed, base.Add(time.Minute)
	mu.Unlock()
	upd := base.Add(time.Minute)
	n := log.count()
	p.Send(liveMsg{events: []client.LiveEvent{{Kind: client.LiveNotification, Notification: &client.Notification{
		Type: client.NotifyExecutionStatusChanged, EntityType: "execution", EntityID: 490,
		Execution: &client.ExecutionNotice{ID: 490, Status: client.ExecutionFailed, OldStatus: client.ExecutionRunning, Updated: &upd},
	}}}})

	w := log.waitWrite(t, n, "• failed")
	b := 0
	for i := n; i <= w; i++ {
		b += log.size(i)
	}
	// The header says "↻ refreshing" while the list refetches page 1; the
	// frame that takes it back belongs to the change too.
	log.mu.Lock()
	refreshing := bytes.Contains(log.writes[w], []byte("refreshing"))
	log.mu.Unlock()
	if refreshing {
		back := log.waitWrite(t, w+1, "loaded")
		for i := w + 1; i <= back; i++ {
			b += log.size(i)
		}
	}
	if b > 300 {
		t.Errorf("%s: bytes for one status change in place = %d, want ≤ 300", profileName(profile), b)
	}
	t.Logf("%s: one status change in place at 120x40 writes %d B", profileName(profile), b)
}
