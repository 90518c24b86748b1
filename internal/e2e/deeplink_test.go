package e2e

import (
	"testing"
)

// TestDemoDeepLink runs `attune-tui --demo event 299` in tmux: it opens on
// the event's detail with the event list below it (esc goes back to it),
// as a user would type it.
func TestDemoDeepLink(t *testing.T) {
	t.Parallel()
	tm := startTerminal(t, 100, 30, []string{"TERM=xterm-256color"},
		bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "0", "event", "299")
	tm.waitFor(wait, "Events › #299", "Payload")
	tm.keys("Escape")
	tm.waitGone(wait, "Events › #299")
	tm.waitFor(wait, "page 1", "300")
	tm.keys("q")
}
