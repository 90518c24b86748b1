package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Start-up: exec to the first row of data on screen, in a terminal that
// answers nothing (a pseudo-terminal of our own whose master never writes)
// and in tmux, next to curl of the same page. Run the numbers with
//
//	go test -run '^$' -bench Startup -benchtime 20x ./internal/e2e
//
// (BENCHMARKS.md, "Start-up").

// terminalQueries are the requests a program writes to learn the terminal's
// background colour (OSC 11) and cursor position (DSR 6): a terminal that
// does not answer them must not delay the first frame.
var terminalQueries = []string{"\x1b]11;?", "\x1b[6n"}

// apiServer is a running `attune-tui devserver` and a token for it.
type apiServer struct {
	url, token string
	// marker is text of the first row of the event list (the newest event's
	// trigger), read from the same page the TUI asks for.
	marker string
}

// page is the first page of the event list as the TUI asks for it.
func (s apiServer) page() string { return s.url + "/api/v1/events?page=1&per_page=50" }

// startAPIServer runs `attune-tui devserver` on a free loopback port with
// fixed seed data, signs in and reads the first event's trigger.
func startAPIServer(tb testing.TB) apiServer {
	tb.Helper()
	cmd := exec.Command(bin, "devserver", "--listen", "127.0.0.1:0", "--fixed-time", "--events", "500")
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start devserver: %v", err)
	}
	tb.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var s apiServer
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "URL:"); ok {
			s.url = strings.TrimSpace(u)
			break
		}
	}
	if s.url == "" {
		tb.Fatalf("devserver printed no URL (%v)", sc.Err())
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()

	var login struct {
		Data struct {
			AccessToken string `json:"access_token"`
		} `json:"data"`
	}
	getJSON(tb, http.MethodPost, s.url+"/auth/login", "", `{"login":"demo","password":"demo"}`, &login)
	s.token = login.Data.AccessToken
	var events struct {
		Items []struct {
			Trigger string `json:"trigger_ref"`
		} `json:"items"`
	}
	getJSON(tb, http.MethodGet, s.page(), s.token, "", &events)
	if s.token == "" || len(events.Items) == 0 || events.Items[0].Trigger == "" {
		tb.Fatalf("devserver: no token or no events (%d)", len(events.Items))
	}
	s.marker = events.Items[0].Trigger
	return s
}

func getJSON(tb testing.TB, method, url, token, body string, v any) {
	tb.Helper()
	req, err := http.NewRequestWithContext(tb.Context(), method, url, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, req.URL.Path, err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("%s %s: %s", method, req.URL.Path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		tb.Fatalf("%s %s: %v", method, req.URL.Path, err)
	}
}

// tuiEnv is the environment of a TUI run against s: the token by variable,
// no config file of the user's, no COLORFGBG (the case where nothing tells
// the background).
func tuiEnv(tb testing.TB, s apiServer, term string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		// CI: termenv takes any terminal for a pipe when it is set (no
		// colours), and the test is about a real terminal.
		if strings.HasPrefix(k, "ATTUNE_") || k == "COLORFGBG" || k == "TERM" || k == "XDG_CONFIG_HOME" || k == "NO_COLOR" || k == "CI" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TERM="+term, "XDG_CONFIG_HOME="+tb.TempDir(),
		"ATTUNE_API_URL="+s.url, "ATTUNE_TOKEN="+s.token)
}

// stream collects what a reader yields and lets a test wait for text in it.
type stream struct {
	mu     sync.Mutex
	out    bytes.Buffer
	err    error         // read error (EIO from a pty once the program has exited)
	update chan struct{} // closed and replaced on every read
}

func newStream(r io.Reader) *stream {
	s := &stream{update: make(chan struct{})}
	go s.read(r)
	return s
}

