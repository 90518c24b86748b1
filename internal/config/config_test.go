package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const sampleFile = `current-context: dev
contexts:
  dev:
    url: http://127.0.0.1:8080
    login: admin
  prod:
    url: https://attune.example.com
    login: alice
    token_file: prod.token
    ca_file: ca.pem
    insecure: true
`

func writeFile(t *testing.T, path, body string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	yes := true
	no := false
	tests := []struct {
		name      string
		file      string // config body; "" = no file
		fileMode  os.FileMode
		token     string // prod.token body; "" = no file
		tokenMode os.FileMode
		flags     Flags
		env       map[string]string
		want      Config // Path and TokenFile are made absolute by the test
		wantWarn  []string
		wantErr   error
		errText   string
	}{
		{
			name: "file current context",
			file: sampleFile, fileMode: 0o600,
			want: Config{Context: "dev", URL: "http://127.0.0.1:8080", Login: "admin", Contexts: []string{"dev", "prod"}},
		},
		{
			name: "env selects context and token file is read",
			file: sampleFile, fileMode: 0o644, token: "tok-from-file\n", tokenMode: 0o600,
			env: map[string]string{EnvContext: "prod"},
			want: Config{
				Context: "prod", URL: "https://attune.example.com", Login: "alice", Token: "tok-from-file",
				TokenFile: "prod.token", CAFile: "ca.pem", Insecure: true, Contexts: []string{"dev", "prod"},
			},
		},
		{
			name: "flag context beats env context",
			file: sampleFile, fileMode: 0o600,
			flags: Flags{Context: "dev"},
			env:   map[string]string{EnvContext: "prod"},
			want:  Config{Context: "dev", URL: "http://127.0.0.1:8080", Login: "admin", Contexts: []string{"dev", "prod"}},
		},
		{
			name: "env beats file, flags beat env",
			file: sampleFile, fileMode: 0o600,
			flags: Flags{Login: "bob", Insecure: &yes},
			env:   map[string]string{EnvURL: "http://env:1", EnvLogin: "carol", EnvPassword: "pw", EnvToken: "envtok"},
			// --login asks for a sign-in, so the env token is not used; the
			// dev context is for another server, so its login is not either.
			want: Config{
				Context: "dev", URL: "http://env:1", Login: "bob", Password: "pw",
				Insecure: true, Contexts: []string{"dev", "prod"},
			},
			wantWarn: []string{`context "dev" is for http://127.0.0.1:8080; its login, token and TLS settings are not used for http://env:1`},
		},
		{
			name: "url flag for another server drops the context's credentials",
			file: sampleFile, fileMode: 0o600, token: "PROD-SECRET", tokenMode: 0o600,
			flags:    Flags{Context: "prod", URL: "http://127.0.0.1:18733", Login: "alice"},
			want:     Config{Context: "prod", URL: "http://127.0.0.1:18733", Login: "alice", Contexts: []string{"dev", "prod"}},
			wantWarn: []string{"not used for http://127.0.0.1:18733"},
		},
		{
			name: "url flag for the context's own server keeps its credentials",
			file: sampleFile, fileMode: 0o600, token: "tok", tokenMode: 0o600,
			flags: Flags{Context: "prod", URL: "HTTPS://Attune.Example.com/"},
			want: Config{
				Context: "prod", URL: "HTTPS://Attune.Example.com/", Login: "alice", Token: "tok",
				TokenFile: "prod.token", CAFile: "ca.pem", Insecure: true, Contexts: []string{"dev", "prod"},
			},
		},
		{
			name:     "context without url takes the given one",
			file:     "current-context: a\ncontexts:\n  a:\n    token: tok\n",
			fileMode: 0o600,
			env:      map[string]string{EnvURL: "https://api.example"},
			want:     Config{Context: "a", URL: "https://api.example", Token: "tok", Contexts: []string{"a"}},
		},
		{
			name: "env login beats the file's token",
			file: sampleFile, fileMode: 0o600, token: "tok", tokenMode: 0o600,
			env:  map[string]string{EnvContext: "prod", EnvLogin: "carol"},
			want: Config{Context: "prod", URL: "https://attune.example.com", Login: "carol", CAFile: "ca.pem", Insecure: true, Contexts: []string{"dev", "prod"}},
		},
		{
			name: "env token beats the file's login",
			file: sampleFile, fileMode: 0o600,
			env:  map[string]string{EnvToken: "envtok"},
			want: Config{Context: "dev", URL: "http://127.0.0.1:8080", Login: "admin", Token: "envtok", Contexts: []string{"dev", "prod"}},
		},
		{
			name: "flag token beats env token and token file",
			file: sampleFile, fileMode: 0o600, token: "filetok", tokenMode: 0o600,
			flags: Flags{Context: "prod", Token: "flagtok", Insecure: &no},
			env:   map[string]string{EnvToken: "envtok"},
			want: Config{
				Context: "prod", URL: "https://attune.example.com", Login: "alice", Token: "flagtok",
				CAFile: "ca.pem", Contexts: []string{"dev", "prod"},
			},
		},
		{
			name:  "no file, env only",
			env:   map[string]string{EnvURL: "http://127.0.0.1:9"},
			want:  Config{URL: "http://127.0.0.1:9"},
			flags: Flags{},
		},
		{
			name: "loose token file warns",
			file: sampleFile, fileMode: 0o600, token: "t", tokenMode: 0o644,
			flags:    Flags{Context: "prod"},
			want:     Config{Context: "prod", URL: "https://attune.example.com", Login: "alice", Token: "t", TokenFile: "prod.token", CAFile: "ca.pem", Insecure: true, Contexts: []string{"dev", "prod"}},
			wantWarn: []string{"token file has mode 0644"},
		},
		{
			name:     "loose config file with inline token warns",
			file:     "current-context: a\ncontexts:\n  a:\n    url: http://x\n    token: inline\n",
			fileMode: 0o640,
			want:     Config{Context: "a", URL: "http://x", Token: "inline", Contexts: []string{"a"}},
			wantWarn: []string{"holds a token but has mode 0640"},
		},
		{
			name: "unknown context",
			file: sampleFile, fileMode: 0o600,
			flags:   Flags{Context: "nope"},
			wantErr: ErrUnknownContext,
		},
		{
			name:    "context without file",
			env:     map[string]string{EnvContext: "prod", EnvURL: "http://x"},
			wantErr: ErrUnknownContext,
		},
		{
			name:    "no url anywhere",
			errText: "no API URL",
		},
		{
			name: "malformed yaml",
			file: "contexts: [\n", fileMode: 0o600,
			errText: "parse config",
		},
		{
			name: "missing token file",
			file: sampleFile, fileMode: 0o600,
			flags:   Flags{Context: "prod"},
			errText: "read token file",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			cfgPath := filepath.Join(home, "xdg", "attune-tui", "config.yaml")
			if tc.file != "" {
				writeFile(t, cfgPath, tc.file, tc.fileMode)
			}
			if tc.token != "" {
				writeFile(t, filepath.Join(filepath.Dir(cfgPath), "prod.token"), tc.token, tc.tokenMode)
			}
			env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "xdg")}
			for k, v := range tc.env {
				env[k] = v
			}
			got, warns, err := Resolve(tc.flags, MapLookup(env), "")
			if tc.wantErr != nil || tc.errText != "" {
				if err == nil {
					t.Fatalf("Resolve() error = nil, want %v %q", tc.wantErr, tc.errText)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Fatalf("Resolve() error = %v, want %v", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("Resolve() error = %q, want it to contain %q", err, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve() error = %v", err)
			}
			want := tc.want
			if tc.file != "" {
				want.Path = cfgPath
			}
			dir := filepath.Dir(cfgPath)
			if want.TokenFile != "" {
				want.TokenFile = filepath.Join(dir, want.TokenFile)
			}
			if want.CAFile != "" {
				want.CAFile = filepath.Join(dir, want.CAFile)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Resolve() mismatch (-want +got):\n%s", diff)
			}
			if len(warns) != len(tc.wantWarn) {
				t.Fatalf("warnings = %v, want %v", warns, tc.wantWarn)
			}
			for i, w := range tc.wantWarn {
				if !strings.Contains(warns[i].String(), w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, warns[i], w)
				}
			}
		})
	}
}

