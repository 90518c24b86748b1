package ui

import (
	"context"
	"testing"

	"github.com/attune-tui/attune-tui/internal/testutil"
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
