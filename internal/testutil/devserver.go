// Package testutil holds helpers shared by the tests of several packages.
package testutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil/onceper"
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

// StartDevServer starts a dev server on its own copy of a seeded database
// in tb's temporary directory and serves it with httptest on 127.0.0.1.
// Everything is stopped by tb.Cleanup.
//
// Seeding is what costs (SQLite in pure Go, many times slower under
// -race), so each distinct seed (Seed, Events, Adversarial, FirstID) is
// generated once per test binary and every server gets a fresh copy of
// that database file: tests stay isolated (their own server, request
// counters, faults and live traffic) without seeding again.
func StartDevServer(tb testing.TB, opts DevOptions) *DevServer {
	tb.Helper()
	ds, stop, err := startDev(opts, tb.TempDir(), func(err error) { tb.Errorf("testutil: %v", err) })
	if err != nil {
		tb.Fatalf("testutil: %v", err)
	}
	tb.Cleanup(func() {
		if err := stop(); err != nil {
			tb.Errorf("testutil: %v", err)
		}
	})
	return ds
}

// seedOptions returns the seed of opts, defaults applied.
func seedOptions(opts DevOptions) devserver.SeedOptions {
	events := opts.Events
	if events == 0 {
		events = DefaultDevEvents
	}
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	return devserver.SeedOptions{Seed: seed, Events: events, Adversarial: opts.Adversarial, FirstID: opts.FirstID}
}

// startDev starts a dev server for opts on a copy of its seeded database
// in dir; liveErr receives an error of the live traffic. stop stops it.
func startDev(opts DevOptions, dir string, liveErr func(error)) (ds *DevServer, stop func() error, err error) {
	so := seedOptions(opts)
	dbPath := filepath.Join(dir, "dev.db")
	if err := copySeeded(dbPath, so); err != nil {
		return nil, nil, err
	}
	srv, err := devserver.New(context.Background(), devserver.Options{
		DBPath:     dbPath,
		Seed:       so,
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
		return nil, nil, fmt.Errorf("start dev server: %w", err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("listen: %w", err), srv.Close())
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
			liveErr(fmt.Errorf("live traffic: %w", err))
		}
	}()
	stop = func() error {
		cancel()
		<-done
		nts.Close()
		ts.Close()
		if err := srv.Close(); err != nil {
			return fmt.Errorf("close dev server: %w", err)
		}
		return nil
	}
	return &DevServer{URL: ts.URL, NotifierURL: "ws" + strings.TrimPrefix(nts.URL, "http") + "/ws",
		Login: srv.Login(), Password: srv.Password(), Server: srv}, stop, nil
}

// seeded holds the seeded databases of this test binary by seed, each a
// map of file name (dev.db, and dev.db-wal if SQLite left one) to its
// bytes. It is test-only shared state: immutable bytes once generated,
// each test writes its own copy.
var seeded onceper.Map[devserver.SeedOptions, map[string][]byte]

// copySeeded writes the database seeded with so to path, generating it
// first if this test binary has not yet.
func copySeeded(path string, so devserver.SeedOptions) error {
	files, err := seeded.Get(so, func() (map[string][]byte, error) { return seedFiles(so) })
	if err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(filepath.Dir(path), strings.Replace(name, "dev.db", filepath.Base(path), 1)), b, 0o600); err != nil {
			return fmt.Errorf("copy seeded database: %w", err)
		}
	}
	return nil
}

// seedFiles seeds a database with so in a temporary directory (indexes
// built, as devserver.New leaves it), closes it and returns its files.
func seedFiles(so devserver.SeedOptions) (files map[string][]byte, err error) {
	dir, err := os.MkdirTemp("", "attune-testutil-seed-*")
	if err != nil {
		return nil, fmt.Errorf("seed: temp dir: %w", err)
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	srv, err := devserver.New(context.Background(), devserver.Options{DBPath: filepath.Join(dir, "dev.db"), Seed: so})
	if err != nil {
		return nil, fmt.Errorf("seed %+v: %w", so, err)
	}
	if err := srv.Close(); err != nil {
		return nil, fmt.Errorf("seed %+v: %w", so, err)
	}
	files = map[string][]byte{}
	for _, name := range []string{"dev.db", "dev.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) && name != "dev.db" {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("seed: read %s: %w", name, err)
		}
		files[name] = b
	}
	return files, nil
}
