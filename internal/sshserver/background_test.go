package sshserver

import (
	"strings"
	"testing"
)

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
