package sshserver

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

func TestPTYSessionRendersModelAndQuits(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	tm := openTerm(t, ts.mustDial(t), "xterm-256color", 80, 24, nil)
	tm.waitOutput(t, "hello alice")
	tm.waitOutput(t, "size=80x24")
	tm.waitOutput(t, "fp="+Fingerprint(ts.keyA.PublicKey()))
	if _, err := tm.stdin.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	tm.waitOutput(t, "typed=x")
	if _, err := tm.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := tm.wait(t); exitStatus(err) != 0 {
		t.Fatalf("exit: %v", err)
	}
	if !ts.logs.waitFor("reason=quit", waitTimeout) {
		t.Fatalf("no session end log: %s", ts.logs.String())
	}
	logs := ts.logs.String()
	for _, want := range []string{"session start", "user=alice", "key=" + Fingerprint(ts.keyA.PublicKey()), "remote=127.0.0.1:"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

func TestWindowChangeResizesAndSizesAreClamped(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name             string
		w, h             int // PTY request
		wantW, wantH     int
		changeW, changeH int // window-change
		wantCW, wantCH   int
	}{
		{name: "normal", w: 80, h: 24, wantW: 80, wantH: 24, changeW: 120, changeH: 40, wantCW: 120, wantCH: 40},
		{name: "zero", w: 0, h: 0, wantW: DefaultWidth, wantH: DefaultHeight, changeW: 0, changeH: 0, wantCW: DefaultWidth, wantCH: DefaultHeight},
		{name: "one", w: 1, h: 1, wantW: 1, wantH: 1, changeW: 1, changeH: 1, wantCW: 1, wantCH: 1},
		{name: "huge", w: 65535, h: 65535, wantW: MaxWidth, wantH: MaxHeight, changeW: 65535, changeH: 65535, wantCW: MaxWidth, wantCH: MaxHeight},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, serverOptions{})
			tm := openTerm(t, ts.mustDial(t), "xterm", tc.w, tc.h, nil)
			waitSize(t, ts.sizes, tc.wantW, tc.wantH)
			if err := tm.sess.WindowChange(tc.changeH, tc.changeW); err != nil {
				t.Fatal(err)
			}
			// A change to the same size is still delivered as its own message.
			waitSize(t, ts.sizes, tc.wantCW, tc.wantCH)
			if _, err := tm.stdin.Write([]byte("q")); err != nil {
				t.Fatal(err)
			}
			if err := tm.wait(t); exitStatus(err) != 0 {
				t.Fatalf("exit: %v", err)
			}
		})
	}
}

// waitSize waits until the model reports the given size.
func waitSize(t *testing.T, sizes <-chan [2]int, w, h int) {
	t.Helper()
	timeout := time.After(waitTimeout)
	for {
		select {
		case s := <-sizes:
			if s == [2]int{w, h} {
				return
			}
		case <-timeout:
			t.Fatalf("model never got size %dx%d", w, h)
		}
	}
}

func TestClampWindow(t *testing.T) {
	t.Parallel()
	cases := []struct{ w, h, wantW, wantH int }{
		{0, 0, DefaultWidth, DefaultHeight},
		{-5, 3, DefaultWidth, 3},
		{1, 1, 1, 1},
		{80, 24, 80, 24},
		{MaxWidth, MaxHeight, MaxWidth, MaxHeight},
		{65535, 65535, MaxWidth, MaxHeight},
		{1 << 31, 1 << 31, MaxWidth, MaxHeight},
	}
	for _, tc := range cases {
		if w, h := ClampWindow(tc.w, tc.h); w != tc.wantW || h != tc.wantH {
			t.Errorf("ClampWindow(%d, %d) = %d, %d; want %d, %d", tc.w, tc.h, w, h, tc.wantW, tc.wantH)
		}
	}
}

