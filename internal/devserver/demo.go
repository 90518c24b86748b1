package devserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/attune-tui/attune-tui/internal/demoenv"
)

// DemoOptions configures StartDemo. Zero values give a 3000-event seed,
// gentle live traffic (0.5 events/s) and demo/demo credentials.
type DemoOptions struct {
	// Seed and Events decide the seeded data.
	Seed   uint64
	Events int
	// LiveRate is live events per second; 0 means the default 0.5, a
	// negative value turns live traffic off.
	LiveRate float64
	// Login and Password default to demo/demo.
	Login, Password string
	// DBPath is the database file ("" = a temporary file removed on Close).
	DBPath string
	// HugeEvent, when positive, adds one newest event whose payload is
	// about that many bytes (see Server.AddHugeEvent).
	HugeEvent int
	// LogStreamCompat serves log streams as upstream's RT-EX generation
	// (see Options.LogStreamCompat).
	LogStreamCompat bool
	// NotifierListen is the notifier's address ("" = a free loopback port).
	NotifierListen string
}

// Demo is a dev server running in-process on a loopback port.
type Demo struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL string
	// NotifierURL is the notifier WebSocket on its own loopback port, e.g.
	// ws://127.0.0.1:41235/ws.
	NotifierURL string
	// Login and Password are the demo credentials.
	Login, Password string
	// Server is the running server (fault injection, request counts).
	Server *Server

	http   *http.Server
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

// StartDemo seeds a server, serves it on 127.0.0.1 on a free port and starts
// live traffic. The server stops when Shutdown or Close is called (ctx only
// bounds the start-up and is the parent of the live-traffic context).
func StartDemo(ctx context.Context, opts DemoOptions) (*Demo, error) {
	rate := opts.LiveRate
	if rate == 0 {
		rate = 0.5
	}
	base, clock, err := demoClock()
	if err != nil {
		return nil, fmt.Errorf("devserver: demo: %w", err)
	}
	srv, err := New(ctx, Options{
		DBPath: opts.DBPath, Seed: SeedOptions{Seed: opts.Seed, Events: opts.Events, Base: base},
		Login: opts.Login, Password: opts.Password, LogStreamCompat: opts.LogStreamCompat, Now: clock,
	})
	if err != nil {
		return nil, err
	}
	if opts.HugeEvent > 0 {
		if _, err := srv.AddHugeEvent(ctx, opts.HugeEvent); err != nil {
			return nil, errors.Join(err, srv.Close())
		}
	}
	notifierAddr := opts.NotifierListen
	if notifierAddr == "" {
		notifierAddr = "127.0.0.1:0"
	}
	wsURL, err := srv.StartNotifier(ctx, notifierAddr)
	if err != nil {
		return nil, errors.Join(err, srv.Close())
	}
	apiAddr, err := demoenv.Listen()
	if err != nil {
		return nil, errors.Join(fmt.Errorf("devserver: demo: %w", err), srv.Close())
	}
	if apiAddr == "" {
		apiAddr = "127.0.0.1:0"
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", apiAddr)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("devserver: listen: %w", err), srv.Close())
	}
	d := &Demo{
		URL:         "http://" + ln.Addr().String(),
		NotifierURL: wsURL,
		Login:       srv.Login(), Password: srv.Password(), Server: srv,
		http: &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second},
	}
	liveCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	d.cancel = cancel
	d.wg.Add(2)
	go func() {
		defer d.wg.Done()
		_ = d.http.Serve(ln) // returns http.ErrServerClosed on Shutdown
	}()
	go func() {
		defer d.wg.Done()
		_ = srv.RunLive(liveCtx, rate)
	}()
	return d, nil
}

// demoClock returns the instant the demo's seed counts back from and the
// server's clock: now and the real clock, or, with ATTUNE_DEMO_NOW set (see
// internal/demoenv), that instant and a clock that starts there and runs.
func demoClock() (time.Time, func() time.Time, error) {
	fixed, ok, err := demoenv.Now()
	if err != nil || !ok {
		return time.Now(), nil, err
	}
	start := time.Now()
	return fixed, func() time.Time { return fixed.Add(time.Since(start)) }, nil
}

// Shutdown stops live traffic, gracefully stops the HTTP server (bounded by
// ctx) and closes the database. Later calls return the first result.
func (d *Demo) Shutdown(ctx context.Context) error {
	d.once.Do(func() {
		d.cancel()
		d.Server.CloseStreams() // notifier sockets and execution streams would hold Shutdown
		herr := d.http.Shutdown(ctx)
		if herr != nil {
			herr = errors.Join(fmt.Errorf("devserver: shutdown: %w", herr), d.http.Close())
		}
		d.wg.Wait()
		d.err = errors.Join(herr, d.Server.Close())
	})
	return d.err
}

// Close is Shutdown with a 5 s grace period.
func (d *Demo) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return d.Shutdown(ctx)
}
