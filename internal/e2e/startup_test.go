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
	"strconv"
	"strings"
	"sync"
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
	cmd := exec.Command(bin, "devserver", "-listen", "127.0.0.1:0", "-fixed-time", "-events", "500")
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
		if strings.HasPrefix(k, "ATTUNE_") || k == "COLORFGBG" || k == "TERM" || k == "XDG_CONFIG_HOME" || k == "NO_COLOR" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TERM="+term, "XDG_CONFIG_HOME="+tb.TempDir(),
		"ATTUNE_API_URL="+s.url, "ATTUNE_TOKEN="+s.token)
}

// silentPTY is a program running in a pseudo-terminal whose other end
// reads everything and answers nothing, like a serial console or an editor
// terminal that ignores queries. The program is the session leader with the
// pty as its controlling terminal and in the foreground, so a library that
// asks the terminal questions does ask them here.
type silentPTY struct {
	start time.Time
	cmd   *exec.Cmd
	tty   *os.File

	mu     sync.Mutex
	out    bytes.Buffer
	err    error         // read error (EIO once the program has exited)
	update chan struct{} // closed and replaced on every read
}

func startSilentPTY(tb testing.TB, env []string, argv ...string) *silentPTY {
	tb.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	p := &silentPTY{cmd: cmd, update: make(chan struct{})}
	p.start = time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 120, Rows: 40})
	if err != nil {
		tb.Fatalf("start in a pty: %v", err)
	}
	p.tty = tty
	go p.read()
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = tty.Close()
	})
	return p
}

func (p *silentPTY) read() {
	buf := make([]byte, 32<<10)
	for {
		n, err := p.tty.Read(buf)
		p.mu.Lock()
		p.out.Write(buf[:n])
		if err != nil {
			p.err = err
		}
		close(p.update)
		p.update = make(chan struct{})
		p.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// waitFor waits until want has been written (raw bytes, escapes included)
// and returns the time since exec and everything written up to then.
func (p *silentPTY) waitFor(timeout time.Duration, want string) (time.Duration, string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		out, rerr, upd := p.out.String(), p.err, p.update
		p.mu.Unlock()
		if i := strings.Index(out, want); i >= 0 {
			return time.Since(p.start), out[:i+len(want)], nil
		}
		if rerr != nil {
			return 0, out, fmt.Errorf("program ended before %q appeared: %w", want, rerr)
		}
		select {
		case <-upd:
		case <-deadline.C:
			return 0, out, fmt.Errorf("timed out after %s waiting for %q", timeout, want)
		}
	}
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
			took, out, err := p.waitFor(wait, s.marker)
			if err != nil {
				t.Fatalf("%v; output:\n%q", err, p.out.String())
			}
			for _, q := range terminalQueries {
				if strings.Contains(out, q) {
					t.Errorf("asked the terminal %q before the first rows", q)
				}
			}
			if !strings.Contains(out, tc.title) {
				t.Errorf("title not drawn as %q", tc.title)
			}
			if took > 3*time.Second {
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
// silent pseudo-terminal and in tmux, and exec to the first byte of the
// same page from curl.
func BenchmarkStartup(b *testing.B) {
	s := startAPIServer(b)
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
	b.Run("silent-pty", func(b *testing.B) {
		env := tuiEnv(b, s, "xterm-256color")
		for b.Loop() {
			p := startSilentPTY(b, env, bin)
			if _, _, err := p.waitFor(wait, s.marker); err != nil {
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
			if err := c.run(bin, s.marker); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// controlTmux is a tmux server with a control-mode client attached: panes'
// output arrives as %output lines the moment tmux reads it, so the time to
// the first row needs no polling of the screen.
type controlTmux struct {
	socket string
	in     io.Writer
	lines  *bufio.Scanner
}

func startControlTmux(tb testing.TB, env []string) *controlTmux {
	tb.Helper()
	dir := tb.TempDir()
	socket := fmt.Sprintf("attune-e2e-%s-%s", filepath.Base(filepath.Dir(dir)), filepath.Base(dir))
	args := []string{"-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40"}
	for _, kv := range env {
		args = append(args, "-e", kv)
	}
	args = append(args, "sleep 600")
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		tb.Fatalf("tmux new-session: %v: %s", err, out)
	}
	tb.Cleanup(func() { _ = exec.Command("tmux", "-L", socket, "kill-server").Run() })
	cmd := exec.Command("tmux", "-L", socket, "-C", "attach", "-t", "main")
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("tmux -C: %v", err)
	}
	tb.Cleanup(func() { _ = in.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return &controlTmux{socket: socket, in: in, lines: sc}
}

// run replaces the pane's program with argv[0] and waits until want is in
// its output.
func (c *controlTmux) run(program, want string) error {
	if strings.ContainsAny(program, "\"\\$ ") {
		return fmt.Errorf("program path %q needs quoting", program)
	}
	if _, err := fmt.Fprintf(c.in, "respawn-pane -k -t main \"exec %s\"\n", program); err != nil {
		return fmt.Errorf("respawn-pane: %w", err)
	}
	// Output of the killed program may still be reported until tmux has
	// answered the command (%end); the new program's comes after it.
	respawned := false
	var seen strings.Builder
	for c.lines.Scan() {
		line := c.lines.Text()
		if !respawned {
			if strings.HasPrefix(line, "%error") {
				return fmt.Errorf("respawn-pane: %s", line)
			}
			respawned = strings.HasPrefix(line, "%end")
			continue
		}
		data, ok := strings.CutPrefix(line, "%output ")
		if !ok {
			continue
		}
		_, data, _ = strings.Cut(data, " ") // pane id
		seen.WriteString(unescapeControl(data))
		if strings.Contains(seen.String(), want) {
			return nil
		}
	}
	return fmt.Errorf("tmux control client ended before %q appeared: %v", want, c.lines.Err())
}

// unescapeControl undoes control mode's octal escapes (\ooo).
func unescapeControl(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
