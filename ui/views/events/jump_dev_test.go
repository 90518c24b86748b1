package events

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestJumpToTimeAgainstDevServer is a property test over random seeds and
// times: `@` lands on the first event at or before the time (checked
// against a brute-force scan of every event), within
// ⌈log2(pages)⌉+1 requests to the server.
func TestJumpToTimeAgainstDevServer(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2026, 12))
	for range 3 {
		seed := r.Uint64N(1000)
		events := 200 + r.IntN(600)
		t.Run(fmt.Sprintf("seed%d_events%d", seed, events), func(t *testing.T) {
			t.Parallel()
			api, ds := uitest.StartDev(t, testutil.DevOptions{Seed: seed, Events: events})
			var all []client.EventSummary
			for p := 1; ; p++ {
				page, _, err := api.Events.List(context.Background(), &client.EventListOptions{ListOptions: client.ListOptions{Page: p, PerPage: 100}})
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, page.Items...)
				if !page.Pagination.HasNext {
					break
				}
			}
			deps := uitest.Deps(api)
			deps.PerPage = 7
			pages := (len(all) + 6) / 7
			newest, oldest := all[0].Created, all[len(all)-1].Created
			span := newest.Sub(oldest)
			rr := rand.New(rand.NewPCG(seed, 1))
			for i := range 8 {
				// Times across the whole list, a little past both ends.
				at := oldest.Add(time.Duration(rr.Int64N(int64(span)*12/10)) - span/10).Truncate(time.Second)
				m := New(deps).SetSize(160, 30).(Model)
				m, _ = feed(t, m, m.Init())
				ds.Server.ResetStats()
				m = typeText(t, m, "@")
				m = typeText(t, m, at.UTC().Format("2006-01-02 15:04:05"))
				m, intents := press(t, m, "enter")
				for _, in := range intents {
					if e, ok := in.(common.ErrorMsg); ok {
						t.Fatalf("error: %v", e.Err)
					}
				}
				want := all[len(all)-1].ID // none that old: the oldest
				for _, ev := range all {
					if !ev.Created.After(at) {
						want = ev.ID
						break
					}
				}
				if got := m.SelectedID(); got != want {
					t.Fatalf("time %d %s: landed on #%d, want #%d", i, at, got, want)
				}
				// The landing may prefetch the next page (normal paging);
				// the jump itself stays within the bound.
				jumpReqs := m.lv.JumpRequests()
				if jumpReqs > listview.JumpBound(pages) {
					t.Fatalf("time %s: %d requests for %d pages, bound %d", at, jumpReqs, pages, listview.JumpBound(pages))
				}
				if n := ds.Server.Requests("/api/v1/events"); n > jumpReqs+1 {
					t.Fatalf("time %s: the server saw %d requests, the jump made %d", at, n, jumpReqs)
				}
				if i == 0 && !strings.Contains(m.View(), " · rows ") {
					t.Errorf("no time window in the header:\n%s", m.View())
				}
			}
		})
	}
}
