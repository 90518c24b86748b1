package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/attune-tui/attune-tui/internal/devserver"
)

// runDevserver runs `attune-tui devserver` with args (for tests).
func runDevserver(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := &cli{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr}
	cmd := c.devserverCmd()
	c.finish(cmd)
	cmd.SetArgs(args)
	return cmd.ExecuteContext(ctx)
}

// devserverCmd is `attune-tui devserver`: an Attune-compatible API server
// on SQLite with seed data and optional live traffic, until ctx is done.
func (c *cli) devserverCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "devserver [flags]",
		Short: "Run the Attune-compatible development API server alone",
		Long: `Runs a development Attune API server with generated data, on loopback.
Not for production: it says so in its banner.`,
		Args: usageArgs(cobra.NoArgs),
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	var f devserverFlags
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&f.notifierListen, "notifier-listen", "127.0.0.1:0", "address of the notifier WebSocket service (GET /ws, /health, /stats; port 0: a free port, printed)")
	fs.StringVar(&f.dbPath, "db", "", "SQLite database file (empty: a temporary file removed on exit)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed for the generated data")
	fs.IntVar(&f.events, "events", devserver.DefaultSeedEvents, "number of seeded events")
	fs.Int64Var(&f.firstID, "first-id", 1, "id of the first seeded event, enforcement and execution (e.g. 4000000000 for production-sized ids)")
	fs.Float64Var(&f.liveRate, "live-rate", 0, "live events per second (0: off)")
	fs.StringVar(&f.login, "login", "demo", "demo login")
	fs.StringVar(&f.password, "password", "demo", "demo password")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fs.BoolVar(&f.adversarial, "adversarial", false, "mix hostile strings (escape sequences, bidi) into seeded payloads")
	fs.BoolVar(&f.logCompat, "log-stream-compat", false, "serve execution log streams like upstream's older RT-EX generation (waiting events every 250 ms, done \"Execution complete\", Last-Event-ID ignored, no admission limit)")
	fs.IntVar(&f.hugeMB, "huge-event-mb", 0, "add one newest event whose payload is about N MiB of JSON with hostile strings (0: none, at most 1024)")
	fs.BoolVar(&f.fixedTime, "fixed-time", false, "seed data counts back from a fixed instant (2026-06-11T14:00:00Z) instead of now, so output is identical across runs")
	// Hidden fault-injection flags (not listed in --help).
	fs.DurationVar(&f.faults.Latency, "fault-latency", 0, "")
	fs.Float64Var(&f.faults.ErrorRate, "fault-error-rate", 0, "")
	fs.Float64Var(&f.faults.MalformedRate, "fault-malformed-rate", 0, "")
	fs.Float64Var(&f.faults.TruncateRate, "fault-truncate-rate", 0, "")
	fs.Float64Var(&f.faults.ResetRate, "fault-reset-rate", 0, "")
	fs.StringVar(&f.faults.PathPrefix, "fault-path-prefix", "", "")
	for _, n := range []string{"fault-latency", "fault-error-rate", "fault-malformed-rate", "fault-truncate-rate", "fault-reset-rate", "fault-path-prefix"} {
		_ = fs.MarkHidden(n)
	}
	cmd.RunE = func(cmd *cobra.Command, _ []string) error { return c.runDevserver(cmd.Context(), f) }
	return cmd
}

// devserverFlags are devserver's flags.
type devserverFlags struct {
	listen, notifierListen, dbPath, login, password string
	seed                                            uint64
	events, hugeMB                                  int
	firstID                                         int64
	liveRate                                        float64
	allowRemote, adversarial, logCompat, fixedTime  bool
	faults                                          devserver.Faults
}