func TestAuthenticationRejected(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	unknown := newSigner(t)
	cases := []struct {
		name string
		auth []gossh.AuthMethod
	}{
		{name: "unknown key", auth: []gossh.AuthMethod{gossh.PublicKeys(unknown)}},
		{name: "password", auth: []gossh.AuthMethod{gossh.Password("secret")}},
		{name: "keyboard-interactive", auth: []gossh.AuthMethod{gossh.KeyboardInteractive(
			func(string, string, []string, []bool) ([]string, error) { return nil, nil })}},
		{name: "none", auth: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := ts.dial("mallory", tc.auth...)
			if err == nil {
				_ = c.Close()
				t.Fatal("authentication succeeded")
			}
			if !strings.Contains(err.Error(), "unable to authenticate") {
				t.Fatalf("unexpected error: %v", err)
			}
		})
	}
}

func TestAuthenticationAdvertisesOnlyPublicKey(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	// The server lists only "publickey", so the client never even tries
	// its password.
	_, err := ts.dial("mallory", gossh.Password("x"))
	if err == nil || !strings.Contains(err.Error(), "attempted methods [none]") {
		t.Fatalf("want the password method not offered, got %v", err)
	}
}

// lyingSigner claims one public key but signs with another key, so the
// server accepts its offer (a query without signature) and then rejects its
// signature.
type lyingSigner struct {
	claimed gossh.PublicKey
	signer  gossh.Signer
}

// PublicKey implements gossh.Signer.
func (l lyingSigner) PublicKey() gossh.PublicKey { return l.claimed }

// Sign implements gossh.Signer.
func (l lyingSigner) Sign(rand io.Reader, data []byte) (*gossh.Signature, error) {
	return l.signer.Sign(rand, data)
}

func TestAuthorizesTheAuthenticatedKeyNotTheOffered(t *testing.T) {
	t.Parallel()
	other := newSigner(t)
	cases := []struct {
		name       string
		authorizeB bool
		signers    func(ts *testServer) []gossh.Signer
		wantKey    func(ts *testServer) gossh.PublicKey // nil: authentication must fail
	}{
		{
			name:    "offer B (not authorized), authenticate with A",
			signers: func(ts *testServer) []gossh.Signer { return []gossh.Signer{ts.keyB, ts.keyA} },
			wantKey: func(ts *testServer) gossh.PublicKey { return ts.keyA.PublicKey() },
		},
		{
			name: "offer A (authorized), authenticate with B (not authorized)",
			signers: func(ts *testServer) []gossh.Signer {
				return []gossh.Signer{lyingSigner{claimed: ts.keyA.PublicKey(), signer: ts.keyB}, ts.keyB}
			},
		},
		{
			name: "offer A without its private key, then only unauthorized keys",
			signers: func(ts *testServer) []gossh.Signer {
				return []gossh.Signer{lyingSigner{claimed: ts.keyA.PublicKey(), signer: other}, other}
			},
		},
		{
			name:       "offer unknown key, then B; A and B authorized",
			authorizeB: true,
			signers:    func(ts *testServer) []gossh.Signer { return []gossh.Signer{other, ts.keyB} },
			wantKey:    func(ts *testServer) gossh.PublicKey { return ts.keyB.PublicKey() },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, serverOptions{authorizeB: tc.authorizeB})
			c, err := ts.dial("alice", gossh.PublicKeys(tc.signers(ts)...))
			if tc.wantKey == nil {
				if err == nil {
					_ = c.Close()
					t.Fatal("authentication succeeded with a key the client does not hold")
				}
				return
			}
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			t.Cleanup(func() { _ = c.Close() })
			tm := openTerm(t, c, "xterm", 100, 24, nil)
			tm.waitOutput(t, "fp="+Fingerprint(tc.wantKey(ts)))
			if !ts.logs.waitFor("key="+Fingerprint(tc.wantKey(ts)), waitTimeout) {
				t.Fatalf("log lacks the authenticated key: %s", ts.logs.String())
			}
		})
	}
}

func TestNoPTYRejectedWithMessage(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	sess, err := ts.mustDial(t).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr syncBuffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	err = sess.Wait()
	if exitStatus(err) != 1 {
		t.Fatalf("exit: %v", err)
	}
	if got := stderr.String(); got != msgNoPTY {
		t.Fatalf("stderr = %q, want %q", got, msgNoPTY)
	}
	if stdout.Len() != 0 {
		t.Fatalf("stdout = %q", stdout.String())
	}
}

