package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// term is one tmux server on its own socket running one program.
type term struct {
	socket  string
	timeout time.Duration
}

// start runs argv with env in a detached tmux session of the shots' size.
// Any server left on the socket by an earlier run is stopped first.
func start(socket string, timeout time.Duration, env []string, argv ...string) (*term, error) {
	t := &term{socket: socket, timeout: timeout}
	_ = t.tmux("kill-server") // a leftover from an interrupted run; usually there is none
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	var envArgs []string
	for _, e := range env {
		envArgs = append(envArgs, "'"+strings.ReplaceAll(e, "'", `'\''`)+"'")
	}
	// env(1) sets the variables for the program itself: tmux would put its
	// own TERM in front of the session environment.
	cmd := "env " + strings.Join(envArgs, " ") + " " + strings.Join(q, " ") + "; echo '[exited]' $?; sleep 600"
	if err := t.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main",
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height), cmd); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *term) tmux(args ...string) error {
	out, err := exec.Command("tmux", append([]string{"-L", t.socket}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("tmux %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// close stops the tmux server and the program in it.
func (t *term) close() { _ = t.tmux("kill-server") }

// keys sends tmux key names ("Enter", "Escape", "j").
func (t *term) keys(keys ...string) error {
	return t.tmux(append([]string{"send-keys", "-t", "main"}, keys...)...)
}

// text types literal text.
func (t *term) text(s string) error { return t.tmux("send-keys", "-t", "main", "-l", s) }

// screen returns the pane's text, without colours.
func (t *term) screen() string {
	out, err := exec.Command("tmux", "-L", t.socket, "capture-pane", "-p", "-t", "main").Output()
	if err != nil {
		return fmt.Sprintf("<capture-pane failed: %v>", err)
	}
	return string(out)
}

// captureANSI returns the pane with its colours (SGR sequences).
func (t *term) captureANSI() (string, error) {
	out, err := exec.Command("tmux", "-L", t.socket, "capture-pane", "-e", "-p", "-t", "main").Output()
	if err != nil {
		return "", fmt.Errorf("capture-pane: %w", err)
	}
	return string(out), nil
}

// poll calls ok with the screen until it returns true or the timeout
// passes; the error names the screen and shows what was on it.
func (t *term) poll(what, expect string, ok func(string) bool) (string, error) {
	deadline := time.Now().Add(t.timeout)
	for {
		s := t.screen()
		if ok(s) {
			return s, nil
		}
		if time.Now().After(deadline) {
			return s, fmt.Errorf("%w: %s: waited %s for %s; the screen was:\n%s", errScreen, what, t.timeout, expect, s)
		}
		time.Sleep(50 * time.Millisecond) // poll interval of a condition wait
	}
}

func containsAll(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// waitFor waits until every anchor is on screen.
func (t *term) waitFor(what string, anchors ...string) error {
	_, err := t.poll(what, fmt.Sprintf("%q", anchors), func(s string) bool { return containsAll(s, anchors) })
	return err
}

// waitGone waits until none of the anchors is on screen.
func (t *term) waitGone(what string, anchors ...string) error {
	_, err := t.poll(what, fmt.Sprintf("%q to go", anchors), func(s string) bool {
		for _, a := range anchors {
			if strings.Contains(s, a) {
				return false
			}
		}
		return true
	})
	return err
}

// waitMatch waits until re matches the screen.
func (t *term) waitMatch(what string, re *regexp.Regexp) (string, error) {
	return t.poll(what, re.String(), re.MatchString)
}

// waitLine waits until the regular expression re matches the screen.
func (t *term) waitLine(what, re string) error {
	_, err := t.waitMatch(what, regexp.MustCompile(re))
	return err
}

// settle is how long a screen must stay unchanged to count as drawn: cells
// that fill in as answers arrive ("…") would otherwise be caught half way.
const settle = 400 * time.Millisecond

// waitStable waits until every anchor is on screen, no cell says it is
// still loading, and the screen has not changed for settle.
func (t *term) waitStable(what string, anchors ...string) error {
	var last string
	var since time.Time
	_, err := t.poll(what, fmt.Sprintf("%q on a settled screen", anchors), func(s string) bool {
		if !containsAll(s, anchors) || strings.Contains(s, "loading") {
			last = ""
			return false
		}
		if s != last {
			last, since = s, time.Now()
			return false
		}
		return time.Since(since) >= settle
	})
	return err
}
