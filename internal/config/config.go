// Package config resolves the settings attune-tui connects with from three
// sources, in decreasing precedence: command-line flags, environment
// variables and a YAML config file with named contexts (like a kubeconfig).
//
// The file lives at $XDG_CONFIG_HOME/attune-tui/config.yaml (falling back to
// ~/.config/attune-tui/config.yaml) and looks like:
//
//	current-context: prod
//	contexts:
//	  prod:
//	    url: https://attune.example.com
//	    login: alice
//	    token_file: prod.token   # relative to the config file's directory
//	    ca_file: /etc/ssl/attune-ca.pem
//	    insecure: false
//
// Secrets are never printed: Secret and Config redact themselves in String.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/attune-tui/attune-tui/internal/suggest"
)

// Environment variable names read by Resolve.
const (
	EnvURL      = "ATTUNE_API_URL"
	EnvToken    = "ATTUNE_TOKEN"
	EnvLogin    = "ATTUNE_LOGIN"
	EnvPassword = "ATTUNE_PASSWORD"
	EnvContext  = "ATTUNE_CONTEXT"
	// EnvNotifierURL is the notifier WebSocket URL (live updates).
	EnvNotifierURL = "ATTUNE_NOTIFIER_URL"
)

// ErrUnknownContext is returned when the selected context is not in the file.
var ErrUnknownContext = errors.New("unknown context")

// Secret is a string that never shows its value when formatted.
type Secret string

// String implements fmt.Stringer and redacts the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString implements fmt.GoStringer and redacts the value.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// LogValue implements slog.LogValuer and redacts the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Reveal returns the secret's value. Call it only where the value is sent to
// the API.
func (s Secret) Reveal() string { return string(s) }

// Context is one named connection in the config file.
type Context struct {
	URL       string `yaml:"url"`
	Login     string `yaml:"login,omitempty"`
	Token     Secret `yaml:"token,omitempty"`
	TokenFile string `yaml:"token_file,omitempty"`
	CAFile    string `yaml:"ca_file,omitempty"`
	Insecure  bool   `yaml:"insecure,omitempty"`
	// NotifierURL is the server's notifier WebSocket (ws(s)://host:8081/ws).
	NotifierURL string `yaml:"notifier_url,omitempty"`
	// WebURL is the base of the server's web UI (default: the API origin).
	WebURL string `yaml:"web_url,omitempty"`
}

// File is the parsed config file.
type File struct {
	CurrentContext string             `yaml:"current-context"`
	Contexts       map[string]Context `yaml:"contexts"`
	// Mouse false turns the TUI's mouse off (as --no-mouse does), so the
	// terminal's own text selection works; absent means on.
	Mouse *bool `yaml:"mouse,omitempty"`
}

// Flags holds the command-line values that take part in resolution. Empty
// strings and nil pointers mean "not given".
type Flags struct {
	// ConfigPath overrides the config file location. A file named here must
	// exist; the default file may be absent.
	ConfigPath string
	Context    string
	URL        string
	Login      string
	Token      Secret
	TokenFile  string
	CAFile     string
	Insecure   *bool
	// NotifierURL is --notifier-url.
	NotifierURL string
}

// LookupFunc reads an environment variable, like os.LookupEnv.
type LookupFunc func(key string) (string, bool)

// MapLookup returns a LookupFunc over a fixed map, for tests and for callers
// that snapshot the environment.
func MapLookup(env map[string]string) LookupFunc {
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}

// Config is the resolved connection configuration.
type Config struct {
	// Context is the name of the context used, or "" when none.
	Context string
	// Path is the config file that was read, or "" when none was.
	Path      string
	URL       string
	Login     string
	Token     Secret
	Password  Secret
	TokenFile string
	CAFile    string
	Insecure  bool
	// NotifierURL is the notifier WebSocket URL: --notifier-url, then
	// ATTUNE_NOTIFIER_URL, then the context's notifier_url; "" when none.
	NotifierURL string
	// WebURL is the context's web_url ("" when none: see WebBase).
	WebURL string
	// NoMouse is set by the file's "mouse: false".
	NoMouse bool
	// Contexts lists every context name in the file, sorted.
	Contexts []string
}

