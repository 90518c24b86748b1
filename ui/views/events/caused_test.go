package events

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/outcome"
	"github.com/attune-tui/attune-tui/ui/theme"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// bruteCell counts what event id caused, one request per event and per
// enforcement: the reference the windowed join must equal.
func bruteCell(t *testing.T, api *common.API, id int64) outcome.Cell {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, _, err := api.Enforcements.List(ctx, &client.EnforcementListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 100}, Event: id})
	if err != nil {
		t.Fatal(err)
	}
	c := outcome.Cell{State: outcome.Known, Enforcements: len(p.Items)}
	for _, e := range p.Items {
		x, _, err := api.Executions.List(ctx, &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 100}, Enforcement: e.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range x.Items {
			c.Executions.Add(ex.Status)
		}
	}
	return c
}

// bruteRefs memoises bruteCell per data set (seed and size) across the
// subtests of one test: the data of a seed is the same on every server
// seeded with it, so each event is counted once, not once per window.
type bruteRefs struct {
	mu sync.Mutex
	m  map[bruteKey]outcome.Cell
}

// bruteKey is one event of one data set.
type bruteKey struct {
	seed   uint64
	events int
	id     int64
}

// cell returns the brute-force count of event id in the data set (seed,
// events), asking api (a server of that data set) the first time.
func (b *bruteRefs) cell(t *testing.T, api *common.API, seed uint64, events int, id int64) outcome.Cell {
	t.Helper()
	k := bruteKey{seed, events, id}
	b.mu.Lock()
	c, ok := b.m[k]
	b.mu.Unlock()
	if ok {
		return c
	}
	c = bruteCell(t, api, id)
	b.mu.Lock()
	b.m[k] = c
	b.mu.Unlock()
	return c
}

// TestCausedJoinMatchesBruteForce checks the windowed join against the dev
// server, for several seeds and windows (the first page, several pages
// scrolled, a sparse filter that makes the window deep): every cell the
// list knows equals a brute-force per-event count, every row on screen is
// known once the answers are in, and the extra requests stay within the
// budget (4 per page of 50 events; lookups only for rows on screen).
// Each subtest has its own server (it counts that server's requests);
// the brute-force reference of each seed is computed once and shared.
func TestCausedJoinMatchesBruteForce(t *testing.T) {
	t.Parallel()
	refs := &bruteRefs{m: map[bruteKey]outcome.Cell{}}
	type window struct {
		name   string
		moves  int  // cursor moves down after the first load
		sparse bool // filter on the trigger of the 8th event
		rare   bool // filter on the rarest trigger of the first page (deep window)
		per    int  // page size (uitest's 20 by default)
	}
	windows := []window{
		{name: "first page"},
		{name: "first page of 50", per: 50},
		{name: "four pages of 50", per: 50, moves: 160},
		{name: "three pages", moves: 120},
		{name: "sparse filter", sparse: true},
		{name: "rare filter", sparse: true, rare: true},
	}
	for _, seed := range []uint64{1, 7, 42} {
		for _, w := range windows {
			t.Run(w.name+"/seed"+fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				events := 400
				if w.rare {
					events = 3000
				}
				api, ds := uitest.StartDev(t, testutil.DevOptions{Seed: seed, Events: events})
				extra := func() (enf, exe int) {
					return ds.Server.Requests("/api/v1/enforcements"), ds.Server.Requests("/api/v1/executions")
				}
				d := uitest.Deps(api)
				if w.per > 0 {
					d.PerPage = w.per
				}
				m := New(d).SetSize(120, 40).(Model)
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
					if enf+exe > max(4, visible) {
						t.Errorf("%d requests for %d rows on screen", enf+exe, visible)
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
					if want := refs.cell(t, api, seed, events, r.id); got != want {
						t.Errorf("event %d: cell %q (%+v), brute force %q (%+v)", r.id, outcome.EventText(got), got, outcome.EventText(want), want)
					}
				}
				t.Logf("%d of %d cells known", known, m.Loaded())
			})
		}
	}
}

