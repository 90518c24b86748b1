package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSwitchContext checks that the flags of a session after ":ctx NAME"
// resolve to that context: the flags that chose another API and its
// credentials no longer apply, the others stay.
func TestSwitchContext(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.yaml")
	const file = `current-context: a
contexts:
  a:
    url: http://127.0.0.1:1/a
  b:
    url: http://127.0.0.1:2/b
    web_url: https://ui.example.com/
`
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	f := tuiFlags{configPath: path, url: "http://127.0.0.1:9/flag", notifier: "ws://127.0.0.1:9/ws", perPage: 33,
		set: map[string]bool{"config": true, "url": true, "notifier-url": true, "per-page": true}}
	g := switchContext(f, "b")
	if g.url != "" || g.notifier != "" || g.perPage != 33 || g.configPath != path || !g.set["per-page"] || g.set["url"] {
		t.Errorf("switched flags = %+v", g)
	}
	r, err := resolveRemote(g, nil, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	if r.cfg.Context != "b" || r.cfg.URL != "http://127.0.0.1:2/b" || r.cfg.WebBase() != "https://ui.example.com" || len(r.cfg.Contexts) != 2 {
		t.Errorf("resolved %s (contexts %q, web %q)", r.cfg, r.cfg.Contexts, r.cfg.WebBase())
	}
	if f.url == "" || !f.set["url"] {
		t.Error("switchContext changed the caller's flags")
	}
}
