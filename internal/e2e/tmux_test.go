package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/testutil/poll"
)

// terminal is one tmux server (own socket) running one program.
type terminal struct {
	t      *testing.T
	socket string
}

// requireTool skips (or, under ATTUNE_E2E_REQUIRED, fails) when a tool is missing.
func requireTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("ATTUNE_E2E_REQUIRED") != "" {
			t.Fatalf("%s is required for the end-to-end tests but is not installed", name)
		}
		t.Skipf("SKIP: %s not installed; end-to-end terminal tests need it (.ci/run installs it)", name)
	}
}

// startTerminal runs argv in a detached tmux session of the given size.
func startTerminal(t *testing.T, w, h int, env []string, argv ...string) *terminal {
	t.Helper()
	requireTool(t, "tmux")
	// A socket of its own per run (the temp dir's name is unique), so that
	// repeated runs (-count) never meet a server that is still going away.
	dir := t.TempDir() // .../<test name><random>/001
	socket := fmt.Sprintf("attune-e2e-%s-%s", filepath.Base(filepath.Dir(dir)), filepath.Base(dir))
	term := &terminal{t: t, socket: socket}
	cmdline := shellJoin(argv)
	args := []string{"-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "main",
		"-x", fmt.Sprint(w), "-y", fmt.Sprint(h)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	args = append(args, cmdline+"; echo '[exited]' $?; sleep 60")
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", term.screen())
		}
		_ = exec.Command("tmux", "-L", socket, "kill-server").Run()
	})
	return term
}

// keys sends tmux key names (e.g. "Enter", "Escape", "q", "C-c").
func (tm *terminal) keys(keys ...string) {
	tm.t.Helper()
	args := append([]string{"-L", tm.socket, "send-keys", "-t", "main"}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		tm.t.Fatalf("send-keys %v: %v: %s", keys, err, out)
	}
}

// typeText sends literal text.
func (tm *terminal) typeText(s string) {
	tm.t.Helper()
	if out, err := exec.Command("tmux", "-L", tm.socket, "send-keys", "-t", "main", "-l", s).CombinedOutput(); err != nil {
		tm.t.Fatalf("send-keys -l: %v: %s", err, out)
	}
}

// screen returns the visible pane text.
func (tm *terminal) screen() string {
	out, err := exec.Command("tmux", "-L", tm.socket, "capture-pane", "-p", "-t", "main").Output()
	if err != nil {
		return fmt.Sprintf("<capture-pane failed: %v>", err)
	}
	return string(out)
}

// waitFor polls the screen until every want string is visible or the deadline passes.
func (tm *terminal) waitFor(timeout time.Duration, want ...string) string {
	tm.t.Helper()
	var s string
	if !poll.Until(timeout, pollEvery, func() bool {
		s = tm.screen()
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}) {
		tm.t.Fatalf("timed out after %s waiting for %q on screen:\n%s", timeout, want, s)
	}
	return s
}

// waitGone polls until none of the strings is visible.
func (tm *terminal) waitGone(timeout time.Duration, gone ...string) {
	tm.t.Helper()
	var s string
	if !poll.Until(timeout, pollEvery, func() bool {
		s = tm.screen()
		for _, g := range gone {
			if strings.Contains(s, g) {
				return false
			}
		}
		return true
	}) {
		tm.t.Fatalf("timed out after %s waiting for %q to disappear:\n%s", timeout, gone, s)
	}
}

func shellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// buildBinary compiles cmd/attune-tui into dir.
func buildBinary(dir string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "attune-tui")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/attune-tui")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w: %s", err, out)
	}
	return bin, nil
}

func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

// format returns a tmux format expanded for the test's window (e.g.
// "#{window_bell_flag}").
func (tm *terminal) format(f string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", "-L", tm.socket, "display-message", "-p", "-t", "main", f).Output()
	if err != nil {
		tm.t.Fatalf("display-message %q: %v", f, err)
	}
	return strings.TrimSpace(string(out))
}
