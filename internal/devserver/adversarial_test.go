package devserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAdversarialCorpusGenerated: the adversarial seed ends with the hostile
// events, hostile refs reach enforcements and executions, and a plain seed
// has none of them.
func TestAdversarialCorpusGenerated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		adversarial bool
		wantEvents  int
	}{
		{"plain", false, 40},
		{"adversarial", true, 40 + HostileEventCount},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := generate(t, SeedOptions{Seed: 3, Events: 40, Adversarial: tc.adversarial})
			if len(data.events) != tc.wantEvents {
				t.Fatalf("events = %d, want %d", len(data.events), tc.wantEvents)
			}
			hostileEnf := 0
			for _, e := range data.enforcements {
				if strings.Contains(e.RuleRef, "\x1b]0;") {
					hostileEnf++
				}
			}
			hostileEx := 0
			for _, e := range data.executions {
				if strings.ContainsAny(e.ActionRef, "\x1b本") {
					hostileEx++
				}
			}
			if !tc.adversarial {
				if hostileEnf+hostileEx != 0 {
					t.Errorf("plain seed has %d hostile enforcements, %d executions", hostileEnf, hostileEx)
				}
				return
			}
			// Events 1-4 of the corpus are on triggers whose rule has empty
			// conditions: one enforcement each, two executions each.
			if hostileEnf != 4 || hostileEx != 8 {
				t.Errorf("hostile enforcements = %d, executions = %d, want 4 and 8", hostileEnf, hostileEx)
			}
			last := data.events[len(data.events)-1]
			prev := data.events[len(data.events)-HostileEventCount-1]
			if last.Created <= prev.Created {
				t.Errorf("hostile events are not the newest: %d <= %d", last.Created, prev.Created)
			}
			for i := 1; i < len(data.events); i++ {
				if data.events[i].ID != data.events[i-1].ID+1 || data.events[i].Created <= data.events[i-1].Created {
					t.Fatalf("event %d: ids/created not strictly increasing", data.events[i].ID)
				}
			}
		})
	}
}

// TestAdversarialServed: every hostile event is served as valid JSON (the
// encoder escapes control characters as \u001b) except where the corpus
// carries raw invalid UTF-8, which passes through untouched; list pages
// stay valid; the huge event and the hostile error handler behave.
func TestAdversarialServed(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Options{Seed: SeedOptions{Seed: 2, Events: 30, Adversarial: true}})
	first := int64(31)
	tests := []struct {
		name     string
		id       int64
		contains []string
		invalid  bool // raw invalid UTF-8 inside
	}{
		{"escapes", first, []string{`\u001b[2J`, `\u001b]0;pwned-title\u0007`, `\u001b]52;c;`, "\u009b", `\ud800`}, true},
		{"bidi", first + 1, []string{"\u202e", "\u200b", "\u0489"}, false},
		{"cjk", first + 2, []string{"本番環境", "👩‍👩‍👧‍👦"}, false},
		{"cursor", first + 3, []string{`\u001b[5A`, `\u001b]2;never-ends`}, false},
		{"deep", first + 4, []string{`"bottom \u001b[2J"`}, false},
		{"array", first + 5, []string{`99,0,1,2`}, false},
		{"numbers", first + 6, []string{`12345678901234567890123`, `1e400`}, false},
		{"nulls", first + 7, []string{`"payload":null`, `"source_ref":null`}, false},
		{"empty", first + 8, []string{`"trigger_ref":""`, `"source_ref":""`}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, body := ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d", tc.id), "", true)
			if status != http.StatusOK {
				t.Fatalf("status %d: %.200s", status, body)
			}
			for _, s := range tc.contains {
				if !bytes.Contains(body, []byte(s)) {
					t.Errorf("body lacks %q", s)
				}
			}
			if bytes.ContainsRune(body, 0x1b) {
				t.Error("raw ESC on the wire: JSON must escape it")
			}
			if got := bytes.Contains(body, []byte{0xff, 0xfe}); got != tc.invalid {
				t.Errorf("raw invalid UTF-8 on the wire = %v, want %v", got, tc.invalid)
			}
		})
	}
	t.Run("list", func(t *testing.T) {
		t.Parallel()
		var page struct {
			Data []struct {
				ID         int64  `json:"id"`
				TriggerRef string `json:"trigger_ref"`
			} `json:"items"`
		}
		ts.getJSON(t, "/api/v1/events?per_page=20", &page)
		if len(page.Data) == 0 || page.Data[0].ID != first+HostileEventCount-1 {
			t.Fatalf("first listed event is not the newest hostile one: %+v", page.Data[:min(len(page.Data), 1)])
		}
		var enf struct {
			Data []struct {
				RuleRef string `json:"rule_ref"`
			} `json:"items"`
		}
		ts.getJSON(t, "/api/v1/enforcements?per_page=5", &enf)
		if len(enf.Data) == 0 || !strings.Contains(enf.Data[0].RuleRef, "\x1b]0;") {
			t.Errorf("newest enforcement is not hostile: %+v", enf.Data)
		}
	})
}

// TestAddHugeEvent: the on-demand huge event is the newest and its body is
// at least the requested size.
func TestAddHugeEvent(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Options{Seed: SeedOptions{Seed: 2, Events: 10}})
	const size = 3 << 20
	id, err := ts.srv.AddHugeEvent(context.Background(), size)
	if err != nil {
		t.Fatal(err)
	}
	if id != 11 {
		t.Errorf("id = %d, want 11", id)
	}
	status, body := ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d", id), "", true)
	if status != http.StatusOK || len(body) < size || !json.Valid(body) {
		t.Fatalf("status %d, %d bytes, valid %v", status, len(body), json.Valid(body))
	}
}

// TestStartDemoHugeEvent: DemoOptions.HugeEvent adds the huge event as the
// newest one before the demo serves.
func TestStartDemoHugeEvent(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	d, err := StartDemo(context.Background(), DemoOptions{Events: 20, LiveRate: -1, HugeEvent: size})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	var id int64
	var n int
	if err := d.Server.db.QueryRowContext(context.Background(),
		`SELECT id, length(payload) FROM event ORDER BY created DESC, id DESC LIMIT 1`).Scan(&id, &n); err != nil {
		t.Fatal(err)
	}
	if id != 21 || n < size || n > size+4096 {
		t.Errorf("newest event %d with a %d-byte payload, want 21 with about %d", id, n, size)
	}
}

// TestHostileErrorHandler: the body is the contract's error shape, with the
// escapes JSON-escaped on the wire.
func TestHostileErrorHandler(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	HostileErrorHandler(http.StatusInternalServerError, "").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/events", nil))
	var body struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusInternalServerError || body.Error != HostileErrorMessage || body.Code == "" {
		t.Errorf("got %d %+v", rec.Code, body)
	}
}
