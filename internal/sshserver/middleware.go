package sshserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/internal/termbg"
	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// Messages shown to the user. They end with CRLF because the client's
// terminal is in raw mode.
const (
	msgNoPTY    = "attune-tui needs an interactive terminal: connect with `ssh -t` and no command.\r\n"
	msgCmdHelp  = "A command may only name a screen to open, e.g. `ssh -t HOST event 4812`; nothing is executed.\r\n"
	msgNoCmd    = "attune-tui only runs its interactive interface: commands and subsystems are not available.\r\n"
	msgNoKey    = "attune-tui: your key is no longer authorized.\r\n"
	msgStartErr = "attune-tui: the interface could not start; the error was logged on the server.\r\n"
	msgShutdown = "attune-tui: the server is shutting down. Goodbye.\r\n"
)

// sessionState is what the middlewares of one session share.
type sessionState struct {
	id    string
	start time.Time

	mu     sync.Mutex
	reason string
}

// setReason records why the session ended; the first reason wins.
func (st *sessionState) setReason(r string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.reason == "" {
		st.reason = r
	}
}

// getReason returns the recorded reason.
func (st *sessionState) getReason() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.reason
}

// trackedSession is an ssh.Session carrying this package's per-session
// state down the middleware chain. (The ssh.Context is per connection and
// is shared by all sessions of a connection, so it cannot hold it.)
type trackedSession struct {
	ssh.Session
	state *sessionState
}

// stateOf returns the session's state, creating a detached one if the
// logging middleware did not run (it always does in this package).
func stateOf(sess ssh.Session) *sessionState {
	if ts, ok := sess.(*trackedSession); ok {
		return ts.state
	}
	return &sessionState{start: time.Now()}
}

// recoverMiddleware turns a panic in a session's handlers into a log entry
// and the end of that session only.
func (s *Server) recoverMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in session",
					"user", safeLine(sess.User()),
					"remote", addrString(sess.RemoteAddr()),
					"panic", safeLine(fmt.Sprint(r)),
					"stack", textsafe.Text(string(debug.Stack())))
				_ = sess.Exit(1)
			}
		}()
		next(sess)
	}
}

// loggingMiddleware logs the start and end of every session with the user,
// the remote address and the fingerprint of the key the client
// authenticated with, and re-checks that this key is still authorized.
func (s *Server) loggingMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if gc, ok := sess.Context().Value(graceConnKey{}).(*graceConn); ok {
			gc.endGrace()
		}
		st := &sessionState{id: strconv.FormatUint(s.nextID.Add(1), 10), start: time.Now()}
		// PublicKey is the key that completed authentication (taken from the
		// connection's permissions after the handshake), not the last key
		// the client offered.
		key := sess.PublicKey()
		pty, _, hasPTY := sess.Pty()
		attrs := []any{
			"session", st.id,
			"user", safeLine(sess.User()),
			"remote", addrString(sess.RemoteAddr()),
			"key", Fingerprint(key),
			"pty", hasPTY,
		}
		if hasPTY {
			attrs = append(attrs, "term", safeLine(pty.Term), "width", pty.Window.Width, "height", pty.Window.Height)
		}
		s.log.Info("session start", attrs...)
		if ssh.AgentRequested(sess) {
			// The ssh package accepts the request; no agent channel is ever
			// opened, so forwarding does not happen. Say so like any refusal.
			s.noteRefusal(sess.RemoteAddr(), "agent forwarding requests refused", func() {
				s.log.Warn("agent forwarding refused", "session", st.id, "user", safeLine(sess.User()), "remote", addrString(sess.RemoteAddr()))
			})
		}
		defer func() {
			reason := st.getReason()
			if reason == "" {
				reason = "ended"
			}
			s.log.Info("session end",
				"session", st.id,
				"user", safeLine(sess.User()),
				"remote", addrString(sess.RemoteAddr()),
				"key", Fingerprint(key),
				"duration", time.Since(st.start).Round(time.Millisecond).String(),
				"reason", reason)
		}()
		if key == nil || !s.keys.contains(key) {
			st.setReason("refused: key not authorized")
			_, _ = io.WriteString(sess.Stderr(), msgNoKey)
			_ = sess.Exit(1)
			return
		}
		next(&trackedSession{Session: sess, state: st})
	}
}

