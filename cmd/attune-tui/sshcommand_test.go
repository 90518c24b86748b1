package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// TestSSHCommandSelectsScreen: over `serve`, the SSH command string opens
// the screen a deep link names ("ssh -t host event 5"), led or not by the
// program's name; any other command string is refused with a message and
// runs nothing.
func TestSSHCommandSelectsScreen(t *testing.T) {
	t.Parallel()
	ls := startLoadServer(t, 300)
	opens := []struct{ command, want string }{
		{"event 5", "Events › #5"},
		{"attune-tui trace 299", "Events › Trace of #299"},
		{"events trigger_ref:aws.cloudwatch_alarm", "trigger_ref:aws.cloudwatch_alarm"},
		{"'why' 299", "Events › #299 › Rules for #299"},
		{"attune-tui", "page 1 · 50/page"}, // the program's name alone: the event list
	}
	for _, tc := range opens {
		t.Run(tc.command, func(t *testing.T) {
			t.Parallel()
			out, _, err := sshCommand(ls, tc.command, tc.want)
			if err != nil {
				t.Fatalf("%v\nserver log:\n%s", err, ls.logs.since(0))
			}
			if !strings.Contains(out, tc.want) {
				t.Fatalf("screen lacks %q", tc.want)
			}
		})
	}
	refused := []struct{ command, want string }{
		{"id; cat /etc/passwd", `unknown screen "id;"`},
		{"sh -c 'touch /tmp/x'", `unknown screen "sh"`},
		{"rule core.x", `unknown screen "rule"`},
		{"event 5; id", "event: want exactly one id"},
		{"event 5;id", `event: "5;id" is not a positive id`},
		{"event 5 6", "event: want exactly one id"},
		{"events nope:1", `events: unknown key "nope"`},
		{"'event 5", `unknown screen "event 5"`},
		{"''", "the command cannot be read"},
		{"event $(id)", `event: "$(id)" is not a positive id`},
	}
	for _, tc := range refused {
		t.Run("refused "+tc.command, func(t *testing.T) {
			t.Parallel()
			out, stderr, err := sshCommand(ls, tc.command, "")
			var exit *gossh.ExitError
			if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
				t.Fatalf("want exit status 1, got %v (out %q)", err, out)
			}
			if !strings.Contains(stderr, "attune-tui: "+tc.want) || !strings.Contains(stderr, "nothing is executed") {
				t.Errorf("stderr = %q, want %q", stderr, tc.want)
			}
			if strings.Contains(out, "Events") {
				t.Errorf("the TUI ran: %q", out)
			}
		})
	}
}

// sshCommand runs command in a PTY session. With want set it waits until
// the screen shows want and closes the session; otherwise it waits for the
// session to end. It returns the screen text, stderr and the session's end.
func sshCommand(ls *loadServer, command, want string) (string, string, error) {
	raw, err := net.DialTimeout("tcp", ls.addr, loadWait)
	if err != nil {
		return "", "", fmt.Errorf("dial: %w", err)
	}
	conn, chans, reqs, err := gossh.NewClientConn(raw, ls.addr, &gossh.ClientConfig{
		User:            "cmd",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(ls.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // test server with a fresh key
		Timeout:         loadWait,
	})
	if err != nil {
		_ = raw.Close()
		return "", "", fmt.Errorf("ssh handshake: %w", err)
	}
	c := gossh.NewClient(conn, chans, reqs)
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		return "", "", fmt.Errorf("session: %w", err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		return "", "", fmt.Errorf("pty: %w", err)
	}
	out, errOut := newSignalBuffer(), newSignalBuffer()
	sess.Stdout, sess.Stderr = out, errOut
	stdin, err := sess.StdinPipe()
	if err != nil {
		return "", "", fmt.Errorf("stdin: %w", err)
	}
	if err := sess.Start(command); err != nil {
		return "", "", fmt.Errorf("start: %w", err)
	}
	ended := make(chan error, 1)
	go func() { ended <- sess.Wait() }()
	deadline := time.NewTimer(loadWait)
	defer deadline.Stop()
	answered := false
	for {
		rawOut := out.since(0)
		if !answered && strings.Contains(rawOut, daQuery) {
			_, _ = io.WriteString(stdin, terminalAnswer)
			answered = true
		}
		text := ansi.Strip(rawOut)
		if want != "" && strings.Contains(text, want) {
			return text, errOut.since(0), nil
		}
		select {
		case err := <-ended:
			return ansi.Strip(out.since(0)), errOut.since(0), err
		case <-out.signal:
		case <-deadline.C:
			return text, errOut.since(0), fmt.Errorf("no %q within %v: %q", want, loadWait, lastBytes(text, 400))
		}
	}
}
