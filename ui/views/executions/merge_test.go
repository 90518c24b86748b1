package executions

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestProblemsMergeAcrossPages walks "problems only" page by page against
// the dev server for several seeds and small page sizes and checks it
// against a brute-force scan: every problem execution exactly once, in
// order (created, then id, newest first) across page boundaries. The old
// per-page merge put a failure of page 2's time range on page 1 and older
// rows before newer ones (issue 11).
func TestProblemsMergeAcrossPages(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			api, ds := uitest.StartDev(t, testutil.DevOptions{Seed: seed, Events: 400})
			ctx := context.Background()
			var want []client.ExecutionSummary
			for _, s := range problemStatuses() {
				for p := 1; ; p++ {
					page, _, err := api.Executions.List(ctx, &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: p, PerPage: 100}, Status: s})
					if err != nil {
						t.Fatal(err)
					}
					want = append(want, page.Items...)
					if !page.Pagination.HasNext {
						break
					}
				}
			}
			slices.SortFunc(want, func(a, b client.ExecutionSummary) int {
				if c := b.Created.Compare(a.Created); c != 0 {
					return c
				}
				return cmp.Compare(b.ID, a.ID)
			})
			if len(want) < 20 {
				t.Fatalf("seed %d has only %d problem executions", seed, len(want))
			}
			for _, per := range []int{3, 7, 20} {
				ds.Server.ResetStats()
				pm := &execMerge{problems: true}
				load := loader(api.Executions, common.NewCache(0), client.ExecutionListOptions{}, pm, false)
				var got []int64
				pages := 0
				for page := 1; ; page++ {
					f, err := load(ctx, page, per)
					if err != nil {
						t.Fatal(err)
					}
					pages++
					for _, r := range f.Items {
						got = append(got, r.id)
					}
					if !f.HasNext {
						break
					}
					if page > len(want) {
						t.Fatal("HasNext never ends")
					}
				}
				ids := make([]int64, len(want))
				for i, e := range want {
					ids[i] = e.ID
				}
				if !slices.Equal(got, ids) {
					t.Fatalf("per %d: merged ids\n%v\nwant\n%v", per, got, ids)
				}
				// Each status list is read once, page by page: the pages of
				// all four lists, plus at most one extra per list and page.
				reqs := ds.Server.Requests("/api/v1/executions")
				if maxReqs := len(want)/per + 4*pages + 4; reqs > maxReqs {
					t.Errorf("per %d: %d requests for %d merged pages; want ≤ %d", per, reqs, pages, maxReqs)
				}
				t.Logf("seed %d per %d: %d rows in %d pages, %d requests", seed, per, len(got), pages, reqs)
			}
		})
	}
}
