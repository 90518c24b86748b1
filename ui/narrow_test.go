package ui

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestNarrowLists golden-tests every list at 80×24 against the dev
// server's adversarial seed (long, hostile refs and trace tags): the
// low-priority columns are hidden (› ends the header) before the refs
// are cut, and the footer shows the selected row's hidden and cut cells
// whole. "scrolled" then presses → twice: the header starts with ‹ and
// the hidden columns come into view.
func TestNarrowLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, command string
		// wantOpen is on the screen once the list has loaded (the
		// CAUSED and EXECUTIONS cells included); then keys
		// select a row with long refs and want is waited for; wantScrolled
		// after → →.
		wantOpen     []string
		keys         []string
		want         []string
		wantScrolled []string
	}{
		{name: "events", command: "events", wantOpen: []string{"TRACE", "›", "RULE - · SOURCE - · DATA json", "1 ✗1", "1 ↻1"},
			keys: []string{"down", "down", "down", "down", "down"}, want: []string{"RULE rule.\\x1bP"}, wantScrolled: []string{"‹", "RULE", "CREATED 4m ago"}},
		{name: "enforcements", command: "enforcements", wantOpen: []string{"EXECUTIONS", "›", "RULE rule.\\x1b]0;pwned", "1 ✗1", "1 ✓1"},
			keys: []string{"down", "down", "down", "down", "down"}, want: []string{"TRIGGER github.pull_request · COND all"}, wantScrolled: []string{"‹", "COND"}},
		{name: "executions", command: "executions", wantOpen: []string{"DURATION", "›", "ACTION action.", "36 failed"},
			keys: []string{"down"}, want: []string{"ACTION action.\\x1b]52;c;"}, wantScrolled: []string{"‹", "PARENT"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{Adversarial: true})
			deps := uitest.Deps(api)
			deps.Start = tc.command
			tm := start(t, deps, 80, 24)
			wait(t, tm, append([]string{"loaded", "Demo User", "● ok"}, tc.wantOpen...)...)
			typeKeys(tm, tc.keys...)
			wait(t, tm, tc.want...)
			_, v := final(t, tm)
			golden.RequireEqual(t, []byte(v))
		})
		t.Run(tc.name+"_scrolled", func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{Adversarial: true})
			deps := uitest.Deps(api)
			deps.Start = tc.command
			tm := start(t, deps, 80, 24)
			wait(t, tm, append([]string{"loaded", "Demo User", "● ok"}, tc.wantOpen...)...)
			typeKeys(tm, "right", "right")
			wait(t, tm, tc.wantScrolled...)
			_, v := final(t, tm)
			golden.RequireEqual(t, []byte(v))
		})
	}
}
