// Command screenshots drives the real attune-tui binary in tmux and renders
// each screen of the README to an SVG under docs/screenshots, with
// github.com/charmbracelet/freeze (pinned, run through go run).
//
//	go run ./scripts/screenshots           # rewrite docs/screenshots/*.svg
//	go run ./scripts/screenshots -check    # only check every screen is reached
//
// Run it from the repository root. It needs tmux, and for the SSH shot
// ssh and ssh-keygen. Every run uses the same seed, the same clock
// (ATTUNE_DEMO_NOW), the same API address (ATTUNE_DEMO_LISTEN), a 120×36
// window and true colour, and waits for text on screen (never a fixed
// delay), so the same code gives the same bytes; the live "↑ N new" shot
// needs live traffic and is the one that can differ between runs.
//
// Check mode fails loudly, naming the screen and showing what was on it,
// when a screen it expects cannot be reached; it does not render or compare
// pictures, so it runs without freeze.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

const (
	// demoNow is the demo's fixed clock: five minutes after the newest
	// seeded event, as in the UI tests.
	demoNow = "2026-06-11T14:05:00Z"
	// width and height are the terminal size of every shot.
	width, height = 120, 36
	// freezePkg is the pinned renderer.
	freezePkg = "github.com/charmbracelet/freeze@v0.2.2"
	// fontFamily is named, not embedded: an embedded font costs 370 kB per
	// picture.
	fontFamily = "JetBrains Mono, Menlo, Consolas, DejaVu Sans Mono, monospace"
)

type options struct {
	check   bool
	out     string
	timeout time.Duration
	only    string
	ansiDir string
}

func main() {
	var o options
	flag.BoolVar(&o.check, "check", false, "only check that every screen is reached (no rendering, nothing written)")
	flag.StringVar(&o.out, "out", filepath.Join("docs", "screenshots"), "directory for the SVG files")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "how long to wait for each screen")
	flag.StringVar(&o.only, "only", "", "comma-separated shot names to take (default all)")
	flag.StringVar(&o.ansiDir, "ansi", "", "also write each raw capture (text with SGR colours) to this directory as <name>.ans")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots: FAIL:", err)
		os.Exit(1)
	}
}

// shot is one picture: a name (the file is <name>.svg) and the screen it
// shows.
type shot struct {
	name string
	what string
}

// capture is a shot taken: its name and the pane's text with its colours.
type capture struct {
	shot
	ansi string
}

func run(o options) error {
	for _, tool := range []string{"tmux", "ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is required: %w", tool, err)
		}
	}
	tmp, err := os.MkdirTemp("", "attune-screenshots-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	bin := filepath.Join(tmp, "attune-tui")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/attune-tui").CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/attune-tui (run from the repository root): %w\n%s", err, out)
	}
	want := func(name string) bool {
		return o.only == "" || strings.Contains(","+o.only+",", ","+name+",")
	}
	var caps []capture
	for _, part := range []struct {
		name string
		take func(string, options, func(string) bool) ([]capture, error)
	}{{"tour", tour}, {"live", live}, {"ssh", overSSH}} {
		c, err := part.take(bin, o, want)
		if err != nil {
			return fmt.Errorf("%s: %w", part.name, err)
		}
		caps = append(caps, c...)
	}
	for _, c := range caps {
		fmt.Printf("ok  %-20s %s\n", c.name, c.what)
	}
	if o.ansiDir != "" {
		if err := os.MkdirAll(o.ansiDir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", o.ansiDir, err)
		}
		for _, c := range caps {
			if err := os.WriteFile(filepath.Join(o.ansiDir, c.name+".ans"), []byte(c.ansi), 0o644); err != nil {
				return fmt.Errorf("write capture: %w", err)
			}
		}
	}
	if o.check {
		fmt.Printf("check: %d screens reached\n", len(caps))
		return nil
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", o.out, err)
	}
	for _, c := range caps {
		if err := render(c, filepath.Join(o.out, c.name+".svg")); err != nil {
			return err
		}
	}
	return nil
}

// demoEnv is the environment of every demo: fixed clock and address, true
// colour.
func demoEnv(port int) []string {
	return []string{"TERM=xterm-256color", "COLORTERM=truecolor", "NO_COLOR=",
		"ATTUNE_DEMO_NOW=" + demoNow, fmt.Sprintf("ATTUNE_DEMO_LISTEN=127.0.0.1:%d", port)}
}