// runDevserver checks f, seeds (or opens) the database, prints the banner
// and serves until ctx ends or serving fails.
func (c *cli) runDevserver(ctx context.Context, f devserverFlags) error {
	if err := checkLoopback("listen", f.listen, f.allowRemote); err != nil {
		return err
	}
	if err := checkLoopback("notifier-listen", f.notifierListen, f.allowRemote); err != nil {
		return err
	}
	if f.hugeMB < 0 || f.hugeMB > maxHugeEventMB {
		return usagef("devserver: --huge-event-mb %d: want 0 to %d", f.hugeMB, maxHugeEventMB)
	}
	if f.firstID < 1 {
		return usagef("--first-id %d: want 1 or more", f.firstID)
	}
	start := time.Now()
	seedOpts := devserver.SeedOptions{Seed: f.seed, Events: f.events, Adversarial: f.adversarial, Base: start, FirstID: f.firstID}
	if f.fixedTime {
		seedOpts.Base = time.Time{} // the fixed SeedBase: byte-identical output across runs
	}
	srv, err := devserver.New(ctx, devserver.Options{
		DBPath:   f.dbPath,
		Seed:     seedOpts,
		Login:    f.login,
		Password: f.password,
		Faults:   f.faults,

		LogStreamCompat: f.logCompat,
	})
	if err != nil {
		return err
	}
	var hugeID int64
	if f.hugeMB > 0 {
		if hugeID, err = srv.AddHugeEvent(ctx, f.hugeMB<<20); err != nil {
			return errors.Join(err, srv.Close())
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", f.listen)
	if err != nil {
		return errors.Join(fmt.Errorf("devserver: listen %s: %w", f.listen, err), srv.Close())
	}
	wsURL, err := srv.StartNotifier(ctx, f.notifierListen)
	if err != nil {
		return errors.Join(err, ln.Close(), srv.Close())
	}
	c.devserverBanner(srv, f, start, hugeID, ln.Addr().String(), wsURL)
	return serveDev(ctx, srv, ln, f.liveRate)
}

// devserverBanner prints what the dev server serves, and how to sign in.
func (c *cli) devserverBanner(srv *devserver.Server, f devserverFlags, start time.Time, hugeID int64, addr, wsURL string) {
	stdout := c.stdout
	fmt.Fprintln(stdout, "attune-tui devserver: DEVELOPMENT SERVER with generated data. Do not expose it; do not use it in production.")
	if st, seeded := srv.SeedStats(); seeded {
		fmt.Fprintf(stdout, "seeded %d events, %d enforcements, %d executions in %s\n",
			st.Events, st.Enforcements, st.Executions, st.Duration.Round(time.Millisecond))
	} else {
		fmt.Fprintf(stdout, "serving existing database %s\n", f.dbPath)
	}
	if hugeID != 0 {
		fmt.Fprintf(stdout, "huge event: id %d (%d MiB payload, the newest event)\n", hugeID, f.hugeMB)
	}
	fmt.Fprintf(stdout, "ready in %s\n", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "URL:      http://%s\n", addr)
	fmt.Fprintf(stdout, "notifier: %s\n", wsURL)
	fmt.Fprintf(stdout, "login:    %s\n", srv.Login())
	if f.password == "demo" {
		fmt.Fprintln(stdout, "password: demo")
	} else {
		fmt.Fprintln(stdout, "password: (as given with --password)")
	}
}

// serveDev serves srv's HTTP API on ln and its live traffic at liveRate
// until ctx ends or either fails, then shuts both down and closes srv.
func serveDev(ctx context.Context, srv *devserver.Server, ln net.Listener, liveRate float64) error {
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("devserver: serve: %w", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := srv.RunLive(runCtx, liveRate); err != nil {
			errc <- fmt.Errorf("devserver: live traffic: %w", err)
		}
	}()
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	cancel()
	shutCtx, shutCancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer shutCancel()
	srv.CloseStreams() // open notifier sockets and execution streams would hold Shutdown
	shutErr := hs.Shutdown(shutCtx)
	wg.Wait()
	return errors.Join(runErr, shutErr, srv.Close())
}

// maxHugeEventMB bounds --huge-event-mb: the payload is built in memory.
const maxHugeEventMB = 1024

// checkLoopback refuses a non-loopback listen address unless allowed.
func checkLoopback(flagName, addr string, allow bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("devserver: --%s %q: %w", flagName, addr, err)
	}
	if allow {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("devserver: --%s %q is not a loopback address; pass --allow-remote to expose a development server", flagName, addr)
	}
	return nil
}
