package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// pumpApp runs cmd and feeds its messages back into a, a few rounds deep.
func pumpApp(a *App, cmd tea.Cmd) {
	for i := 0; cmd != nil && i < 10; i++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			_, c := a.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
}

// misbehavingAPI starts a server whose every answer comes from h and a
// client with a static token for it.
func misbehavingAPI(t *testing.T, h http.HandlerFunc) *common.API {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.WithToken("tok-secret"), client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return common.NewAPI(c)
}

// TestStatusBarShowsFailureState: after a 401, an undecodable answer or a
// refused redirect the bar no longer says "○ connecting", and the error
// line names what happened (for a redirect, its Location).
func TestStatusBarShowsFailureState(t *testing.T) {
	t.Parallel()
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
	}))
	t.Cleanup(other.Close)
	cases := []struct {
		name string
		h    http.HandlerFunc
		want []string
	}{
		{"401", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"error":{"code":401,"message":"Authentication token expired"}}`))
		}, []string{"✗ unauthorized", "401"}},
		{"decode failure", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"items": [{"id": "not a number"`))
		}, []string{"✗ bad answer", "malformed"}},
		{"redirect to another port", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
		}, []string{"✗ error", "redirect (302) to " + other.URL + "/api/v1/events not followed"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := New(uitest.Deps(misbehavingAPI(t, tc.h)))
			_, _ = a.Update(tea.WindowSizeMsg{Width: 250, Height: 24})
			pumpApp(a, a.Init())
			view := ansi.Strip(a.View())
			for _, w := range tc.want {
				if !strings.Contains(view, w) {
					t.Errorf("screen lacks %q:\n%s", w, view)
				}
			}
			if strings.Contains(view, "○ connecting") {
				t.Errorf("status bar still says connecting:\n%s", view)
			}
		})
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other origin got %d requests", n)
	}
}

// TestTenDigitIDs golden-tests the three lists over ids of 10 digits (a
// production Attune reaches millions of events in weeks) at 80 and 120
// columns: no id may be cut.
func TestTenDigitIDs(t *testing.T) {
	t.Parallel()
	cut := regexp.MustCompile(`(^|\s)#?\d+…`)
	lists := []struct {
		name, command string
		want          []string
	}{
		// ✗1 and running show that the CAUSED and EXECUTIONS columns are
		// filled in; the execution list's stats come from their own
		// request: wait for them too.
		{"events", "", []string{"4000000299", "page 1", "✗1"}},
		{"enforcements", "enforcements", []string{"0-3/s", "loaded", "running"}},
		{"executions", "executions", []string{"0-9/s/F", "loaded", "34 failed"}},
	}
	for _, l := range lists {
		for _, sz := range sizes {
			t.Run(l.name+"_"+sz.name, func(t *testing.T) {
				t.Parallel()
				api := uitest.SharedDev(t, testutil.DevOptions{FirstID: 4_000_000_000})
				tm := start(t, uitest.Deps(api), sz.w, sz.h)
				if l.command == "" {
					wait(t, tm, append([]string{"Demo User"}, l.want...)...)
				} else {
					wait(t, tm, "page 1", "Demo User")
					typeKeys(tm, ":")
					tm.Type(l.command)
					typeKeys(tm, "enter")
					wait(t, tm, l.want...)
				}
				_, v := final(t, tm)
				if m := cut.FindString(v); m != "" {
					t.Errorf("an id is cut (%q):\n%s", m, v)
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// TestOversizedPageKeepsRowCap: a server that ignores per_page and sends
// 100,000 rows in one page must not get past the 20,000-row list cap, and
// the list says what it kept.
func TestOversizedPageKeepsRowCap(t *testing.T) {
	t.Parallel()
	const sent = 100_000
	var body bytes.Buffer
	body.WriteString(`{"items":[`)
	for i := range sent {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"id":%d,"trigger_ref":"core.timer","created":"2026-06-11T14:00:00Z","has_payload":false}`, sent-i)
	}
	body.WriteString(`],"pagination":{"page":1,"page_size":50,"has_previous":false,"has_next":true}}`)
	api := misbehavingAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/events" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body.Bytes())
	})
	a := New(uitest.Deps(api))
	_, _ = a.Update(tea.WindowSizeMsg{Width: 120, Height: 24})
	pumpApp(a, a.Init())
	view := ansi.Strip(a.View())
	if !strings.Contains(view, "20000 loaded") && !strings.Contains(view, "20,000 loaded") {
		t.Errorf("want 20,000 rows loaded:\n%s", view)
	}
	if want := "the server sent 100,000 rows in one page; kept 20,000 (row limit)"; !strings.Contains(view, want) {
		t.Errorf("screen lacks %q:\n%s", want, view)
	}
}

// TestStatusBarShowsRetry: a backing-off auto-refresh is shown in the
// status bar until the next success.
func TestStatusBarShowsRetry(t *testing.T) {
	t.Parallel()
	a := New(uitest.Deps(blockingAPI()))
	_, _ = a.Update(tea.WindowSizeMsg{Width: 120, Height: 24})
	_, _ = a.Update(common.ErrorMsg{Err: &client.APIError{StatusCode: 401, Method: "GET", Path: "/api/v1/events"}, Origin: "events", Retrying: true})
	_, _ = a.Update(common.RetryMsg{In: time.Minute})
	if v := ansi.Strip(a.View()); !strings.Contains(v, "✗ unauthorized · retry in 1m") {
		t.Errorf("status bar lacks the retry:\n%s", v)
	}
	_, _ = a.Update(common.SyncMsg{At: uitest.Now()})
	if v := ansi.Strip(a.View()); strings.Contains(v, "retry in") {
		t.Errorf("retry still shown after a success:\n%s", v)
	}
}
