package e2e

import (
	"strings"
	"testing"
)

// sgrClick is a left press and release at 1-based column x, row y in the
// SGR mouse encoding (what a terminal sends with mode 1006 on). tmux's
// send-keys -M only forwards a mouse event a tmux client produced, so the
// test types the sequence as literal input to the pane instead.
func sgrClick(x, y int) string {
	p := "\x1b[<0;" + itoa(x) + ";" + itoa(y)
	return p + "M" + p + "m"
}

// TestDemoMouse runs the demo in tmux and double-clicks the third row of
// the event list (terminal row 6: the top line, the list header and the
// table header are above it): the event opens. With --no-mouse the same
// clicks do nothing.
func TestDemoMouse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		flags []string
		opens bool
	}{
		{name: "mouse", opens: true},
		{name: "no_mouse", flags: []string{"--no-mouse"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			argv := append([]string{bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "0"}, tc.flags...)
			tm := startTerminal(t, 100, 30, []string{"TERM=xterm-256color"}, argv...)
			tm.waitFor(wait, "page 1", "Events")
			tm.typeText(sgrClick(12, 6) + sgrClick(12, 6))
			if tc.opens {
				tm.waitFor(wait, "Events › #298", "Payload")
			} else {
				tm.keys("T") // a change to wait for after the clicks
				s := tm.waitFor(wait, "2026-")
				if strings.Contains(s, "#298") && strings.Contains(s, "Payload") {
					t.Errorf("the clicks opened the event with --no-mouse:\n%s", s)
				}
			}
			tm.keys("q")
		})
	}
}
