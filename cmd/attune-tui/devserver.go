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
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	notifierListen := fs.String("notifier-listen", "127.0.0.1:0", "address of the notifier WebSocket service (GET /ws, /health, /stats; port 0: a free port, printed)")
	dbPath := fs.String("db", "", "SQLite database file (empty: a temporary file removed on exit)")
	seedVal := fs.Uint64("seed", 1, "seed for the generated data")
	events := fs.Int("events", devserver.DefaultSeedEvents, "number of seeded events")
	firstID := fs.Int64("first-id", 1, "id of the first seeded event, enforcement and execution (e.g. 4000000000 for production-sized ids)")
	liveRate := fs.Float64("live-rate", 0, "live events per second (0: off)")
	login := fs.String("login", "demo", "demo login")
	password := fs.String("password", "demo", "demo password")
	allowRemote := fs.Bool("allow-remote", false, "allow listening on a non-loopback address")
	adversarial := fs.Bool("adversarial", false, "mix hostile strings (escape sequences, bidi) into seeded payloads")
	logCompat := fs.Bool("log-stream-compat", false, "serve execution log streams like upstream's older RT-EX generation (waiting events every 250 ms, done \"Execution complete\", Last-Event-ID ignored, no admission limit)")
	hugeMB := fs.Int("huge-event-mb", 0, "add one newest event whose payload is about N MiB of JSON with hostile strings (0: none, at most 1024)")
	fixedTime := fs.Bool("fixed-time", false, "seed data counts back from a fixed instant (2026-06-11T14:00:00Z) instead of now, so output is identical across runs")
	// Hidden fault-injection flags (not listed in --help).
	var faults devserver.Faults
	fs.DurationVar(&faults.Latency, "fault-latency", 0, "")
	fs.Float64Var(&faults.ErrorRate, "fault-error-rate", 0, "")
	fs.Float64Var(&faults.MalformedRate, "fault-malformed-rate", 0, "")
	fs.Float64Var(&faults.TruncateRate, "fault-truncate-rate", 0, "")
	fs.Float64Var(&faults.ResetRate, "fault-reset-rate", 0, "")
	fs.StringVar(&faults.PathPrefix, "fault-path-prefix", "", "")
	for _, n := range []string{"fault-latency", "fault-error-rate", "fault-malformed-rate", "fault-truncate-rate", "fault-reset-rate", "fault-path-prefix"} {
		_ = fs.MarkHidden(n)
	}
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		ctx, stdout := cmd.Context(), c.stdout
		if err := checkLoopback("listen", *listen, *allowRemote); err != nil {
			return err
		}
		if err := checkLoopback("notifier-listen", *notifierListen, *allowRemote); err != nil {
			return err
		}
		if *hugeMB < 0 || *hugeMB > maxHugeEventMB {
			return usagef("devserver: --huge-event-mb %d: want 0 to %d", *hugeMB, maxHugeEventMB)
		}

		start := time.Now()
		if *firstID < 1 {
			return usagef("--first-id %d: want 1 or more", *firstID)
		}
		seedOpts := devserver.SeedOptions{Seed: *seedVal, Events: *events, Adversarial: *adversarial, Base: start, FirstID: *firstID}
		if *fixedTime {
			seedOpts.Base = time.Time{} // the fixed SeedBase: byte-identical output across runs
		}
		srv, err := devserver.New(ctx, devserver.Options{
			DBPath:   *dbPath,
			Seed:     seedOpts,
			Login:    *login,
			Password: *password,
			Faults:   faults,

			LogStreamCompat: *logCompat,
		})
		if err != nil {
			return err
		}
		var hugeID int64
		if *hugeMB > 0 {
			if hugeID, err = srv.AddHugeEvent(ctx, *hugeMB<<20); err != nil {
				return errors.Join(err, srv.Close())
			}
		}
		var lc net.ListenConfig
		ln, err := lc.Listen(ctx, "tcp", *listen)
		if err != nil {
			return errors.Join(fmt.Errorf("devserver: listen %s: %w", *listen, err), srv.Close())
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
		wsURL, err := srv.StartNotifier(ctx, *notifierListen)
		if err != nil {
			return errors.Join(err, ln.Close(), srv.Close())
		}

		fmt.Fprintln(stdout, "attune-tui devserver: DEVELOPMENT SERVER with generated data. Do not expose it; do not use it in production.")
		if st, seeded := srv.SeedStats(); seeded {
			fmt.Fprintf(stdout, "seeded %d events, %d enforcements, %d executions in %s\n",
				st.Events, st.Enforcements, st.Executions, st.Duration.Round(time.Millisecond))
		} else {
			fmt.Fprintf(stdout, "serving existing database %s\n", *dbPath)
		}
		if hugeID != 0 {
			fmt.Fprintf(stdout, "huge event: id %d (%d MiB payload, the newest event)\n", hugeID, *hugeMB)
		}
		fmt.Fprintf(stdout, "ready in %s\n", time.Since(start).Round(time.Millisecond))
		fmt.Fprintf(stdout, "URL:      http://%s\n", ln.Addr())
		fmt.Fprintf(stdout, "notifier: %s\n", wsURL)
		fmt.Fprintf(stdout, "login:    %s\n", srv.Login())
		if *password == "demo" {
			fmt.Fprintln(stdout, "password: demo")
		} else {
			fmt.Fprintln(stdout, "password: (as given with --password)")
		}

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
			if err := srv.RunLive(runCtx, *liveRate); err != nil {
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
	return cmd
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
