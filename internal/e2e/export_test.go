package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/internal/testutil/poll"
)

// TestDemoCopyToTmuxBuffer presses y on the first event row inside tmux
// with set-clipboard on: the id lands in tmux's paste buffer, and the
// status line says it was copied (the program asked tmux).
func TestDemoCopyToTmuxBuffer(t *testing.T) {
	t.Parallel()
	tm := startTerminal(t, 120, 30, []string{"TERM=xterm-256color"},
		bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "0")
	if out, err := exec.Command("tmux", "-L", tm.socket, "set-option", "-g", "set-clipboard", "on").CombinedOutput(); err != nil {
		t.Fatalf("tmux set-option: %v: %s", err, out)
	}
	tm.waitFor(wait, "page 1", "300")
	tm.keys("y")
	tm.waitFor(wait, "copied event id 300 (tmux set-clipboard on")
	var (
		out []byte
		err error
	)
	if !poll.Until(wait, pollEvery, func() bool {
		out, err = exec.Command("tmux", "-L", tm.socket, "show-buffer").Output()
		return err == nil && strings.TrimSpace(string(out)) == "300"
	}) {
		t.Fatalf("tmux buffer = %q (%v), want 300", out, err)
	}
	tm.keys("q")
}

// TestDemoBundle opens the failed chain of event 287 with a deep link and
// presses X: the Markdown and JSON files appear in --export-dir, mode 0600.
func TestDemoBundle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tm := startTerminal(t, 120, 30, []string{"TERM=xterm-256color"},
		bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "0", "--export-dir", dir, "event", "287")
	tm.waitFor(wait, "Events › #287", "Payload")
	tm.keys("X")
	tm.waitFor(wait, "wrote the incident bundle")
	names, err := filepath.Glob(filepath.Join(dir, "attune-bundle-event-287-*"))
	if err != nil || len(names) != 2 {
		t.Fatalf("bundle files = %q (%v), want a .md and a .json", names, err)
	}
	for _, n := range names {
		info, err := os.Stat(n)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v", n, err, info.Mode())
		}
	}
	md, err := os.ReadFile(names[1])
	if err != nil || !strings.Contains(string(md), "RuntimeError: HTTP 502 Bad Gateway") {
		t.Errorf("%s lacks the stderr tail (%v)", names[1], err)
	}
	tm.keys("q")
}
