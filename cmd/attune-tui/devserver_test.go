package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// lineWriter records output and signals once a line matching re arrives.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	re    *regexp.Regexp
	match chan string
	sent  bool
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := w.re.FindStringSubmatch(w.buf.String()); m != nil && !w.sent {
		w.sent = true
		w.match <- m[1]
	}
	return len(p), nil
}

func TestRunDevserver(t *testing.T) {
	t.Parallel()
	out := &lineWriter{re: regexp.MustCompile(`URL:\s+(\S+)\n`), match: make(chan string, 1)}
	var stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runDevserver(ctx, []string{"--listen", "127.0.0.1:0", "--events", "100", "--seed", "5", "--live-rate", "50"}, out, &stderr)
	}()
	var url string
	select {
	case url = <-out.match:
	case err := <-done:
		t.Fatalf("devserver exited early: %v\n%s", err, stderr.String())
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url+"/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("health: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"ok"`) {
		t.Errorf("health: %d %s", resp.StatusCode, b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("runDevserver: %v", err)
	}
	out.mu.Lock()
	text := out.buf.String()
	out.mu.Unlock()
	for _, want := range []string{"DEVELOPMENT SERVER", "login:    demo", "password: demo"} {
		if !strings.Contains(text, want) {
			t.Errorf("banner lacks %q:\n%s", want, text)
		}
	}
}

func TestRunDevserverRefusesRemote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{"public address", []string{"--listen", "0.0.0.0:0"}, false},
		{"bad flag", []string{"--nope"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := runDevserver(context.Background(), tc.args, io.Discard, io.Discard)
			if (err == nil) != tc.ok {
				t.Errorf("err = %v", err)
			}
		})
	}
}
