package e2e

import (
	"strings"
	"testing"
	"time"
)

const wait = 20 * time.Second

// pollEvery is how often the tests look again at state that sends no
// event (the tmux screen, a tmux option, a port) while they wait for it.
const pollEvery = 50 * time.Millisecond

// TestDemoEventFlow walks the event list and event detail of `attune-tui
// --demo` at the two sizes we support best: open, back, filter, page, quit.
func TestDemoEventFlow(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(sizeName(size.w, size.h), func(t *testing.T) {
			t.Parallel()
			tm := startTerminal(t, size.w, size.h, []string{"TERM=xterm-256color"}, bin, "--demo", "--live-rate", "0")
			tm.waitFor(wait, "Events", "page 1", "DEMO")

			tm.keys("Enter")
			s := tm.waitFor(wait, "Events › #3000", "[Payload]")
			if !strings.Contains(s, "trigger") {
				t.Fatalf("detail header lacks the trigger:\n%s", s)
			}
			tm.keys("Escape")
			tm.waitGone(wait, "[Payload]")
			tm.waitFor(wait, "page 1")

			tm.keys("/")
			tm.waitFor(wait, "/ trigger_ref:")
			tm.typeText("trigger_ref:core.intervaltimer")
			tm.keys("Enter")
			// The bar closes, the old rows go, the filtered ones come; the
			// chip stays in the header.
			tm.waitGone(wait, "/ trigger_ref:")
			tm.waitGone(wait, "github.push", "slack.message", "kubernetes.pod_e")
			s = tm.waitFor(wait, "trigger_ref:core.intervaltimer", "core.hear")
			for _, other := range []string{"github.push", "slack.message", "kubernetes.pod_e"} {
				if strings.Contains(s, other) {
					t.Fatalf("filtered list still shows %s:\n%s", other, s)
				}
			}

			tm.keys("]")
			tm.waitFor(wait, "page 2")

			tm.keys("q")
			tm.waitFor(wait, "[exited] 0")
		})
	}
}

func sizeName(w, h int) string {
	return strings.Join([]string{itoa(w), itoa(h)}, "x")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
