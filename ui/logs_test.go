package ui

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/internal/testutil/poll"
	"github.com/attune-tui/attune-tui/ui/components/logview"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// findLog returns the newest execution of the seeded dev server whose log
// matches q.
func findLog(t *testing.T, ds *testutil.DevServer, q devserver.LogQuery) int64 {
	t.Helper()
	ids, err := ds.Server.FindLogs(context.Background(), q)
	if err != nil || len(ids) == 0 {
		t.Fatalf("no seeded execution with a %+v log: %v", q, err)
	}
	return ids[0]
}

// TestLogScreens golden-tests the output screen at 80×24 and 120×40 against
// the seeded dev server (seed 1, 300 events, the fixed clock of uitest.Now)
// in each state: a failed execution's stderr searched, a log cut at the
// 10 MiB cap, an empty log, expired logs, an unknown execution, and a
// running execution followed and then paused.
func TestLogScreens(t *testing.T) {
	t.Parallel()
	sealed := true
	tests := []struct {
		name string
		q    *devserver.LogQuery // the execution; nil: id 999999
		// stream is the argument after the id (":logs ID stream").
		stream   string
		wantOpen []string
		keys     []string
		want     []string
	}{
		{name: "stderr_searched", q: &devserver.LogQuery{Status: "failed", Sealed: &sealed}, stream: "stderr",
			wantOpen: []string{"[stderr]", "■ sealed", "Traceback"}, keys: []string{"/", "t", "r", "a", "c", "e", "b", "a", "c", "k", "enter"},
			want: []string{"/traceback 1/1"}},
		{name: "truncated", q: &devserver.LogQuery{Kind: devserver.LogKindTruncated},
			wantOpen: []string{"[stdout]", "✂ truncated at 10 MiB"}, keys: []string{"G"},
			want: []string{"[OUTPUT TRUNCATED: stdout exceeded size limit]"}},
		{name: "empty", q: &devserver.LogQuery{Kind: devserver.LogKindEmpty},
			wantOpen: []string{"[stdout]", "(empty: the execution wrote nothing to stdout)"}},
		{name: "expired", q: &devserver.LogQuery{Kind: devserver.LogKindExpired, Status: "completed"}, stream: "stderr",
			wantOpen: []string{"[stderr]", "✗ stopped", "no permission", "! details"}},
		{name: "unknown_execution", stream: "stderr",
			wantOpen: []string{"Could not load the execution", "999999", "press r to retry", "! details"}},
		{name: "following", q: &devserver.LogQuery{Kind: devserver.LogKindLive, Status: "running"},
			wantOpen: []string{"[stdout]", "● following"}},
		{name: "paused", q: &devserver.LogQuery{Kind: devserver.LogKindLive, Status: "running"},
			wantOpen: []string{"[stdout]", "● following"}, keys: []string{"k"},
			want: []string{"⏸ paused (G follows)"}},
	}
	for _, tc := range tests {
		for _, sz := range sizes {
			t.Run(tc.name+"_"+sz.name, func(t *testing.T) {
				t.Parallel()
				api, ds := uitest.StartDev(t, testutil.DevOptions{Now: uitest.Now})
				id := int64(999999)
				wantOpen := tc.wantOpen
				if tc.q != nil {
					id = findLog(t, ds, *tc.q)
				}
				if tc.q != nil && tc.q.Kind == devserver.LogKindLive {
					// Wait for the whole log (its last line number), not
					// just the first chunk.
					text, _, err := ds.Server.LogText(context.Background(), id, devserver.StreamStdout)
					if err != nil {
						t.Fatal(err)
					}
					wantOpen = append(slices.Clone(wantOpen), fmt.Sprintf("%d ", logview.Build(string(text)).Lines()))
				}
				tm := start(t, uitest.Deps(api), sz.w, sz.h)
				wait(t, tm, "page 1", "Demo User")
				typeKeys(tm, ":")
				tm.Type(fmt.Sprintf("logs %d %s", id, tc.stream))
				typeKeys(tm, "enter")
				wait(t, tm, wantOpen...)
				if len(tc.keys) > 0 {
					typeKeys(tm, tc.keys...)
					wait(t, tm, tc.want...)
				}
				a, v := final(t, tm)
				if want := []string{"Events", fmt.Sprintf("Output #%d", id)}; !slices.Equal(a.Views(), want) {
					t.Errorf("stack = %q, want %q", a.Views(), want)
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// TestHostileLogs opens the seeded hostile logs in ASCII and true colour
// and checks the raw terminal stream with the hostile-data allow-list: the
// log's colours are drawn, its other escapes are shown, never sent.
func TestHostileLogs(t *testing.T) {
	t.Parallel()
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.TrueColor} {
		t.Run(profileName(profile), func(t *testing.T) {
			t.Parallel()
			api, ds := uitest.StartDev(t, testutil.DevOptions{Now: uitest.Now})
			ids, err := ds.Server.FindLogs(context.Background(), devserver.LogQuery{Kind: devserver.LogKindHostile, Limit: 3})
			if err != nil || len(ids) == 0 {
				t.Fatalf("no hostile logs: %v", err)
			}
			r := startRaw(t, themed(uitest.Deps(api), profile), 120, 40)
			r.waitFrom(t, 0, "page 1", "Demo User")
			for _, id := range ids {
				m := r.command(t, fmt.Sprintf("logs %d", id), fmt.Sprintf("Output #%d", id), "sealed", `\x1b`)
				r.sendOn(t, m, []string{"w", "G", "tab"}, "[stderr]")
				r.send(t, []string{"esc"}, "page 1")
			}
			v := r.finish(t)
			checkTerminalBytes(t, r.raw)
			checkTerminalBytes(t, []byte(v))
		})
	}
}

// TestLogStreamsClosed: a followed stream is closed when nothing shows it —
// reloading the execution detail (one stream, not two), tabbing off the log
// tabs, opening the output screen over the detail, and leaving screens —
// and resumes when shown again, also when the screen above is closed
// (LOGS.md §5; streams count against a per-identity limit of 5).
func TestLogStreamsClosed(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{Now: uitest.Now})
	id := findLog(t, ds, devserver.LogQuery{Kind: devserver.LogKindLive, Status: "running"})
	open := func(want int) {
		t.Helper()
		// A server counter: no event to wait on.
		if !poll.Until(waitFor, 5*time.Millisecond, func() bool { return ds.Server.OpenLogStreams() == want }) {
			t.Fatalf("%d log streams open, want %d", ds.Server.OpenLogStreams(), want)
		}
	}
	tm := start(t, uitest.Deps(api), 120, 40)
	wait(t, tm, "page 1", "Demo User")
	typeKeys(tm, ":")
	tm.Type(fmt.Sprintf("execution %d", id))
	typeKeys(tm, "enter")
	wait(t, tm, fmt.Sprintf("Execution #%d", id), "Children")
	typeKeys(tm, "tab", "tab", "tab") // Config, Children, stdout
	wait(t, tm, "[stdout]", "● following")
	open(1)
	typeKeys(tm, "r") // the same status line comes back: nothing new to wait for on screen
	open(1)
	typeKeys(tm, "tab", "tab") // stderr, then Result
	wait(t, tm, "[Result]")
	open(0)
	typeKeys(tm, "shift+tab", "shift+tab") // back to stdout: resumes
	wait(t, tm, "[stdout]")
	open(1)
	typeKeys(tm, "O")
	// (its status line is the detail's, on the same row: not redrawn)
	wait(t, tm, fmt.Sprintf("Output #%d", id), "[stdout]  stderr")
	open(1)             // the output screen's; the detail's was closed
	typeKeys(tm, "esc") // back on the detail's stdout tab: its stream resumes
	wait(t, tm, "Children")
	open(1)
	typeKeys(tm, "esc") // the detail is closed
	wait(t, tm, "page 1")
	open(0)
	final(t, tm)
}
