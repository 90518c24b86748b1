package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/pflag"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/config"
	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/sshserver"
	"github.com/attune-tui/attune-tui/internal/termbg"
	"github.com/attune-tui/attune-tui/ui"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/theme"
)

// tuiFlags are the flags of the default (TUI) command.
type tuiFlags struct {
	demo       bool
	seed       uint64
	events     int
	liveRate   float64
	hugeMB     int
	logCompat  bool
	noMouse    bool
	configPath string
	context    string
	url        string
	token      string
	tokenFile  string
	login      string
	caFile     string
	insecure   bool
	perPage    int
	debugLog   string
	logBodies  bool
	notifier   string
	exportDir  string
	set        map[string]bool
}

// addTUIFlags defines the TUI's flags on fs, bound to f. The root command
// and every deep link share them.
func addTUIFlags(fs *pflag.FlagSet, f *tuiFlags) {
	fs.SortFlags = false
	fs.BoolVar(&f.demo, "demo", false, "start a seeded Attune-compatible dev server in-process (127.0.0.1, live traffic) and sign in to it")
	fs.Uint64Var(&f.seed, "seed", 1, "with --demo: seed of the generated data")
	fs.IntVar(&f.events, "events", 3000, "with --demo: number of seeded events")
	fs.Float64Var(&f.liveRate, "live-rate", 0.5, "with --demo: new live events per second (0 turns live traffic off)")
	fs.IntVar(&f.hugeMB, "huge-event-mb", 0, "with --demo: add one newest event with a payload of about `N` MiB (0-1024), to see how a huge payload is handled")
	fs.BoolVar(&f.logCompat, "log-stream-compat", false, "with --demo: serve execution log streams like upstream's older RT-EX generation (waiting events, no admission limit)")
	addConfigFlags(fs, f, "sign in as `name`; the password is read from "+config.EnvPassword+" or asked in a masked form")
	fs.StringVar(&f.notifier, "notifier-url", "", "Attune notifier WebSocket `URL` (ws(s)://host:8081/ws) for live updates (env "+config.EnvNotifierURL+", then the context's notifier_url); without it the TUI tries ws(s)://<api host>/ws once, then follows the execution stream and polls the rest every 5s")
	fs.StringVar(&f.exportDir, "export-dir", "", "`dir` X writes list exports and incident bundles to (default the current directory; files are mode 0600, never overwritten)")
	fs.IntVar(&f.perPage, "per-page", common.DefaultPerPage, "rows per list request (1-100)")
	fs.BoolVar(&f.noMouse, "no-mouse", false, "leave the mouse to the terminal (its own text selection works); the config file's \"mouse: false\" does the same")
	fs.StringVar(&f.debugLog, "debug-log", "", "write debug logs to `file` (mode 0600): requests (method, path, status, duration, attempt), navigation, connection changes and errors; never tokens or passwords")
	fs.BoolVar(&f.logBodies, "debug-log-bodies", false, "with --debug-log: add request and response bodies, secrets redacted")
}

// addConfigFlags defines the flags that choose the API and the
// credentials (shared by the TUI and `get`).
func addConfigFlags(fs *pflag.FlagSet, f *tuiFlags, loginHelp string) {
	fs.StringVar(&f.configPath, "config", "", "config `file` (default $XDG_CONFIG_HOME/attune-tui/config.yaml)")
	fs.StringVar(&f.context, "context", "", "config context `name` to use, or an Attune CLI profile (env "+config.EnvContext+"; an unknown name lists the valid ones)")
	fs.StringVar(&f.url, "url", "", "Attune API base `URL` (env "+config.EnvURL+")")
	fs.StringVar(&f.token, "token", "", "API access `token` (env "+config.EnvToken+"; prefer --token-file, command lines are visible to other users)")
	fs.StringVar(&f.tokenFile, "token-file", "", "`file` holding the API token (should be mode 0600)")
	fs.StringVar(&f.login, "login", "", loginHelp)
	fs.StringVar(&f.caFile, "ca-file", "", "PEM `file` of CA certificates to trust for the API")
	fs.BoolVar(&f.insecure, "insecure", false, "skip TLS certificate verification (dangerous; prints a warning)")
}

