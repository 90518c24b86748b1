package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestLiveNotifier follows the dev server's notifier: the status bar says
// "● live", a new event appears on the event list without a key, and the
// answer cache does not hide it.
func TestLiveNotifier(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	deps := uitest.Deps(api)
	deps.NotifierURL = ds.NotifierURL
	tm := start(t, deps, 120, 40)
	wait(t, tm, "page 1", "Demo User", "● live", "300 ")
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
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	deps := uitest.Deps(api)
	deps.NotifierURL = ds.NotifierURL
	tm := start(t, deps, 120, 40)
	wait(t, tm, "page 1", "Demo User", "● live")
	typeKeys(tm, ":")
	tm.Type("executions")
	typeKeys(tm, "enter")
	waitLine(t, tm, "197 ", "running")
	ctx := context.Background()
	var status string
	for range 20 {
		if err := ds.Server.LiveStep(ctx); err != nil {
			t.Fatal(err)
		}
		ex, err := api.GetExecution(ctx, 197)
		if err != nil {
			t.Fatal(err)
		}
		if ex.Status.Terminal() {
			status = string(ex.Status)
			break
		}
	}
	if status == "" {
		t.Fatal("execution 197 did not finish in 20 live steps")
	}
	waitLine(t, tm, "197 ", status)
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
		p, err := api.ListEnforcements(ctx, common.EnforcementQuery{Event: ev, Page: 1, PerPage: 100})
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
