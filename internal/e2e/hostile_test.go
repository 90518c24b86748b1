package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHostileTerminals runs the demo in terminals that are hard to draw on:
// no capabilities (TERM=dumb), no colour (NO_COLOR), and a tiny 20×5 window.
// The program must draw, navigate and quit cleanly in each.
func TestHostileTerminals(t *testing.T) {
	cases := []struct {
		name string
		w, h int
		env  []string
		want []string // visible after start-up
	}{
		{name: "TERM=dumb", w: 80, h: 24, env: []string{"TERM=dumb"}, want: []string{"Events", "page 1"}},
		{name: "NO_COLOR", w: 120, h: 40, env: []string{"TERM=xterm-256color", "NO_COLOR=1"}, want: []string{"Events", "page 1", "DEMO"}},
		{name: "20x5", w: 20, h: 5, env: []string{"TERM=xterm-256color"}, want: []string{"Events"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tm := startTerminal(t, tc.w, tc.h, tc.env, bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "0")
			tm.waitFor(wait, tc.want...)
			if tc.name == "NO_COLOR" {
				// With escapes: no colour (SGR 38/48) may be drawn.
				out, err := exec.Command("tmux", "-L", tm.socket, "capture-pane", "-e", "-p", "-t", "main").Output()
				if err != nil {
					t.Fatal(err)
				}
				// (plain attributes such as bold or reverse are fine)
				for _, sgr := range []string{"[38;", "[48;", ";38;", ";48;"} {
					if strings.Contains(string(out), sgr) {
						t.Fatalf("NO_COLOR screen contains colour %q:\n%q", sgr, out)
					}
				}
			}
			tm.keys("j")
			tm.keys("Enter")
			if tc.h >= 24 {
				tm.waitFor(wait, "[Payload]")
			} else {
				tm.waitFor(wait, "Events › #")
			}
			tm.keys("Escape")
			// Wait for the list before q: sent at once, the two keys can
			// reach the program together and read as alt+q.
			if tc.h >= 24 {
				tm.waitGone(wait, "[Payload]")
			} else {
				tm.waitGone(wait, "Events ›")
			}
			tm.keys("q")
			tm.waitFor(wait, "[exited] 0")
		})
	}
}
