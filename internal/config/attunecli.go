package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"go.yaml.in/yaml/v3"
)

// The Attune CLI (attune-system/attune, crates/cli) keeps named profiles in
// its own YAML file: $XDG_CONFIG_HOME/attune/config.yaml, else the user's
// configuration directory (~/.config on Linux, ~/Library/Application
// Support on macOS) + attune/config.yaml:
//
//	profile: default          # the CLI's current profile (alias current_profile)
//	profiles:
//	  staging:
//	    api_url: https://attune.example.com
//	    auth_token: <access token>
//	    refresh_token: <refresh token>
//	    username: alice
//	format: table
//
// Resolve offers each of its profiles as a context (a context of our own
// file wins on a name clash), selected by --context or ATTUNE_CONTEXT; the
// CLI's current profile is never picked without being named.

// attuneCLIFile is the part of the Attune CLI's config file we read.
type attuneCLIFile struct {
	Profiles map[string]attuneCLIProfile `yaml:"profiles"`
}

// attuneCLIProfile is one Attune CLI profile.
type attuneCLIProfile struct {
	APIURL    string `yaml:"api_url"`
	AuthToken Secret `yaml:"auth_token"`
	Username  string `yaml:"username"`
}

// AttuneCLIPath returns where the Attune CLI keeps its profiles, or "".
func AttuneCLIPath(lookup LookupFunc) string {
	if dir, ok := lookup("XDG_CONFIG_HOME"); ok && dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "attune", "config.yaml")
	}
	home, ok := lookup("HOME")
	if !ok || home == "" {
		return ""
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Application Support", "attune", "config.yaml")
	}
	return filepath.Join(home, ".config", "attune", "config.yaml")
}

// readAttuneCLI returns the Attune CLI's profiles at path as contexts. A
// missing file gives none; a file that cannot be read or parsed gives a
// warning and none (it is another program's file, not ours to fail on).
func readAttuneCLI(path string) (map[string]Context, []Warning) {
	if path == "" {
		return nil, nil
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err == nil && !info.Mode().IsRegular() {
		err = errors.New("not a regular file")
	}
	var data []byte
	if err == nil && info.Size() > maxAttuneCLIFile {
		err = fmt.Errorf("larger than %d bytes", maxAttuneCLIFile)
	}
	if err == nil {
		data, err = os.ReadFile(path)
	}
	var f attuneCLIFile
	if err == nil {
		err = yaml.Unmarshal(data, &f)
	}
	if err != nil {
		return nil, []Warning{{Path: path, Message: "Attune CLI profiles not read: " + err.Error()}}
	}
	out := make(map[string]Context, len(f.Profiles))
	hasToken := false
	for name, p := range f.Profiles {
		out[name] = Context{URL: p.APIURL, Token: p.AuthToken, Login: p.Username}
		hasToken = hasToken || p.AuthToken != ""
	}
	var warns []Warning
	if hasToken && loosePerm(info.Mode()) {
		warns = append(warns, Warning{Path: path, Message: fmt.Sprintf(
			"(Attune CLI profiles) holds a token but has mode %04o; run chmod 600", info.Mode().Perm())})
	}
	return out, warns
}

// maxAttuneCLIFile caps the Attune CLI config file we read.
const maxAttuneCLIFile = 1 << 20
