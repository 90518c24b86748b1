package listview_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/components/table"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

type item struct {
	id      int64
	created time.Time
}

func spec() listview.Spec[item] {
	return listview.Spec[item]{
		Noun: "items",
		ID:   func(r item) int64 { return r.id },
		Columns: func(abs bool) []table.Column {
			return []table.Column{{Title: "ID", Min: 6}, listview.CreatedColumn(abs)}
		},
		Cells: func(r item, now time.Time, abs bool) []string {
			return []string{strconv.FormatInt(r.id, 10), listview.Created(r.created, now, abs)}
		},
		RetryHint: "press r to retry",
	}
}

// load serves n items (ids n..1, newest first), or err.
func load(n int, err error) listview.Load[item] {
	return func(bool) pagedlist.Loader[item] {
		return func(_ context.Context, page, perPage int) (pagedlist.Fetched[item], error) {
			if err != nil {
				return pagedlist.Fetched[item]{}, err
			}
			var f pagedlist.Fetched[item]
			for i := (page - 1) * perPage; i < min(page*perPage, n); i++ {
				f.Items = append(f.Items, item{id: int64(n - i), created: uitest.Now().Add(-time.Duration(i+1) * time.Minute)})
			}
			f.HasNext = page*perPage < n
			return f, nil
		}
	}
}

// feed runs cmd and feeds the page answers back into m until none is left.
func feed(m listview.Model[item], cmd tea.Cmd) (listview.Model[item], []tea.Msg) {
	var intents []tea.Msg
	for i := 0; cmd != nil && i < 20; i++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			switch msg.(type) {
			case common.ErrorMsg, common.SyncMsg:
				intents = append(intents, msg)
				continue
			case spinner.TickMsg:
				continue
			}
			var c tea.Cmd
			m, c = m.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	return m, intents
}

func newList(t *testing.T, n int, err error) (listview.Model[item], []tea.Msg) {
	t.Helper()
	m := listview.New(uitest.Deps(nil).WithDefaults(), spec(), listview.DefaultKeyMap()).SetLoad(load(n, err)).SetSize(80, 12)
	m, cmd := m.Reset()
	return feed(m, cmd)
}

func TestPageJumps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		n      int
		keys   []string
		cursor int
		loaded int
	}{
		{name: "] from row 1 lands on row 21", n: 100, keys: []string{"down", "]"}, cursor: 21, loaded: 40},
		{name: "] past the loaded rows waits for the page", n: 100, keys: []string{"]", "]", "]"}, cursor: 60, loaded: 80},
		{name: "] at the end stops on the last row", n: 30, keys: []string{"]", "]", "]"}, cursor: 29, loaded: 30},
		{name: "[ goes back a page", n: 100, keys: []string{"]", "]", "["}, cursor: 20, loaded: 60},
		{name: "[ at the top stays", n: 100, keys: []string{"["}, cursor: 0, loaded: 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _ := newList(t, tc.n, nil)
			for _, k := range tc.keys {
				var cmd tea.Cmd
				m, cmd = m.Update(uitest.Key(k))
				m, _ = feed(m, cmd)
			}
			if m.Cursor() != tc.cursor || m.Len() != tc.loaded {
				t.Errorf("cursor %d with %d rows loaded, want %d with %d", m.Cursor(), m.Len(), tc.cursor, tc.loaded)
			}
		})
	}
}

func TestResetForgetsPendingJump(t *testing.T) {
	t.Parallel()
	m := listview.New(uitest.Deps(nil).WithDefaults(), spec(), listview.DefaultKeyMap()).SetLoad(load(100, nil)).SetSize(80, 12)
	m, cmd := m.Reset()
	m, _ = feed(m, cmd)
	m, _ = m.Update(uitest.Key("]")) // asks for row 20 (page 2), not fed
	m, cmd = m.Reset()               // e.g. the filter changed
	m, _ = feed(m, cmd)
	for range 14 { // near the end of page 1: page 2 is prefetched
		m, cmd = m.Update(uitest.Key("down"))
		m, _ = feed(m, cmd)
	}
	if m.Cursor() != 14 || m.Len() != 40 {
		t.Errorf("cursor %d with %d rows, want 14 with 40 (the old jump must not fire)", m.Cursor(), m.Len())
	}
}

func TestStates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		n     int
		err   error
		fed   bool
		state listview.State
		want  []string
	}{
		{name: "loading", n: 5, state: listview.StateLoading, want: []string{"Loading items…"}},
		{name: "error", n: 5, err: &testError{"db \x1b[2Jdown"}, fed: true, state: listview.StateError,
			want: []string{"✗ Could not load items: db \\x1b[2Jdown", "press r to retry"}},
		{name: "empty", fed: true, state: listview.StateEmpty, want: []string{"nothing here"}},
		{name: "ready", n: 30, fed: true, state: listview.StateReady, want: []string{"page 1 · 20 loaded · more…", "30", "1m ago"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := listview.New(uitest.Deps(nil).WithDefaults(), spec(), listview.DefaultKeyMap()).SetLoad(load(tc.n, tc.err)).SetSize(80, 12)
			m, cmd := m.Reset()
			var intents []tea.Msg
			if tc.fed {
				m, intents = feed(m, cmd)
			}
			if m.State() != tc.state {
				t.Fatalf("state = %d, want %d", m.State(), tc.state)
			}
			v := m.View(listview.Frame{Lead: "LEAD", Empty: "nothing here"})
			for _, w := range append(tc.want, "LEAD") {
				if !strings.Contains(v, w) {
					t.Errorf("view lacks %q:\n%s", w, v)
				}
			}
			if strings.Contains(v, "\x1b[2J") {
				t.Errorf("raw escape sequence in the view:\n%q", v)
			}
			if e, ok := first(intents).(common.ErrorMsg); tc.err != nil && (len(intents) != 1 || !ok || e.Origin != "items") {
				t.Errorf("intents = %#v, want one ErrorMsg from items", intents)
			}
		})
	}
}

type testError struct{ s string }

func (e *testError) Error() string { return e.s }

func first(msgs []tea.Msg) tea.Msg {
	if len(msgs) == 0 {
		return nil
	}
	return msgs[0]
}
