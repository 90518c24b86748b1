package events

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestWildcardMergeMatchesBruteForce walks a wildcard's merged list page by
// page for several seeds and page sizes and compares it with a brute-force
// scan of the seed: every event of the matched refs exactly once, newest
// first (created, then id) across page boundaries.
func TestWildcardMergeMatchesBruteForce(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 5, 9} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			api, _ := uitest.StartDev(t, testutil.DevOptions{Seed: seed, Events: 400})
			ctx := context.Background()
			var all []client.EventSummary
			for p := 1; ; p++ {
				page, _, err := api.Events.List(ctx, &client.EventListOptions{ListOptions: client.ListOptions{Page: p, PerPage: 100}})
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, page.Items...)
				if !page.Pagination.HasNext {
					break
				}
			}
			refs := []string{"github.pull_request", "github.push", "core.intervaltimer"}
			var want []int64
			for _, ev := range all { // the server's order is newest first
				if slices.Contains(refs, ev.TriggerRef) {
					want = append(want, ev.ID)
				}
			}
			if len(want) < 30 {
				t.Fatalf("seed %d has only %d matching events", seed, len(want))
			}
			wild := filterbar.Token{Key: "trigger_ref", Value: "*", Refs: refs}
			for _, per := range []int{3, 7, 20} {
				mg := &pagedlist.Merger[client.EventSummary]{}
				load := mergedLoader(api.Events, client.EventListOptions{}, wild, mg)
				var got []int64
				for page := 1; ; page++ {
					f, err := load(ctx, page, per)
					if err != nil {
						t.Fatal(err)
					}
					if len(f.Items) > per {
						t.Fatalf("page %d has %d rows, more than %d", page, len(f.Items), per)
					}
					for _, r := range f.Items {
						got = append(got, r.id)
					}
					if !f.HasNext {
						break
					}
					if page > len(want) {
						t.Fatal("the merge never ends")
					}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("per %d: merged %d rows, want %d; first difference at %d", per, len(got), len(want), firstDiff(got, want))
				}
			}
		})
	}
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestWildcardFilterInTheBar types a wildcard in the bar against the dev
// server: it expands into the known trigger refs, the chip shows them, and
// every row shown is of one of them.
func TestWildcardFilterInTheBar(t *testing.T) {
	t.Parallel()
	m, _ := devLoaded(t)
	m, _ = press(t, m, "/", "trigger_ref:github.*", "enter")
	if m.InputFocused() {
		t.Fatalf("the bar stayed open:\n%s", m.View())
	}
	if v := m.View(); !strings.Contains(v, "trigger_ref:github.*→github.pull_request,github.push") {
		t.Fatalf("the chip does not show the expansion:\n%s", v)
	}
	if m.Loaded() == 0 {
		t.Fatal("no rows")
	}
	for _, r := range m.lv.Items() {
		if r.trigger != "github.push" && r.trigger != "github.pull_request" {
			t.Fatalf("row %d is %s", r.id, r.trigger)
		}
	}
	m, _ = press(t, m, "/", "ctrl+u", "trigger_ref:nothing.*", "enter")
	if !m.InputFocused() || !strings.Contains(m.View(), `no known ref matches "nothing.*"`) {
		t.Fatalf("a wildcard that matches nothing:\n%s", m.View())
	}
}
