package detail

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/theme"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// threePanes is a custom pane between two JSON panes.
var threePanes = []Pane{{Name: "Payload", JSON: true}, {Name: "Notes"}, {Name: "Config", JSON: true}}

func newModel(t *testing.T, panes []Pane, opts ...Option) Model {
	t.Helper()
	return New(theme.New(uitest.Renderer()), "thing", panes, opts...).SetSize(60, 10, 2)
}

// parse runs the parse command and feeds its answer back.
func parse(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	for _, msg := range uitest.Run(cmd) {
		m, _ = m.Update(msg)
	}
	return m
}

func press(k string) tea.KeyMsg { return uitest.Key(k) }

func TestRequest(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	tests := []struct {
		name        string
		answer      func(first, second int) (int, error)
		wantOK      bool
		wantLoading bool
		wantErr     error
		wantReport  bool
	}{
		{name: "current success", answer: func(_, s int) (int, error) { return s, nil }, wantOK: true},
		{name: "current failure", answer: func(_, s int) (int, error) { return s, boom }, wantErr: boom, wantReport: true},
		{name: "stale success", answer: func(f, _ int) (int, error) { return f, nil }, wantLoading: true},
		{name: "stale failure", answer: func(f, _ int) (int, error) { return f, boom }, wantLoading: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, threePanes)
			m, first, tick := m.Start()
			if tick == nil || !m.Loading() {
				t.Fatal("Start: no tick or not loading")
			}
			m, second, _ := m.Start()
			if second != first+1 || m.Seq() != second {
				t.Fatalf("sequence numbers %d, %d (Seq %d)", first, second, m.Seq())
			}
			seq, err := tc.answer(first, second)
			m, cmd, ok := m.Done(seq, err, "origin")
			if ok != tc.wantOK || m.Loading() != tc.wantLoading || !errors.Is(m.Err(), tc.wantErr) {
				t.Errorf("ok %v loading %v err %v, want %v %v %v", ok, m.Loading(), m.Err(), tc.wantOK, tc.wantLoading, tc.wantErr)
			}
			msgs := uitest.Run(cmd)
			reported := len(msgs) == 1 && msgs[0].(common.ErrorMsg).Origin == "origin"
			if reported != tc.wantReport {
				t.Errorf("report %#v, want one ErrorMsg: %v", msgs, tc.wantReport)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		restart bool // a new request starts before the answer arrives
		pane    int
		want    string
	}{
		{name: "first pane", pane: 0, want: `"a": 1`},
		{name: "last pane", pane: 2, want: `"a": 1`},
		{name: "stale", pane: 0, restart: true, want: "Payload"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, threePanes)
			m, seq, _ := m.Start()
			m, _, _ = m.Done(seq, nil, "")
			cmd := m.ParseCmd(tc.pane, []byte(`{"a":1}`))
			if tc.restart {
				m, _, _ = m.Start()
			}
			m = parse(t, m, cmd)
			for range tc.pane {
				m = m.NextPane(press("tab"))
			}
			v := m.View(true, func() []string { return []string{"header"} }, func(int) []string { return []string{"notes"} })
			if !strings.Contains(v, tc.want) {
				t.Errorf("view lacks %q:\n%s", tc.want, v)
			}
			if tc.restart && strings.Contains(v, `"a"`) {
				t.Errorf("a stale parse result was shown:\n%s", v)
			}
		})
	}
}

func TestNextPane(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		panes      []Pane
		keys       []string
		wantActive int
		wantFocus  bool // the active pane is a JSON pane with the focus
	}{
		{name: "start on a JSON pane", panes: threePanes, wantActive: 0, wantFocus: true},
		{name: "tab to a custom pane", panes: threePanes, keys: []string{"tab"}, wantActive: 1},
		{name: "tab wraps", panes: threePanes, keys: []string{"tab", "tab", "tab"}, wantActive: 0, wantFocus: true},
		{name: "shift+tab goes back", panes: threePanes, keys: []string{"shift+tab"}, wantActive: 2, wantFocus: true},
		{name: "start on a custom pane", panes: []Pane{{Name: "C"}, {Name: "J", JSON: true}}, wantActive: 0},
		{name: "two panes toggle", panes: []Pane{{Name: "C"}, {Name: "J", JSON: true}}, keys: []string{"shift+tab"}, wantActive: 1, wantFocus: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, tc.panes)
			for _, k := range tc.keys {
				m = m.NextPane(press(k))
			}
			if m.Active() != tc.wantActive {
				t.Errorf("active = %d, want %d", m.Active(), tc.wantActive)
			}
			if got := m.isJSON(m.Active()) && m.json[m.Active()].Focused(); got != tc.wantFocus {
				t.Errorf("active pane focused = %v, want %v", got, tc.wantFocus)
			}
			if len(tc.keys) > 0 {
				if prev := tc.wantActive - 1; prev >= 0 && m.isJSON(prev) && tc.keys[0] == "tab" && m.json[prev].Focused() {
					t.Errorf("pane %d left by tab is still focused", prev)
				}
			}
			if help := m.ShortHelp(); (len(help) > 0) != tc.panes[tc.wantActive].JSON {
				t.Errorf("help %d bindings for pane %+v", len(help), tc.panes[tc.wantActive])
			}
		})
	}
}