func TestExecSubsystemAndForwardingRefused(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	c := ts.mustDial(t)
	cases := []struct {
		name string
		try  func() error
	}{
		{name: "exec", try: func() error {
			s, err := c.NewSession()
			if err != nil {
				return err
			}
			defer s.Close()
			_, err = s.CombinedOutput("id; cat /etc/passwd")
			return err
		}},
		{name: "exec with pty", try: func() error {
			s, err := c.NewSession()
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.RequestPty("xterm", 24, 80, nil); err != nil {
				return err
			}
			return s.Start("sh")
		}},
		{name: "sftp subsystem", try: func() error {
			s, err := c.NewSession()
			if err != nil {
				return err
			}
			defer s.Close()
			return s.RequestSubsystem("sftp")
		}},
		{name: "x11", try: func() error {
			s, err := c.NewSession()
			if err != nil {
				return err
			}
			defer s.Close()
			ok, err := s.SendRequest("x11-req", true, gossh.Marshal(struct {
				Single bool
				Proto  string
				Cookie string
				Screen uint32
			}{Proto: "MIT-MAGIC-COOKIE-1", Cookie: "00"}))
			if err == nil && ok {
				return nil
			}
			return errors.New("refused")
		}},
		{name: "local port forwarding", try: func() error {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return nil // cannot test; reported as failure below
			}
			defer ln.Close()
			conn, err := c.Dial("tcp", ln.Addr().String())
			if err == nil {
				_ = conn.Close()
			}
			return err
		}},
		{name: "remote port forwarding", try: func() error {
			ln, err := c.Listen("tcp", "127.0.0.1:0")
			if err == nil {
				_ = ln.Close()
			}
			return err
		}},
		{name: "unknown channel type", try: func() error {
			ch, _, err := c.OpenChannel("auth-agent@openssh.com", nil)
			if err == nil {
				_ = ch.Close()
			}
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.try(); err == nil {
				t.Fatal("request was accepted")
			}
		})
	}
	if !ts.logs.waitFor("session request refused", waitTimeout) || !strings.Contains(ts.logs.String(), `command="id; cat /etc/passwd"`) {
		t.Errorf("refusal not logged: %s", ts.logs.String())
	}
	// The connection is still good for the TUI.
	tm := openTerm(t, c, "xterm", 80, 24, nil)
	tm.waitOutput(t, "hello alice")
}

func TestSessionLimit(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{configure: func(c *Config) { c.MaxSessions = 1 }})
	first := openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil)
	first.waitOutput(t, "hello alice")

	second := openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil)
	if err := second.wait(t); exitStatus(err) != 1 {
		t.Fatalf("second session exit: %v", err)
	}
	if got := second.errOut.String(); !strings.Contains(got, "server is full (1 sessions)") {
		t.Fatalf("second session stderr = %q", got)
	}
	if _, err := first.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := first.wait(t); exitStatus(err) != 0 {
		t.Fatal(err)
	}
	// The slot is free again.
	third := openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil)
	third.waitOutput(t, "hello alice")
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		configure func(*Config)
		typing    bool
		want      string
		reason    string
	}{
		{
			name:      "idle",
			configure: func(c *Config) { c.IdleTimeout = 300 * time.Millisecond },
			want:      "disconnected after 300ms without input",
			reason:    "reason=\"idle timeout\"",
		},
		{
			name: "max session length",
			configure: func(c *Config) {
				c.MaxSessionDuration = 400 * time.Millisecond
			},
			typing: true,
			want:   "maximum session length (400ms) was reached",
			reason: "reason=\"maximum session length\"",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, serverOptions{configure: tc.configure})
			tm := openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil)
			tm.waitOutput(t, "hello alice")
			if tc.typing {
				// Input does not extend the maximum session length.
				if _, err := tm.stdin.Write([]byte("a")); err != nil {
					t.Fatal(err)
				}
			}
			tm.waitOutput(t, tc.want)
			if err := tm.wait(t); exitStatus(err) != 0 {
				t.Fatalf("exit: %v", err)
			}
			out := tm.out.String()
			// The goodbye line comes after the alternate screen was left.
			if i, j := strings.LastIndex(out, "\x1b[?1049l"), strings.Index(out, tc.want); i < 0 || i > j {
				t.Errorf("goodbye line not after leaving the alternate screen: %q", out)
			}
			if !ts.logs.waitFor(tc.reason, waitTimeout) {
				t.Errorf("logs lack %s: %s", tc.reason, ts.logs.String())
			}
		})
	}
}