// validate checks the values parsed into f from fs and records which
// flags were given.
func (f *tuiFlags) validate(fs *pflag.FlagSet) error {
	if f.hugeMB < 0 || f.hugeMB > maxHugeEventMB {
		return usagef("--huge-event-mb %d: want 0 to %d", f.hugeMB, maxHugeEventMB)
	}
	if f.logBodies && f.debugLog == "" {
		return usagef("--debug-log-bodies needs --debug-log")
	}
	if f.perPage < 1 || f.perPage > client.MaxPageSize {
		return usagef("--per-page %d: want 1 to %d", f.perPage, client.MaxPageSize)
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *pflag.Flag) { f.set[fl.Name] = true })
	return nil
}

// parseTUIFlags parses the TUI's flags alone (no command words).
func parseTUIFlags(args []string, stderr io.Writer) (tuiFlags, error) {
	var f tuiFlags
	fs := pflag.NewFlagSet("attune-tui", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	addTUIFlags(fs, &f)
	if err := fs.Parse(args); err != nil {
		return f, &usageError{err: err}
	}
	if fs.NArg() > 0 {
		return f, usagef("unexpected argument %q", fs.Arg(0))
	}
	// validate records the given flags in f: call it before f is read.
	err := f.validate(fs)
	return f, err
}

// runTUI runs the terminal UI against --demo or a configured API. After
// ":ctx NAME" it runs a fresh session (screens, cache, live connection)
// against that context.
func runTUI(ctx context.Context, f tuiFlags, start string, stdin io.Reader, stdout, stderr io.Writer) error {
	logger, closeLog, err := openDebugLog(f.debugLog)
	if err != nil {
		return err
	}
	defer closeLog()
	for {
		next, err := runSession(ctx, f, start, logger, stdin, stdout, stderr)
		if err != nil || next == "" {
			return err
		}
		f, start = switchContext(f, next), ""
	}
}

// switchContext returns the flags of a session against context name: the
// flags that chose the API and its credentials give way to the context.
func switchContext(f tuiFlags, name string) tuiFlags {
	f.context = name
	f.url, f.token, f.tokenFile, f.login, f.caFile, f.notifier = "", "", "", "", "", ""
	f.insecure = false
	set := make(map[string]bool, len(f.set))
	for k, v := range f.set {
		switch k {
		case "url", "token", "token-file", "login", "ca-file", "notifier-url", "insecure":
		default:
			set[k] = v
		}
	}
	set["context"] = true
	f.set = set
	return f
}

// runSession runs one TUI session; next is the context ":ctx" switched
// to ("" when the user quit).
func runSession(ctx context.Context, f tuiFlags, start string, logger *slog.Logger, stdin io.Reader, stdout, stderr io.Writer) (next string, err error) {

	deps := common.Deps{Lifetime: ctx, Start: start, Now: time.Now, AllowExec: true, Pager: os.Getenv("PAGER"), Output: stdout, Logger: logger, PerPage: f.perPage,
		Term: os.Getenv("TERM"), InTmux: os.Getenv("TMUX") != "", ExportDir: f.exportDir,
		NoMouse: f.noMouse}
	if f.demo {
		demo, err := devserver.StartDemo(ctx, devserver.DemoOptions{Seed: f.seed, Events: f.events, LiveRate: demoRate(f.liveRate), HugeEvent: f.hugeMB << 20,
			LogStreamCompat: f.logCompat})
		if err != nil {
			return "", fmt.Errorf("start demo server: %w", err)
		}
		defer func() { _ = demo.Close() }()
		c, err := client.New(demo.URL, append(logOptions(f, logger), client.WithCredentials(demo.Login, demo.Password))...)
		if err != nil {
			return "", fmt.Errorf("demo client: %w", err)
		}
		if _, _, err := c.Auth.Login(ctx, demo.Login, demo.Password); err != nil {
			return "", fmt.Errorf("sign in to the demo server: %w", err)
		}
		deps.API, deps.ServerURL, deps.Context, deps.Demo = ui.NewAPI(c), demo.URL, "demo", true
		deps.NotifierURL = demo.NotifierURL
	} else {
		if err := configureRemote(f, &deps, stderr); err != nil {
			return "", err
		}
	}

	// Light or dark comes from the environment, never from a question to
	// the terminal: one that does not answer would hold the first frame.
	dark, err := termbg.Dark(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "warning:", err)
		deps.Warnings = append(deps.Warnings, err.Error())
	}
	r := lipgloss.NewRenderer(stdout)
	r.SetHasDarkBackground(dark)
	deps.Styles = theme.New(r)
	// The first page is asked for now, while the terminal is set up; the
	// event list takes the answer instead of asking after the first frame.
	deps.API = ui.Prefetch(ctx, deps)
	p := tea.NewProgram(ui.New(deps), append(ui.MouseOptions(deps), tea.WithAltScreen(), tea.WithContext(ctx),
		// The renderer writes a frame only on its ticker: at 120 (its
		// maximum) rather than the default 60 the first rows reach the
		// screen up to 8 ms sooner; an unchanged frame writes nothing.
		tea.WithFPS(120),
		tea.WithInput(stdin), tea.WithOutput(stdout))...)
	m, err := p.Run()
	if err != nil {
		if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
			return "", nil // interrupted by a signal: a normal way to leave
		}
		return "", fmt.Errorf("run TUI: %w", err)
	}
	if a, ok := m.(*ui.App); ok {
		return a.SwitchTo(), nil
	}
	return "", nil
}

