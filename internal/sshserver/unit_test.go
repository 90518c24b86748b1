package sshserver

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gossh "golang.org/x/crypto/ssh"
)

// writeFile writes a file with the given mode.
func writeFile(path, content string, mode os.FileMode) error {
	return os.WriteFile(path, []byte(content), mode)
}

func TestHostKeyCreatedOnceAndReused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys", "host_ed25519")
	first, err := LoadOrCreateHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", info.Mode().Perm())
	}
	if first.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("type %s", first.PublicKey().Type())
	}
	second, err := LoadOrCreateHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if Fingerprint(first.PublicKey()) != Fingerprint(second.PublicKey()) {
		t.Fatal("host key changed across loads")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key accepted: %v", err)
	}
}

func TestAuthorizedKeysReloadAndBadLines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := newSigner(t), newSigner(t)
	path := filepath.Join(dir, "authorized_keys")
	content := "garbage line\n" + string(gossh.MarshalAuthorizedKey(a.PublicKey()))
	if err := writeFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	keys, warnings, err := loadAuthorizedKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "line 1:") {
		t.Fatalf("warnings = %q", warnings)
	}
	if !keys.contains(a.PublicKey()) || keys.contains(b.PublicKey()) {
		t.Fatal("wrong initial keys")
	}
	// Replace A by B; a different size makes the change visible even on
	// file systems with coarse modification times.
	content = "# rotated\n" + string(gossh.MarshalAuthorizedKey(b.PublicKey()))
	if err := writeFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	if keys.contains(a.PublicKey()) || !keys.contains(b.PublicKey()) {
		t.Fatal("reload did not take effect")
	}
	// An unreadable file keeps the last good list.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if !keys.contains(b.PublicKey()) {
		t.Fatal("lost keys when the file disappeared")
	}
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		want    Rate
		wantErr bool
	}{
		{in: "1:5", want: Rate{PerSecond: 1, Burst: 5}},
		{in: "0.5", want: Rate{PerSecond: 0.5, Burst: 1}},
		{in: "0", want: Rate{}},
		{in: " 2:3 ", want: Rate{PerSecond: 2, Burst: 3}},
		{in: "", wantErr: true},
		{in: "x", wantErr: true},
		{in: "-1", wantErr: true},
		{in: "1:0", wantErr: true},
		{in: "1:x", wantErr: true},
		{in: "NaN", wantErr: true},
		{in: "Inf", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRate(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("(-want +got)\n%s", diff)
			}
			if !tc.wantErr {
				back, err := ParseRate(got.String())
				if err != nil || back != got {
					t.Fatalf("round trip %q: %v %v", got.String(), back, err)
				}
			}
		})
	}
}

// fakeClock is a manually advanced clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestIPLimiter(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Unix(1000, 0)}
	l := newIPLimiter(Rate{PerSecond: 1, Burst: 2}, clock.now)
	v4 := &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 1}
	v4other := &net.TCPAddr{IP: net.ParseIP("192.0.2.2"), Port: 1}
	v6a := &net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 1}
	v6b := &net.TCPAddr{IP: net.ParseIP("2001:db8::ffff:1"), Port: 2} // same /64
	steps := []struct {
		advance time.Duration
		addr    net.Addr
		want    bool
	}{
		{0, v4, true},
		{0, v4, true},
		{0, v4, false},
		{0, v4other, true}, // independent bucket
		{500 * time.Millisecond, v4, false},
		{500 * time.Millisecond, v4, true}, // one token refilled
		{0, v4, false},
		{10 * time.Second, v4, true}, // refill capped at burst
		{0, v4, true},
		{0, v4, false},
		{0, v6a, true},
		{0, v6b, true},
		{0, v6a, false}, // the /64 shares one bucket
		{0, &net.UnixAddr{Name: "x"}, false},
	}
	for i, s := range steps {
		clock.t = clock.t.Add(s.advance)
		if got := l.allow(s.addr); got != s.want {
			t.Fatalf("step %d (%v): allow = %v, want %v", i, s.addr, got, s.want)
		}
	}
	if !newIPLimiter(Rate{}, clock.now).allow(v4) {
		t.Fatal("disabled limiter refused")
	}
}

func TestIPLimiterTableIsBounded(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Unix(1000, 0)}
	l := newIPLimiter(Rate{PerSecond: 1, Burst: 1}, clock.now)
	for i := range maxLimiterEntries {
		addr := &net.TCPAddr{IP: net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)), Port: 1}
		if !l.allow(addr) {
			t.Fatalf("address %d refused", i)
		}
	}
	extra := &net.TCPAddr{IP: net.ParseIP("192.0.2.9"), Port: 1}
	if l.allow(extra) {
		t.Fatal("table grew past its bound")
	}
	clock.t = clock.t.Add(2 * time.Second) // every bucket is full again: prunable
	if !l.allow(extra) {
		t.Fatal("prune did not free space")
	}
	if n := len(l.buckets); n > 1 {
		t.Fatalf("%d buckets after prune", n)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	t.Parallel()
	info := SessionInfo{User: "alice", Token: "s3cr3t-token"}
	var b strings.Builder
	logger := slog.New(slog.NewTextHandler(&b, nil))
	logger.Info("x", "info", info, "token", info.Token)
	outputs := []string{
		fmt.Sprintf("%v %+v %#v %s %q", info, info, info, info.Token, info.Token),
		b.String(),
	}
	for _, out := range outputs {
		if strings.Contains(out, "s3cr3t") {
			t.Fatalf("secret printed: %s", out)
		}
	}
	if info.Token.Reveal() != "s3cr3t-token" {
		t.Fatal("Reveal")
	}
}
