package listview_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestParseJumpTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		text    string
		want    time.Time
		wantErr string
	}{
		{text: "03:12", want: time.Date(2026, 12, 5, 3, 12, 0, 0, time.UTC)},
		{text: "03:12:09", want: time.Date(2026, 12, 5, 3, 12, 9, 0, time.UTC)},
		{text: "11:00", want: time.Date(2026, 12, 4, 11, 0, 0, 0, time.UTC)}, // later today has not happened: yesterday's
		{text: "2026-12-03 03:12", want: time.Date(2026, 12, 3, 3, 12, 0, 0, time.UTC)},
		{text: "2026-12-03", want: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)},
		{text: "2026-12-03T03:12:00Z", want: time.Date(2026, 12, 3, 3, 12, 0, 0, time.UTC)},
		{text: "-2h", want: now.Add(-2 * time.Hour)},
		{text: "-90m", want: now.Add(-90 * time.Minute)},
		{text: "-1d12h", want: now.Add(-36 * time.Hour)},
		{text: "yesterday 17:00", want: time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)},
		{text: "Yesterday", want: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)},
		{text: "today 08:00", want: time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)},
		{text: "", wantErr: "type a time"},
		{text: "soon", wantErr: `"soon": not a time`},
		{text: "-2x", wantErr: "-2x: not a duration"},
		{text: "yesterday 25:00", wantErr: `"25:00": not a clock time`},
	}
	for _, tc := range tests {
		got, err := listview.ParseJumpTime(tc.text, now)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.text, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q = %v, %v; want %v", tc.text, got, err, tc.want)
		}
	}
	// In the app clock's zone.
	berlin := time.FixedZone("CET", 3600)
	got, _ := listview.ParseJumpTime("03:12", now.In(berlin))
	if want := time.Date(2026, 12, 5, 3, 12, 0, 0, berlin); !got.Equal(want) {
		t.Errorf("03:12 in CET = %v, want %v", got, want)
	}
}

// seekList is a list of n items, one a minute back from uitest.Now (ids
// n..1), whose seek loader counts its requests and waits for gate.
func seekList(t *testing.T, n int, gate chan struct{}) (listview.Model[item], *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	seek := func() pagedlist.Loader[item] {
		inner := load(n, nil)(false)
		return func(ctx context.Context, page, per int) (pagedlist.Fetched[item], error) {
			calls.Add(1)
			if gate != nil {
				select {
				case <-gate:
				case <-ctx.Done():
					return pagedlist.Fetched[item]{}, ctx.Err()
				}
			}
			f, err := inner(ctx, page, per)
			total := n
			f.Total = &total
			return f, err
		}
	}
	sp := spec()
	sp.Created = func(r item) time.Time { return r.created }
	m := listview.New(uitest.Deps(nil).WithDefaults(), sp, listview.DefaultKeyMap()).SetLoad(load(n, nil)).
		SetSeekLoad(seek, "").SetSize(100, 12)
	m, cmd := m.Reset()
	m, _ = feed(m, cmd)
	return m, &calls
}

func jumpTo(m listview.Model[item], text string) (listview.Model[item], tea.Cmd) {
	m, _ = m.Update(uitest.Key("@"))
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text)})
	return m.Update(uitest.Key("enter"))
}

// TestJumpLandsWithinBound checks random targets against the rows
// themselves: the cursor lands on the first row at or before the time,
// within JumpBound(pages) requests.
func TestJumpLandsWithinBound(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(14, 3))
	for range 40 {
		n := 1 + r.IntN(700)
		back := time.Duration(r.IntN(n+30)-10) * time.Minute // some before the oldest, some after the newest
		at := uitest.Now().Add(-back).Add(time.Duration(r.IntN(60)) * time.Second)
		t.Run(fmt.Sprintf("n%d_%s", n, back), func(t *testing.T) {
			m, calls := seekList(t, n, nil)
			m, cmd := jumpTo(m, at.Format(time.RFC3339))
			m, _ = feed(m, cmd)
			if m.Jumping() {
				t.Fatal("the jump did not end")
			}
			// The first row at or before at: item index i has created
			// Now-(i+1)min.
			want := -1
			for i := range n {
				if !uitest.Now().Add(-time.Duration(i+1) * time.Minute).After(at) {
					want = i
					break
				}
			}
			if want < 0 {
				want = n - 1 // none: the oldest
			}
			sel, ok := m.Selected()
			if !ok || sel.id != int64(n-want) {
				t.Fatalf("landed on %+v, want id %d", sel, n-want)
			}
			pages := (n + 19) / 20
			if got := int(calls.Load()); got > listview.JumpBound(pages) || got != m.JumpRequests() {
				t.Fatalf("%d requests (model says %d) for %d pages, bound %d", got, m.JumpRequests(), pages, listview.JumpBound(pages))
			}
			if want >= 20 && !strings.Contains(m.View(listview.Frame{}), " · rows ") {
				t.Errorf("no time window in the header:\n%s", m.View(listview.Frame{}))
			}
		})
	}
}

func TestJumpCancel(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	m, _ := seekList(t, 500, gate)
	m, cmd := jumpTo(m, "-300m")
	if !m.Jumping() || !m.InputFocused() {
		t.Fatal("the jump did not start")
	}
	if v := m.View(listview.Frame{}); !strings.Contains(v, "@ -300m: request 1") || !strings.Contains(v, "esc cancels") {
		t.Errorf("no progress in the header:\n%s", v)
	}
	done := make(chan []tea.Msg)
	go func() { done <- uitest.Run(cmd) }() // the request, waiting for the gate
	m, _ = m.Update(uitest.Key("esc"))
	if m.Jumping() || m.InputFocused() {
		t.Fatal("esc did not stop the jump")
	}
	msgs := <-done // esc cancelled the request's context: it returns
	for _, msg := range msgs {
		m, _ = m.Update(msg)
	}
	close(gate)
	if m.Cursor() != 0 || m.List().Start() != 1 || !strings.Contains(m.View(listview.Frame{}), "jump cancelled") {
		t.Fatalf("a cancelled jump moved the list: cursor %d, start %d\n%s", m.Cursor(), m.List().Start(), m.View(listview.Frame{}))
	}
}

func TestJumpInput(t *testing.T) {
	t.Parallel()
	m, calls := seekList(t, 100, nil)
	m, _ = m.Update(uitest.Key("@"))
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("soon")})
	m, _ = m.Update(uitest.Key("enter"))
	if v := m.View(listview.Frame{}); !strings.Contains(v, `✗ "soon": not a time`) || !m.InputFocused() {
		t.Fatalf("a bad time: input open %v\n%s", m.InputFocused(), v)
	}
	m, _ = m.Update(uitest.Key("esc"))
	if m.InputFocused() || calls.Load() != 0 {
		t.Fatal("esc did not close the input, or something was requested")
	}
	// Within the loaded rows: no request.
	m, cmd := jumpTo(m, "-5m30s")
	m, _ = feed(m, cmd)
	if sel, _ := m.Selected(); sel.id != 95 || calls.Load() != 0 {
		t.Fatalf("landed on %d with %d requests, want 95 with none", sel.id, calls.Load())
	}
}
