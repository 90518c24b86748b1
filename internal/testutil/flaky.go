package testutil

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/attune-tui/attune-tui/internal/devserver"
)

// FlakyDevServer is a dev server behind a front that a test can switch:
// answer every request with another handler (e.g. a hostile error), stop
// listening (the server is gone: connections are refused and open ones
// closed) and listen again on the same address (the server is back).
type FlakyDevServer struct {
	// URL is the stable base URL (http://127.0.0.1:port).
	URL string
	// Login and Password are the credentials that work against it.
	Login, Password string
	// Server is the dev server behind the front.
	Server *devserver.Server

	addr     string
	mu       sync.Mutex
	override http.Handler
	hs       *http.Server
	done     chan struct{}
}

// StartFlakyDevServer seeds a dev server like StartDevServer and serves it
// through a switchable front on 127.0.0.1. Everything is stopped by
// tb.Cleanup.
func StartFlakyDevServer(tb testing.TB, opts DevOptions) *FlakyDevServer {
	tb.Helper()
	ds := StartDevServer(tb, opts)
	f := &FlakyDevServer{Login: ds.Login, Password: ds.Password, Server: ds.Server}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("testutil: listen: %v", err)
	}
	f.addr = ln.Addr().String()
	f.URL = "http://" + f.addr
	f.serve(tb, ln)
	tb.Cleanup(f.Stop)
	return f
}

// ServeHTTP implements http.Handler: the override if one is set, else the
// dev server.
func (f *FlakyDevServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	h := f.override
	f.mu.Unlock()
	if h == nil {
		h = f.Server
	}
	h.ServeHTTP(w, r)
}

// SetOverride answers every request with h from now on; nil restores the
// dev server.
func (f *FlakyDevServer) SetOverride(h http.Handler) {
	f.mu.Lock()
	f.override = h
	f.mu.Unlock()
}

func (f *FlakyDevServer) serve(tb testing.TB, ln net.Listener) {
	hs := &http.Server{Handler: f}
	done := make(chan struct{})
	f.mu.Lock()
	f.hs, f.done = hs, done
	f.mu.Unlock()
	go func() {
		defer close(done)
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			tb.Errorf("testutil: flaky server: %v", err)
		}
	}()
}

// Stop closes the listener and every open connection and waits until the
// server stopped. It is safe to call when already stopped.
func (f *FlakyDevServer) Stop() {
	f.mu.Lock()
	hs, done := f.hs, f.done
	f.hs, f.done = nil, nil
	f.mu.Unlock()
	if hs == nil {
		return
	}
	_ = hs.Close()
	<-done
}

// Restart listens again on the same address after Stop.
func (f *FlakyDevServer) Restart(tb testing.TB) {
	tb.Helper()
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		tb.Fatalf("testutil: listen again on %s: %v", f.addr, err)
	}
	f.serve(tb, ln)
}
