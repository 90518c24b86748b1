package sshserver

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// maxAuthorizedKeysSize caps how much of an authorized_keys file is read.
const maxAuthorizedKeysSize = 4 << 20

// authorizedKeys holds the keys of an authorized_keys file and reloads them
// when the file's modification time or size changes, so operators can add or
// remove users without restarting the server.
type authorizedKeys struct {
	path string

	mu      sync.Mutex
	modTime time.Time
	size    int64
	keys    map[string]struct{} // key: wire encoding of the public key
}

// loadAuthorizedKeys reads path and fails when it cannot be read or holds no
// usable key, so that a server never starts with an empty allow list.
func loadAuthorizedKeys(path string) (*authorizedKeys, []string, error) {
	if path == "" {
		return nil, nil, errors.New("authorized keys: no file given (public-key authentication is required)")
	}
	a := &authorizedKeys{path: path}
	warnings, err := a.reload()
	if err != nil {
		return nil, nil, err
	}
	if len(a.keys) == 0 {
		return nil, nil, fmt.Errorf("authorized keys: %s contains no valid public key", path)
	}
	return a, warnings, nil
}

// reload parses the file when it changed since the last read. It returns one
// warning per unparsable line; the keys on the other lines stay usable.
func (a *authorizedKeys) reload() ([]string, error) {
	info, err := os.Stat(a.path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.keys != nil && info.ModTime().Equal(a.modTime) && info.Size() == a.size {
		return nil, nil
	}
	if info.Size() > maxAuthorizedKeysSize {
		return nil, fmt.Errorf("authorized keys: %s is larger than %d bytes", a.path, maxAuthorizedKeysSize)
	}
	data, err := os.ReadFile(a.path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	keys, warnings := parseAuthorizedKeys(data)
	a.keys, a.modTime, a.size = keys, info.ModTime(), info.Size()
	return warnings, nil
}

// parseAuthorizedKeys parses the authorized_keys format, skipping blank lines
// and comments. Options (from="...", command="...") are not supported: a key
// line with options is still accepted, but the options are ignored, which is
// safe here because the server only ever runs the TUI.
func parseAuthorizedKeys(data []byte) (map[string]struct{}, []string) {
	keys := map[string]struct{}{}
	var warnings []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxAuthorizedKeysSize)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, _, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("line %d: %v", n, err))
			continue
		}
		if _, isCert := key.(*gossh.Certificate); isCert {
			warnings = append(warnings, fmt.Sprintf("line %d: certificates are not supported", n))
			continue
		}
		keys[string(key.Marshal())] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		warnings = append(warnings, fmt.Sprintf("read: %v", err))
	}
	return keys, warnings
}

// contains reports whether key is in the file, re-reading it first when it
// changed. If the file became unreadable, the last good list stays in force.
func (a *authorizedKeys) contains(key gossh.PublicKey) bool {
	_, _ = a.reload()
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.keys[string(key.Marshal())]
	return ok
}

// Fingerprint returns the SHA256 fingerprint of key in OpenSSH's format
// ("SHA256:..."), or "" for a nil key.
func Fingerprint(key gossh.PublicKey) string {
	if key == nil {
		return ""
	}
	return gossh.FingerprintSHA256(key)
}
