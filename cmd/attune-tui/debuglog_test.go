package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/config"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/theme"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestDebugLogFile runs the TUI's wiring against the dev server with
// --debug-log: the file gets request lines (method, path, status,
// duration, attempt) and navigation lines, never the token; with
// --debug-log-bodies it gets redacted bodies. An existing file's mode is
// fixed to 0600 and a symbolic link is refused. (Not parallel: it sets the
// environment.)
func TestDebugLogFile(t *testing.T) {
	for _, k := range []string{config.EnvURL, config.EnvToken, config.EnvLogin, config.EnvPassword, config.EnvContext} {
		t.Setenv(k, "")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dev := testutil.StartDevServer(t, testutil.DevOptions{Login: "dbg", Password: "pw-Very-S3cret-771"})
	c, err := client.New(dev.URL)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := c.Auth.Login(t.Context(), dev.Login, dev.Password)
	if err != nil {
		t.Fatal(err)
	}
	for _, bodies := range []bool{false, true} {
		dir := t.TempDir()
		path := filepath.Join(dir, "debug.log")
		if err := os.WriteFile(path, []byte("old line\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"--url", dev.URL, "--debug-log", path}
		if bodies {
			args = append(args, "--debug-log-bodies")
		}
		f, err := parseTUIFlags(args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		f.token = tok.AccessToken
		logger, closeLog, err := openDebugLog(f.debugLog)
		if err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("mode of the existing debug log = %v, %v; want 0600", info.Mode().Perm(), err)
		}
		deps := common.Deps{Lifetime: t.Context(), Logger: logger, PerPage: 20, Now: uitest.Now}
		if err := configureRemote(f, &deps, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !deps.AutoLive {
			t.Error("the TUI does not look for a live source by itself")
		}
		deps.AutoLive = false // pump runs every command to its end; a live source never ends
		// Now is fixed, so the root's clock could change nothing; pump
		// would wait out a tick (1 s) on every round.
		deps.TickInterval = -1
		deps.Styles = theme.New(uitest.Renderer())
		app := ui.New(deps)
		pump := func(cmd tea.Cmd) {
			for i := 0; cmd != nil && i < 10; i++ {
				var next []tea.Cmd
				for _, msg := range uitest.Run(cmd) {
					_, c := app.Update(msg)
					next = append(next, c)
				}
				cmd = tea.Batch(next...)
			}
		}
		_, _ = app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		pump(app.Init())
		pump(func() tea.Msg { return uitest.Key("enter") })
		pump(func() tea.Msg { return uitest.Key("esc") })
		closeLog()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out := string(data)
		for _, want := range []string{
			"method=GET path=/api/v1/events", "status=200", "attempt=1", "duration=",
			"msg=navigate", "action=open", "kind=event", "action=back",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("bodies=%v: debug log lacks %q:\n%s", bodies, want, out)
			}
		}
		for _, secret := range []string{tok.AccessToken, tok.RefreshToken, dev.Password, "Bearer"} {
			if strings.Contains(out, secret) {
				t.Errorf("bodies=%v: debug log contains a secret %q", bodies, secret)
			}
		}
		if got := strings.Contains(out, "response_body="); got != bodies {
			t.Errorf("bodies logged = %v, want %v", got, bodies)
		}
	}

	t.Run("symlink refused", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "target")
		if err := os.WriteFile(target, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "link.log")
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		if _, _, err := openDebugLog(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("err = %v, want a refusal naming the symbolic link", err)
		}
	})
	t.Run("bodies need a log", func(t *testing.T) {
		if _, err := parseTUIFlags([]string{"--demo", "--debug-log-bodies"}, io.Discard); err == nil || err.Error() != "--debug-log-bodies needs --debug-log" {
			t.Errorf("err = %v", err)
		}
	})
}
