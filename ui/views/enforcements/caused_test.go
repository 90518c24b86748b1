package enforcements

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/components/outcome"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestExecutionsColumnMatchesBruteForce checks the EXECUTIONS column
// against the dev server for several seeds and windows: every known cell
// equals executions?enforcement=ID counted by hand, every row on screen is
// known, and the join stays within 2 execution pages per 50 rows loaded
// (plus one lookup per row on screen it did not reach). Each subtest has
// its own server (it counts that server's requests); the brute-force count
// of an enforcement is made once per seed and shared by both windows.
func TestExecutionsColumnMatchesBruteForce(t *testing.T) {
	t.Parallel()
	type key struct {
		seed uint64
		id   int64
	}
	var (
		refMu sync.Mutex
		refs  = map[key]outcome.Cell{}
	)
	for _, seed := range []uint64{1, 7, 42} {
		for _, moves := range []int{0, 90} {
			t.Run(fmt.Sprintf("seed%d/moves%d", seed, moves), func(t *testing.T) {
				t.Parallel()
				api, ds := uitest.StartDev(t, testutil.DevOptions{Seed: seed, Events: 1000})
				m := New(uitest.Deps(api), 0).SetSize(120, 40).(Model)
				m, _ = feed(m, m.Init())
				for i := 0; i < moves; i++ {
					m, _ = press(m, "down")
				}
				exe := ds.Server.Requests("/api/v1/executions")
				pages := (m.Loaded() + 49) / 50
				t.Logf("%d enforcements loaded: %d execution requests", m.Loaded(), exe)
				if exe > 2*pages+len(m.lv.Visible()) {
					t.Errorf("%d execution requests for %d rows", exe, m.Loaded())
				}
				onScreen := map[int64]bool{}
				for _, r := range m.lv.Visible() {
					onScreen[r.id] = true
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				for _, r := range m.lv.Items() {
					got := m.outcome.Cell(outcomeRow(r))
					if got.State != outcome.Known {
						if onScreen[r.id] {
							t.Errorf("enforcement %d is on screen and its cell is %q", r.id, outcome.EnforcementText(got))
						}
						continue
					}
					refMu.Lock()
					want, ok := refs[key{seed, r.id}]
					refMu.Unlock()
					if !ok {
						p, _, err := api.Executions.List(ctx, &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 100}, Enforcement: r.id})
						if err != nil {
							t.Fatal(err)
						}
						want = outcome.Cell{State: outcome.Known}
						for _, x := range p.Items {
							want.Executions.Add(x.Status)
						}
						refMu.Lock()
						refs[key{seed, r.id}] = want
						refMu.Unlock()
					}
					if got != want {
						t.Errorf("enforcement %d: %q, brute force %q", r.id, outcome.EnforcementText(got), outcome.EnforcementText(want))
					}
				}
			})
		}
	}
}
