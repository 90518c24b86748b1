package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/attune-tui/attune-tui/internal/config"
	"github.com/attune-tui/attune-tui/internal/sshserver"
	"github.com/attune-tui/attune-tui/ui"
)

// demoStarter starts the in-process dev server for `serve --demo` and
// returns its base URL, a read-only token for it, and a function that stops
// it. main wires it with runServeWith once internal/devserver is available.
type demoStarter func(ctx context.Context) (apiURL, token string, stop func(), err error)

// runServe runs `attune-tui serve` with args (for tests). newModel builds
// the root model of each session. Without a demo starter, --demo is refused.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, newModel sshserver.ModelFactory) error {
	return runServeWith(ctx, args, stdout, stderr, newModel, nil)
}

// runServeWith is runServe with a starter for the --demo dev server (nil
// when none is available).
func runServeWith(ctx context.Context, args []string, stdout, stderr io.Writer, newModel sshserver.ModelFactory, startDemo demoStarter) error {
	c := &cli{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, serveFactory: newModel, serveDemo: startDemo}
	cmd := c.serveCmd()
	c.finish(cmd)
	cmd.SetArgs(args)
	return cmd.ExecuteContext(ctx)
}

// serveCmd is `attune-tui serve`: the TUI over SSH.
func (c *cli) serveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve --authorized-keys FILE (--api-url URL | --demo) [flags]",
		Short: "Serve the TUI over SSH",
		Long: `Serves the attune-tui interface over SSH. Clients log in with a public key
listed in the authorized keys file and get the TUI; nothing else.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("serve: unexpected arguments %q", args)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	var f serveFlags
	fs.StringVar(&f.listen, "listen", sshserver.DefaultListenAddr, "`address` to listen on (keep it on loopback unless the host is meant to be reachable)")
	fs.StringVar(&f.hostKey, "host-key", defaultHostKeyPath(), "ed25519 host key `file`; created with mode 0600 if missing, reused after restarts (back it up)")
	fs.StringVar(&f.authorizedKeys, "authorized-keys", "", "OpenSSH authorized_keys `file` of the keys allowed to connect (required; re-read when it changes)")
	fs.StringVar(&f.apiURL, "api-url", "", "Attune API base `URL`")
	fs.StringVar(&f.notifierURL, "notifier-url", "", "Attune notifier WebSocket `URL` for every session's live updates (env "+config.EnvNotifierURL+"); without it each session tries ws(s)://<api host>/ws, then the execution stream with polling")
	fs.StringVar(&f.tokenFile, "token-file", "", "`file` holding a shared read-only API token for every session (mode 0600); without it each user signs in inside the TUI")
	fs.BoolVar(&f.demo, "demo", false, "serve against an in-process demo API server instead of --api-url")
	fs.DurationVar(&f.idle, "idle-timeout", sshserver.DefaultIdleTimeout, "end a session after this long without input")
	fs.DurationVar(&f.maxSession, "max-session", sshserver.DefaultMaxSessionDuration, "maximum length of a session")
	fs.IntVar(&f.maxSessions, "max-sessions", sshserver.DefaultMaxSessions, "maximum number of concurrent sessions")
	fs.StringVar(&f.rate, "rate", sshserver.DefaultRate().String(), "new connections allowed per client address, as `PER_SECOND[:BURST]`; 0 disables")
	fs.DurationVar(&f.loginGrace, "login-grace", sshserver.DefaultLoginGrace, "time a client has to authenticate and open its session")
	fs.BoolVar(&f.forceASCII, "force-ascii", false, "render without colours whatever the client's terminal supports (for tests)")
	fs.BoolVar(&f.verbose, "verbose", false, "also log rejected keys and other debug events")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error { return c.runServe(cmd.Context(), f) }
	return cmd
}

// serveFlags are serve's flags.
type serveFlags struct {
	listen, hostKey, authorizedKeys, apiURL, notifierURL, tokenFile, rate string
	demo, forceASCII, verbose                                             bool
	idle, maxSession, loginGrace                                          time.Duration
	maxSessions                                                           int
}

// runServe checks f, starts the demo API when asked and serves SSH until
// ctx ends or SIGINT/SIGTERM.
func (c *cli) runServe(ctx context.Context, f serveFlags) error {
	stdout, stderr, newModel := c.stdout, c.stderr, c.serveFactory
	if newModel == nil {
		return errors.New("serve: no model factory")
	}
	if f.authorizedKeys == "" {
		return usagef("serve: --authorized-keys is required: the server only accepts public keys listed there")
	}
	rate, err := sshserver.ParseRate(f.rate)
	if err != nil {
		return &usageError{err: fmt.Errorf("serve: --rate: %w", err)}
	}
	switch {
	case f.idle <= 0, f.maxSession <= 0, f.loginGrace <= 0:
		return usagef("serve: --idle-timeout, --max-session and --login-grace must be positive")
	case f.maxSessions <= 0:
		return usagef("serve: --max-sessions must be positive")
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	level := slog.LevelInfo
	if f.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	var token sshserver.Secret
	if f.tokenFile != "" {
		t, warns, err := config.ReadTokenFile(f.tokenFile)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		for _, w := range warns {
			logger.Warn(w.String())
		}
		token = t
	}
	base, token, stopDemo, err := c.serveAPI(ctx, f, token, logger)
	if err != nil {
		return err
	}
	defer stopDemo()

	srv, err := sshserver.New(sshserver.Config{
		HostKeyPath:        f.hostKey,
		AuthorizedKeysPath: f.authorizedKeys,
		NewModel:           newModel,
		APIURL:             base,
		NotifierURL:        cmp.Or(f.notifierURL, os.Getenv(config.EnvNotifierURL)),
		Token:              token,
		IdleTimeout:        f.idle,
		MaxSessionDuration: f.maxSession,
		MaxSessions:        f.maxSessions,
		Rate:               rate,
		LoginGrace:         f.loginGrace,
		ForceASCII:         f.forceASCII,
		Logger:             logger,
		// "ssh -t host event 4812" opens that screen; nothing else.
		CheckCommand: func(words []string) error { _, err := ui.ParseDeepLink(words); return err },
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", f.listen)
	if err != nil {
		return fmt.Errorf("serve: listen: %w", err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		logger.Warn("listening on a non-loopback address: reachable from the network", "addr", ln.Addr().String())
	}
	fmt.Fprintf(stdout, "attune-tui: serving SSH on %s (host key %s)\n", ln.Addr(), srv.HostKeyFingerprint())
	logger.Info("serving", "addr", ln.Addr().String(), "api", base, "shared_token", token != "",
		"max_sessions", f.maxSessions, "idle_timeout", f.idle.String(), "rate", rate.String())
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(stdout, "attune-tui: server stopped")
	return nil
}

// serveAPI returns the API the sessions use: --api-url, or the demo API
// server it starts (whose token is shared when there is no other). stop
// ends the demo server; it does nothing otherwise.
func (c *cli) serveAPI(ctx context.Context, f serveFlags, token sshserver.Secret, logger *slog.Logger) (base string, _ sshserver.Secret, stop func(), err error) {
	base, stop = f.apiURL, func() {}
	switch {
	case f.demo && base != "":
		return "", "", stop, usagef("serve: --demo and --api-url exclude each other")
	case f.demo:
		if c.serveDemo == nil {
			return "", "", stop, errors.New("serve: --demo is not available in this build")
		}
		u, demoToken, stopDemo, err := c.serveDemo(ctx)
		if err != nil {
			return "", "", stop, fmt.Errorf("serve: start demo server: %w", err)
		}
		base, stop = u, stopDemo
		if token == "" {
			token = sshserver.Secret(demoToken)
		}
		logger.Info("demo API server running", "url", base)
	case base == "":
		return "", "", stop, usagef("serve: --api-url is required (or --demo)")
	}
	if err := checkAPIURL(base, token != "", logger); err != nil {
		stop()
		return "", "", func() {}, fmt.Errorf("serve: --api-url: %w", err)
	}
	return base, token, stop, nil
}

// defaultHostKeyPath is the host key location when --host-key is not given:
// the user's configuration directory, or the working directory.
func defaultHostKeyPath() string {
	const name = "ssh_host_ed25519_key"
	dir, err := os.UserConfigDir()
	if err != nil {
		return name
	}
	return filepath.Join(dir, "attune-tui", name)
}

// checkAPIURL validates the API base URL and warns when a shared token would
// travel in clear text off this host.
func checkAPIURL(raw string, hasToken bool, logger *slog.Logger) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", u.Redacted())
	}
	if u.User != nil {
		return errors.New("credentials in the URL are not allowed; use --token-file")
	}
	if hasToken && u.Scheme == "http" {
		host := u.Hostname()
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			logger.Warn("the shared token will be sent over plain http", "api", u.Redacted())
		}
	}
	return nil
}
