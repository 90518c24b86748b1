package sshserver

import (
	"strings"
	"testing"
)

func TestDarkBackground(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  []string
		want bool
	}{
		{"absent", []string{"TERM=xterm"}, true},
		{"dark bg", []string{"COLORFGBG=15;0"}, true},
		{"light bg", []string{"COLORFGBG=0;15"}, false},
		{"light bg 7", []string{"COLORFGBG=0;7"}, false},
		{"three fields", []string{"COLORFGBG=0;default;15"}, false},
		{"garbage", []string{"COLORFGBG=\x1b[2J"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := darkBackground(tc.env); got != tc.want {
				t.Fatalf("darkBackground(%q) = %v, want %v", tc.env, got, tc.want)
			}
		})
	}
}

// TestSilentClientStillSeesTheScreen: a client that never answers terminal
// queries (colour, device attributes) must still get the first frame.
func TestSilentClientStillSeesTheScreen(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	tm := openTerm(t, ts.mustDial(t), "xterm-256color", 80, 24, map[string]string{"COLORFGBG": "0;15"})
	tm.out.mu.Lock()
	tm.out.onWrite = nil // answer nothing (the server should ask nothing)
	tm.out.mu.Unlock()
	tm.waitOutput(t, "hello alice")
	if strings.Contains(tm.out.String(), "\x1b]11;?") {
		t.Fatalf("server queried the background colour: %q", tm.out.String())
	}
}
