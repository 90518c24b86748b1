package overview

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// allFailed reads every failed execution from the API, newest first.
func allFailed(t *testing.T, api *common.API) []client.ExecutionSummary {
	t.Helper()
	var out []client.ExecutionSummary
	for page := 1; ; page++ {
		p, _, err := api.Executions.List(context.Background(), &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: page, PerPage: 7}, Status: client.ExecutionFailed})
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		out = append(out, p.Items...)
		if !p.HasNext() {
			return out
		}
	}
}

// bruteGroups counts rows by action over the newest n rows, per window.
func bruteGroups(rows []client.ExecutionSummary, n int, now time.Time) map[string][2]int {
	out := map[string][2]int{}
	for _, r := range rows[:min(n, len(rows))] {
		age := now.Sub(r.Created)
		if age > longWindow {
			continue
		}
		c := out[r.ActionRef]
		c[1]++
		if age <= shortWindow {
			c[0]++
		}
		out[r.ActionRef] = c
	}
	return out
}

// TestLoad checks the counts against a brute-force scan of the dev server's
// failed executions, with a budget that suffices and with one that does
// not (partial, and the counts are those of the pages read).
func TestLoad(t *testing.T) {
	t.Parallel()
	api, _ := uitest.StartDev(t, testutil.DevOptions{})
	now := uitest.Now()
	all := allFailed(t, api)
	inHour := 0
	for _, r := range all {
		if now.Sub(r.Created) <= longWindow {
			inHour++
		}
	}
	if inHour < 12 {
		t.Fatalf("the seed has %d failures in the last hour; the test needs more than 10", inHour)
	}
	cases := []struct {
		name         string
		b            bounds
		wantRequests int
		wantPartial  bool
		wantRead     int
	}{
		{name: "enough", b: bounds{pages: MaxPages, perPage: PerPage}, wantRequests: 1, wantRead: len(all)},
		{name: "budget", b: bounds{pages: 2, perPage: 5}, wantRequests: 2, wantPartial: true, wantRead: 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := load(context.Background(), api.Executions, now, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if s.requests != tc.wantRequests || s.partial != tc.wantPartial || s.read != tc.wantRead {
				t.Errorf("requests, partial, read = %d, %t, %d; want %d, %t, %d", s.requests, s.partial, s.read, tc.wantRequests, tc.wantPartial, tc.wantRead)
			}
			want := bruteGroups(all, tc.wantRead, now)
			if len(s.byAction) != min(len(want), Shown) {
				t.Errorf("%d action groups, want %d", len(s.byAction), min(len(want), Shown))
			}
			for i, g := range s.byAction {
				if w := want[g.ref]; w != [2]int{g.short, g.long} {
					t.Errorf("%s: 15m/1h = %d/%d, want %d/%d", g.ref, g.short, g.long, w[0], w[1])
				}
				if i > 0 && s.byAction[i-1].long < g.long {
					t.Errorf("groups not ranked by the last hour: %+v", s.byAction)
				}
				if g.filter != "action_ref:"+g.ref+" status:failed" {
					t.Errorf("filter = %q", g.filter)
				}
			}
			if len(s.execs) != Shown || s.execs[0].id != all[0].ID {
				t.Errorf("newest failed = %+v, want %d rows from #%d", s.execs, Shown, all[0].ID)
			}
			if s.stats == nil || s.stats.Failed != int64(len(all)) {
				t.Errorf("stats = %+v, want %d failed", s.stats, len(all))
			}
		})
	}
}

// fixture returns a loaded overview against the dev server.
func fixture(t *testing.T) Model {
	t.Helper()
	api, _ := uitest.StartDev(t, testutil.DevOptions{})
	m := New(uitest.Deps(api))
	v := m.SetSize(80, 20).(Model)
	msg := v.loadCmd(v.seq)()
	nm, _ := v.Update(msg)
	m = nm.(Model)
	if m.snap == nil {
		t.Fatalf("not loaded: %v", m.err)
	}
	return m
}

// TestRefresh: a live change of executions or enforcements refreshes (one
// refresh at a time: a change during one makes one more follow its
// answer); other live changes, stale answers and old ticks change nothing;
// enter opens the selected row.
func TestRefresh(t *testing.T) {
	t.Parallel()
	m := fixture(t)
	seq := m.seq

	nm, cmd := m.Update(common.LiveMsg{Changed: map[string]map[int64]bool{"event": {1: true}}})
	if got := nm.(Model); got.seq != seq || cmd != nil {
		t.Errorf("an event change refreshed the overview (seq %d → %d)", seq, got.seq)
	}
	nm, cmd = m.Update(common.LiveMsg{Changed: map[string]map[int64]bool{"execution": {1: true}}})
	got := nm.(Model)
	if got.seq != seq+1 || !got.loading || cmd == nil {
		t.Fatalf("an execution change: seq %d, loading %t; want %d, true", got.seq, got.loading, seq+1)
	}
	// Another change while it runs: no second request now, one after.
	nm, cmd = got.Update(common.LiveMsg{Gap: true})
	if busy := nm.(Model); busy.seq != got.seq || !busy.pending || cmd != nil {
		t.Errorf("a change during a refresh: seq %d, pending %t, cmd %v", busy.seq, busy.pending, cmd != nil)
	} else {
		nm, cmd = busy.Update(busy.loadCmd(busy.seq)())
		if after := nm.(Model); after.seq != busy.seq+1 || !after.loading || after.pending || cmd == nil {
			t.Errorf("after the answer: seq %d, loading %t, pending %t; want %d, true, false", after.seq, after.loading, after.pending, busy.seq+1)
		}
	}
	// A stale answer is dropped.
	if nm, _ := got.Update(loadedMsg{seq: seq, err: fmt.Errorf("stale")}); nm.(Model).err != nil {
		t.Error("a stale answer was applied")
	}
	// A tick refreshes once the screen is idle, else it makes one follow.
	if nm, cmd := m.Update(tickMsg{}); nm.(Model).seq != m.seq+1 || cmd == nil {
		t.Error("a tick did not refresh")
	}
	if nm, _ := got.Update(tickMsg{}); nm.(Model).seq != got.seq || !nm.(Model).pending {
		t.Error("a tick during a refresh did not wait for it")
	}
	// The first row is the failed count; enter opens it.
	_, cmd = m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("enter did nothing")
	}
	if msg, ok := cmd().(common.OpenMsg); !ok || msg.Route != (common.Route{Kind: common.KindExecutions, Ref: "status:failed"}) {
		t.Errorf("enter: %#v", cmd())
	}
	// Down to the first action group, then enter.
	for range 2 {
		nm, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown})
		m = nm.(Model)
	}
	_, cmd = m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	msg, ok := cmd().(common.OpenMsg)
	if !ok || msg.Route.Kind != common.KindExecutions || msg.Route.Ref != "action_ref:"+m.snap.byAction[0].ref+" status:failed" {
		t.Errorf("enter on the first group: %#v", cmd())
	}
}
