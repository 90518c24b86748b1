package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestNotifierAndWebURL: notifier_url resolves like url (--notifier-url >
// ATTUNE_NOTIFIER_URL > the context's notifier_url), web_url comes from the
// context (WebBase falls back to the API origin), a context for another
// server gives neither, and bad URLs are refused.
func TestNotifierAndWebURL(t *testing.T) {
	t.Parallel()
	const file = `current-context: prod
contexts:
  prod:
    url: https://attune.example.com:8443/api
    notifier_url: wss://attune.example.com:8081/ws
    web_url: https://ui.example.com/
  bare:
    url: http://127.0.0.1:8080
  badws:
    url: http://127.0.0.1:8080
    notifier_url: http://127.0.0.1:8081/ws
`
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	writeFile(t, path, file, 0o600)
	cases := []struct {
		name     string
		flags    Flags
		env      map[string]string
		notifier string
		web      string // WebURL
		base     string // WebBase()
		warn     string
		err      string
	}{
		{name: "context", notifier: "wss://attune.example.com:8081/ws", web: "https://ui.example.com/", base: "https://ui.example.com"},
		{name: "env beats context", env: map[string]string{EnvNotifierURL: "ws://env:1/ws"},
			notifier: "ws://env:1/ws", web: "https://ui.example.com/", base: "https://ui.example.com"},
		{name: "flag beats env", flags: Flags{NotifierURL: "ws://flag:1/ws"}, env: map[string]string{EnvNotifierURL: "ws://env:1/ws"},
			notifier: "ws://flag:1/ws", web: "https://ui.example.com/", base: "https://ui.example.com"},
		{name: "no web_url: the API origin", flags: Flags{Context: "bare"}, base: "http://127.0.0.1:8080"},
		{name: "another server drops the context's urls", flags: Flags{URL: "http://127.0.0.1:9"},
			base: "http://127.0.0.1:9", warn: "(nor its notifier_url and web_url)"},
		{name: "another server still takes the flag", flags: Flags{URL: "http://127.0.0.1:9", NotifierURL: "ws://127.0.0.1:10/ws"},
			notifier: "ws://127.0.0.1:10/ws", base: "http://127.0.0.1:9", warn: "not used for"},
		{name: "context notifier not ws", flags: Flags{Context: "badws"}, err: `notifier URL "http://127.0.0.1:8081/ws": want a ws:// or wss:// URL`},
		{name: "flag notifier with credentials", flags: Flags{NotifierURL: "ws://u:p@h/ws"}, err: "credentials in the URL are not allowed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.flags.ConfigPath = path
			got, warns, err := Resolve(tc.flags, MapLookup(tc.env), "")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				if strings.Contains(err.Error(), ":p@") {
					t.Errorf("the password is in the error: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.NotifierURL != tc.notifier || got.WebURL != tc.web || got.WebBase() != tc.base {
				t.Errorf("notifier %q web %q base %q; want %q %q %q", got.NotifierURL, got.WebURL, got.WebBase(), tc.notifier, tc.web, tc.base)
			}
			var all []string
			for _, w := range warns {
				all = append(all, w.String())
			}
			if (tc.warn == "") != (len(all) == 0) || tc.warn != "" && !strings.Contains(strings.Join(all, "\n"), tc.warn) {
				t.Errorf("warnings %q, want %q", all, tc.warn)
			}
		})
	}
}

// TestUnknownContextListsNames: --context nosuch says which names exist.
func TestUnknownContextListsNames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	writeFile(t, path, sampleFile, 0o600)
	_, _, err := Resolve(Flags{ConfigPath: path, Context: "nosuch"}, nil, "")
	if !errors.Is(err, ErrUnknownContext) || !strings.Contains(err.Error(), "valid contexts: dev, prod") {
		t.Fatalf("err = %v", err)
	}
	_, _, err = Resolve(Flags{Context: "nosuch"}, MapLookup(map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, "none")}), "")
	if !errors.Is(err, ErrUnknownContext) || !strings.Contains(err.Error(), "there is no config file") {
		t.Fatalf("no file: err = %v", err)
	}
}
