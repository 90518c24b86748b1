package e2e

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/testutil/poll"
)

// TestSSHServeDemo runs `attune-tui serve --demo` and connects with the real
// OpenSSH client inside tmux: sign in on the login form, open an event, go
// back, quit.
func TestSSHServeDemo(t *testing.T) {
	requireTool(t, "ssh")
	requireTool(t, "ssh-keygen")
	requireTool(t, "tmux")
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	authorized := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authorized, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)

	ctx, cancel := context.WithCancel(context.Background())
	srv := exec.CommandContext(ctx, bin, "serve", "--demo", "--listen", addr,
		"--authorized-keys", authorized, "--host-key", filepath.Join(dir, "host_key"))
	srv.Cancel = func() error { return srv.Process.Signal(os.Interrupt) }
	srv.WaitDelay = 10 * time.Second
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = srv.Stdout
	if err := srv.Start(); err != nil {
		t.Fatalf("start serve: %v", err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	t.Cleanup(func() {
		cancel()
		_ = srv.Wait()
	})
	waitListening(t, addr, 30*time.Second)

	host, port, _ := net.SplitHostPort(addr)
	tm := startTerminal(t, 100, 30, []string{"TERM=xterm-256color"}, "ssh", "-tt", "-p", port, "-i", key,
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
		"-o", "IdentitiesOnly=yes", "oncall@"+host)
	tm.waitFor(wait, "Login")
	tm.typeText("demo")
	tm.keys("Tab")
	tm.typeText("demo")
	tm.keys("Enter")
	tm.waitFor(wait, "Events", "page 1")
	// The session follows the demo's notifier on a connection of its own.
	tm.waitFor(wait, "● live")
	if s := tm.screen(); strings.Contains(s, "demo\n") {
		t.Fatalf("password echoed:\n%s", s)
	}
	tm.keys("Enter")
	tm.waitFor(wait, "Events › #", "[Payload]")
	tm.keys("Escape")
	tm.waitGone(wait, "[Payload]")
	tm.keys("q")
	tm.waitFor(wait, "[exited]")

	// The server logged the session with the key fingerprint, never a secret.
	cancel()
	_ = srv.Wait()
	var log strings.Builder
	for l := range lines {
		log.WriteString(l + "\n")
	}
	if !strings.Contains(log.String(), "SHA256:") {
		t.Errorf("server log lacks the key fingerprint:\n%s", log.String())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func waitListening(t *testing.T, addr string, timeout time.Duration) {
	t.Helper()
	var err error
	if !poll.Until(timeout, pollEvery, func() bool {
		var c net.Conn
		if c, err = net.DialTimeout("tcp", addr, time.Second); err != nil {
			return false
		}
		_ = c.Close()
		return true
	}) {
		t.Fatalf("server never listened on %s: %v", addr, err)
	}
}
