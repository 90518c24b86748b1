package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/attune-tui/attune-tui/internal/sshserver"
)

// infoModel shows what the factory was given; it quits on "q".
type infoModel struct{ info sshserver.SessionInfo }

// Init implements tea.Model.
func (m infoModel) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m infoModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "q" {
		return m, tea.Quit
	}
	return m, nil
}

// View implements tea.Model.
func (m infoModel) View() string {
	return fmt.Sprintf("api=%s token=%v", m.info.APIURL, m.info.Token.Reveal() != "")
}

// lockedBuffer is a goroutine-safe bytes.Buffer.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns the contents.
func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testKey writes an authorized_keys file for a new key and returns both.
func testKey(t *testing.T, dir string) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(path, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	return signer, path
}

func factory(info sshserver.SessionInfo) (tea.Model, error) { return infoModel{info: info}, nil }

func TestRunServeRefusesBadFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, keys := testKey(t, dir)
	hk := filepath.Join(dir, "hk")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{name: "no authorized keys", args: []string{"--api-url", "http://127.0.0.1:1"}, want: "--authorized-keys is required"},
		{name: "no api url", args: []string{"--authorized-keys", keys}, want: "--api-url is required"},
		{name: "demo not wired", args: []string{"--authorized-keys", keys, "--demo"}, want: "--demo is not available"},
		{name: "demo and url", args: []string{"--authorized-keys", keys, "--demo", "--api-url", "http://x"}, want: "exclude each other"},
		{name: "bad rate", args: []string{"--authorized-keys", keys, "--api-url", "http://x", "--rate", "fast"}, want: "--rate"},
		{name: "bad url", args: []string{"--authorized-keys", keys, "--api-url", "ftp://x"}, want: "not an http(s) URL"},
		{name: "url with password", args: []string{"--authorized-keys", keys, "--api-url", "http://u:pw@x"}, want: "credentials in the URL"},
		{name: "missing token file", args: []string{"--authorized-keys", keys, "--api-url", "http://x", "--token-file", filepath.Join(dir, "nope")}, want: "token file"},
		{name: "zero sessions", args: []string{"--authorized-keys", keys, "--api-url", "http://x", "--max-sessions", "0"}, want: "--max-sessions"},
		{name: "missing key file", args: []string{"--authorized-keys", filepath.Join(dir, "nope"), "--api-url", "http://x", "--host-key", hk}, want: "authorized keys"},
		{name: "stray argument", args: []string{"--authorized-keys", keys, "extra"}, want: "unexpected arguments"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr lockedBuffer
			err := runServe(context.Background(), tc.args, &stdout, &stderr, factory)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("runServe: %v; want error containing %q", err, tc.want)
			}
			if strings.Contains(stdout.String(), "serving SSH") {
				t.Fatal("server started")
			}
		})
	}
}

var servingRE = regexp.MustCompile(`serving SSH on (127\.0\.0\.1:\d+)`)

func TestRunServeEndToEnd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	signer, keys := testKey(t, dir)
	tokenPath := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenPath, []byte("very-secret-token\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tokenPath, 0o644); err != nil {
		t.Fatal(err)
	}
	hostKey := filepath.Join(dir, "host_key")
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{
			"--listen", "127.0.0.1:0", "--host-key", hostKey, "--authorized-keys", keys,
			"--api-url", "http://127.0.0.1:9", "--token-file", tokenPath, "--force-ascii",
		}, &stdout, &stderr, factory)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("runServe after cancel: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("runServe did not return")
		}
	})

	var addr string
	deadline := time.Now().Add(10 * time.Second)
	for addr == "" {
		if m := servingRE.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("runServe returned early: %v; stderr %s", err, stderr.String())
		case <-time.After(10 * time.Millisecond): // polling the output for the address
		}
		if time.Now().After(deadline) {
			t.Fatalf("no address printed; stderr %s", stderr.String())
		}
	}
	if info, err := os.Stat(hostKey); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", info, err)
	}

	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "bob",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // test server with a fresh key
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	sess.Stdout = out
	// Keep stdin open: a client whose input ends is treated as gone.
	if _, err := sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(out.String(), "api=http://127.0.0.1:9 token=true") {
		if time.Now().After(deadline) {
			t.Fatalf("view not rendered: %q", out.String())
		}
		select {
		case <-time.After(10 * time.Millisecond): // polling the session output
		case err := <-done:
			t.Fatalf("runServe returned: %v", err)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runServe: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runServe did not stop")
	}
	done <- nil // for Cleanup
	logs := stderr.String()
	if strings.Contains(logs, "very-secret-token") || strings.Contains(stdout.String(), "very-secret-token") {
		t.Fatal("token printed")
	}
	for _, want := range []string{"token file", "chmod 600", "session start", "user=bob", "shutting down"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	// The goodbye line may still be in flight to the client.
	for !strings.Contains(out.String(), "server is shutting down") {
		if time.Now().After(deadline) {
			t.Fatalf("session did not get the shutdown message: %q\n%s", out.String(), stderr.String())
		}
		<-time.After(10 * time.Millisecond) // polling the session output
	}
}

func TestRunServeDemoSeam(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, keys := testKey(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	stopped := make(chan struct{})
	started := make(chan struct{})
	demo := func(context.Context) (string, string, func(), error) {
		close(started)
		return "http://127.0.0.1:7", "demo-token", func() { close(stopped) }, nil
	}
	done := make(chan error, 1)
	go func() {
		done <- runServeWith(ctx, []string{"--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "hk"),
			"--authorized-keys", keys, "--demo"}, &stdout, &stderr, factory, demo)
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("runServeWith: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("runServeWith: %v", err)
	}
	select {
	case <-stopped:
	default:
		t.Fatal("demo server not stopped")
	}
	if strings.Contains(stderr.String(), "demo-token") {
		t.Fatal("demo token logged")
	}
}
