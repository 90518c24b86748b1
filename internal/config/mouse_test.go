package config

import (
	"path/filepath"
	"testing"
)

// TestMouseKey: the file's top-level "mouse: false" sets NoMouse (absent or
// true leaves it off) and is a known key (no warning).
func TestMouseKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       bool
	}{
		{name: "off", body: "mouse: false\n", want: true},
		{name: "on", body: "mouse: true\n"},
		{name: "absent", body: "current-context: \"\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "config.yaml")
			writeFile(t, path, tc.body+"contexts:\n  a:\n    url: http://127.0.0.1:1\n", 0o600)
			cfg, warns, err := Resolve(Flags{ConfigPath: path, Context: "a"}, MapLookup(nil), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(warns) != 0 {
				t.Errorf("warnings: %v", warns)
			}
			if cfg.NoMouse != tc.want {
				t.Errorf("NoMouse = %t, want %t", cfg.NoMouse, tc.want)
			}
		})
	}
}
