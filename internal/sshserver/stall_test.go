package sshserver

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// floodModel repaints a large, always different screen as fast as the
// renderer allows.
type floodModel struct{ n int }

type floodTick struct{}

func floodCmd() tea.Cmd {
	return tea.Tick(2*time.Millisecond, func(time.Time) tea.Msg { return floodTick{} })
}

func (m floodModel) Init() tea.Cmd { return floodCmd() }

func (m floodModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(floodTick); ok {
		m.n++
		return m, floodCmd()
	}
	return m, nil
}

func (m floodModel) View() string {
	var b strings.Builder
	for i := range 60 {
		fmt.Fprintf(&b, "%06d %03d %s\n", m.n, i, strings.Repeat(string(rune('a'+(m.n+i)%26)), 180))
	}
	return b.String()
}

// blockingWriter never returns until released, like a client that stopped
// reading its terminal.
type blockingWriter struct{ release chan struct{} }

func (w blockingWriter) Write(p []byte) (int, error) {
	<-w.release
	return len(p), nil
}

// TestStalledClientIsDisconnected: a client that stops reading fills the
// SSH window, the program's writes block, and the server ends the session
// after OutputStall instead of leaving it frozen.
func TestStalledClientIsDisconnected(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{
		factory:   func(SessionInfo, chan<- [2]int) (tea.Model, error) { return floodModel{}, nil },
		configure: func(c *Config) { c.OutputStall = 300 * time.Millisecond },
	})
	c := ts.mustDial(t)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	sess.Stdout = blockingWriter{release: release}
	stdin, stdinW := io.Pipe() // input stays open: this client is present, just not reading
	t.Cleanup(func() { _ = stdinW.Close() })
	sess.Stdin = stdin
	if err := sess.RequestPty("xterm-256color", 60, 200, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	if !ts.logs.waitFor("reason=\"client stopped reading output\"", 30*time.Second) {
		t.Fatalf("stalled session never ended; logs:\n%s", ts.logs.String())
	}
}
