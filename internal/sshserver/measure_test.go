package sshserver

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// countingConn counts the bytes read from a connection.
type countingConn struct {
	net.Conn
	read atomic.Int64
}

// Read implements net.Conn.
func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// fullScreenModel fills an 80×24 screen and shows a counter that "+" bumps.
type fullScreenModel struct{ testModel }

// Update implements tea.Model.
func (m fullScreenModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	tm, cmd := m.testModel.Update(msg)
	m.testModel = tm.(testModel)
	return m, cmd
}

// View implements tea.Model.
func (m fullScreenModel) View() string {
	var b strings.Builder
	for i := range 23 {
		fmt.Fprintf(&b, "row %02d %s\n", i, strings.Repeat("x", 70))
	}
	fmt.Fprintf(&b, "count=%d", m.count)
	return b.String()
}

// TestMeasure prints the numbers quoted in README.md. It runs only with
// ATTUNE_SSH_MEASURE=1 because it opens many sessions.
func TestMeasure(t *testing.T) {
	if os.Getenv("ATTUNE_SSH_MEASURE") == "" {
		t.Skip("set ATTUNE_SSH_MEASURE=1 to measure")
	}
	ts := startServer(t, serverOptions{
		configure: func(c *Config) { c.MaxSessions = 1000 },
		factory: func(info SessionInfo, sizes chan<- [2]int) (tea.Model, error) {
			return fullScreenModel{testModel{info: info, w: info.Width, h: info.Height}}, nil
		},
	})

	// Bytes for one screen update: one changed line in a full 80×24 screen.
	raw, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	cc := &countingConn{Conn: raw}
	conn, chans, reqs, err := gossh.NewClientConn(cc, ts.addr, &gossh.ClientConfig{
		User: "alice", Auth: []gossh.AuthMethod{gossh.PublicKeys(ts.keyA)}, HostKeyCallback: gossh.FixedHostKey(ts.hostKey),
	})
	if err != nil {
		t.Fatal(err)
	}
	client := gossh.NewClient(conn, chans, reqs)
	defer client.Close()
	tm := openTerm(t, client, "xterm", 80, 24, nil)
	tm.waitOutput(t, "count=0")
	t.Logf("first full 80x24 frame: %d terminal bytes, %d wire bytes including handshake", tm.out.Len(), cc.read.Load())
	for i := 1; i <= 20; i++ {
		before, wire := tm.out.Len(), cc.read.Load()
		if _, err := tm.stdin.Write([]byte("+")); err != nil {
			t.Fatal(err)
		}
		tm.waitOutput(t, fmt.Sprintf("count=%d", i))
		if i == 20 {
			t.Logf("one-line update on a full 80x24 screen: %d terminal bytes, %d wire bytes (ssh framing+MAC included)",
				tm.out.Len()-before, cc.read.Load()-wire)
		}
	}

	// Memory per idle session (server and the in-process client together).
	const n = 50
	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	g0 := runtime.NumGoroutine()
	for range n {
		tm := openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil)
		tm.waitOutput(t, "count=0")
	}
	for ts.ActiveSessions() < n+1 {
		<-time.After(10 * time.Millisecond) // waiting for slots to register
	}
	runtime.GC()
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)
	t.Logf("%d idle sessions: %.0f KiB heap in use per session (server + client, after GC), %.1f goroutines per session (both sides)",
		n, float64(int64(m1.HeapInuse)-int64(m0.HeapInuse))/n/1024, float64(runtime.NumGoroutine()-g0)/n)
}
