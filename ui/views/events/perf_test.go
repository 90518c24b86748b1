package events

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestRequestsAgainstDevServer counts the HTTP requests the list makes: none
// for moves inside loaded pages, one per page boundary (prefetched before
// the cursor gets there).
func TestRequestsAgainstDevServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		moves int
		want  int // list requests after the first load
	}{
		{name: "moves inside the first page", moves: 10, want: 0},
		{name: "first boundary is prefetched once", moves: 15, want: 1},
		{name: "three boundaries", moves: 55, want: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api, ds := uitest.StartDev(t, testutil.DevOptions{})
			m := New(uitest.Deps(api)).SetSize(120, 40).(Model)
			m, _ = feed(t, m, m.Init())
			list := func() int { return ds.Server.Requests("/api/v1/events") - ds.Server.Requests("/api/v1/events/") }
			if got := list(); got != 1 {
				t.Fatalf("first load made %d list requests, want 1", got)
			}
			for i := 0; i < tc.moves; i++ {
				m, _ = press(t, m, "down")
			}
			if got := list() - 1; got != tc.want {
				t.Errorf("%d moves made %d list requests, want %d", tc.moves, got, tc.want)
			}
			if m.Cursor() != tc.moves {
				t.Errorf("cursor = %d, want %d", m.Cursor(), tc.moves)
			}
		})
	}
}

// TestIdleDoesNotTick checks that nothing keeps ticking once data is shown
// (an idle screen must write nothing).
func TestIdleDoesNotTick(t *testing.T) {
	t.Parallel()
	m := newLoaded(t, &fakeAPI{n: 40})
	if _, cmd := m.Update(spinner.TickMsg{ID: m.lv.SpinnerID()}); cmd != nil {
		t.Error("the spinner keeps ticking after the list loaded")
	}
}

// loadedModel returns a list with n rows loaded, cursor in the middle.
func loadedModel(tb testing.TB, n int) Model {
	tb.Helper()
	d := uitest.Deps((&fakeAPI{}).API())
	d.MaxRows = n + 1
	m := New(d).SetSize(120, 38).(Model)
	rows := make([]row, n)
	base := uitest.Now()
	for i := range rows {
		id := int64(n - i)
		rows[i] = row{
			id: id, created: base.Add(-time.Duration(i) * time.Second), idText: fmt.Sprint(id),
			trigger: "core.webhook", rule: "core.rule_" + fmt.Sprint(i%13), source: "core.sensor",
			trace: "trace." + fmt.Sprint(id), hasPayload: true,
		}
	}
	tm, _ := m.Update(pagedlist.PageMsg[row]{Gen: 1, Seq: 1, Kind: pagedlist.KindReplace, Page: 1,
		Fetched: pagedlist.Fetched[row]{Items: rows}, At: base})
	m = tm.(Model)
	if m.Loaded() != n {
		tb.Fatalf("loaded %d rows, want %d", m.Loaded(), n)
	}
	m.lv = m.lv.SetCursor(n / 2)
	return m
}

func benchmarkMove(b *testing.B, n int) {
	m := loadedModel(b, n)
	down, up := uitest.Key("down"), uitest.Key("up")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := down
		if i%64 >= 32 {
			k = up
		}
		tm, _ := m.Update(k)
		m = tm.(Model)
		_ = m.View()
	}
}

// BenchmarkCursorMove1k and BenchmarkCursorMove100k measure Update+View per
// cursor move with 1k and 100k rows loaded; the costs must be about equal.
func BenchmarkCursorMove1k(b *testing.B)   { benchmarkMove(b, 1_000) }
func BenchmarkCursorMove100k(b *testing.B) { benchmarkMove(b, 100_000) }

// TestMoveCostIndependentOfRows compares allocations per move at 1k and
// 100k rows (allocations are deterministic, unlike time).
// It is not parallel: testing.AllocsPerRun refuses parallel tests.
func TestMoveCostIndependentOfRows(t *testing.T) {
	allocs := func(n int) float64 {
		m := loadedModel(t, n)
		down, up := uitest.Key("down"), uitest.Key("up")
		i := 0
		return testing.AllocsPerRun(200, func() {
			k := down
			if i%64 >= 32 {
				k = up
			}
			i++
			var tm tea.Model
			tm, _ = m.Update(k)
			m = tm.(Model)
			_ = m.View()
		})
	}
	small, large := allocs(1_000), allocs(100_000)
	if large > small*1.1+1 {
		t.Errorf("allocs per move: %.1f at 1k rows, %.1f at 100k rows", small, large)
	}
	t.Logf("allocs per move: %.1f at 1k rows, %.1f at 100k rows", small, large)
	if v := loadedModel(t, 10).View(); !strings.Contains(v, "core.webhook") {
		t.Errorf("view of synthetic rows is wrong:\n%s", v)
	}
}