func TestSpinnerStopsWhenDone(t *testing.T) {
	t.Parallel()
	m := newModel(t, threePanes)
	m, seq, tick := m.Start()
	msg, ok := tick().(spinner.TickMsg) // uitest.Run drops spinner ticks
	if !ok {
		t.Fatalf("tick gave %#v", msg)
	}
	if _, cmd := m.Update(msg); cmd == nil {
		t.Error("the spinner stopped while loading")
	}
	m, _, _ = m.Done(seq, nil, "")
	if _, cmd := m.Update(msg); cmd != nil {
		t.Error("the spinner still ticks after the answer")
	}
}

func TestView(t *testing.T) {
	t.Parallel()
	doc := []byte(`{"payload":{"message":"a long value that does not fit a narrow screen","n":1}}`)
	tests := []struct {
		name   string
		loaded bool
		err    error
		panes  []Pane
		opts   []Option
		tabs   int
	}{
		{name: "loading", panes: threePanes},
		{name: "error", err: &client.APIError{StatusCode: 404, Message: "Thing 4 not found"}, panes: threePanes},
		{name: "ready json", loaded: true, panes: threePanes},
		{name: "ready custom", loaded: true, panes: threePanes, tabs: 1},
		{name: "ready reloading after error", loaded: true, err: errors.New("gone"), panes: threePanes},
		{name: "inactive tab style", loaded: true, panes: []Pane{{Name: "C"}, {Name: "J", JSON: true}},
			opts: []Option{WithInactiveTabStyle(theme.New(uitest.Renderer()).Detail.TabActive)}},
	}
	for _, width := range []int{40, 80} {
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/%d", tc.name, width), func(t *testing.T) {
				t.Parallel()
				m := New(theme.New(uitest.Renderer()), "thing", tc.panes, tc.opts...).SetSize(width, 12, 3)
				m, seq, _ := m.Start()
				if tc.err != nil {
					m, _, _ = m.Done(seq, tc.err, "")
				} else if tc.loaded {
					m, _, _ = m.Done(seq, nil, "")
					m = parse(t, m, m.ParseCmd(len(tc.panes)-1, doc))
					m = parse(t, m, m.ParseCmd(0, doc))
				}
				for range tc.tabs {
					m = m.NextPane(press("tab"))
				}
				header := func() []string {
					return []string{
						m.Line(m.Title("Thing #4"), m.Field("status", m.Value("ok")), m.Field("owner", m.Redacted(client.Redacted))),
						m.Line(m.Field("created", m.Value(When(uitest.Now().Add(-90e9), uitest.Now())))),
					}
				}
				v := m.View(tc.loaded, header, func(i int) []string { return []string{fmt.Sprintf("custom pane %d", i)} })
				if n := strings.Count(v, "\n") + 1; n != 12 {
					t.Errorf("%d lines, want 12", n)
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

func TestKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  string
		keys []string
		want string
	}{
		{name: "next pane", got: NextPaneKey("a/b").Help().Desc, keys: NextPaneKey("").Keys(), want: "a/b"},
		{name: "reload", got: ReloadKey().Help().Desc, keys: ReloadKey().Keys(), want: "refresh"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.got != tc.want || len(tc.keys) == 0 {
				t.Errorf("help %q keys %v, want %q", tc.got, tc.keys, tc.want)
			}
		})
	}
}

func TestGetCmd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		key       string
		refresh   bool
		wantCalls int // calls of get over two runs of the command
	}{
		{name: "cached", key: "thing:4", wantCalls: 1},
		{name: "refresh skips the cache", key: "thing:4", refresh: true, wantCalls: 2},
		{name: "no key bypasses the cache", wantCalls: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			deps := uitest.Deps(nil).WithDefaults()
			calls := 0
			get := func(ctx context.Context) (int, *client.Response, error) {
				if _, ok := ctx.Deadline(); !ok {
					t.Error("get runs without a deadline")
				}
				calls++
				return 7, nil, nil
			}
			answer := func(v int, err error) tea.Msg { return fmt.Sprintf("%d %v", v, err) }
			for range 2 {
				// The command runs synchronously here, so calls needs no lock.
				if got := GetCmd(deps, tc.key, tc.refresh, get, answer)(); got != "7 <nil>" {
					t.Errorf("answer %v", got)
				}
			}
			if calls != tc.wantCalls {
				t.Errorf("get called %d times, want %d", calls, tc.wantCalls)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	m := newModel(t, threePanes)
	var gotSeq int
	m, cmd := m.Load(func(seq int) tea.Cmd {
		gotSeq = seq
		return func() tea.Msg { return "fetched" }
	})
	if !m.Loading() || gotSeq != m.Seq() || gotSeq != 1 {
		t.Fatalf("loading %v, request seq %d, Seq %d", m.Loading(), gotSeq, m.Seq())
	}
	var fetched bool
	for _, msg := range uitest.Run(cmd) {
		fetched = fetched || msg == "fetched"
	}
	if !fetched {
		t.Error("the request's command was not batched")
	}
}
