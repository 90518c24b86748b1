package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/testutil/poll"
)

// lineNo matches a log viewer row: the cursor or range mark (or a space),
// then the line number.
var lineNo = regexp.MustCompile(`^[> ┃]\s*(\d+) `)

// lastLogLine returns the highest log line number on screen (0 when none).
func lastLogLine(screen string) int {
	n := 0
	for _, l := range strings.Split(screen, "\n") {
		if m := lineNo.FindStringSubmatch(l); m != nil {
			if v, err := strconv.Atoi(m[1]); err == nil && v > n {
				n = v
			}
		}
	}
	return n
}

// TestDemoLogs reads execution output in the real binary with live
// traffic: a failed execution's stderr opens first and /Traceback finds
// the traceback; a running execution's stdout is followed and new lines
// arrive without a key.
func TestDemoLogs(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(sizeName(size.w, size.h), func(t *testing.T) {
			t.Parallel()
			tm := startTerminal(t, size.w, size.h, []string{"TERM=xterm-256color"},
				bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "2")
			tm.waitFor(wait, "Events", "page 1")

			tm.keys(":")
			tm.typeText("executions")
			tm.keys("Enter")
			tm.waitFor(wait, "0-9/s/F", "loaded")

			tm.keys("6") // failed
			tm.waitFor(wait, "status: failed", "loaded")
			tm.keys("O")
			tm.waitFor(wait, "[stderr]", "sealed")
			tm.keys("/")
			tm.typeText("Traceback")
			tm.keys("Enter")
			tm.waitFor(wait, "/traceback 1/")

			tm.keys("Escape")
			tm.waitGone(wait, "[stderr]")
			tm.keys("4") // running
			tm.waitFor(wait, "status: running", "loaded")
			// Live traffic finishes executions every second: the one under
			// the cursor may be done by the time its output opens. Then go
			// back, refresh the list and take the newest running one again.
			var s string
			for attempt := 0; ; attempt++ {
				tm.keys("O")
				s = tm.waitFor(wait, "[stdout]")
				// Either answer will do (checked below); a timeout leaves s
				// as last seen.
				poll.Until(wait, pollEvery, func() bool {
					s = tm.screen()
					return strings.Contains(s, "following") || strings.Contains(s, "sealed")
				})
				if strings.Contains(s, "following") {
					break
				}
				if attempt == 5 {
					t.Fatalf("no running execution could be followed in 6 tries:\n%s", s)
				}
				tm.keys("Escape")
				tm.waitGone(wait, "[stdout]")
				tm.keys("r")
			}
			// What was written before the screen opened arrives as one
			// catch-up event (the dev server sends up to 1 MiB per event,
			// and these logs are smaller) and is drawn at once, so a higher
			// line number later is a line that arrived live.
			first := lastLogLine(s)
			if !poll.Until(30*time.Second, pollEvery, func() bool { return lastLogLine(tm.screen()) > first }) {
				t.Fatalf("no new log line arrived in 30 s after line %d:\n%s", first, tm.screen())
			}

			tm.keys("q")
			tm.waitFor(wait, "[exited] 0")
		})
	}
}