func (s *stream) read(r io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		s.mu.Lock()
		s.out.Write(buf[:n])
		if err != nil {
			s.err = err
		}
		close(s.update)
		s.update = make(chan struct{})
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// String returns everything read so far.
func (s *stream) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// waitFor waits until want has been read (raw bytes, escapes included)
// after the first occurrence of after ("" for the start), and returns
// everything read up to the end of want.
func (s *stream) waitFor(timeout time.Duration, after, want string) (string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		out, rerr, upd := s.out.String(), s.err, s.update
		s.mu.Unlock()
		if i := strings.Index(out, after); i >= 0 {
			if j := strings.Index(out[i+len(after):], want); j >= 0 {
				return out[:i+len(after)+j+len(want)], nil
			}
		}
		if rerr != nil {
			return out, fmt.Errorf("output ended before %q appeared: %w", want, rerr)
		}
		select {
		case <-upd:
		case <-deadline.C:
			return out, fmt.Errorf("timed out after %s waiting for %q", timeout, want)
		}
	}
}

// silentPTY is a program running in a pseudo-terminal whose other end
// reads everything and answers nothing, like a serial console or an editor
// terminal that ignores queries. The program is the session leader with the
// pty as its controlling terminal and in the foreground, so a library that
// asks the terminal questions does ask them here.
type silentPTY struct {
	*stream
	start time.Time
	cmd   *exec.Cmd
	tty   *os.File
}

func startSilentPTY(tb testing.TB, env []string, argv ...string) *silentPTY {
	tb.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	start := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 120, Rows: 40})
	if err != nil {
		tb.Fatalf("start in a pty: %v", err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = tty.Close()
	})
	return &silentPTY{stream: newStream(tty), start: start, cmd: cmd, tty: tty}
}

// TestStartupSilentTerminal runs the TUI in a terminal that answers no
// query: the first rows must come without asking the terminal anything
// (asking would wait for an answer that never comes: 10 s with termenv's
// two 5 s timeouts). The time bound is kept loose for loaded machines; the
// absence of queries is the exact check.
func TestStartupSilentTerminal(t *testing.T) {
	t.Parallel()
	s := startAPIServer(t)
	// title is how the screen title is drawn: the accent colour of the
	// background the environment tells (dark when it tells nothing).
	for _, tc := range []struct{ name, term, colorfgbg, title string }{
		{name: "xterm", term: "xterm-256color", title: "\x1b[1;38;5;147mEvents"},
		{name: "light COLORFGBG", term: "xterm-256color", colorfgbg: "0;15", title: "\x1b[1;38;5;61mEvents"},
		{name: "dumb", term: "dumb", title: " Events "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := tuiEnv(t, s, tc.term)
			if tc.colorfgbg != "" {
				env = append(env, "COLORFGBG="+tc.colorfgbg)
			}
			p := startSilentPTY(t, env, bin)
			out, err := p.waitFor(wait, "", s.marker)
			took := time.Since(p.start)
			if err != nil {
				t.Fatalf("%v; output:\n%q", err, out)
			}
			for _, q := range terminalQueries {
				if strings.Contains(out, q) {
					t.Errorf("asked the terminal %q before the first rows", q)
				}
			}
			if !strings.Contains(out, tc.title) {
				t.Errorf("title not drawn as %q", tc.title)
			}
			if took > 4*time.Second { // below termenv's 5 s wait for one unanswered query
				t.Errorf("first rows after %s", took)
			}
			t.Logf("first rows after %s", took)
			if _, err := p.tty.Write([]byte("q")); err != nil {
				t.Fatal(err)
			}
			if err := p.cmd.Wait(); err != nil {
				t.Fatalf("exit: %v", err)
			}
		})
	}
}

