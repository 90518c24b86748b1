package events

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/outcome"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// bruteCell counts what event id caused, one request per event and per
// enforcement: the reference the windowed join must equal.
func bruteCell(t *testing.T, api common.API, id int64) outcome.Cell {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := api.ListEnforcements(ctx, common.EnforcementQuery{Event: id, Page: 1, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	c := outcome.Cell{State: outcome.Known, Enforcements: len(p.Items)}
	for _, e := range p.Items {
		x, err := api.ListExecutions(ctx, common.ExecutionQuery{Enforcement: e.ID, Page: 1, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range x.Items {
			c.Executions.Add(ex.Status)
		}
	}
	return c
}

// TestCausedJoinMatchesBruteForce checks the windowed join against the dev
// server, for several seeds and windows (the first page, several pages
// scrolled, a sparse filter that makes the window deep): every cell the
// list knows equals a brute-force per-event count, every row on screen is
// known once the answers are in, and the extra requests stay within the
// budget (4 per page of 50 events; lookups only for rows on screen).
func TestCausedJoinMatchesBruteForce(t *testing.T) {
	t.Parallel()
	type window struct {
		name   string
		moves  int  // cursor moves down after the first load
		sparse bool // filter on the trigger of the 8th event
		rare   bool // filter on the rarest trigger of the first page (deep window)
	}
	windows := []window{
		{name: "first page"},
		{name: "three pages", moves: 120},
		{name: "sparse filter", sparse: true},
		{name: "rare filter", sparse: true, rare: true},
	}
	for _, seed := range []uint64{1, 7, 42} {
		for _, w := range windows {
			t.Run(w.name+"/seed"+fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				api, ds := uitest.StartDev(t, testutil.DevOptions{Seed: seed, Events: 3000})
				extra := func() (enf, exe int) {
					return ds.Server.Requests("/api/v1/enforcements"), ds.Server.Requests("/api/v1/executions")
				}
				m := New(uitest.Deps(api)).SetSize(120, 40).(Model)
				m, _ = feed(t, m, m.Init())
				enf, exe := extra()
				t.Logf("first page of %d events: %d enforcement + %d execution requests", m.Loaded(), enf, exe)
				if enf+exe > 4 {
					t.Errorf("first page: %d extra requests, budget 4", enf+exe)
				}
				if w.sparse {
					trig := m.lv.Items()[7].trigger
					if w.rare {
						n := map[string]int{}
						for _, r := range m.lv.Items() {
							n[r.trigger]++
						}
						for k, c := range n {
							if c < n[trig] || (c == n[trig] && k < trig) {
								trig = k
							}
						}
					}
					ds.Server.ResetStats()
					m, _ = feed(t, m, func() tea.Msg {
						return filterbar.ApplyMsg{Tokens: []filterbar.Token{{Key: "trigger_ref", Value: trig}}}
					})
					enf, exe = extra()
					visible := len(m.lv.Visible())
					t.Logf("trigger_ref:%s, %d events loaded, %d on screen: %d enforcement + %d execution requests",
						trig, m.Loaded(), visible, enf, exe)
					if lookups := enf - 4; lookups > visible {
						t.Errorf("%d per-event lookups for %d rows on screen", lookups, visible)
					}
				}
				for i := 0; i < w.moves; i++ {
					m, _ = press(t, m, "down")
				}
				if w.moves > 0 {
					enf, exe = extra()
					pages := (m.Loaded() + 49) / 50
					t.Logf("%d events loaded (%d pages): %d enforcement + %d execution requests", m.Loaded(), pages, enf, exe)
					if enf+exe > 4*pages {
						t.Errorf("%d extra requests for %d pages, budget %d", enf+exe, pages, 4*pages)
					}
				}
				onScreen := map[int64]bool{}
				for _, r := range m.lv.Visible() {
					onScreen[r.id] = true
				}
				known := 0
				for _, r := range m.lv.Items() {
					got := m.cell(r)
					if got.State != outcome.Known {
						if onScreen[r.id] {
							t.Errorf("event %d is on screen and its cell is %q", r.id, outcome.EventText(got))
						}
						continue
					}
					known++
					if want := bruteCell(t, api, r.id); got != want {
						t.Errorf("event %d: cell %q (%+v), brute force %q (%+v)", r.id, outcome.EventText(got), got, outcome.EventText(want), want)
					}
				}
				t.Logf("%d of %d cells known", known, m.Loaded())
			})
		}
	}
}