// demoRate maps the --live-rate flag (0 = off) to DemoOptions (0 = default, <0 = off).
func demoRate(r float64) float64 {
	if r <= 0 {
		return -1
	}
	return r
}

// configureRemote resolves flags > env > config file into deps.
func configureRemote(f tuiFlags, deps *common.Deps, stderr io.Writer) error {
	// Warnings go to stderr (seen after the TUI exits) and to the TUI, which
	// shows them on its first screen: the alternate screen hides stderr.
	warn := func(msg string) {
		fmt.Fprintln(stderr, "warning:", msg)
		deps.Warnings = append(deps.Warnings, msg)
	}
	r, err := resolveRemote(f, deps.Logger, warn)
	if err != nil {
		return err
	}
	deps.ServerURL, deps.Context, deps.NotifierURL = r.cfg.URL, r.cfg.Context, r.cfg.NotifierURL
	deps.NoMouse = deps.NoMouse || r.cfg.NoMouse
	deps.WebURL = r.cfg.WebBase()
	deps.Contexts = r.cfg.Contexts
	deps.AutoLive = true // without a notifier URL: the guess, then SSE + polling
	if r.client == nil {
		// No secret at hand: the TUI opens on its masked login form, whose
		// client is built from the same options.
		deps.Login, deps.LoginName = ui.LoginWith(r.cfg.URL, r.opts...), r.cfg.Login
	} else {
		deps.API = ui.NewAPI(r.client)
	}
	return nil
}

// remote is a resolved configuration and its client.
type remote struct {
	cfg  config.Config
	opts []client.Option
	// client is nil when no token or password is at hand (a sign-in is
	// needed); it holds the token or the credentials otherwise.
	client *client.Client
	// signIn says client holds credentials to sign in with (no token).
	signIn bool
}

// resolveRemote resolves flags > env > config file into a client; warn
// receives the warnings found on the way.
func resolveRemote(f tuiFlags, logger *slog.Logger, warn func(string)) (remote, error) {
	flags := config.Flags{
		ConfigPath: f.configPath, Context: f.context, URL: f.url, Login: f.login,
		Token: config.Secret(f.token), TokenFile: f.tokenFile, CAFile: f.caFile,
		NotifierURL: f.notifier,
	}
	if f.set["insecure"] {
		flags.Insecure = &f.insecure
	}
	cfg, warns, err := config.Resolve(flags, os.LookupEnv, "")
	for _, w := range warns {
		warn(w.String())
	}
	if err != nil {
		return remote{}, fmt.Errorf("configuration: %w (or try --demo)", err)
	}
	r := remote{cfg: cfg, opts: logOptions(f, logger)}
	if cfg.CAFile != "" {
		r.opts = append(r.opts, client.WithCAFile(cfg.CAFile))
	}
	if cfg.Insecure {
		r.opts = append(r.opts, client.WithInsecureSkipVerify())
	}
	switch {
	case cfg.Token != "":
		r.client, err = client.New(cfg.URL, append(r.opts, client.WithToken(cfg.Token.Reveal()))...)
	case cfg.Login != "" && cfg.Password != "":
		r.client, err = client.New(cfg.URL, append(r.opts, client.WithCredentials(cfg.Login, cfg.Password.Reveal()))...)
		r.signIn = true
	default:
		c, cerr := client.New(cfg.URL, r.opts...) // checks the URL; warnings
		if cerr != nil {
			return remote{}, fmt.Errorf("client: %w", cerr)
		}
		for _, w := range c.Warnings() {
			warn(w)
		}
		return r, nil
	}
	if err != nil {
		return remote{}, fmt.Errorf("client: %w", err)
	}
	for _, w := range r.client.Warnings() {
		warn(w)
	}
	return r, nil
}