// BenchmarkStartup measures exec to the first row on screen (ns/op) in a
// silent pseudo-terminal and in tmux, exec to the first byte of the same
// page from curl, and exec to exit of `attune-tui version` (the floor).
//
// ATTUNE_STARTUP_BIN names another attune-tui binary to measure (an older
// build, for a before/after); the dev server is always this build's.
func BenchmarkStartup(b *testing.B) {
	s := startAPIServer(b)
	tui := bin
	if other := os.Getenv("ATTUNE_STARTUP_BIN"); other != "" {
		tui = other
	}
	b.Run("curl", func(b *testing.B) {
		if _, err := exec.LookPath("curl"); err != nil {
			b.Skip("curl not installed")
		}
		for b.Loop() {
			cmd := exec.Command("curl", "-sf", "-H", "Authorization: Bearer "+s.token, s.page())
			out, err := cmd.StdoutPipe()
			if err != nil {
				b.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			one := make([]byte, 1)
			if _, err := io.ReadFull(out, one); err != nil {
				b.Fatalf("curl: %v", err)
			}
			b.StopTimer()
			_, _ = io.Copy(io.Discard, out)
			if err := cmd.Wait(); err != nil {
				b.Fatalf("curl: %v", err)
			}
			b.StartTimer()
		}
	})
	// The floor: exec of the same binary that prints its version and exits.
	b.Run("exec-version", func(b *testing.B) {
		for b.Loop() {
			if out, err := exec.Command(tui, "version").CombinedOutput(); err != nil {
				b.Fatalf("version: %v: %s", err, out)
			}
		}
	})
	b.Run("silent-pty", func(b *testing.B) {
		env := tuiEnv(b, s, "xterm-256color")
		for b.Loop() {
			p := startSilentPTY(b, env, tui)
			if _, err := p.waitFor(wait, "", s.marker); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
			b.StartTimer()
		}
	})
	b.Run("tmux", func(b *testing.B) {
		requireTool(b, "tmux")
		c := startControlTmux(b, tuiEnv(b, s, "xterm-256color"))
		for b.Loop() {
			if err := c.run(s.marker, tui); err != nil {
				b.Fatal(err)
			}
		}
	})
	// tmux's own share: the same way to `attune-tui version`'s output.
	b.Run("tmux-version", func(b *testing.B) {
		requireTool(b, "tmux")
		c := startControlTmux(b, tuiEnv(b, s, "xterm-256color"))
		for b.Loop() {
			if err := c.run("attune-tui ", tui, "version"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// controlTmux is a tmux server with a control-mode client attached (its
// own output notifications off: tmux 3.3a can abort the server when a
// control client falls behind on them), and the pane's output piped, as
// tmux reads it, into a FIFO the benchmark reads.
type controlTmux struct {
	in   io.Writer
	pane *stream
	runs int
}

func startControlTmux(tb testing.TB, env []string) *controlTmux {
	tb.Helper()
	dir := tb.TempDir()
	fifo := filepath.Join(dir, "pane")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		tb.Fatal(err)
	}
	// Read-write, so that the FIFO has a writer and never reads EOF.
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = f.Close() })
	// The socket lives in the test's directory, which goes with it (tmux
	// leaves its socket file behind).
	socket := filepath.Join(dir, "tmux")
	// The server starts with env, so panes get exactly it.
	start := exec.Command("tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "sleep 600")
	start.Env = env
	if out, err := start.CombinedOutput(); err != nil {
		tb.Fatalf("tmux new-session: %v: %s", err, out)
	}
	tb.Cleanup(func() { _ = exec.Command("tmux", "-S", socket, "kill-server").Run() })
	cmd := exec.Command("tmux", "-S", socket, "-C", "attach", "-t", "main")
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		tb.Fatalf("tmux -C: %v", err)
	}
	tb.Cleanup(func() { _ = in.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	if _, err := fmt.Fprintf(in, "refresh-client -f no-output\nset-option -g remain-on-exit on\npipe-pane -t main 'cat >> %s'\n", fifo); err != nil {
		tb.Fatal(err)
	}
	return &controlTmux{in: in, pane: newStream(f)}
}

// run replaces the pane's program with argv and waits until want is in
// its output. A shell prints a mark of this run first and execs program,
// so output of the program it replaced cannot count.
func (c *controlTmux) run(want string, argv ...string) error {
	for _, a := range argv {
		if a == "" || strings.ContainsAny(a, "\"\\$ ';") {
			return fmt.Errorf("argument %q needs quoting", a)
		}
	}
	program := strings.Join(argv, " ")
	c.runs++
	mark := fmt.Sprintf("startup-run-%d;", c.runs)
	if _, err := fmt.Fprintf(c.in, "respawn-pane -k -t main \"printf '%s'; exec %s\"\n", mark, program); err != nil {
		return fmt.Errorf("respawn-pane: %w", err)
	}
	if out, err := c.pane.waitFor(wait, mark, want); err != nil {
		return fmt.Errorf("%w; pane output: %q", err, out[max(0, len(out)-2000):])
	}
	return nil
}
