package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/ui/keydoc"
)

// TestHelpGolden pins each command's --help (regenerate with -update).
func TestHelpGolden(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/config") // the serve --host-key default shows it
	for _, name := range []string{"root", "devserver", "serve", "version", "completion", "event", "enforcement", "execution", "trace", "why", "events", "enforcements", "executions", "get", "get events", "get event"} {
		t.Run(name, func(t *testing.T) {
			args := []string{"--help"}
			if name != "root" {
				args = append(strings.Fields(name), "--help")
			}
			var out, errOut bytes.Buffer
			err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
			if err != nil || errOut.Len() > 0 {
				t.Fatalf("err %v, stderr %q", err, errOut.String())
			}
			if !strings.Contains(out.String(), "Exit codes:\n  0  success") {
				t.Errorf("help of %s lacks the exit codes", name)
			}
			golden.RequireEqual(t, out.Bytes())
		})
	}
}

// TestUsageErrors: unknown flags name the closest one, unknown commands
// the closest command, and both are usage errors (exit code 2); other
// failures are exit code 1.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
		code int
	}{
		{[]string{"--notifer-url", "ws://x"}, "unknown flag --notifer-url; did you mean --notifier-url?", exitUsage},
		{[]string{"--demo", "--per-pag", "5"}, "unknown flag --per-pag; did you mean --per-page?", exitUsage},
		{[]string{"devserver", "--lisen", "x"}, "unknown flag --lisen; did you mean --listen?", exitUsage},
		{[]string{"serve", "--authorized-key", "x"}, "unknown flag --authorized-key; did you mean --authorized-keys?", exitUsage},
		{[]string{"--zzzzzzzz"}, "unknown flag --zzzzzzzz", exitUsage},
		{[]string{"sevre"}, `unknown command "sevre" for "attune-tui"; did you mean serve?`, exitUsage},
		{[]string{"--per-page", "0"}, "--per-page 0: want 1 to 100", exitUsage},
		{[]string{"--per-page", "x"}, `invalid argument "x" for "--per-page"`, exitUsage},
		{[]string{"version", "extra"}, "unknown command", exitUsage},
		{[]string{"completion", "tcsh"}, `invalid argument "tcsh"`, exitUsage},
		{[]string{"devserver", "--listen", "0.0.0.0:0"}, "not a loopback address", exitError},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			c := &cli{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
			c.tui = func(context.Context, tuiFlags, string) error { return errors.New("the TUI ran") }
			err := c.execute(context.Background(), tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if got := exitCode(err); got != tc.code {
				t.Errorf("exit code %d, want %d", got, tc.code)
			}
		})
	}
}

// TestCompletion: each shell's script names the program and its commands.
func TestCompletion(t *testing.T) {
	t.Parallel()
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			if err := run(context.Background(), []string{"completion", sh}, strings.NewReader(""), &out, &bytes.Buffer{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "attune-tui") || out.Len() < 1000 {
				t.Errorf("%s script looks wrong (%d bytes)", sh, out.Len())
			}
		})
	}
}

// TestRootRunsTUI: flags before and after reach the TUI runner parsed.
func TestRootRunsTUI(t *testing.T) {
	t.Parallel()
	var got tuiFlags
	c := &cli{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	c.tui = func(_ context.Context, f tuiFlags, _ string) error { got = f; return nil }
	if err := c.execute(context.Background(), []string{"--demo", "--seed=7", "--notifier-url", "ws://127.0.0.1:1/ws", "--insecure"}); err != nil {
		t.Fatal(err)
	}
	if !got.demo || got.seed != 7 || got.notifier != "ws://127.0.0.1:1/ws" || !got.set["insecure"] || got.set["url"] {
		t.Errorf("flags = %+v", got)
	}
}

// TestKeysMarkdown: `attune-tui keys --markdown` prints the table the
// README includes, byte for byte.
func TestKeysMarkdown(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if err := run(context.Background(), []string{"keys", "--markdown"}, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if out.String() != keydoc.Markdown() || !strings.Contains(out.String(), "#### Event list") {
		t.Errorf("keys --markdown printed %d bytes, not the generated table", out.Len())
	}
}