func TestExplicitConfigPathMustExist(t *testing.T) {
	t.Parallel()
	_, _, err := Resolve(Flags{ConfigPath: filepath.Join(t.TempDir(), "missing.yaml")}, MapLookup(nil), "")
	if err == nil || !strings.Contains(err.Error(), "read config") {
		t.Fatalf("Resolve() error = %v, want a read config error", err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"xdg", map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, filepath.Join("/x", "attune-tui", "config.yaml")},
		{"relative xdg ignored", map[string]string{"XDG_CONFIG_HOME": "rel", "HOME": "/h"}, filepath.Join("/h", ".config", "attune-tui", "config.yaml")},
		{"home", map[string]string{"HOME": "/h"}, filepath.Join("/h", ".config", "attune-tui", "config.yaml")},
		{"none", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := DefaultPath(MapLookup(tc.env)); got != tc.want {
				t.Errorf("DefaultPath() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	c := Config{URL: "http://x", Token: "s3cr3t-token", Password: "hunter2"}
	for _, s := range []string{c.String(), fmt.Sprint(c), fmt.Sprintf("%v %+v %s", c.Token, c, c.Password), fmt.Sprintf("%#v", c.Token)} {
		if strings.Contains(s, "s3cr3t") || strings.Contains(s, "hunter2") {
			t.Errorf("secret leaked in %q", s)
		}
	}
	if c.Token.Reveal() != "s3cr3t-token" {
		t.Errorf("Reveal() = %q", c.Token.Reveal())
	}
}

func TestReadTokenFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		name        string
		content     string
		mode        os.FileMode
		want        string
		wantWarning bool
		wantErr     bool
	}{
		{name: "private", content: "tok-123\n", mode: 0o600, want: "tok-123"},
		{name: "readable by others", content: "  tok-456  \nignored\n", mode: 0o644, want: "tok-456", wantWarning: true},
		{name: "empty", content: "\n", mode: 0o600, wantErr: true},
		{name: "too big", content: strings.Repeat("a", MaxTokenFileSize+1), mode: 0o600, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil { // umask-proof
				t.Fatal(err)
			}
			tok, warns, err := ReadTokenFile(path)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if tc.wantErr {
				return
			}
			if tok.Reveal() != tc.want {
				t.Fatalf("token %q", tok.Reveal())
			}
			if (len(warns) > 0) != tc.wantWarning {
				t.Fatalf("warnings %v", warns)
			}
			for _, w := range warns {
				if strings.Contains(w.String(), tc.want) {
					t.Fatal("warning contains the token")
				}
			}
		})
	}
}

// TestInputsThatLied pins the exact message for each input the issue found
// silently accepted or misreported.
func TestInputsThatLied(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tokenCases := []struct {
		name, content, wantErr string
	}{
		{"control character", "tok\x01en\n", "token file %s contains a control character at byte 4"},
		{"escape after spaces", "  ab\x1b[2Jcd\n", "token file %s contains a control character at byte 5"},
		{"blank lines first", "\n\ntok-123\n", "token file %s: first line is empty (the token must be on the first line)"},
		{"blank first line with spaces", "   \r\ntok-123\n", "token file %s: first line is empty (the token must be on the first line)"},
		{"empty", "", "token file %s is empty"},
		{"only newline", "\n", "token file %s is empty"},
	}
	for _, tc := range tokenCases {
		t.Run("token file "+tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			writeFile(t, path, tc.content, 0o600)
			_, _, err := ReadTokenFile(path)
			if want := fmt.Sprintf(tc.wantErr, path); err == nil || err.Error() != want {
				t.Errorf("err = %v, want %q", err, want)
			}
		})
	}
	t.Run("token flag with a control character", func(t *testing.T) {
		t.Parallel()
		_, _, err := Resolve(Flags{URL: "http://127.0.0.1:1", Token: "ab\ncd"}, nil, filepath.Join(dir, "none.yaml"))
		if want := "token contains a control character at byte 3"; err == nil || err.Error() != want {
			t.Errorf("err = %v, want %q", err, want)
		}
	})
	keyCases := []struct {
		name, file string
		want       []string
	}{
		{"context key typo", "contexts:\n  dev:\n    url: http://127.0.0.1:1\n    tokenfile: x\n",
			[]string{`unknown key "tokenfile" in context "dev" (line 4): did you mean "token_file"?`}},
		{"top-level typo", "current_context: dev\ncontexts:\n  dev:\n    url: http://127.0.0.1:1\n",
			[]string{`unknown key "current_context" (line 1): did you mean "current-context"?`}},
		{"nothing close", "contexts:\n  dev:\n    url: http://127.0.0.1:1\n    colour: red\n",
			[]string{`unknown key "colour" in context "dev" (line 4); valid keys: url, login, token, token_file, ca_file, insecure, notifier_url, web_url`}},
	}
	for _, tc := range keyCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".yaml")
			writeFile(t, path, tc.file, 0o600)
			_, warns, err := Resolve(Flags{ConfigPath: path, Context: "dev"}, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range warns {
				got = append(got, w.Message)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
