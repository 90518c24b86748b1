// Package sshserver serves the attune-tui terminal UI over SSH with wish.
//
// Every SSH session gets its own Bubble Tea program, lipgloss renderer and
// root model (built by a ModelFactory supplied by the caller, so this package
// does not import the UI). Clients authenticate with a public key listed in
// an authorized_keys file; there is no password or keyboard-interactive
// login. Only the interactive TUI is offered: exec requests, subsystems
// (SFTP, SCP), port, agent and X11 forwarding are refused, and nothing a
// client types can reach a shell.
//
// Abuse limits: a per-address connection rate limit applied when a TCP
// connection is accepted (before the SSH handshake), a login grace period,
// a maximum number of concurrent sessions, an input idle timeout and a
// maximum session length. Connections and sessions are logged through
// log/slog with client-controlled strings passed through textsafe.Line.
package sshserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultListenAddr         = "127.0.0.1:2222"
	DefaultIdleTimeout        = 15 * time.Minute
	DefaultMaxSessionDuration = 8 * time.Hour
	DefaultMaxSessions        = 32
	DefaultLoginGrace         = 30 * time.Second
	DefaultShutdownTimeout    = 3 * time.Second
	DefaultOutputStall        = 30 * time.Second
)

// backstopMargin is added to the idle timeout and the maximum session length
// for the connection-level deadlines that catch a stalled connection the
// session-level timers could not end politely.
const backstopMargin = 30 * time.Second

// DefaultRate returns the per-address connection rate limit the serve
// command uses unless told otherwise: one new connection per second, bursts
// of five.
func DefaultRate() Rate { return Rate{PerSecond: 1, Burst: 5} }

