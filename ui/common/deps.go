package common

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/theme"
)

// LiveOptions says which live channel OpenLive opens.
type LiveOptions struct {
	// NotifierURL is the notifier WebSocket to follow, subscribed to
	// every notification; empty means the guess ws(s)://<api host>/ws.
	NotifierURL string
	// Executions opens the execution SSE stream (/executions/stream)
	// instead of the notifier.
	Executions bool
	// FailFast ends the source with an error when its first connection
	// attempt fails, instead of retrying.
	FailFast bool
}

// LiveSource is a live channel (client.Notifier).
type LiveSource interface {
	// Next blocks for the next event; an error ends the source.
	Next(ctx context.Context) (client.LiveEvent, error)
	// Close ends the source.
	Close() error
}

// LoginFunc signs in with a login and password and returns an API that uses
// the resulting session. It must not keep or log the password.
type LoginFunc func(ctx context.Context, login, password string) (*API, error)

// Deps are the dependencies every view is built from. Build one per program
// (per SSH session); nothing in it is shared mutable state.
type Deps struct {
	// API is the signed-in API. Nil means "not signed in yet": the root then
	// shows the login form and uses Login.
	API *API
	// Login signs in from the login form. Required when API is nil.
	Login LoginFunc
	// LoginName prefills the login form.
	LoginName string
	// Styles are built by theme.New from the program's renderer.
	Styles *theme.Styles
	// Now is the clock; tests pass a fixed one.
	Now func() time.Time
	// Context is the config context name shown in the status bar.
	Context string
	// ServerURL is the API base URL shown in the status bar.
	ServerURL string
	// Demo shows a DEMO badge.
	Demo bool
	// AllowExec allows running a local $PAGER (false over SSH).
	AllowExec bool
	// Pager is the command run for "open in pager" (the lead passes $PAGER;
	// default "less"). Used only when AllowExec is true.
	Pager string
	// Output receives OSC 52 clipboard sequences (the program's output).
	Output io.Writer
	// Term is the terminal's TERM ("" when unknown): TERM=dumb has no
	// clipboard, and the copy keys say so.
	Term string
	// InTmux says the program runs inside tmux (TMUX is set): copies also
	// go through tmux's passthrough, and with AllowExec tmux is asked
	// whether its set-clipboard lets them through.
	InTmux bool
	// Contexts are the config contexts (and Attune CLI profiles) ":ctx"
	// lists and switches to; empty when there is no config (--demo, SSH).
	Contexts []string
	// ExportDir is where X writes its files (default the current
	// directory). Files are created mode 0600 and never replace one.
	ExportDir string
	// WebURL is the base of Attune's web UI (config.Config.WebBase: the
	// context's web_url, or the API's origin); W links the current entity
	// there. Empty: the origin of ServerURL.
	WebURL string
	// Logger receives debug logs; nothing may write to stdout or stderr
	// while the TUI runs. Discarded by default.
	Logger *slog.Logger
	// PerPage is the page size of list requests (1–100, default 50).
	PerPage int
	// TickInterval is how often the root's clock redraws relative times
	// ("3s ago"; default 1s). Negative turns the clock off (tests with a
	// fixed Now, where it could change nothing).
	TickInterval time.Duration
	// NotifierURL is Attune's notifier WebSocket (ws(s)://host:port/ws).
	// When set, the root follows it and the screens update themselves.
	NotifierURL string
	// AutoLive, when NotifierURL is empty, makes the root find a live
	// source itself: the notifier at ws(s)://<api host>/ws (tried once),
	// else the execution SSE stream with polling for the rest, else
	// polling alone. Without either, the screens change only on r or
	// after L turns polling on.
	AutoLive bool
	// RefreshInterval is the auto-refresh period (default 5s).
	RefreshInterval time.Duration
	// MaxRefreshBackoff caps the auto-refresh period while refreshes keep
	// failing: it doubles after each failure up to this (default 1 minute).
	MaxRefreshBackoff time.Duration
	// RequestTimeout bounds each API call (default 30s).
	RequestTimeout time.Duration
	// Lifetime ends with the program (the TUI's run, or its SSH session):
	// requests in flight are cancelled with it rather than living on until
	// their timeout. Default context.Background().
	Lifetime context.Context
	// MaxRows caps how many rows a list keeps loaded (default 20000).
	MaxRows int
	// Warnings are shown when the program starts (the status bar shows the
	// first, "!" all of them): problems found while configuring it, such as
	// a token file readable by others, that stderr could not show because
	// the TUI takes over the screen. Sanitised before they are drawn.
	Warnings []string
	// Start is the screen the program opens on after sign-in, as a deep
	// link checked by ui.ParseDeepLink ("event 4812", "events
	// trigger_ref:x"); the screens that lead there are opened below it.
	// Empty: the event list.
	Start string
	// Cache is the program's short-lived answer cache (see Cache); one per
	// program, created by WithDefaults when nil.
	Cache *Cache
	// NoMouse leaves the mouse to the terminal (--no-mouse, the config
	// file's "mouse: false"): no mouse reporting is asked for, so the
	// terminal's own text selection works. See ui.MouseOptions.
	NoMouse bool
	// Recall is what the program remembers for the filter bars (recent
	// filters, known refs); one per program, created by WithDefaults when
	// nil.
	Recall *Recall
}

// Defaults used by WithDefaults.
const (
	DefaultPerPage         = 50
	DefaultRefreshInterval = 5 * time.Second
	// DefaultMaxRefreshBackoff is the default Deps.MaxRefreshBackoff.
	DefaultMaxRefreshBackoff = time.Minute
	DefaultRequestTimeout    = 30 * time.Second
	DefaultMaxRows           = 20_000
)

// WithDefaults returns d with every unset optional field filled in.
func (d Deps) WithDefaults() Deps {
	if d.Styles == nil {
		d.Styles = theme.New(nil)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Output == nil {
		d.Output = io.Discard
	}
	if d.Pager == "" {
		d.Pager = "less"
	}
	if d.PerPage <= 0 || d.PerPage > 100 {
		d.PerPage = DefaultPerPage
	}
	if d.TickInterval == 0 {
		d.TickInterval = time.Second
	}
	if d.RefreshInterval <= 0 {
		d.RefreshInterval = DefaultRefreshInterval
	}
	if d.MaxRefreshBackoff <= 0 {
		d.MaxRefreshBackoff = DefaultMaxRefreshBackoff
	}
	if d.RequestTimeout <= 0 {
		d.RequestTimeout = DefaultRequestTimeout
	}
	if d.Lifetime == nil {
		d.Lifetime = context.Background()
	}
	if d.MaxRows <= 0 {
		d.MaxRows = DefaultMaxRows
	}
	if d.Cache == nil {
		d.Cache = NewCache(DefaultCacheTTL)
	}
	if d.Recall == nil {
		d.Recall = NewRecall()
	}
	return d
}

// RequestContext returns the context of one API request: it ends after
// RequestTimeout or when the program's Lifetime ends, whichever comes first.
// Commands call it inside the command, on their copy of Deps.
func (d Deps) RequestContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(d.Lifetime, d.RequestTimeout)
}
