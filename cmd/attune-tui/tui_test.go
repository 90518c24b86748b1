package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/attune-tui/attune-tui/internal/config"
	"github.com/attune-tui/attune-tui/ui/common"
)

// TestConfigureRemoteKeepsContextTokenAtHome points --url at another server
// while the config's current context holds a token: the token must never
// reach that server, --login must lead to a sign-in, and the warning must
// reach the TUI as well as stderr. (Not parallel: it sets the environment.)
func TestConfigureRemoteKeepsContextTokenAtHome(t *testing.T) {
	const secret = "PROD-SECRET-TOKEN-xyz"
	for _, k := range []string{config.EnvURL, config.EnvToken, config.EnvLogin, config.EnvPassword, config.EnvContext} {
		t.Setenv(k, "")
	}
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"Invalid login or password","code":"UNAUTHORIZED"}`))
	}))
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	cfgPath := filepath.Join(dir, "config.yaml")
	body := "current-context: prod\ncontexts:\n  prod:\n    url: https://attune.example.com\n    token: " + secret + "\n"
	if err := os.WriteFile(cfgPath, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}

	var deps common.Deps
	var stderr bytes.Buffer
	f := tuiFlags{configPath: cfgPath, url: srv.URL, login: "alice"}
	if err := configureRemote(f, &deps, &stderr); err != nil {
		t.Fatalf("configureRemote: %v", err)
	}
	if deps.API != nil || deps.Login == nil || deps.LoginName != "alice" {
		t.Fatalf("want the login form for alice, got API %v, login %v, name %q", deps.API, deps.Login != nil, deps.LoginName)
	}
	if len(deps.Warnings) != 1 || !strings.Contains(deps.Warnings[0], "not used for "+srv.URL) {
		t.Errorf("warnings for the TUI = %q", deps.Warnings)
	}
	if !strings.Contains(stderr.String(), "not used for") || strings.Contains(stderr.String(), secret) {
		t.Errorf("stderr = %q", stderr.String())
	}
	// Signing in talks to the server given by --url, without the token.
	if _, err := deps.Login(t.Context(), "alice", "wrong"); err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) == 0 {
		t.Fatal("the login form's client never reached the server")
	}
	for _, a := range auth {
		if strings.Contains(a, secret) {
			t.Errorf("the context's token was sent to another server: %s", a)
		}
	}
}

func TestParseTUIFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		wantMB int
		ok     bool
	}{
		{[]string{"--demo"}, 0, true},
		{[]string{"--demo", "--huge-event-mb", "50"}, 50, true},
		{[]string{"--demo", "--huge-event-mb", "-1"}, 0, false},
		{[]string{"--demo", "--huge-event-mb", "1025"}, 0, false},
		{[]string{"--demo", "extra"}, 0, false},
	}
	for _, tc := range tests {
		f, err := parseTUIFlags(tc.args, io.Discard)
		if (err == nil) != tc.ok || (tc.ok && f.hugeMB != tc.wantMB) {
			t.Errorf("parseTUIFlags(%q) = %d, %v", tc.args, f.hugeMB, err)
		}
	}
}

// TestPerPageOutOfRange pins the message for --per-page values the help
// (1-100) does not allow; they used to become 50 silently.
func TestPerPageOutOfRange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		arg  string
		want string // "" = accepted
	}{
		{"0", "--per-page 0: want 1 to 100"},
		{"-5", "--per-page -5: want 1 to 100"},
		{"1000", "--per-page 1000: want 1 to 100"},
		{"1", ""},
		{"100", ""},
	}
	for _, tc := range cases {
		t.Run(tc.arg, func(t *testing.T) {
			t.Parallel()
			f, err := parseTUIFlags([]string{"--demo", "--per-page", tc.arg}, io.Discard)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case tc.want == "" && fmt.Sprint(f.perPage) != tc.arg:
				t.Errorf("perPage = %d, want %s", f.perPage, tc.arg)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestContextFromConfig: the TUI takes the context's notifier_url (and
// --notifier-url over it), and --context nosuch names the valid contexts.
// (Not parallel: it sets the environment.)
func TestContextFromConfig(t *testing.T) {
	for _, k := range []string{config.EnvURL, config.EnvToken, config.EnvLogin, config.EnvPassword, config.EnvContext, config.EnvNotifierURL} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	body := "current-context: lab\ncontexts:\n  lab:\n    url: http://127.0.0.1:1\n    token: t\n    notifier_url: ws://127.0.0.1:2/ws\n  prod:\n    url: https://attune.example.com\n"
	if err := os.WriteFile(cfgPath, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var deps common.Deps
	if err := configureRemote(tuiFlags{configPath: cfgPath}, &deps, io.Discard); err != nil {
		t.Fatal(err)
	}
	if deps.NotifierURL != "ws://127.0.0.1:2/ws" || deps.Context != "lab" || deps.API == nil {
		t.Errorf("deps: notifier %q context %q api %v", deps.NotifierURL, deps.Context, deps.API != nil)
	}
	deps = common.Deps{}
	if err := configureRemote(tuiFlags{configPath: cfgPath, notifier: "ws://127.0.0.1:3/ws"}, &deps, io.Discard); err != nil {
		t.Fatal(err)
	}
	if deps.NotifierURL != "ws://127.0.0.1:3/ws" {
		t.Errorf("--notifier-url: %q", deps.NotifierURL)
	}
	err := run(context.Background(), []string{"--config", cfgPath, "--context", "nosuch"}, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `context "nosuch"`) || !strings.Contains(err.Error(), "valid contexts: lab, prod") || exitCode(err) != exitError {
		t.Fatalf("err = %v", err)
	}
}
