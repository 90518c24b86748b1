package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
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

// runningDevserver is `attune-tui devserver` running in the test.
type runningDevserver struct {
	url    string
	out    *lineWriter
	cancel context.CancelFunc
	done   chan error
}

// startDevserverCmd runs the devserver subcommand with args and waits for
// the URL line of its banner.
func startDevserverCmd(t *testing.T, args ...string) *runningDevserver {
	t.Helper()
	d := &runningDevserver{out: &lineWriter{re: regexp.MustCompile(`URL:\s+(\S+)\n`), match: make(chan string, 1)}, done: make(chan error, 1)}
	var stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	go func() { d.done <- runDevserver(ctx, args, d.out, &stderr) }()
	select {
	case d.url = <-d.out.match:
	case err := <-d.done:
		t.Fatalf("devserver exited early: %v\n%s", err, stderr.String())
	}
	return d
}

// stop cancels the command and reports how it ended.
func (d *runningDevserver) stop(t *testing.T) {
	t.Helper()
	d.cancel()
	if err := <-d.done; err != nil {
		t.Errorf("runDevserver: %v", err)
	}
}

// banner returns what the command printed so far.
func (d *runningDevserver) banner() string {
	d.out.mu.Lock()
	defer d.out.mu.Unlock()
	return d.out.buf.String()
}

func TestRunDevserver(t *testing.T) {
	t.Parallel()
	d := startDevserverCmd(t, "--listen", "127.0.0.1:0", "--events", "100", "--seed", "5", "--live-rate", "50")
	url := d.url
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
	// The notifier's URL is printed after the API's, on its own port.
	m := regexp.MustCompile(`notifier: ws://(\S+)/ws\n`).FindStringSubmatch(d.banner())
	if len(m) != 2 || "http://"+m[1] == url {
		t.Fatalf("banner lacks the notifier on its own port:\n%s", d.banner())
	}
	req, _ = http.NewRequestWithContext(context.Background(), http.MethodGet, "http://"+m[1]+"/health", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("notifier health: %v", err)
	}
	b, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"status":"ok"}` {
		t.Errorf("notifier health: %d %s", resp.StatusCode, b)
	}
	d.stop(t)
	text := d.banner()
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
		{"public notifier address", []string{"--listen", "127.0.0.1:0", "--notifier-listen", "0.0.0.0:0"}, false},
		{"bad flag", []string{"--nope"}, false},
		{"negative huge event", []string{"--listen", "127.0.0.1:0", "--huge-event-mb", "-1"}, false},
		{"huge event too big", []string{"--listen", "127.0.0.1:0", "--huge-event-mb", "1025"}, false},
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

// TestRunDevserverHugeEvent: --huge-event-mb adds one newest event whose
// payload is about that many MiB, and the banner names its id.
func TestRunDevserverHugeEvent(t *testing.T) {
	t.Parallel()
	d := startDevserverCmd(t, "--listen", "127.0.0.1:0", "--events", "50", "--huge-event-mb", "2")
	url := d.url
	m := regexp.MustCompile(`huge event: id (\d+) \(2 MiB payload`).FindStringSubmatch(d.banner())
	if m == nil {
		t.Fatalf("banner lacks the huge event line:\n%s", d.banner())
	}
	get := func(path, token string, body io.Reader) []byte {
		t.Helper()
		method := http.MethodGet
		if body != nil {
			method = http.MethodPost
		}
		req, _ := http.NewRequestWithContext(context.Background(), method, url+path, body)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v %.200s", path, resp.StatusCode, err, b)
		}
		return b
	}
	var tok struct {
		Data struct {
			AccessToken string `json:"access_token"`
		} `json:"data"`
	}
	if err := json.Unmarshal(get("/auth/login", "", strings.NewReader(`{"login":"demo","password":"demo"}`)), &tok); err != nil {
		t.Fatal(err)
	}
	var page struct {
		Items []struct {
			ID         int64  `json:"id"`
			TriggerRef string `json:"trigger_ref"`
		} `json:"items"`
	}
	if err := json.Unmarshal(get("/api/v1/events?per_page=1", tok.Data.AccessToken, nil), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || strconv.FormatInt(page.Items[0].ID, 10) != m[1] || page.Items[0].TriggerRef != "hostile.huge" {
		t.Errorf("newest event %+v, want the huge event id %s", page.Items, m[1])
	}
	if n := len(get("/api/v1/events/"+m[1], tok.Data.AccessToken, nil)); n < 2<<20 || n > 2<<20+4096 {
		t.Errorf("huge event body is %d bytes, want about 2 MiB", n)
	}
	d.stop(t)
}
