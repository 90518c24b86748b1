package devserver

import (
	"bufio"
	"net"
	"net/http"
	"sync"
)

// stallGate holds notifier writes while Faults.NotifierStall is set: nothing
// leaves a stalled socket, not even a Pong, while its TCP connection stays
// open.
type stallGate struct {
	mu      sync.Mutex
	stalled bool
	release chan struct{} // closed when the stall ends
}

func (g *stallGate) set(stalled bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case stalled && !g.stalled:
		g.release = make(chan struct{})
	case !stalled && g.stalled:
		close(g.release)
	}
	g.stalled = stalled
}

// wait returns at once when not stalled, else when the stall ends (nil) or
// closed is closed (net.ErrClosed).
func (g *stallGate) wait(closed <-chan struct{}) error {
	g.mu.Lock()
	if !g.stalled {
		g.mu.Unlock()
		return nil
	}
	release := g.release
	g.mu.Unlock()
	select {
	case <-release:
		return nil
	case <-closed:
		return net.ErrClosed
	}
}

// gateWriter hands the WebSocket library a hijacked connection whose writes
// pass the stall gate.
type gateWriter struct {
	http.ResponseWriter
	gate *stallGate
}

// Hijack implements http.Hijacker.
func (g gateWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(g.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if err := brw.Flush(); err != nil { // the 101 response
		_ = conn.Close()
		return nil, nil, err
	}
	gc := &gatedConn{Conn: conn, gate: g.gate, closed: make(chan struct{})}
	return gc, bufio.NewReadWriter(brw.Reader, bufio.NewWriter(gc)), nil
}

// gatedConn is a net.Conn whose Write waits at the stall gate.
type gatedConn struct {
	net.Conn
	gate   *stallGate
	once   sync.Once
	closed chan struct{}
}

// Write implements net.Conn.
func (c *gatedConn) Write(p []byte) (int, error) {
	if err := c.gate.wait(c.closed); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// Close implements net.Conn; it also releases a Write held by a stall.
func (c *gatedConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