// String implements fmt.Stringer without revealing secrets.
func (c Config) String() string {
	return fmt.Sprintf("context=%q url=%q login=%q token=%s password=%s token_file=%q ca_file=%q insecure=%t",
		c.Context, c.URL, c.Login, c.Token, c.Password, c.TokenFile, c.CAFile, c.Insecure)
}

// Warning is a non-fatal problem found while resolving, such as a secret
// file readable by other users.
type Warning struct {
	Path    string
	Message string
}

// String implements fmt.Stringer.
func (w Warning) String() string {
	if w.Path == "" {
		return w.Message
	}
	return w.Path + ": " + w.Message
}

// DefaultPath returns the default config file location derived from
// XDG_CONFIG_HOME or HOME, or "" when neither is set.
func DefaultPath(lookup LookupFunc) string {
	if dir, ok := lookup("XDG_CONFIG_HOME"); ok && dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "attune-tui", "config.yaml")
	}
	if home, ok := lookup("HOME"); ok && home != "" {
		return filepath.Join(home, ".config", "attune-tui", "config.yaml")
	}
	return ""
}

// Resolve merges flags, environment (read through lookup) and the config
// file at path (DefaultPath when empty and flags.ConfigPath is empty) into
// one Config. Precedence is flags > environment > file. A token is read from
// the token file only when no token was given by flag or environment.
func Resolve(flags Flags, lookup LookupFunc, path string) (Config, []Warning, error) {
	if lookup == nil {
		lookup = MapLookup(nil)
	}
	var warns []Warning
	explicit := flags.ConfigPath != ""
	if explicit {
		path = flags.ConfigPath
	} else if path == "" {
		path = DefaultPath(lookup)
	}

	var cfg Config
	file, found, w, err := readFile(path, explicit)
	if err != nil {
		return Config{}, warns, err
	}
	warns = append(warns, w...)
	if found {
		cfg.Path = path
	}
	cfg.NoMouse = file.Mouse != nil && !*file.Mouse
	// The Attune CLI's profiles are contexts too (ours win on a clash).
	profiles, w := readAttuneCLI(AttuneCLIPath(lookup))
	warns = append(warns, w...)
	for name, c := range profiles {
		if _, ours := file.Contexts[name]; ours {
			continue
		}
		if file.Contexts == nil {
			file.Contexts = map[string]Context{}
		}
		file.Contexts[name] = c
	}
	for name := range file.Contexts {
		cfg.Contexts = append(cfg.Contexts, name)
	}
	sort.Strings(cfg.Contexts)

	name := first(flags.Context, env(lookup, EnvContext), file.CurrentContext)
	var ctx Context
	if name != "" {
		c, ok := file.Contexts[name]
		if !ok {
			valid := "the file has no contexts"
			if len(cfg.Contexts) > 0 {
				valid = "valid contexts: " + strings.Join(cfg.Contexts, ", ")
			} else if !found {
				valid = "there is no config file and no Attune CLI profile"
			}
			return Config{}, warns, fmt.Errorf("context %q (config %s; %s): %w", name, displayPath(path, found), valid, ErrUnknownContext)
		}
		ctx = c
		cfg.Context = name
	}

	cfg.URL = first(flags.URL, env(lookup, EnvURL), ctx.URL)
	// A context's credentials and TLS settings belong to its server: when
	// --url or $ATTUNE_API_URL points elsewhere they are not used, so that
	// its token is never sent to another server. A context without a url
	// names no server of its own, so it takes the one given.
	if name != "" && ctx.URL != "" && !sameServer(cfg.URL, ctx.URL) {
		if ctx.Token != "" || ctx.TokenFile != "" || ctx.Login != "" || ctx.CAFile != "" || ctx.Insecure || ctx.NotifierURL != "" || ctx.WebURL != "" {
			msg := fmt.Sprintf("context %q is for %s; its login, token and TLS settings are not used for %s", name, ctx.URL, cfg.URL)
			if ctx.NotifierURL != "" || ctx.WebURL != "" {
				msg += " (nor its notifier_url and web_url)"
			}
			warns = append(warns, Warning{Path: path, Message: msg})
		}
		ctx = Context{URL: ctx.URL}
	}
	cfg.Login = first(flags.Login, env(lookup, EnvLogin), ctx.Login)
	cfg.NotifierURL = first(flags.NotifierURL, env(lookup, EnvNotifierURL), ctx.NotifierURL)
	cfg.WebURL = ctx.WebURL
	if err := checkURL("notifier URL", cfg.NotifierURL, "ws", "wss"); err != nil {
		return Config{}, warns, err
	}
	if err := checkURL("web_url", cfg.WebURL, "http", "https"); err != nil {
		return Config{}, warns, err
	}
	cfg.Password = Secret(env(lookup, EnvPassword))
	cfg.CAFile = first(flags.CAFile, expand(ctx.CAFile, path, lookup))
	cfg.Insecure = ctx.Insecure
	if flags.Insecure != nil {
		cfg.Insecure = *flags.Insecure
	}

	// Token precedence: --token, --token-file, $ATTUNE_TOKEN, the context's
	// token, the context's token_file. A login given at a higher level than
	// a token (--login over $ATTUNE_TOKEN or the file, $ATTUNE_LOGIN over the
	// file) asks for a sign-in, so that token is not used.
	flagLogin, envLogin := flags.Login != "", env(lookup, EnvLogin) != ""
	switch {
	case flags.Token != "":
		cfg.Token = flags.Token
	case flags.TokenFile != "":
		cfg.TokenFile = flags.TokenFile
	case flagLogin:
	case env(lookup, EnvToken) != "":
		cfg.Token = Secret(env(lookup, EnvToken))
	case envLogin:
	case ctx.Token != "":
		cfg.Token = ctx.Token
	case ctx.TokenFile != "":
		cfg.TokenFile = expand(ctx.TokenFile, path, lookup)
	}
	if cfg.TokenFile != "" {
		tok, w, err := ReadTokenFile(cfg.TokenFile)
		if err != nil {
			return Config{}, warns, err
		}
		warns = append(warns, w...)
		cfg.Token = tok
	}
	if i := controlByte(cfg.Token.Reveal()); i >= 0 && cfg.TokenFile == "" {
		return Config{}, warns, fmt.Errorf("token contains a control character at byte %d", i+1)
	}
	if cfg.URL == "" {
		return cfg, warns, errors.New("no API URL: use --url, " + EnvURL + " or a context in the config file")
	}
	return cfg, warns, nil
}

