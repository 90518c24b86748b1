// Package testutil holds helpers shared by the tests of several packages.
package testutil

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/devserver"
)

// DefaultDevEvents is the seed size StartDevServer uses when
// DevOptions.Events is zero: small enough to seed in well under a second.
const DefaultDevEvents = 300

// DevOptions configures StartDevServer. The zero value is a small,
// deterministic seed (seed 1) with demo/demo credentials and no faults.
type DevOptions struct {
	// Seed and Events decide the data (Events defaults to DefaultDevEvents).
	Seed   uint64
	Events int
	// Adversarial mixes hostile strings into payload text fields.
	Adversarial bool
	// FirstID is the first event, enforcement and execution id (0 = 1).
	FirstID int64
	// Login and Password default to demo/demo.
	Login, Password string
	// AccessTTL and RefreshTTL override the token lifetimes.
	AccessTTL, RefreshTTL time.Duration
	// Now overrides the server clock (tokens and live traffic).
	Now func() time.Time
	// Faults are injected from the start (change them with
	// DevServer.Server.SetFaults).
	Faults devserver.Faults
	// LiveRate starts live traffic at this many events per second for the
	// test's lifetime (0 = off). Prefer calling Server.LiveStep directly.
	LiveRate float64
	// OnLiveStep is called after each live step.
	OnLiveStep func()
	// NotifierExpiryCheck and SSEKeepAlive override the notifier's token
	// expiry check interval and the execution stream's keep-alive interval
	// (see devserver.Options).
	NotifierExpiryCheck, SSEKeepAlive time.Duration
}

// DevServer is a running dev server for a test.
type DevServer struct {
	// URL is the httptest server's base URL (http://127.0.0.1:port).
	URL string
	// Login and Password are the credentials that work against it.
	Login, Password string
	// NotifierURL is the notifier WebSocket on its own httptest server
	// (ws://127.0.0.1:port/ws).
	NotifierURL string
	// Server gives access to request counts, faults and live steps.
	Server *devserver.Server
}

// StartDevServer seeds a dev server in tb's temporary directory and serves
// it with httptest on 127.0.0.1. Everything is stopped by tb.Cleanup.
func StartDevServer(tb testing.TB, opts DevOptions) *DevServer {
	tb.Helper()
	events := opts.Events
	if events == 0 {
		events = DefaultDevEvents
	}
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	srv, err := devserver.New(context.Background(), devserver.Options{
		DBPath:     tb.TempDir() + "/dev.db",
		Seed:       devserver.SeedOptions{Seed: seed, Events: events, Adversarial: opts.Adversarial, FirstID: opts.FirstID},
		Login:      opts.Login,
		Password:   opts.Password,
		AccessTTL:  opts.AccessTTL,
		RefreshTTL: opts.RefreshTTL,
		Now:        opts.Now,
		Faults:     opts.Faults,
		OnLiveStep: opts.OnLiveStep,

		NotifierExpiryCheck: opts.NotifierExpiryCheck,
		SSEKeepAlive:        opts.SSEKeepAlive,
	})
	if err != nil {
		tb.Fatalf("testutil: start dev server: %v", err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = srv.Close()
		tb.Fatalf("testutil: listen: %v", err)
	}
	_ = ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	nts := httptest.NewServer(srv.NotifierHandler())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.RunLive(ctx, opts.LiveRate); err != nil {
			tb.Errorf("testutil: live traffic: %v", err)
		}
	}()
	tb.Cleanup(func() {
		cancel()
		<-done
		nts.Close()
		ts.Close()
		if err := srv.Close(); err != nil {
			tb.Errorf("testutil: close dev server: %v", err)
		}
	})
	return &DevServer{URL: ts.URL, NotifierURL: "ws" + strings.TrimPrefix(nts.URL, "http") + "/ws",
		Login: srv.Login(), Password: srv.Password(), Server: srv}
}