// Config configures a Server. Zero durations and counts take the Default*
// values; a zero Rate disables the rate limit.
type Config struct {
	// HostKeyPath is the ed25519 host key file, created (mode 0600) if it
	// does not exist. Required.
	HostKeyPath string
	// AuthorizedKeysPath is an OpenSSH authorized_keys file listing the
	// public keys allowed to connect. Required. It is re-read when it
	// changes.
	AuthorizedKeysPath string
	// NewModel builds the root model of each session. Required.
	NewModel ModelFactory
	// APIURL, NotifierURL and Token are handed to NewModel in
	// SessionInfo.
	APIURL      string
	NotifierURL string
	Token       Secret

	// IdleTimeout ends a session when the client sent no input for this
	// long.
	IdleTimeout time.Duration
	// MaxSessionDuration ends a session this long after it started.
	MaxSessionDuration time.Duration
	// MaxSessions is the maximum number of concurrent TUI sessions.
	MaxSessions int
	// Rate limits new TCP connections per client address.
	Rate Rate
	// LoginGrace is how long a connection may take to authenticate and open
	// its session.
	LoginGrace time.Duration
	// ShutdownTimeout bounds how long Serve waits for sessions to say
	// goodbye once its context is cancelled.
	ShutdownTimeout time.Duration
	// OutputStall ends a session whose client has not accepted output for
	// this long (a write to it blocked): bubbletea's renderer holds its lock
	// while writing, so a client that stops reading would otherwise freeze
	// its program until the connection-level backstop.
	OutputStall time.Duration
	// ForceASCII renders every session with the ASCII colour profile (no
	// colours), whatever the client's terminal supports. Meant for tests.
	ForceASCII bool
	// Logger receives connection and session logs; nil discards them.
	Logger *slog.Logger
	// CheckCommand, when set, admits exec requests ("ssh host -t event
	// 4812"): it is given the command string's words (split like a shell
	// would, nothing is run) and returns an error for any it does not
	// accept. An accepted command runs the TUI like a shell request, with
	// SessionInfo.Command set; a refused one ends the session with the
	// error on stderr. Nil: every command is refused.
	CheckCommand func(words []string) error
	// RefusalLogInterval is how often repeated refusals from one address
	// (rate-limited connections, forwarding requests) are summarised in one
	// log line with their count; default DefaultRefusalLogInterval.
	RefusalLogInterval time.Duration
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.MaxSessionDuration <= 0 {
		c.MaxSessionDuration = DefaultMaxSessionDuration
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.LoginGrace <= 0 {
		c.LoginGrace = DefaultLoginGrace
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.OutputStall <= 0 {
		c.OutputStall = DefaultOutputStall
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.RefusalLogInterval <= 0 {
		c.RefusalLogInterval = DefaultRefusalLogInterval
	}
	return c
}

// Server is an SSH server that runs one TUI program per session. Create it
// with New and run it with Serve.
type Server struct {
	cfg     Config
	log     *slog.Logger
	keys    *authorizedKeys
	limiter *ipLimiter
	refused *refusalLog
	hostKey gossh.Signer
	ssh     *ssh.Server
	nextID  atomic.Uint64

	mu       sync.Mutex
	active   int
	stopping bool
	stopCh   chan struct{}
	sessions sync.WaitGroup
}

// graceConnKey is the ssh.Context key of the connection's *graceConn.
type graceConnKey struct{}

// New checks cfg, loads (or creates) the host key, reads the authorized keys
// and builds the server. It fails when the authorized keys file is missing
// or lists no usable key: the server never accepts everyone.
func New(cfg Config) (*Server, error) {
	if cfg.NewModel == nil {
		return nil, errors.New("sshserver: Config.NewModel is required")
	}
	cfg = cfg.withDefaults()
	keys, warnings, err := loadAuthorizedKeys(cfg.AuthorizedKeysPath)
	if err != nil {
		return nil, fmt.Errorf("sshserver: %w", err)
	}
	for _, w := range warnings {
		cfg.Logger.Warn("authorized keys: skipped a line", "file", cfg.AuthorizedKeysPath, "problem", safeLine(w))
	}
	hostKey, err := LoadOrCreateHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, fmt.Errorf("sshserver: %w", err)
	}
	s := &Server{
		cfg:     cfg,
		log:     cfg.Logger,
		keys:    keys,
		limiter: newIPLimiter(cfg.Rate, time.Now),
		refused: newRefusalLog(cfg.Logger, cfg.RefusalLogInterval, maxRefusalEntries),
		hostKey: hostKey,
		stopCh:  make(chan struct{}),
	}
	srv, err := wish.NewServer(
		func(srv *ssh.Server) error {
			srv.AddHostKey(hostKey)
			return nil
		},
		wish.WithPublicKeyAuth(s.publicKeyHandler),
		ssh.WrapConn(s.wrapConn),
		// Connection-level backstops; the session timers below end sessions
		// politely before these cut the TCP connection.
		wish.WithIdleTimeout(cfg.IdleTimeout+backstopMargin),
		wish.WithMaxTimeout(cfg.MaxSessionDuration+backstopMargin),
		func(srv *ssh.Server) error {
			// Only "session" channels: no direct-tcpip (local forwarding),
			// no X11 or agent channels; each refusal is logged.
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": ssh.DefaultSessionHandler, "default": s.refuseChannel}
			// No global requests: tcpip-forward (remote forwarding) is
			// refused and logged; others (keepalives) are refused quietly.
			srv.RequestHandlers = map[string]ssh.RequestHandler{
				"tcpip-forward":                          s.refuseForward,
				"cancel-tcpip-forward":                   s.refuseForward,
				"streamlocal-forward@openssh.com":        s.refuseForward,
				"cancel-streamlocal-forward@openssh.com": s.refuseForward,
			}
			// No subsystems (sftp, scp, ...).
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.LocalPortForwardingCallback = nil
			srv.ReversePortForwardingCallback = nil
			srv.SessionRequestCallback = s.allowSessionRequest
			srv.ConnectionFailedCallback = s.connectionFailed
			srv.Version = "attune-tui"
			return nil
		},
		// wish runs the LAST middleware listed FIRST. Execution order:
		//   (connection level, in wrapConn: per-address rate limit, login grace)
		//   1. recover        – a panic ends only its own session
		//   2. logging        – session start/end with user, address, key
		//   3. active terminal – no PTY, or a command/subsystem: refuse
		//   4. Bubble Tea     – session limit, then one program per session
		wish.WithMiddleware(
			s.teaMiddleware,
			s.activeTermMiddleware,
			s.loggingMiddleware,
			s.recoverMiddleware,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("sshserver: configure: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// HostKeyFingerprint returns the SHA256 fingerprint of the server's host key,
// for users to check on their first connection.
func (s *Server) HostKeyFingerprint() string { return Fingerprint(s.hostKey.PublicKey()) }

// ActiveSessions returns the number of TUI sessions currently running.
func (s *Server) ActiveSessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active
}

// Serve accepts connections on ln until ctx is cancelled, then tells every
// session that the server is stopping, waits up to ShutdownTimeout for them
// to end, closes all connections and returns nil. It closes ln. A Server
// serves once.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	flushed := make(chan struct{})
	go func() {
		s.refused.run(s.stopCh) // shutdown closes stopCh on every path
		close(flushed)
	}()
	defer func() { <-flushed }()
	errc := make(chan error, 1)
	aw := &acceptWatch{Listener: ln, first: make(chan struct{})}
	go func() { errc <- s.ssh.Serve(aw) }()
	// serveErr is Serve's result: after a shutdown of ours, a closed
	// listener is expected too.
	serveErr := func(err error, stopped bool) error {
		if err == nil || errors.Is(err, ssh.ErrServerClosed) || stopped && errors.Is(err, net.ErrClosed) {
			return nil
		}
		return fmt.Errorf("sshserver: serve: %w", err)
	}
	select {
	case err := <-errc:
		s.shutdown()
		return serveErr(err, false)
	case <-ctx.Done():
	}
	// charmbracelet/ssh's Serve adds the listener to a WaitGroup that its
	// Shutdown waits on; a Shutdown before that Add is a data race (the race
	// detector caught it when a test cancelled at once). Serve calls Accept
	// only after the Add, so wait for the first Accept (or for Serve to end).
	select {
	case <-aw.first:
	case err := <-errc:
		s.shutdown()
		return serveErr(err, false)
	}
	s.log.Info("shutting down", "sessions", s.ActiveSessions())
	s.shutdown()
	return serveErr(<-errc, true)
}

// acceptWatch is a listener that says when Accept is first called.
type acceptWatch struct {
	net.Listener
	once  sync.Once
	first chan struct{}
}

// Accept implements net.Listener.
func (a *acceptWatch) Accept() (net.Conn, error) {
	a.once.Do(func() { close(a.first) })
	return a.Listener.Accept()
}

// shutdown stops accepting, asks sessions to end, waits for them (bounded by
// ShutdownTimeout), then closes every connection.
func (s *Server) shutdown() {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return
	}
	s.stopping = true
	close(s.stopCh)
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	shutDone := make(chan struct{})
	go func() {
		// Closes the listeners now; returns when connections are gone or
		// ctx ends.
		_ = s.ssh.Shutdown(ctx)
		close(shutDone)
	}()
	sessionsDone := make(chan struct{})
	go func() {
		s.sessions.Wait()
		close(sessionsDone)
	}()
	select {
	case <-sessionsDone:
	case <-ctx.Done():
		s.log.Warn("shutdown timeout: closing sessions that did not end", "sessions", s.ActiveSessions())
	}
	_ = s.ssh.Close()
	cancel()
	<-shutDone
	// Closing the connections ends the remaining sessions' I/O; give their
	// handlers a moment to return so nothing outlives Serve.
	select {
	case <-sessionsDone:
	case <-time.After(time.Second):
	}
}

// slot is a reserved session: free gives the place back to new sessions
// (the count MaxSessions limits); done tells shutdown that the session has
// finished writing to its client. done implies free; both are idempotent.
type slot struct {
	free func()
	done func()
}

// acquire reserves a session slot. It returns the slot, or a message for the
// user when the server is full or stopping.
func (s *Server) acquire() (slot, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return slot{}, "attune-tui: the server is shutting down; try again later."
	}
	if s.active >= s.cfg.MaxSessions {
		return slot{}, fmt.Sprintf("attune-tui: the server is full (%d sessions); try again later.", s.cfg.MaxSessions)
	}
	s.active++
	s.sessions.Add(1)
	free := sync.OnceFunc(func() {
		s.mu.Lock()
		s.active--
		s.mu.Unlock()
	})
	return slot{
		free: free,
		done: sync.OnceFunc(func() {
			free()
			s.sessions.Done()
		}),
	}, ""
}

// wrapConn runs when a TCP connection is accepted, before the SSH handshake:
// it applies the per-address rate limit and starts the login grace period.
// Returning nil makes the ssh package close the connection.
func (s *Server) wrapConn(ctx ssh.Context, c net.Conn) net.Conn {
	s.mu.Lock()
	stopping := s.stopping
	s.mu.Unlock()
	if stopping {
		return nil
	}
	if !s.limiter.allow(c.RemoteAddr()) {
		s.noteRefusal(c.RemoteAddr(), "connections refused", func() {
			s.log.Warn("connection refused: rate limit", "remote", c.RemoteAddr().String())
		})
		return nil
	}
	gc := &graceConn{
		Conn:     c,
		after:    s.cfg.IdleTimeout + backstopMargin,
		deadline: time.Now().Add(s.cfg.LoginGrace),
	}
	_ = c.SetDeadline(gc.deadline)
	ctx.SetValue(graceConnKey{}, gc)
	return gc
}

// publicKeyHandler accepts keys listed in the authorized keys file. The ssh
// library may call it for keys the client only offers without proving it
// holds them, so nothing here records "the user's key": the session reads
// the key the client authenticated with from the connection's permissions
// (ssh.Session.PublicKey) instead.
func (s *Server) publicKeyHandler(ctx ssh.Context, key ssh.PublicKey) bool {
	ok := s.keys.contains(key)
	if !ok {
		s.log.Debug("public key not authorized",
			"user", safeLine(ctx.User()),
			"remote", addrString(ctx.RemoteAddr()),
			"key", Fingerprint(key))
	}
	return ok
}

// allowSessionRequest admits only "shell" requests: the TUI, and "exec"
// requests when Config.CheckCommand is set (the middleware checks the
// command and tells the user why it refuses one). Other exec requests and
// subsystems (sftp, scp, ...) are refused at the protocol level.
func (s *Server) allowSessionRequest(sess ssh.Session, requestType string) bool {
	if requestType == "shell" || (requestType == "exec" && s.cfg.CheckCommand != nil) {
		return true
	}
	attrs := []any{
		"type", safeLine(requestType),
		"user", safeLine(sess.User()),
		"remote", addrString(sess.RemoteAddr()),
	}
	if cmd := sess.RawCommand(); cmd != "" {
		attrs = append(attrs, "command", textsafe.LineN(cmd, 200))
	}
	if sub := sess.Subsystem(); sub != "" {
		attrs = append(attrs, "subsystem", textsafe.LineN(sub, 200))
	}
	s.log.Warn("session request refused", attrs...)
	return false
}

// noteRefusal logs a refusal from addr through the refusal log: the first
// one in full (first), the rest as one counted line per interval.
func (s *Server) noteRefusal(addr net.Addr, what string, first func()) {
	key := addrString(addr)
	if ip, ok := limiterKey(addr); ok {
		key = ip.String()
	}
	s.refused.note(key, what, first)
}

// refuseChannel rejects and logs a channel other than "session": local
// forwarding (direct-tcpip), agent, X11 or anything else.
func (s *Server) refuseChannel(_ *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	kind := ch.ChannelType()
	msg := "channel refused"
	if kind == "direct-tcpip" || kind == "direct-streamlocal@openssh.com" {
		msg = "forwarding refused"
	}
	_ = ch.Reject(gossh.Prohibited, "attune-tui serves only its terminal UI")
	s.noteRefusal(conn.RemoteAddr(), msg+" ("+safeLine(kind)+")", func() {
		s.log.Warn(msg, "type", safeLine(kind), "user", safeLine(ctx.User()), "remote", addrString(conn.RemoteAddr()))
	})
}

// refuseForward refuses and logs a remote forwarding request.
func (s *Server) refuseForward(ctx ssh.Context, _ *ssh.Server, req *gossh.Request) (bool, []byte) {
	s.noteRefusal(ctx.RemoteAddr(), "forwarding requests refused ("+safeLine(req.Type)+")", func() {
		s.log.Warn("forwarding refused", "type", safeLine(req.Type), "user", safeLine(ctx.User()), "remote", addrString(ctx.RemoteAddr()))
	})
	return false, nil
}

// connectionFailed logs handshake failures (including failed
// authentication).
func (s *Server) connectionFailed(c net.Conn, err error) {
	s.log.Info("connection failed", "remote", addrString(c.RemoteAddr()), "error", safeLine(err.Error()))
}

// safeLine makes a client-controlled string safe for a log line.
func safeLine(v string) string { return textsafe.LineN(v, 256) }

// addrString formats a possibly nil address.
func addrString(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}