// TestCausedRecomputedOnRefresh: after live traffic changes the server, r
// recomputes the column (a new join), and the cells on screen equal the
// brute-force count again, without a sleep: the answers are fed back
// through Update.
func TestCausedRecomputedOnRefresh(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	m := New(uitest.Deps(api)).SetSize(120, 40).(Model)
	m, _ = feed(t, m, m.Init())
	ctx := t.Context()
	for range 5 {
		if err := ds.Server.LiveStep(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ds.Server.ResetStats()
	m, _ = press(t, m, "r")
	if n := ds.Server.Requests("/api/v1/enforcements"); n == 0 {
		t.Fatal("r did not recompute the CAUSED column")
	}
	for _, r := range m.lv.Visible() {
		got := m.cell(r)
		if want := bruteCell(t, api, r.id); got != want {
			t.Errorf("after r, event %d: %q, brute force %q", r.id, outcome.EventText(got), outcome.EventText(want))
		}
	}
}

// TestCausedFilter: c cycles all → caused something → caused a failure →
// all, over the loaded rows.
func TestCausedFilter(t *testing.T) {
	t.Parallel()
	api, _ := uitest.StartDev(t, testutil.DevOptions{})
	m := New(uitest.Deps(api)).SetSize(120, 40).(Model)
	m, _ = feed(t, m, m.Init())
	all := m.lv.Visible()
	m, _ = press(t, m, "c")
	some := m.lv.Visible()
	if len(some) == 0 || len(some) >= len(all) {
		t.Fatalf("caused something shows %d of %d rows", len(some), len(all))
	}
	for _, r := range some {
		if m.cell(r).Enforcements == 0 {
			t.Errorf("event %d caused nothing but is shown", r.id)
		}
	}
	m, _ = press(t, m, "c")
	for _, r := range m.lv.Visible() {
		if m.cell(r).Executions.Failed == 0 {
			t.Errorf("event %d caused no failure but is shown", r.id)
		}
	}
	if !strings.Contains(m.View(), "caused a failure") {
		t.Errorf("the header does not say which filter is on:\n%s", m.View())
	}
	m, _ = press(t, m, "c")
	if len(m.lv.Visible()) != len(all) {
		t.Errorf("c back to all shows %d rows, want %d", len(m.lv.Visible()), len(all))
	}
}

// TestCausedCellColour: with colour, each CAUSED cell is drawn in the
// colour of its own worst outcome (failed, running, ok) and the rest of
// the row in the row's style; the selected row is drawn in the selection
// style alone.
func TestCausedCellColour(t *testing.T) {
	t.Parallel()
	api, _ := uitest.StartDev(t, testutil.DevOptions{})
	d := uitest.Deps(api)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	d.Styles = theme.New(r)
	m := New(d).SetSize(120, 40).(Model)
	m, _ = feed(t, m, m.Init())
	lines := strings.Split(m.View(), "\n")
	seen := map[string]bool{}
	for i, row := range m.lv.Visible() {
		cell := m.cell(row)
		text := outcome.EventText(cell)
		var line string
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(ansi.Strip(l)), row.idText+" ") ||
				strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(ansi.Strip(l), ">")), row.idText+" ") {
				line = l
				break
			}
		}
		if line == "" {
			t.Fatalf("row %s not on screen", row.idText)
		}
		worst := cell.Worst()
		if i == m.Cursor() || worst == "" {
			continue
		}
		want := d.Styles.Table.Accents[worst].Render(text)
		want = strings.TrimSuffix(want, "\x1b[0m") // the cell is padded inside the style
		if !strings.Contains(line, want) {
			t.Errorf("event %s (%s, worst %s): its cell is not in the %s colour:\n%q", row.idText, text, worst, worst, line)
		}
		seen[worst] = true
	}
	for _, w := range []string{"failed", "ok"} {
		if !seen[w] {
			t.Errorf("no %s cell on the first page: the test does not cover it", w)
		}
	}
}