// logOptions are the client options that send request lines to logger
// (a discarding logger writes nothing).
func logOptions(f tuiFlags, logger *slog.Logger) []client.Option {
	if logger == nil {
		return nil
	}
	opts := []client.Option{client.WithLogger(logger)}
	if f.logBodies {
		opts = append(opts, client.WithLogBodies())
	}
	return opts
}

// openDebugLog returns a logger writing to path, or a discarding one. The
// file is opened without following a symbolic link (and without blocking
// on a FIFO), must be a regular file, and is made mode 0600 if it existed
// with another mode.
func openDebugLog(path string) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	fh, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, nil, fmt.Errorf("debug log %s: is a symbolic link; refusing to follow it", path)
		}
		return nil, nil, fmt.Errorf("debug log: %w", err)
	}
	info, err := fh.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file (%v)", path, info.Mode().Type())
	}
	if err == nil && info.Mode().Perm() != 0o600 {
		if cerr := fh.Chmod(0o600); cerr != nil {
			err = fmt.Errorf("%s has mode %04o and it cannot be made 0600: %w", path, info.Mode().Perm(), cerr)
		}
	}
	if err != nil {
		_ = fh.Close()
		return nil, nil, fmt.Errorf("debug log: %w", err)
	}
	return slog.New(slog.NewTextHandler(fh, &slog.HandlerOptions{Level: slog.LevelDebug})), func() { _ = fh.Close() }, nil
}

// sessionModel builds the root model of one SSH session. Styles come from
// the session's renderer only; nothing is shared between sessions.
func sessionModel(s sshserver.SessionInfo, demo bool) (tea.Model, error) {
	start, err := ui.ParseDeepLink(s.Command) // checked by the server already
	if err != nil {
		return nil, fmt.Errorf("session command: %w", err)
	}
	deps := common.Deps{
		Start:    start,
		Lifetime: s.Context, Styles: theme.New(s.Renderer), Now: time.Now, ServerURL: s.APIURL, Context: "ssh",
		Demo: demo, AllowExec: false, Output: s.Output, Term: s.Term,
		// Each session follows live changes on its own connection.
		NotifierURL: s.NotifierURL, AutoLive: true,
	}
	if tok := s.Token.Reveal(); tok != "" {
		c, err := client.New(s.APIURL, client.WithToken(tok))
		if err != nil {
			return nil, fmt.Errorf("session client: %w", err)
		}
		deps.API = ui.NewAPI(c)
	} else {
		deps.Login = ui.LoginWith(s.APIURL)
	}
	return ui.New(deps), nil
}

// serveDemo starts the dev server for `serve --demo`. Sessions sign in on
// the TUI's login form with the printed demo credentials, exactly as they
// would against a real Attune without a shared token.
func serveDemo(stdout io.Writer, notifier *string) demoStarter {
	return func(ctx context.Context) (string, string, func(), error) {
		d, err := devserver.StartDemo(ctx, devserver.DemoOptions{})
		if err != nil {
			return "", "", nil, fmt.Errorf("start demo server: %w", err)
		}
		fmt.Fprintf(stdout, "demo API (development server, not for production) at %s — sign in as %s / %s; notifier at %s\n", d.URL, d.Login, d.Password, d.NotifierURL)
		*notifier = d.NotifierURL
		return d.URL, "", func() { _ = d.Close() }, nil
	}
}