// activeTermMiddleware refuses sessions without a PTY, any session that
// carries a subsystem, and one whose command Config.CheckCommand does not
// accept (or any command without it; those are refused earlier at the
// protocol level, this is a second line).
func (s *Server) activeTermMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := stateOf(sess)
		if sess.RawCommand() != "" && sess.Subsystem() == "" && s.cfg.CheckCommand != nil {
			if err := checkCommand(s.cfg.CheckCommand, sess.Command()); err != nil {
				st.setReason("refused: command")
				s.log.Warn("command refused", "session", st.id, "command", textsafe.LineN(sess.RawCommand(), 200), "error", textsafe.Line(err.Error()))
				_, _ = io.WriteString(sess.Stderr(), "attune-tui: "+textsafe.Line(err.Error())+"\r\n"+msgCmdHelp)
				_ = sess.Exit(1)
				return
			}
		} else if sess.RawCommand() != "" || sess.Subsystem() != "" {
			st.setReason("refused: command or subsystem")
			_, _ = io.WriteString(sess.Stderr(), msgNoCmd)
			_ = sess.Exit(1)
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			st.setReason("refused: no pty")
			_, _ = io.WriteString(sess.Stderr(), msgNoPTY)
			_ = sess.Exit(1)
			return
		}
		next(sess)
	}
}

// checkCommand runs check on a command's words; a command string that
// does not split into words is refused before check sees it.
func checkCommand(check func([]string) error, words []string) error {
	if len(words) == 0 {
		return errors.New("the command cannot be read")
	}
	return check(words)
}

// teaMiddleware runs the TUI: it takes a session slot, builds the session's
// renderer and model, and runs a Bubble Tea program until the user quits,
// the client goes away, or a limit or shutdown ends it.
func (s *Server) teaMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.runSession(sess)
		next(sess)
	}
}

// runSession is the body of teaMiddleware.
func (s *Server) runSession(sess ssh.Session) {
	st := stateOf(sess)
	sl, refusal := s.acquire()
	if sl.done == nil {
		st.setReason("refused: " + refusal)
		_, _ = io.WriteString(sess.Stderr(), refusal+"\r\n")
		_ = sess.Exit(1)
		return
	}
	// Shutdown waits for done, so it runs only after the last write to the
	// client (the goodbye line and exit status).
	defer sl.done()

	pty, winch, _ := sess.Pty()
	// Drain window changes once the program is gone: the ssh package blocks
	// its request loop on this channel.
	defer func() {
		go func() {
			for range winch { //nolint:revive // draining
			}
		}()
	}()
	width, height := ClampWindow(pty.Window.Width, pty.Window.Height)

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()

	info := SessionInfo{
		Context:        ctx,
		ID:             st.id,
		User:           sess.User(),
		RemoteAddr:     sess.RemoteAddr(),
		PublicKey:      sess.PublicKey(),
		KeyFingerprint: Fingerprint(sess.PublicKey()),
		Term:           pty.Term,
		Width:          width,
		Height:         height,
		Renderer:       s.newRenderer(sess),
		Output:         sess,
		APIURL:         s.cfg.APIURL,
		NotifierURL:    s.cfg.NotifierURL,
		Token:          s.cfg.Token,
	}
	if sess.RawCommand() != "" {
		info.Command = sess.Command() // accepted by activeTermMiddleware
	}
	model, err := s.newModel(info)
	if err != nil {
		s.log.Error("model factory failed", "session", st.id, "error", textsafe.Line(err.Error()))
		st.setReason("error: model factory")
		sl.free()
		_, _ = io.WriteString(sess.Stderr(), msgStartErr)
		_ = sess.Exit(1)
		return
	}

	in := newActivityReader(sess, time.Now)
	eof := make(chan struct{})
	input := &eofReader{r: in, onEOF: sync.OnceFunc(func() { close(eof) })}
	out := &stallWriter{w: sess}
	p := tea.NewProgram(model,
		tea.WithInput(input),
		tea.WithOutput(out),
		tea.WithContext(ctx),
		tea.WithAltScreen(),
		tea.WithoutSignalHandler(),
	)

	watchDone := make(chan string, 1)
	go func() { watchDone <- s.watchSession(ctx, p, winch, in, eof, out, func() { _ = sess.Close() }) }()

	_, runErr := p.Run()
	cancel()
	reason := <-watchDone
	if runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled) {
		s.log.Warn("program ended with an error", "session", st.id, "error", textsafe.Line(runErr.Error()))
		reason = "error: program"
	}
	if reason == "" {
		reason = "quit"
	}
	st.setReason(reason)
	// The slot is free for a new session as soon as the program is gone; a
	// client that reconnects right after the exit status must get in.
	sl.free()
	if msg := endMessage(reason, s.cfg); msg != "" {
		_, _ = io.WriteString(sess, msg)
	}
	_ = sess.Exit(0)
}

// newModel calls the factory, turning a panic into an error.
func (s *Server) newModel(info SessionInfo) (m tea.Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model factory panicked: %v", r)
		}
	}()
	m, err = s.cfg.NewModel(info)
	if err == nil && m == nil {
		err = errors.New("model factory returned no model")
	}
	return m, err
}

// Reasons a session ends, as logged.
const (
	reasonIdle     = "idle timeout"
	reasonMax      = "maximum session length"
	reasonShutdown = "server shutdown"
	reasonClosed   = "client closed input"
	reasonStalled  = "client stopped reading output"
)

