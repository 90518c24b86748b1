package ui

import (
	"slices"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestOverview golden-tests the overview at 120×40 and 80×24 against the
// seeded dev server with the fixed clock of uitest.Now, opened as a deep
// link (Deps.Start, what --open overview sets); enter on the first
// failure group opens the execution list filtered to it, esc comes back.
func TestOverview(t *testing.T) {
	t.Parallel()
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{})
			deps := uitest.Deps(api)
			deps.Start = "overview"
			tm := start(t, deps, sz.w, sz.h)
			wait(t, tm, "Failed by action", "failed executions,", "Demo User", "● ok")
			a, v := final(t, tm)
			if !slices.Equal(a.Views(), []string{"Overview"}) {
				t.Errorf("stack = %q, want [Overview]", a.Views())
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// TestOverviewJump: ":overview" replaces the stack; enter on the first
// failure group opens the execution list filtered to its action and
// failed status, and esc returns to the overview.
func TestOverviewJump(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	tm := start(t, uitest.Deps(api), 120, 40)
	wait(t, tm, "page 1", "Demo User")
	typeKeys(tm, ":")
	tm.Type("overview")
	typeKeys(tm, "enter")
	wait(t, tm, "Failed by action")
	typeKeys(tm, "down", "down", "enter")
	waitLine(t, tm, "status: failed", "action_ref:slack.post_message")
	typeKeys(tm, "esc")
	wait(t, tm, "Failed by rule")
	a, _ := final(t, tm)
	if !slices.Equal(a.Views(), []string{"Overview"}) {
		t.Errorf("stack = %q, want [Overview]", a.Views())
	}
}
