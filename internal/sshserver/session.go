package sshserver

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	gossh "golang.org/x/crypto/ssh"

	"github.com/attune-tui/attune-tui/internal/config"
)

// Window size limits. A client may announce any size in its PTY request;
// sizes are clamped into these bounds before the model sees them, so a
// hostile 65535×65535 cannot make a view allocate without bound, and a 0×0
// (meaning "unknown" in the SSH protocol) becomes the default 80×24.
const (
	DefaultWidth  = 80
	DefaultHeight = 24
	MaxWidth      = 500
	MaxHeight     = 200
)

// ClampWindow returns the size the TUI is given for a client-announced
// terminal size: zero or negative dimensions become DefaultWidth/
// DefaultHeight, and large ones are capped at MaxWidth/MaxHeight.
func ClampWindow(width, height int) (int, int) {
	return clampDim(width, DefaultWidth, MaxWidth), clampDim(height, DefaultHeight, MaxHeight)
}

// clampDim clamps one dimension.
func clampDim(v, def, maximum int) int {
	switch {
	case v <= 0:
		return def
	case v > maximum:
		return maximum
	default:
		return v
	}
}

// Secret is a string that does not print itself (fmt verbs and slog show
// "[redacted]"); Reveal gives the value. It is config.Secret, so a token read
// by the config package passes through unchanged.
type Secret = config.Secret

// SessionInfo describes one SSH session to the ModelFactory. Every field is
// specific to the session: nothing is shared between sessions.
type SessionInfo struct {
	// Context is cancelled when the session ends; use it for the session's
	// API calls.
	Context context.Context
	// ID is a short server-chosen identifier for log lines.
	ID string
	// User is the SSH user name exactly as the client sent it. It is
	// untrusted: pass it through textsafe.Line before drawing it.
	User string
	// RemoteAddr is the client's network address.
	RemoteAddr net.Addr
	// PublicKey is the key the client authenticated with.
	PublicKey gossh.PublicKey
	// KeyFingerprint is PublicKey's SHA256 fingerprint ("SHA256:...").
	KeyFingerprint string
	// Term is the client's TERM value (untrusted).
	Term string
	// Width and Height are the initial terminal size, already clamped.
	Width, Height int
	// Renderer is this session's lipgloss renderer: build every style from
	// it (theme.New(renderer)), never from lipgloss's default renderer.
	Renderer *lipgloss.Renderer
	// Output writes to the client's terminal; use it only for escape
	// sequences that the program's renderer does not send, such as OSC 52
	// clipboard requests.
	Output io.Writer
	// APIURL is the Attune API base URL the server was configured with.
	APIURL string
	// NotifierURL is the notifier WebSocket URL the server was configured
	// with ("" = none: each session finds a live source itself).
	NotifierURL string
	// Token is the operator-configured shared read-only service token, or
	// empty when each user must sign in inside the TUI.
	Token Secret
	// Command is the words of the session's SSH command string, already
	// accepted by Config.CheckCommand (nil without one). Untrusted.
	Command []string
}

// LogValue implements slog.LogValuer: it lists identifying fields only, never
// the token.
func (i SessionInfo) LogValue() slog.Value {
	remote := ""
	if i.RemoteAddr != nil {
		remote = i.RemoteAddr.String()
	}
	return slog.GroupValue(
		slog.String("id", i.ID),
		slog.String("user", safeLine(i.User)),
		slog.String("remote", remote),
		slog.String("key", i.KeyFingerprint),
	)
}

// ModelFactory builds the root model for one session. It is called once per
// session, after authentication, with a PTY present. An error ends the session
// with a short message to the user; the error itself is only logged.
type ModelFactory func(SessionInfo) (tea.Model, error)

// activityReader records when the client last sent input, for the idle
// timeout.
type activityReader struct {
	r    io.Reader
	now  func() time.Time
	last atomic.Int64 // unix nanoseconds of the last read that returned data
}

// newActivityReader wraps r and counts the wrap time as the last activity.
func newActivityReader(r io.Reader, now func() time.Time) *activityReader {
	a := &activityReader{r: r, now: now}
	a.last.Store(now().UnixNano())
	return a
}

// Read implements io.Reader.
func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.last.Store(a.now().UnixNano())
	}
	return n, err
}

// idleFor returns how long no input has arrived.
func (a *activityReader) idleFor() time.Duration {
	return a.now().Sub(time.Unix(0, a.last.Load()))
}