// endMessage is the line shown after the program left the alternate screen.
func endMessage(reason string, cfg Config) string {
	switch reason {
	case reasonIdle:
		return fmt.Sprintf("attune-tui: disconnected after %s without input.\r\n", cfg.IdleTimeout)
	case reasonMax:
		return fmt.Sprintf("attune-tui: the maximum session length (%s) was reached.\r\n", cfg.MaxSessionDuration)
	case reasonShutdown:
		return msgShutdown
	default:
		return ""
	}
}

// watchSession forwards window changes (clamped) to the program and ends it
// on idle timeout, maximum session length, server shutdown or end of input.
// It returns the reason it ended the program, or "" when the program ended
// by itself.
//
// A client that stopped reading (a write blocked for cfg.OutputStall) gets
// its connection closed, which fails the blocked write and lets the program
// end.
func (s *Server) watchSession(ctx context.Context, p *tea.Program, winch <-chan ssh.Window, in *activityReader,
	eof <-chan struct{}, out *stallWriter, closeConn func(),
) string {
	idle := time.NewTimer(s.cfg.IdleTimeout)
	defer idle.Stop()
	stallCheck := time.NewTicker(max(s.cfg.OutputStall/4, 10*time.Millisecond))
	defer stallCheck.Stop()
	maxLen := time.NewTimer(s.cfg.MaxSessionDuration)
	defer maxLen.Stop()
	for {
		var reason string
		select {
		case <-ctx.Done():
			return ""
		case w, ok := <-winch:
			if !ok {
				winch = nil
				continue
			}
			width, height := ClampWindow(w.Width, w.Height)
			p.Send(tea.WindowSizeMsg{Width: width, Height: height})
			continue
		case <-idle.C:
			if d := in.idleFor(); d < s.cfg.IdleTimeout {
				idle.Reset(s.cfg.IdleTimeout - d)
				continue
			}
			reason = reasonIdle
		case <-maxLen.C:
			reason = reasonMax
		case <-s.stopCh:
			reason = reasonShutdown
		case <-eof:
			reason = reasonClosed
		case now := <-stallCheck.C:
			if out.stalledFor(now) < s.cfg.OutputStall {
				continue
			}
			closeConn() // the blocked write fails, so the program can stop
			p.Kill()
			return reasonStalled
		}
		// Quit lets the program restore the terminal (leave the alternate
		// screen) before the goodbye line is written.
		p.Quit()
		return reason
	}
}

// newRenderer returns the session's lipgloss renderer: the client's colour
// profile from its TERM and environment (TERM=dumb or no TERM: ASCII), or
// ASCII when forced.
//
// It deliberately does not use wish's MakeRenderer: that turns on termenv's
// colour cache, which asks the terminal for its colours (OSC 10/11 + DA1)
// and blocks until the client answers — a client that never answers saw a
// blank screen, and a key typed meanwhile could be eaten as the answer.
// Light or dark background (for adaptive colours) comes from the client's
// COLORFGBG instead (or ATTUNE_BACKGROUND; see termbg), dark when absent.
func (s *Server) newRenderer(sess ssh.Session) *lipgloss.Renderer {
	pty, _, ok := sess.Pty()
	if s.cfg.ForceASCII || !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := sessionEnv(append(sess.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe())
	dark, _ := termbg.Dark(env.Getenv) // a bad override falls back to COLORFGBG
	r.SetHasDarkBackground(dark)
	return r
}

// sessionEnv is a client's environment as termenv reads it.
type sessionEnv []string

// Environ implements termenv.Environ.
func (e sessionEnv) Environ() []string { return e }

// Getenv implements termenv.Environ; the last assignment wins.
func (e sessionEnv) Getenv(key string) string {
	v := ""
	for _, kv := range e {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// stallWriter is the session output as the program sees it. It records when
// the write in progress started, so that a client that stops reading can be
// detected (the write blocks once the SSH channel window is full).
type stallWriter struct {
	w       io.Writer
	started atomic.Int64 // unix nanoseconds of the write in progress; 0 when none
}

// Write implements io.Writer.
func (w *stallWriter) Write(p []byte) (int, error) {
	w.started.Store(time.Now().UnixNano())
	n, err := w.w.Write(p)
	w.started.Store(0)
	return n, err
}

// stalledFor reports how long the write in progress has been blocked at now.
func (w *stallWriter) stalledFor(now time.Time) time.Duration {
	start := w.started.Load()
	if start == 0 {
		return 0
	}
	return now.Sub(time.Unix(0, start))
}

// eofReader calls onEOF when the client closes its input.
type eofReader struct {
	r     io.Reader
	onEOF func()
}

// Read implements io.Reader.
func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		e.onEOF()
	}
	return n, err
}