func TestIdleTimerResetByInput(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{configure: func(c *Config) { c.IdleTimeout = time.Second }})
	tm := openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil)
	tm.waitOutput(t, "hello alice")
	start := time.Now()
	// Keep typing for over twice the idle timeout; the session must live.
	// (A keystroke every 100 ms leaves a loaded machine 900 ms of slack.)
	for i := 0; time.Since(start) < 2200*time.Millisecond; i++ {
		if _, err := tm.stdin.Write([]byte("+")); err != nil {
			t.Fatalf("session died while typing after %s: %v", time.Since(start), err)
		}
		select {
		case err := <-tm.done:
			t.Fatalf("session ended while typing after %s: %v", time.Since(start), err)
		case <-time.After(100 * time.Millisecond): // typing cadence, not synchronisation
		}
	}
	tm.waitOutput(t, "without input")
}

func TestRateLimitBeforeAuthentication(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{configure: func(c *Config) { c.Rate = Rate{PerSecond: 0.001, Burst: 2} }})
	for i := range 2 {
		c, err := ts.dial("alice", gossh.PublicKeys(ts.keyA))
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		_ = c.Close()
	}
	// The third connection is closed before the SSH version exchange: the
	// raw TCP connection reads EOF without a server banner.
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(waitTimeout))
	b, err := io.ReadAll(conn)
	if err != nil || len(b) != 0 {
		t.Fatalf("rate-limited connection got %q, %v; want immediate close", b, err)
	}
	if _, err := ts.dial("alice", gossh.PublicKeys(ts.keyA)); err == nil {
		t.Fatal("fourth connection accepted")
	}
	if !strings.Contains(ts.logs.String(), "connection refused: rate limit") {
		t.Errorf("rate limit not logged: %s", ts.logs.String())
	}
}

func TestLoginGrace(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{configure: func(c *Config) { c.LoginGrace = 200 * time.Millisecond }})
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Never send a version string: the server must hang up after the grace
	// period.
	_ = conn.SetDeadline(time.Now().Add(waitTimeout))
	start := time.Now()
	if _, err := io.ReadAll(conn); err != nil {
		t.Fatalf("read: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("stalled connection lived %s", d)
	}
}

func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	terms := []*term{
		openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil),
		openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil),
	}
	for _, tm := range terms {
		tm.waitOutput(t, "hello alice")
	}
	took, err := ts.stop(t)
	if err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if took > 4*time.Second {
		t.Fatalf("shutdown took %s", took)
	}
	for _, tm := range terms {
		tm.waitOutput(t, "server is shutting down")
		_ = tm.wait(t)
	}
	if _, err := ts.dial("alice", gossh.PublicKeys(ts.keyA)); err == nil {
		t.Fatal("connected after shutdown")
	}
}

func TestShutdownWithStuckModel(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	ts := startServer(t, serverOptions{
		configure: func(c *Config) { c.ShutdownTimeout = 300 * time.Millisecond },
		factory: func(info SessionInfo, sizes chan<- [2]int) (tea.Model, error) {
			return stuckModel{testModel: testModel{info: info, sizes: sizes}, block: block}, nil
		},
	})
	tm := openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil)
	tm.waitOutput(t, "hello alice")
	if _, err := tm.stdin.Write([]byte("s")); err != nil { // the model now blocks in Update
		t.Fatal(err)
	}
	took, err := ts.stop(t)
	if err != nil {
		t.Fatal(err)
	}
	if took > 3*time.Second {
		t.Fatalf("shutdown took %s", took)
	}
	_ = tm.wait(t)
}

// stuckModel blocks in Update on "s" until block is closed.
type stuckModel struct {
	testModel
	block chan struct{}
}

// Update implements tea.Model.
func (m stuckModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "s" {
		<-m.block
	}
	tm, cmd := m.testModel.Update(msg)
	m.testModel = tm.(testModel)
	return m, cmd
}

