package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestLiveNotifier follows the dev server's notifier: the status bar says
// "● live", a new event appears on the event list without a key, and the
// answer cache does not hide it.
func TestLiveNotifier(t *testing.T) {
	t.Parallel()
	tm, _, ds := startLive(t, "300 ")
	if err := ds.Server.LiveStep(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The cursor is on the newest row: the new event comes into view.
	wait(t, tm, "301 ")
	// Away from the top, new rows do not move the view: the header counts
	// them.
	typeKeys(tm, "down", "down")
	if err := ds.Server.LiveStep(context.Background()); err != nil {
		t.Fatal(err)
	}
	wait(t, tm, "302 ", "↑ 1 new · g")
	a, _ := final(t, tm)
	if a.live == nil {
		t.Error("the live source ended")
	}
}

// TestLiveStatusInPlace: an execution on the list that finishes changes its
// row in place, without a key and without reloading the list.
func TestLiveStatusInPlace(t *testing.T) {
	t.Parallel()
	tm, api, ds := startLive(t)
	typeKeys(tm, ":")
	tm.Type("executions")
	typeKeys(tm, "enter")
	waitLine(t, tm, "197 ", "running")
	// The changed status is marked for a moment (the test clock stands
	// still, so the mark stays).
	waitLine(t, tm, "197 ", "• "+finishExecution(t, ds, api, 197))
}

// TestLiveStaleRowMarked: on a list filtered to running executions, one
// that finishes stays until the next reload, marked as no longer
// matching.
func TestLiveStaleRowMarked(t *testing.T) {
	t.Parallel()
	tm, api, ds := startLive(t)
	typeKeys(tm, ":")
	tm.Type("executions")
	typeKeys(tm, "enter", "4")
	p, _, err := api.Executions.List(context.Background(), &client.ExecutionListOptions{ListOptions: client.ListOptions{PerPage: 1}, Status: client.ExecutionRunning})
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("no running execution: %v", err)
	}
	id := p.Items[0].ID
	idText := strconv.FormatInt(id, 10) + " "
	waitLine(t, tm, idText, "running")
	waitLine(t, tm, idText, "≠ "+finishExecution(t, ds, api, id))
	_, _ = final(t, tm)
}

// TestLiveFallsBackToSSE: with no notifier configured, the guess at the
// API's /ws fails (the dev server serves its notifier elsewhere), so the
// session follows the execution stream and polls the rest, and says so.
func TestLiveFallsBackToSSE(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	deps := uitest.Deps(api)
	deps.AutoLive = true
	tm := start(t, deps, 120, 40)
	wait(t, tm, "page 1", "◐ sse+poll 5s")
	// An execution change arrives over SSE: the execution list patches
	// its row without a key.
	typeKeys(tm, ":")
	tm.Type("executions")
	typeKeys(tm, "enter")
	waitLine(t, tm, "197 ", "running")
	waitLine(t, tm, "197 ", finishExecution(t, ds, api, 197))
	a, _ := final(t, tm)
	if a.mode != liveSSE {
		t.Errorf("mode = %d, want sse+poll", a.mode)
	}
}