func readFile(path string, explicit bool) (File, bool, []Warning, error) {
	var f File
	if path == "" {
		return f, false, nil, nil
	}
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return f, false, nil, nil
		}
		return f, false, nil, fmt.Errorf("read config: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return f, false, nil, fmt.Errorf("read config: %w", err)
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return f, false, nil, fmt.Errorf("parse config %s: %w", path, err)
	}
	var warns []Warning
	for _, msg := range unknownKeys(data) {
		warns = append(warns, Warning{Path: path, Message: msg})
	}
	if hasSecrets(f) && loosePerm(info.Mode()) {
		warns = append(warns, Warning{Path: path, Message: fmt.Sprintf(
			"holds a token but has mode %04o; run chmod 600", info.Mode().Perm())})
	}
	return f, true, warns, nil
}

// MaxTokenFileSize caps how much of a token file is read.
const MaxTokenFileSize = 64 << 10

// ReadTokenFile reads an API token from path: the first line, trimmed. A
// file readable by group or others gives a warning (never containing the
// token); an empty or oversized file is an error.
func ReadTokenFile(path string) (Secret, []Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, fmt.Errorf("read token file: %w", err)
	}
	defer func() { _ = f.Close() }() // opened read-only: closing loses nothing
	info, err := f.Stat()
	if err != nil {
		return "", nil, fmt.Errorf("read token file: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxTokenFileSize+1))
	if err != nil {
		return "", nil, fmt.Errorf("read token file %s: %w", path, err)
	}
	if len(data) > MaxTokenFileSize {
		return "", nil, fmt.Errorf("read token file %s: larger than %d bytes", path, MaxTokenFileSize)
	}
	var warns []Warning
	if loosePerm(info.Mode()) {
		warns = append(warns, Warning{Path: path, Message: fmt.Sprintf(
			"token file has mode %04o; other users can read it: run chmod 600", info.Mode().Perm())})
	}
	line, _, _ := strings.Cut(string(data), "\n")
	tok := strings.TrimSpace(line)
	if tok == "" {
		if strings.TrimSpace(string(data)) != "" {
			return "", warns, fmt.Errorf("token file %s: first line is empty (the token must be on the first line)", path)
		}
		return "", warns, fmt.Errorf("token file %s is empty", path)
	}
	if i := controlByte(tok); i >= 0 {
		// Count from the start of the file, as an editor's byte offset would.
		at := strings.Index(line, tok) + i + 1
		return "", warns, fmt.Errorf("token file %s contains a control character at byte %d", path, at)
	}
	return Secret(tok), warns, nil
}

// controlByte returns the index of the first ASCII control character (or
// DEL) in s, or -1. A token with one would fail every request as a bad
// header; it is refused when read instead.
func controlByte(s string) int {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// checkURL checks that raw ("" is fine) is an absolute URL with one of
// schemes and no credentials.
func checkURL(what, raw string, schemes ...string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if !slices.Contains(schemes, strings.ToLower(u.Scheme)) || u.Host == "" {
		return fmt.Errorf("%s %q: want a %s:// URL", what, u.Redacted(), strings.Join(schemes, ":// or "))
	}
	if u.User != nil {
		return fmt.Errorf("%s %q: credentials in the URL are not allowed", what, u.Redacted())
	}
	return nil
}

// WebBase returns the base URL of the web UI: the context's web_url, or
// the API's origin (scheme and host) when it has none.
func (c Config) WebBase() string {
	if c.WebURL != "" {
		return strings.TrimRight(c.WebURL, "/")
	}
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// unknownKeys returns a warning for every key of the file (top level or in
// a context) that attune-tui does not read, with the closest valid key when
// one is near. A malformed file yields none: the decoder reports it.
func unknownKeys(data []byte) []string {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	// The keys the config file knows, in the order a warning lists them.
	contextKeys := []string{"url", "login", "token", "token_file", "ca_file", "insecure", "notifier_url", "web_url"}
	fileKeys := []string{"current-context", "contexts", "mouse"}
	var out []string
	check := func(m *yaml.Node, valid []string, where string) {
		if m.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k := m.Content[i]
			if slices.Contains(valid, k.Value) {
				continue
			}
			msg := fmt.Sprintf("unknown key %q%s (line %d)", k.Value, where, k.Line)
			if near := closest(k.Value, valid); near != "" {
				msg += fmt.Sprintf(": did you mean %q?", near)
			} else {
				msg += "; valid keys: " + strings.Join(valid, ", ")
			}
			out = append(out, msg)
		}
	}
	root := doc.Content[0]
	check(root, fileKeys, "")
	if root.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "contexts" || root.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		ctxs := root.Content[i+1]
		for j := 0; j+1 < len(ctxs.Content); j += 2 {
			check(ctxs.Content[j+1], contextKeys, fmt.Sprintf(" in context %q", ctxs.Content[j].Value))
		}
	}
	return out
}

// closest returns the key in valid nearest to s by edit distance, or ""
// when none is within a few edits.
func closest(s string, valid []string) string {
	best, bestD := "", max(2, len(s)/4)+1
	for _, v := range valid {
		if d := suggest.Distance(strings.ToLower(s), v); d < bestD {
			best, bestD = v, d
		}
	}
	return best
}

func hasSecrets(f File) bool {
	for _, c := range f.Contexts {
		if c.Token != "" {
			return true
		}
	}
	return false
}

func loosePerm(m fs.FileMode) bool { return m.Perm()&0o077 != 0 }

func env(lookup LookupFunc, key string) string {
	v, _ := lookup(key)
	return strings.TrimSpace(v)
}

// sameServer reports whether two API URLs name the same server: equal up to
// a trailing slash and the case of scheme and host.
func sameServer(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimRight(strings.TrimSpace(s), "/")
		if scheme, rest, ok := strings.Cut(s, "://"); ok {
			host, path, _ := strings.Cut(rest, "/")
			s = strings.ToLower(scheme) + "://" + strings.ToLower(host)
			if path != "" {
				s += "/" + path
			}
		}
		return s
	}
	return norm(a) == norm(b)
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// expand resolves "~/" against HOME and relative paths against the config
// file's directory.
func expand(p, cfgPath string, lookup LookupFunc) string {
	if p == "" {
		return ""
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, ok := lookup("HOME"); ok && home != "" {
			return filepath.Join(home, rest)
		}
		return p
	}
	if !filepath.IsAbs(p) && cfgPath != "" {
		return filepath.Join(filepath.Dir(cfgPath), p)
	}
	return p
}

func displayPath(path string, found bool) string {
	if !found {
		return "none"
	}
	return path
}
