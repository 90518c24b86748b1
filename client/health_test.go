package client_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/attune-tui/attune-tui/client"
)

// TestHealthProbesNotReady covers the 503 answers of the probes: an empty
// body or a report, one attempt each (a probe reports the state it found),
// and a report with a hostile error string.
func TestHealthProbesNotReady(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		body       string
		wantReport *client.Readiness
	}{
		{name: "empty body", body: ""},
		{
			name: "report",
			body: `{"status":"not_ready","error":"packs missing\u001b[2J","packs":[{"ref":"core","state":"missing"}],"repair":"attune pack install core"}`,
			wantReport: &client.Readiness{Status: "not_ready", Error: `packs missing\x1b[2J`,
				Packs: []byte(`[{"ref":"core","state":"missing"}]`), Repair: []byte(`"attune pack install core"`)},
		},
		{name: "not JSON", body: "<html>down</html>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var ready, live atomic.Int32
			mux.HandleFunc("GET /health/ready", func(w http.ResponseWriter, r *http.Request) {
				ready.Add(1)
				if r.Header.Get("Authorization") != "" {
					t.Error("probe sent a token")
				}
				w.Header().Set("Retry-After", "1")
				writeJSON(w, http.StatusServiceUnavailable, []byte(tc.body))
			})
			mux.HandleFunc("GET /health/live", func(w http.ResponseWriter, _ *http.Request) {
				live.Add(1)
				writeJSON(w, http.StatusServiceUnavailable, nil)
			})

			rd, resp, err := c.Health.Ready(t.Context())
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("err = %v, want a 503 *APIError", err)
			}
			if resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Attempts != 1 || ready.Load() != 1 {
				t.Errorf("resp = %+v after %d requests, want one 503 attempt", resp, ready.Load())
			}
			switch {
			case tc.wantReport == nil && rd != nil:
				t.Errorf("report = %+v, want none", rd)
			case tc.wantReport != nil && (rd == nil || rd.Status != tc.wantReport.Status || rd.Error != tc.wantReport.Error ||
				string(rd.Packs) != string(tc.wantReport.Packs) || string(rd.Repair) != string(tc.wantReport.Repair)):
				t.Errorf("report = %+v, want %+v", rd, tc.wantReport)
			}
			if rd != nil && strings.ContainsRune(rd.Error, 0x1b) {
				t.Errorf("raw escape kept in %q", rd.Error)
			}

			if resp, err := c.Health.Live(t.Context()); !errors.As(err, &apiErr) || resp == nil || resp.Attempts != 1 || live.Load() != 1 {
				t.Errorf("Live = %+v, %v after %d requests, want one 503 attempt", resp, err, live.Load())
			}
		})
	}
}
