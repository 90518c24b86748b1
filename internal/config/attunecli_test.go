package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttuneCLIProfiles: the Attune CLI's profiles are contexts when named
// by --context or ATTUNE_CONTEXT (with no config of our own), ours win on a
// name clash, the CLI's current profile is not picked by itself, a broken
// file is a warning, and a token in a loose file is warned about.
func TestAttuneCLIProfiles(t *testing.T) {
	t.Parallel()
	const cliFile = `profile: staging
profiles:
  default:
    api_url: http://localhost:8080
  staging:
    api_url: https://staging.example.com
    auth_token: STAGING-ACCESS-TOKEN
    refresh_token: STAGING-REFRESH
    username: alice
    description: staging
format: table
`
	newHome := func(t *testing.T, cli string, mode os.FileMode, ours string) (string, LookupFunc) {
		dir := t.TempDir()
		if cli != "" {
			writeFile(t, filepath.Join(dir, "attune", "config.yaml"), cli, mode)
		}
		if ours != "" {
			writeFile(t, filepath.Join(dir, "attune-tui", "config.yaml"), ours, 0o600)
		}
		return dir, MapLookup(map[string]string{"XDG_CONFIG_HOME": dir})
	}

	t.Run("selected by --context", func(t *testing.T) {
		t.Parallel()
		_, lookup := newHome(t, cliFile, 0o600, "")
		cfg, warns, err := Resolve(Flags{Context: "staging"}, lookup, "")
		if err != nil || len(warns) != 0 {
			t.Fatalf("err %v warns %v", err, warns)
		}
		if cfg.Context != "staging" || cfg.URL != "https://staging.example.com" || cfg.Token.Reveal() != "STAGING-ACCESS-TOKEN" || cfg.Login != "alice" {
			t.Errorf("cfg = %v", cfg)
		}
		if strings.Join(cfg.Contexts, ",") != "default,staging" {
			t.Errorf("contexts = %v", cfg.Contexts)
		}
		if strings.Contains(cfg.String(), "STAGING") {
			t.Errorf("the token shows: %s", cfg)
		}
	})
	t.Run("selected by env", func(t *testing.T) {
		t.Parallel()
		dir, _ := newHome(t, cliFile, 0o600, "")
		cfg, _, err := Resolve(Flags{}, MapLookup(map[string]string{"XDG_CONFIG_HOME": dir, EnvContext: "default"}), "")
		if err != nil || cfg.URL != "http://localhost:8080" || cfg.Token != "" {
			t.Fatalf("cfg %v err %v", cfg, err)
		}
	})
	t.Run("not picked unless named", func(t *testing.T) {
		t.Parallel()
		_, lookup := newHome(t, cliFile, 0o600, "")
		cfg, _, err := Resolve(Flags{}, lookup, "")
		if err == nil || cfg.Token != "" || !strings.Contains(err.Error(), "no API URL") {
			t.Fatalf("cfg %v err %v", cfg, err)
		}
	})
	t.Run("ours win on a clash", func(t *testing.T) {
		t.Parallel()
		_, lookup := newHome(t, cliFile, 0o600, "contexts:\n  staging:\n    url: https://ours.example.com\n  lab:\n    url: http://127.0.0.1:1\n")
		cfg, _, err := Resolve(Flags{Context: "staging"}, lookup, "")
		if err != nil || cfg.URL != "https://ours.example.com" || cfg.Token != "" {
			t.Fatalf("cfg %v err %v", cfg, err)
		}
		if strings.Join(cfg.Contexts, ",") != "default,lab,staging" {
			t.Errorf("contexts = %v", cfg.Contexts)
		}
	})
	t.Run("unknown names both", func(t *testing.T) {
		t.Parallel()
		_, lookup := newHome(t, cliFile, 0o600, "contexts:\n  lab:\n    url: http://127.0.0.1:1\n")
		_, _, err := Resolve(Flags{Context: "nosuch"}, lookup, "")
		if !errors.Is(err, ErrUnknownContext) || !strings.Contains(err.Error(), "valid contexts: default, lab, staging") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("broken file is a warning", func(t *testing.T) {
		t.Parallel()
		_, lookup := newHome(t, "profiles: [oops\n", 0o600, "contexts:\n  lab:\n    url: http://127.0.0.1:1\n")
		cfg, warns, err := Resolve(Flags{Context: "lab"}, lookup, "")
		if err != nil || cfg.URL != "http://127.0.0.1:1" {
			t.Fatalf("cfg %v err %v", cfg, err)
		}
		if len(warns) != 1 || !strings.Contains(warns[0].String(), "Attune CLI profiles not read") {
			t.Errorf("warns = %v", warns)
		}
	})
	t.Run("loose file with a token", func(t *testing.T) {
		t.Parallel()
		_, lookup := newHome(t, cliFile, 0o644, "")
		_, warns, err := Resolve(Flags{Context: "staging"}, lookup, "")
		if err != nil || len(warns) != 1 || !strings.Contains(warns[0].String(), "mode 0644") || strings.Contains(warns[0].String(), "STAGING") {
			t.Fatalf("warns %v err %v", warns, err)
		}
	})
}

// TestAttuneCLIPath: XDG_CONFIG_HOME first, then HOME.
func TestAttuneCLIPath(t *testing.T) {
	t.Parallel()
	if got := AttuneCLIPath(MapLookup(map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"})); got != filepath.Join("/x", "attune", "config.yaml") {
		t.Errorf("xdg: %q", got)
	}
	if got := AttuneCLIPath(MapLookup(map[string]string{"HOME": "/h"})); !strings.HasPrefix(got, "/h/") || !strings.HasSuffix(got, filepath.Join("attune", "config.yaml")) {
		t.Errorf("home: %q", got)
	}
	if got := AttuneCLIPath(MapLookup(nil)); got != "" {
		t.Errorf("none: %q", got)
	}
}