// TestLiveFallsBackToPolling: a server with neither a notifier nor the
// execution stream leaves polling, said in the status bar.
func TestLiveFallsBackToPolling(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/stream") || r.URL.Path == "/ws" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/auth/me" {
			_, _ = w.Write([]byte(`{"data":{"id":1,"login":"u"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"items":[],"pagination":{"page":1,"page_size":20,"has_previous":false,"has_next":false}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.WithToken("tok"))
	if err != nil {
		t.Fatal(err)
	}
	deps := uitest.Deps(common.NewAPI(c))
	deps.AutoLive = true
	tm := start(t, deps, 120, 30)
	wait(t, tm, "○ poll 5s")
	a, _ := final(t, tm)
	if a.mode != livePoll || a.live != nil {
		t.Errorf("mode = %d, source %v; want polling alone", a.mode, a.live)
	}
}

// TestLivePause: L pauses the live updates of the screen on top (said in
// the status bar); what arrived meanwhile shows when L resumes.
func TestLivePause(t *testing.T) {
	t.Parallel()
	tm, _, ds := startLive(t, "300 ")
	typeKeys(tm, "L")
	wait(t, tm, "⏸ paused · L resumes")
	if err := ds.Server.LiveStep(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The changes reach the session but not the paused screen: the status
	// bar counts them, the list still starts at 300.
	wait(t, tm, " changed · L resumes")
	typeKeys(tm, "L")
	wait(t, tm, "● live", "301 ")
	a, out := final(t, tm)
	if a.stack[0].paused || strings.Contains(out, "paused") {
		t.Error("L did not resume")
	}
}

// finishExecution steps the dev server's live traffic until execution id
// reaches a terminal status, and returns that status.
func finishExecution(t *testing.T, ds *testutil.DevServer, api *common.API, id int64) string {
	t.Helper()
	ctx := context.Background()
	for range 20 {
		if err := ds.Server.LiveStep(ctx); err != nil {
			t.Fatal(err)
		}
		ex, _, err := api.Executions.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if ex.Status.Terminal() {
			return string(ex.Status)
		}
	}
	t.Fatalf("execution %d did not finish in 20 live steps", id)
	return ""
}

// TestLiveCausedInPlace: a new enforcement of an event on screen changes
// its CAUSED cell without a key and without a request (the notice carries
// the enforcement's event).
func TestLiveCausedInPlace(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	deps := uitest.Deps(api)
	deps.NotifierURL = ds.NotifierURL
	ctx := context.Background()
	// The newest event on the first screen that caused nothing.
	var id int64
	for ev := int64(300); ev > 285 && id == 0; ev-- {
		p, _, err := api.Enforcements.List(ctx, &client.EnforcementListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 100}, Event: ev})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) == 0 {
			id = ev
		}
	}
	if id == 0 {
		t.Fatal("no event on the first screen caused nothing: pick other data")
	}
	tm := start(t, deps, 120, 40)
	key := fmt.Sprintf("%d ", id)
	// (the cells are filled in once a failure shows; event id has none)
	wait(t, tm, "page 1", "Demo User", "● live", "✗1")
	before := ds.Server.Requests("/api/v1/enforcements") + ds.Server.Requests("/api/v1/executions")
	if _, err := ds.Server.LiveEnforce(ctx, id); err != nil {
		t.Fatal(err)
	}
	waitLine(t, tm, key, "1 → 0")
	_, v := final(t, tm)
	if after := ds.Server.Requests("/api/v1/enforcements") + ds.Server.Requests("/api/v1/executions"); after != before {
		t.Errorf("the cell changed with %d requests, want none", after-before)
	}
	if !strings.Contains(v, "1 → 0") {
		t.Errorf("final screen lacks the new cell:\n%s", v)
	}
}

// TestLiveTraceUpdates: a trace on screen follows its execution from
// running to its end without a key (a failure turns red in the trace).
func TestLiveTraceUpdates(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	ctx := context.Background()
	// A running execution started by a rule, and its event.
	p, _, err := api.Executions.List(ctx, &client.ExecutionListOptions{ListOptions: client.ListOptions{PerPage: 50}, Status: client.ExecutionRunning})
	if err != nil {
		t.Fatal(err)
	}
	var exID, eventID int64
	for _, x := range p.Items {
		if x.Enforcement == nil {
			continue
		}
		enf, _, err := api.Enforcements.Get(ctx, *x.Enforcement)
		if err != nil {
			t.Fatal(err)
		}
		if enf.Event != nil {
			exID, eventID = x.ID, *enf.Event
			break
		}
	}
	if exID == 0 {
		t.Fatal("no running execution of an event in the seed")
	}
	deps := uitest.Deps(api)
	deps.NotifierURL = ds.NotifierURL
	tm := start(t, deps, 120, 40)
	wait(t, tm, "page 1", "● live")
	typeKeys(tm, ":")
	tm.Type(fmt.Sprintf("trace %d", eventID))
	typeKeys(tm, "enter")
	idText := fmt.Sprintf("#%d", exID)
	waitLine(t, tm, idText, "running")
	waitLine(t, tm, idText, finishExecution(t, ds, api, exID))
	_, _ = final(t, tm)
}

// TestLiveWhyPanel: the "why" panel of an event on screen shows an
// enforcement the event gets while it is open, without a key.
func TestLiveWhyPanel(t *testing.T) {
	t.Parallel()
	tm, _, ds := startLive(t)
	typeKeys(tm, ":")
	tm.Type("why 300")
	typeKeys(tm, "enter")
	wait(t, tm, "Rules for #300")
	enf, err := ds.Server.LiveEnforce(context.Background(), 300)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, tm, fmt.Sprintf("enforcement #%d", enf))
	_, _ = final(t, tm)
}

// startLive opens the TUI at 120×40 on a dev server whose notifier it
// follows, and waits until the event list is shown and live, and shows
// also.
func startLive(t *testing.T, also ...string) (*teatest.TestModel, *common.API, *testutil.DevServer) {
	t.Helper()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	deps := uitest.Deps(api)
	deps.NotifierURL = ds.NotifierURL
	tm := start(t, deps, 120, 40)
	wait(t, tm, append([]string{"page 1", "Demo User", "● live"}, also...)...)
	return tm, api, ds
}
