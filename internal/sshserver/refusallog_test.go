package sshserver

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestRateLimitFloodLogsSummaries floods the server from one loopback
// address (127.0.9.9) with connect-and-reset for a bounded time and count:
// the log must stay at a few lines per address and interval, with counts,
// and a real user (from 127.0.0.1) must still get in.
func TestRateLimitFloodLogsSummaries(t *testing.T) {
	t.Parallel()
	const interval = 250 * time.Millisecond
	ts := startServer(t, serverOptions{configure: func(c *Config) {
		c.Rate = Rate{PerSecond: 1, Burst: 1}
		c.RefusalLogInterval = interval
	}})
	const (
		maxConns   = 10000
		maxTime    = 2 * time.Second
		goroutines = 4
	)
	var attempted atomic.Int64
	start := time.Now()
	deadline := start.Add(maxTime)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 9, 9)}, Timeout: time.Second}
			for time.Now().Before(deadline) && attempted.Add(1) <= maxConns {
				c, err := d.Dial("tcp", ts.addr)
				if err != nil {
					continue
				}
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // reset, not FIN
				}
				_ = c.Close()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	n := min(attempted.Load(), maxConns)

	// A real user still gets in.
	c := ts.mustDial(t)
	tm := openTerm(t, c, "xterm", 80, 24, nil)
	tm.waitOutput(t, "hello alice")

	if !ts.logs.waitFor("connections refused in the last", waitTimeout) {
		t.Fatalf("no summary line after %d connections:\n%s", n, ts.logs.String())
	}
	var flood []string
	for _, l := range strings.Split(ts.logs.String(), "\n") {
		if strings.Contains(l, "127.0.9.9") {
			flood = append(flood, l)
		}
	}
	// One immediate line, then at most one summary per interval (plus one
	// for the interval that was running when the flood ended).
	limit := 2 + int((elapsed+waitTimeout/10)/interval)
	t.Logf("%d connections from 127.0.9.9 in %v: %d log lines (limit %d, interval %v):\n%s", n, elapsed.Round(time.Millisecond), len(flood), limit, interval, strings.Join(flood, "\n"))
	if len(flood) > limit || len(flood) < 2 {
		t.Errorf("%d log lines for %d refused connections in %v, want 2..%d:\n%s", len(flood), n, elapsed, limit, strings.Join(flood, "\n"))
	}
	if !strings.Contains(ts.logs.String(), "127.0.9.9: ") {
		t.Errorf("summary does not start with the address:\n%s", strings.Join(flood, "\n"))
	}
}

// TestRefusalLogBoundedUnderChurn feeds the log limiter refusals from far
// more addresses than its table holds: memory stays capped and the overflow
// is summarised in one line.
func TestRefusalLogBoundedUnderChurn(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	rl := newRefusalLog(newTestLogger(&buf), 10*time.Second, 64)
	for i := range 10000 {
		rl.note(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), "connections refused", func() {})
	}
	if got := rl.size(); got > 64 {
		t.Errorf("table holds %d entries, want at most 64", got)
	}
	rl.flush()
	out := buf.String()
	if want := "9,936 connections refused from other addresses in the last 10 s (not itemised: more than 64 addresses)"; !strings.Contains(out, want) {
		t.Errorf("log lacks %q:\n%s", want, out)
	}
	if lines := strings.Count(out, "\n"); lines != 1 {
		t.Errorf("%d lines, want 1 (the first 64 addresses were logged at once):\n%s", lines, out)
	}
}

// TestForwardingAndAgentRefusalsLogged: refused forwarding (local, remote)
// and agent requests are logged like refused exec/sftp/scp.
func TestForwardingAndAgentRefusalsLogged(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	c := ts.mustDial(t)
	if conn, err := c.Dial("tcp", "127.0.0.1:9"); err == nil {
		_ = conn.Close()
		t.Error("local forwarding accepted")
	}
	if ln, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		_ = ln.Close()
		t.Error("remote forwarding accepted")
	}
	if ch, _, err := c.OpenChannel("auth-agent@openssh.com", nil); err == nil {
		_ = ch.Close()
		t.Error("agent channel accepted")
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	_, _ = sess.SendRequest("auth-agent-req@openssh.com", true, nil)
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`msg="forwarding refused" type=direct-tcpip`,
		`msg="forwarding refused" type=tcpip-forward`,
		`msg="channel refused" type=auth-agent@openssh.com`,
		`msg="agent forwarding refused"`,
	} {
		if !ts.logs.waitFor(want, waitTimeout) {
			t.Errorf("log lacks %q:\n%s", want, ts.logs.String())
		}
	}
}

// newTestLogger returns a text logger writing to w.
func newTestLogger(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}