// tour takes the shots of the README's two-minute tour, in its order, in
// one session: the same keys a newcomer presses.
func tour(bin string, o options, want func(string) bool) ([]capture, error) {
	t, err := start("attune-shots-tour", o.timeout, demoEnv(7780), bin, "--demo", "--seed", "1", "--live-rate", "0")
	if err != nil {
		return nil, err
	}
	defer t.close()
	var caps []capture
	take := func(s shot) error {
		if !want(s.name) {
			return nil
		}
		a, err := t.captureANSI()
		if err != nil {
			return err
		}
		caps = append(caps, capture{shot: s, ansi: a})
		return nil
	}
	steps := []func() error{
		func() error { return t.waitStable("event list", "Events", "page 1", "● live") },
		// 1. Filter the list by trigger: the filter shows as a chip.
		func() error { return t.keys("/") },
		func() error { return t.waitStable("filter bar", "trigger_ref") },
		func() error { return t.text("trigger_ref:kubernetes.pod_event") },
		func() error { return t.keys("Enter") },
		func() error {
			return t.waitStable("filtered event list", "trigger_ref:kubernetes.pod_event", "page 1", "→ 2 ✗2")
		},
		func() error {
			return take(shot{"events-filter", "event list with a filter chip and the CAUSED column"})
		},
		// 2. c twice: only events that caused a failure; enter opens one.
		func() error { return t.keys("c") },
		func() error { return t.waitStable("caused filter", "caused something") },
		func() error { return t.keys("c") },
		func() error { return t.waitStable("caused filter", "caused a failure") },
		func() error { return t.keys("Enter") },
		func() error { return t.waitStable("event detail", "Events › #", "[Payload]", `"reason"`) },
		func() error { return take(shot{"event-detail", "event detail: the payload in the JSON viewer"}) },
		// 3. w: why each rule did or did not fire.
		func() error { return t.keys("w") },
		func() error { return t.waitStable("why panel", "Rules for #", "✗", "✓", "actual") },
		func() error { return take(shot{"why", `"why didn't it fire?": every rule re-evaluated`}) },
		// 4. esc, e, enter: the enforcement and its conditions.
		func() error { return t.keys("Escape") },
		func() error { return t.waitGone("event detail again", "Rules for #") },
		func() error { return t.waitStable("event detail again", "[Payload]") },
		func() error { return t.keys("e") },
		func() error { return t.waitStable("enforcements of the event", "Enforcements of #", "processed") },
		func() error { return t.keys("Enter") },
		func() error {
			return t.waitStable("enforcement detail", "Enforcement #", "[Conditions]", "✓", "→ true")
		},
		func() error {
			return take(shot{"enforcement-detail", "enforcement detail: each check ✓/✗ with the value read"})
		},
		// 5. esc esc, t: the trace; j j O: the failed execution's stderr.
		func() error { return t.keys("Escape") },
		func() error { return t.waitGone("enforcement list again", "[Conditions]") },
		func() error { return t.waitStable("enforcement list again", "Enforcements of #") },
		func() error { return t.keys("Escape") },
		func() error { return t.waitStable("event detail again", "[Payload]") },
		func() error { return t.keys("t") },
		func() error { return t.waitStable("trace", "Trace of #", "execution #", "stderr:") },
		func() error {
			return take(shot{"trace", "trace: event → enforcements → executions, last stderr line"})
		},
		func() error { return t.keys("j") },
		func() error { return t.waitLine("trace cursor on the enforcement", `(?m)^>\s+▾ enforcement #`) },
		func() error { return t.keys("j") },
		func() error { return t.waitLine("trace cursor on the execution", `(?m)^>\s+▸ execution #`) },
		func() error { return t.keys("O") },
		func() error { return t.waitStable("execution output", "Output #", "[stderr]", "Traceback") },
		func() error { return take(shot{"logs", "an execution's stderr in the log viewer"}) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	return caps, nil
}

// newRE matches the event list's "↑ N new" marker.
var newRE = regexp.MustCompile(`↑ \d+ new`)

// live takes the "↑ N new" shot: live traffic on, the cursor off the newest
// row, so new events are announced instead of scrolled in.
func live(bin string, o options, want func(string) bool) ([]capture, error) {
	if !want("live") {
		return nil, nil
	}
	t, err := start("attune-shots-live", o.timeout, demoEnv(7781), bin, "--demo", "--seed", "1", "--live-rate", "1")
	if err != nil {
		return nil, err
	}
	defer t.close()
	if err := t.waitFor("event list", "Events", "page 1", "● live"); err != nil {
		return nil, err
	}
	if err := t.keys("j"); err != nil {
		return nil, err
	}
	if _, err := t.waitMatch("live new-events marker", newRE); err != nil {
		return nil, err
	}
	a, err := t.captureANSI()
	if err != nil {
		return nil, err
	}
	return []capture{{shot: shot{"live", `live updates: "↑ N new" while you read`}, ansi: a}}, nil
}

// overSSH takes the `serve` shot: attune-tui serve --demo, an OpenSSH
// client in tmux, the sign-in form, then an event's trace.
func overSSH(bin string, o options, want func(string) bool) ([]capture, error) {
	if !want("ssh") {
		return nil, nil
	}
	dir, err := os.MkdirTemp("", "attune-shots-ssh-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	key := filepath.Join(dir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "screenshots", "-f", key).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("ssh-keygen: %w: %s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		return nil, fmt.Errorf("read public key: %w", err)
	}
	auth := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(auth, pub, 0o600); err != nil {
		return nil, fmt.Errorf("write authorized_keys: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv := exec.Command(bin, "serve", "--demo", "--listen", addr, "--authorized-keys", auth, "--host-key", filepath.Join(dir, "host_key"))
	srv.Env = append(os.Environ(), demoEnv(7782)...)
	var srvOut bytes.Buffer
	srv.Stdout, srv.Stderr = &srvOut, &srvOut
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start serve: %w", err)
	}
	defer func() {
		_ = srv.Process.Signal(os.Interrupt)
		// The exit status after our interrupt says nothing: only wait.
		done := make(chan struct{})
		go func() { _ = srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = srv.Process.Kill()
			<-done
		}
	}()
	if err := waitListening(addr, o.timeout); err != nil {
		return nil, fmt.Errorf("serve did not listen on %s: %w\n%s", addr, err, srvOut.String())
	}
	host, port, _ := net.SplitHostPort(addr)
	t, err := start("attune-shots-ssh", o.timeout, []string{"TERM=xterm-256color", "COLORTERM=truecolor"},
		"ssh", "-tt", "-p", port, "-i", key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes", "oncall@"+host)
	if err != nil {
		return nil, err
	}
	defer t.close()
	steps := []func() error{
		func() error { return t.waitStable("sign-in form over SSH", "Login") },
		func() error { return t.text("demo") },
		func() error { return t.keys("Tab") },
		func() error { return t.text("demo") },
		func() error { return t.keys("Enter") },
		func() error { return t.waitFor("event list over SSH", "Events", "page 1") },
		func() error { return t.keys(":") },
		func() error { return t.text("trace 2858") },
		func() error { return t.keys("Enter") },
		func() error { return t.waitStable("trace over SSH", "Trace of #2858", "event #2858") },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	a, err := t.captureANSI()
	if err != nil {
		return nil, err
	}
	return []capture{{shot: shot{"ssh", "attune-tui serve: the same UI over SSH"}, ansi: a}}, nil
}

// render writes c as an SVG with freeze.
func render(c capture, path string) error {
	cmd := exec.Command("go", "run", freezePkg, "--language", "ansi", "--window=false",
		"--font.family", fontFamily, "--font.size", "14", "--line-height", "1.2",
		"--padding", "20", "--margin", "0", "--output", path)
	cmd.Stdin = strings.NewReader(c.ansi)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("freeze %s: %w\n%s", c.name, err, out)
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("freeze %s: no picture written to %s: %w", c.name, path, err)
	}
	if st.Size() == 0 {
		return fmt.Errorf("freeze %s: no picture written to %s (empty file)", c.name, path)
	}
	fmt.Printf("wrote %s (%d bytes)\n", path, st.Size())
	return nil
}

// freeAddr returns a free loopback address for the SSH server.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// waitListening polls until addr accepts a connection.
func waitListening(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond) // poll interval of a condition wait
	}
}

// errScreen is returned when a screen is not reached in time.
var errScreen = errors.New("screen not reached")