func TestFactoryFailure(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		factory func(SessionInfo, chan<- [2]int) (tea.Model, error)
	}{
		{name: "error", factory: func(SessionInfo, chan<- [2]int) (tea.Model, error) {
			return nil, errors.New("api down\x1b[2J")
		}},
		{name: "nil model", factory: func(SessionInfo, chan<- [2]int) (tea.Model, error) { return nil, nil }},
		{name: "panic", factory: func(SessionInfo, chan<- [2]int) (tea.Model, error) { panic("boom") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, serverOptions{factory: tc.factory})
			tm := openTerm(t, ts.mustDial(t), "xterm", 80, 24, nil)
			if err := tm.wait(t); exitStatus(err) != 1 {
				t.Fatalf("exit: %v", err)
			}
			if got := tm.errOut.String(); got != msgStartErr {
				t.Fatalf("stderr = %q", got)
			}
			if !ts.logs.waitFor("session end", waitTimeout) {
				t.Fatalf("no session end log: %s", ts.logs.String())
			}
			if strings.Contains(ts.logs.String(), "\x1b") {
				t.Fatalf("raw escape in logs: %q", ts.logs.String())
			}
			if ts.ActiveSessions() != 0 {
				t.Fatalf("slot leaked: %d active", ts.ActiveSessions())
			}
		})
	}
}

func TestLogsNeutraliseClientStrings(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{})
	c, err := ts.dial("evil\x1b]2;pwned\x07\u202e", gossh.PublicKeys(ts.keyA))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	tm := openTerm(t, c, "xterm\x1b[2J", 80, 24, nil)
	tm.waitOutput(t, "hello evil")
	logs := ts.logs.String()
	if strings.ContainsAny(logs, "\x1b\x07\u202e") {
		t.Fatalf("raw control characters in logs: %q", logs)
	}
	if !strings.Contains(logs, `\x1b]2;pwned`) {
		t.Fatalf("escaped user not in logs: %s", logs)
	}
}

func TestTwoSessionsRenderWithTheirOwnColourProfile(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOptions{configure: func(c *Config) { c.ForceASCII = false }})
	c := ts.mustDial(t)
	cases := []struct {
		name     string
		term     string
		env      map[string]string
		wantSGR  string // expected colour sequence before "RED"; "" = none
		forbidSG bool
	}{
		{name: "truecolor", term: "xterm-256color", env: map[string]string{"COLORTERM": "truecolor"}, wantSGR: "38;2;255;0;0m"},
		{name: "256 colours", term: "xterm-256color", wantSGR: "38;5;196m"},
		{name: "dumb", term: "dumb", forbidSG: true},
	}
	outputs := map[string]string{}
	for _, tc := range cases {
		tm := openTerm(t, c, tc.term, 80, 24, tc.env)
		tm.waitOutput(t, "RED")
		tm.waitOutput(t, "hello alice")
		out := tm.out.String()
		outputs[tc.name] = out
		line, _, _ := strings.Cut(out, "RED")
		line = line[max(0, len(line)-40):]
		switch {
		case tc.wantSGR != "" && !strings.Contains(line, tc.wantSGR):
			t.Errorf("%s: want %q before RED, got %q", tc.name, tc.wantSGR, line)
		case tc.forbidSG && strings.Contains(line, "38;"):
			t.Errorf("%s: colour in %q", tc.name, line)
		}
	}
	if outputs["truecolor"] == outputs["dumb"] || outputs["256 colours"] == outputs["truecolor"] {
		t.Error("sessions with different terminals rendered identically")
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	factory := func(SessionInfo) (tea.Model, error) { return testModel{}, nil }
	empty := dir + "/empty"
	if err := writeFile(empty, "# nobody\n", 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{name: "no factory", cfg: Config{HostKeyPath: dir + "/hk", AuthorizedKeysPath: empty}, want: "NewModel"},
		{name: "no authorized keys", cfg: Config{HostKeyPath: dir + "/hk", NewModel: factory}, want: "no file given"},
		{name: "missing authorized keys", cfg: Config{HostKeyPath: dir + "/hk", AuthorizedKeysPath: dir + "/nope", NewModel: factory}, want: "no such file"},
		{name: "empty authorized keys", cfg: Config{HostKeyPath: dir + "/hk", AuthorizedKeysPath: empty, NewModel: factory}, want: "no valid public key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New: %v; want error containing %q", err, tc.want)
			}
		})
	}
}
