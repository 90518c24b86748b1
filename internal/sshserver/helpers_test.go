package sshserver

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	gossh "golang.org/x/crypto/ssh"
)

// waitTimeout bounds every wait on a condition in these tests.
const waitTimeout = 10 * time.Second

// newSigner returns a fresh ed25519 key.
func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// writeAuthorizedKeys writes an authorized_keys file listing keys.
func writeAuthorizedKeys(t testing.TB, dir string, keys ...gossh.Signer) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("# test keys\n\n")
	for _, k := range keys {
		b.Write(gossh.MarshalAuthorizedKey(k.PublicKey()))
	}
	path := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// testModel is a small tea.Model standing in for the real UI: it shows the
// session's user, key, size and a red word styled with the session renderer,
// reports every size it receives, and quits on "q".
type testModel struct {
	info  SessionInfo
	sizes chan<- [2]int
	w, h  int
	typed string
	count int
}

// Init implements tea.Model.
func (m testModel) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m testModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		if m.sizes != nil {
			select {
			case m.sizes <- [2]int{msg.Width, msg.Height}:
			default:
			}
		}
	case tea.KeyMsg:
		switch msg.String() {
		case "q":
			return m, tea.Quit
		case "+":
			m.count++
		default:
			m.typed += msg.String()
		}
	}
	return m, nil
}

// View implements tea.Model.
func (m testModel) View() string {
	style := m.info.Renderer.NewStyle().Foreground(lipgloss.Color("#ff0000"))
	return fmt.Sprintf("hello %s\nsize=%dx%d\nfp=%s\ncount=%d typed=%s\n%s",
		m.info.User, m.w, m.h, m.info.KeyFingerprint, m.count, m.typed, style.Render("RED"))
}

// testServer is a running Server with its files and keys.
type testServer struct {
	*Server
	addr    string
	hostKey gossh.PublicKey
	keyA    gossh.Signer // authorized
	keyB    gossh.Signer // authorized only when the options say so
	sizes   chan [2]int
	logs    *syncBuffer
	done    chan error
	cancel  context.CancelFunc
}

// serverOptions adjusts a test server's Config.
type serverOptions struct {
	authorizeB bool
	factory    func(SessionInfo, chan<- [2]int) (tea.Model, error)
	configure  func(*Config)
}

// startServer starts a Server on 127.0.0.1:0 with a host key in a temporary
// directory and stops it when the test ends.
func startServer(t *testing.T, opts serverOptions) *testServer {
	t.Helper()
	dir := t.TempDir()
	ts := &testServer{
		keyA:  newSigner(t),
		keyB:  newSigner(t),
		sizes: make(chan [2]int, 64),
		logs:  &syncBuffer{},
		done:  make(chan error, 1),
	}
	keys := []gossh.Signer{ts.keyA}
	if opts.authorizeB {
		keys = append(keys, ts.keyB)
	}
	factory := opts.factory
	if factory == nil {
		factory = func(info SessionInfo, sizes chan<- [2]int) (tea.Model, error) {
			return testModel{info: info, sizes: sizes, w: info.Width, h: info.Height}, nil
		}
	}
	cfg := Config{
		HostKeyPath:        filepath.Join(dir, "host_ed25519"),
		AuthorizedKeysPath: writeAuthorizedKeys(t, dir, keys...),
		NewModel: func(info SessionInfo) (tea.Model, error) {
			return factory(info, ts.sizes)
		},
		ForceASCII: true,
		Logger:     slog.New(slog.NewTextHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if opts.configure != nil {
		opts.configure(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = srv
	ts.hostKey = srv.hostKey.PublicKey()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	ts.cancel = cancel
	go func() { ts.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ts.done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(waitTimeout):
			t.Error("Serve did not return after cancel")
		}
	})
	return ts
}

// stop cancels the server and returns Serve's result and how long it took.
func (ts *testServer) stop(t *testing.T) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	ts.cancel()
	select {
	case err := <-ts.done:
		ts.done <- nil // let Cleanup see a result
		return time.Since(start), err
	case <-time.After(waitTimeout):
		t.Fatal("Serve did not return after cancel")
		return 0, nil
	}
}

// dial connects as user with the given auth methods.
func (ts *testServer) dial(user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: gossh.FixedHostKey(ts.hostKey),
		Timeout:         waitTimeout,
	})
}

// mustDial connects with key A and closes the client when the test ends.
func (ts *testServer) mustDial(t *testing.T) *gossh.Client {
	t.Helper()
	c, err := ts.dial("alice", gossh.PublicKeys(ts.keyA))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// term is a client session with a PTY whose output is collected.
type term struct {
	sess   *gossh.Session
	stdin  io.WriteCloser
	out    *syncBuffer
	errOut *syncBuffer
	done   chan error
}

// openTerm requests a PTY of the given size and TERM, sets env, and starts
// the shell (the TUI).
func openTerm(t *testing.T, c *gossh.Client, termName string, w, h int, env map[string]string) *term {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatalf("setenv: %v", err)
		}
	}
	if err := sess.RequestPty(termName, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	tm := &term{sess: sess, out: &syncBuffer{}, errOut: &syncBuffer{}, done: make(chan error, 1)}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	tm.stdin = stdin
	tm.out.onWrite = tm.answerQueries
	sess.Stdout = tm.out
	sess.Stderr = tm.errOut
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	go func() { tm.done <- sess.Wait() }()
	t.Cleanup(func() { _ = sess.Close() })
	return tm
}

// answerQueries answers the terminal queries the server sends before
// starting the program (background colour, primary device attributes), as
// a real terminal would.
func (tm *term) answerQueries(p []byte) {
	if bytes.Contains(p, []byte("\x1b[c")) {
		go func() { _, _ = tm.stdin.Write([]byte("\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;22c")) }()
	}
}

// waitOutput waits until stdout contains s.
func (tm *term) waitOutput(t *testing.T, s string) {
	t.Helper()
	if !tm.out.waitFor(s, waitTimeout) {
		t.Fatalf("stdout never contained %q; got %q (stderr %q)", s, tm.out.String(), tm.errOut.String())
	}
}

// wait waits for the session to end and returns its exit error.
func (tm *term) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-tm.done:
		return err
	case <-time.After(waitTimeout):
		t.Fatalf("session did not end; stdout %q", tm.out.String())
		return nil
	}
}

// exitStatus returns the exit status carried by err (0 for nil, -1 if none).
func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	var ee *gossh.ExitError
	if errors.As(err, &ee) {
		return ee.ExitStatus()
	}
	return -1
}

// syncBuffer is a goroutine-safe buffer that can be waited on.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
	onWrite func([]byte)
}

// Write implements io.Writer.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	n, _ := b.buf.Write(p)
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	cb := b.onWrite
	b.mu.Unlock()
	if cb != nil {
		cb(p)
	}
	return n, nil
}

// String returns the contents.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Len returns the number of bytes written.
func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// waitFor waits until the contents contain s, or timeout.
func (b *syncBuffer) waitFor(s string, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		b.mu.Lock()
		if strings.Contains(b.buf.String(), s) {
			b.mu.Unlock()
			return true
		}
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		ch := b.changed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}
