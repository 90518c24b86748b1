package e2e

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/testutil/poll"
)

// topEvent matches the event list's first row (the cursor's, at start).
var topEvent = regexp.MustCompile(`(?m)^>\s+(\d+) `)

// TestDemoLive: with --demo the TUI follows the dev server's notifier; the
// status bar says so, and a new event appears on the list without a key
// (live traffic makes one every 0.5 s). The issue asks for 2 s; the test
// allows 4 s because other packages' -race suites share the cores, and
// logs what it saw.
func TestDemoLive(t *testing.T) {
	t.Parallel()
	tm := startTerminal(t, 120, 40, []string{"TERM=xterm-256color"},
		bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "2")
	s := tm.waitFor(wait, "Events", "page 1", "● live")
	m := topEvent.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no cursor row:\n%s", s)
	}
	first, _ := strconv.Atoi(m[1])
	began := time.Now()
	if !poll.Until(4*time.Second, pollEvery, func() bool {
		m := topEvent.FindStringSubmatch(tm.screen())
		if m == nil {
			return false
		}
		n, _ := strconv.Atoi(m[1])
		if n > first {
			t.Logf("new event #%d on screen %v after #%d was", n, time.Since(began).Round(10*time.Millisecond), first)
		}
		return n > first
	}) {
		t.Fatalf("no new event on screen within 4 s after #%d:\n%s", first, tm.screen())
	}
	tm.keys("q")
	tm.waitFor(wait, "[exited] 0")
}

// TestDemoWatchRings: `:watch executions status=failed` rings the
// terminal's bell (tmux sets the window's bell flag) and counts in the
// status bar when live traffic makes an execution fail.
func TestDemoWatchRings(t *testing.T) {
	t.Parallel()
	tm := startTerminal(t, 120, 40, []string{"TERM=xterm-256color"},
		bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "4")
	tm.waitFor(wait, "Events", "page 1", "● live")
	if flag := tm.format("#{window_bell_flag}"); flag != "0" {
		t.Fatalf("bell flag %q before any watch", flag)
	}
	tm.keys(":")
	tm.typeText("watch executions status=failed")
	tm.keys("Enter")
	tm.waitFor(wait, "watching executions status=failed")
	// About one in seven finished executions fails; live traffic finishes
	// several a second.
	tm.waitFor(60*time.Second, "⚑ executions status=failed: execution #")
	if !poll.Until(wait, pollEvery, func() bool { return tm.format("#{window_bell_flag}") == "1" }) {
		t.Fatalf("the watch matched but tmux saw no bell:\n%s", tm.screen())
	}
	tm.keys("q")
	tm.waitFor(wait, "[exited] 0")
}
