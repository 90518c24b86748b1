package events

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fakeAPI serves n events (ids n..1, newest first) from memory.
type fakeAPI struct {
	mu      sync.Mutex
	n       int
	err     error
	queries []client.EventListOptions
}

// API returns an API whose events service is f (the rest is empty).
func (f *fakeAPI) API() *common.API {
	a := uitest.Fake()
	a.Events = f
	return a
}

// Get implements common.EventsAPI: the fake has no event details.
func (f *fakeAPI) Get(context.Context, int64) (*client.Event, *client.Response, error) {
	return nil, nil, client.ErrNotFound
}

// List implements common.EventsAPI.
func (f *fakeAPI) List(_ context.Context, q *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, *q)
	if f.err != nil {
		return nil, nil, f.err
	}
	var all []client.EventSummary
	for id := f.n; id >= 1; id-- {
		ref := "core.webhook"
		if id%3 == 0 {
			ref = "core.timer"
		}
		if q.TriggerRef != "" && q.TriggerRef != ref {
			continue
		}
		all = append(all, client.EventSummary{
			ID: int64(id), TriggerRef: ref, HasPayload: id%2 == 0,
			Created: uitest.Now().Add(-time.Duration(f.n-id+1) * time.Minute),
		})
	}
	start := (q.Page - 1) * q.PerPage
	end := min(start+q.PerPage, len(all))
	p := &client.Page[client.EventSummary]{Pagination: client.Pagination{Page: q.Page, PageSize: q.PerPage, HasNext: end < len(all)}}
	if start < len(all) {
		p.Items = all[start:end]
	}
	return p, nil, nil
}

func (f *fakeAPI) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queries)
}

func (f *fakeAPI) set(n int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n, f.err = n, err
}

// feed is the shared view driver (uitest.Feed).
func feed(t *testing.T, m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	t.Helper()
	return uitest.Feed(m, cmd)
}

func newLoaded(t *testing.T, api *fakeAPI) Model {
	t.Helper()
	m := New(uitest.Deps(api.API())).SetSize(120, 30).(Model)
	m, _ = feed(t, m, m.Init())
	return m
}

func press(t *testing.T, m Model, keys ...string) (Model, []tea.Msg) {
	t.Helper()
	return uitest.Press(m, keys...)
}

func TestFirstLoad(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{n: 100}
	m := New(uitest.Deps(api.API())).SetSize(120, 30).(Model)
	if !strings.Contains(m.View(), "Loading events") {
		t.Fatalf("before the answer the view should say Loading:\n%s", m.View())
	}
	m, intents := feed(t, m, m.Init())
	if m.Loaded() != 20 || api.calls() != 1 {
		t.Fatalf("loaded %d rows with %d calls, want 20 with 1", m.Loaded(), api.calls())
	}
	if len(intents) != 1 {
		t.Fatalf("intents = %#v, want one SyncMsg", intents)
	}
	if _, ok := intents[0].(common.SyncMsg); !ok {
		t.Fatalf("intent = %#v, want SyncMsg", intents[0])
	}
}

func TestPagingRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		moves     int
		wantCalls int
		wantRows  int
	}{
		{name: "inside first page", moves: 5, wantCalls: 1, wantRows: 20},
		{name: "prefetch near end of page 1", moves: 14, wantCalls: 2, wantRows: 40},
		{name: "four pages", moves: 55, wantCalls: 4, wantRows: 80},
		{name: "to the end", moves: 200, wantCalls: 5, wantRows: 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := &fakeAPI{n: 100}
			m := newLoaded(t, api)
			keys := make([]string, tc.moves)
			for i := range keys {
				keys[i] = "down"
			}
			m, _ = press(t, m, keys...)
			if api.calls() != tc.wantCalls || m.Loaded() != tc.wantRows {
				t.Errorf("calls=%d rows=%d, want %d and %d", api.calls(), m.Loaded(), tc.wantCalls, tc.wantRows)
			}
		})
	}
}

func TestStaleAnswerDropped(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{n: 50}
	m := New(uitest.Deps(api.API())).SetSize(100, 20).(Model)
	first := m.Init()
	// A filter is applied before the first answer arrives.
	tm, second := m.Update(filterbar.ApplyMsg{Tokens: []filterbar.Token{{Key: "trigger_ref", Value: "core.timer"}}})
	m = tm.(Model)
	for _, msg := range uitest.Run(first) {
		if pm, ok := msg.(pagedlist.PageMsg[row]); ok {
			tm, _ = m.Update(pm)
			m = tm.(Model)
		}
	}
	if m.lv.List().Loaded() {
		t.Fatalf("the answer to the unfiltered request was applied")
	}
	m, _ = feed(t, m, second)
	for _, r := range m.lv.Items() {
		if r.trigger != "core.timer" {
			t.Fatalf("row %d has trigger %q after filtering on core.timer", r.id, r.trigger)
		}
	}
	if got := m.Query().TriggerRef; got != "core.timer" {
		t.Errorf("query trigger_ref = %q", got)
	}
}

func TestRefreshErrorKeepsRows(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{n: 30}
	m := newLoaded(t, api)
	api.set(30, errors.New("boom"))
	m, intents := press(t, m, "r")
	if m.Loaded() != 20 {
		t.Fatalf("rows after failed refresh = %d, want the 20 we had", m.Loaded())
	}
	var got common.ErrorMsg
	for _, in := range intents {
		if e, ok := in.(common.ErrorMsg); ok {
			got = e
		}
	}
	if got.Err == nil || got.Origin != "events" {
		t.Fatalf("intents = %#v, want an ErrorMsg from events", intents)
	}
	if v := m.View(); !strings.Contains(v, "refresh failed") || !strings.Contains(v, "30") {
		t.Errorf("view should keep rows and say the refresh failed:\n%s", v)
	}
}

func TestAutoRefreshKeepsCursorOnEvent(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{n: 100}
	m := newLoaded(t, api)
	m, _ = press(t, m, "down", "down", "down")
	id := m.SelectedID()
	api.set(104, nil) // four new events arrive
	tm, cmd := m.Update(common.LiveMsg{Gap: true, Poll: true})
	m, _ = feed(t, tm.(Model), cmd)
	if m.SelectedID() != id {
		t.Errorf("selected id after auto-refresh = %d, want %d", m.SelectedID(), id)
	}
	if m.Loaded() != 24 || m.lv.Items()[0].id != 104 {
		t.Errorf("rows = %d (first %d), want 24 starting at 104", m.Loaded(), m.lv.Items()[0].id)
	}
	// The view did not jump; the header says what arrived above.
	if v := m.View(); !strings.Contains(v, "↑ 4 new") {
		t.Errorf("no \"↑ 4 new\" marker:\n%s", v)
	}
	m, _ = press(t, m, "up", "up")
	if v := m.View(); !strings.Contains(v, "↑ 4 new") {
		t.Errorf("marker changed before the cursor reached the new rows:\n%s", v)
	}
	m, _ = press(t, m, "g")
	if v := m.View(); strings.Contains(v, "new ·") || m.SelectedID() != 104 {
		t.Errorf("g: selected %d, view:\n%s", m.SelectedID(), v)
	}
}

// TestAutoRefreshOnTopShowsNewest: with the cursor on the newest row, new
// rows come into view and the cursor moves to the newest; no marker.
func TestAutoRefreshOnTopShowsNewest(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{n: 100}
	m := newLoaded(t, api)
	api.set(103, nil)
	tm, cmd := m.Update(common.LiveMsg{Gap: true, Poll: true})
	m, _ = feed(t, tm.(Model), cmd)
	if m.SelectedID() != 103 {
		t.Errorf("selected id = %d, want the newest (103)", m.SelectedID())
	}
	if v := m.View(); strings.Contains(v, "new ·") {
		t.Errorf("marker shown with the cursor on top:\n%s", v)
	}
}

func TestEnterOpensDetail(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{n: 10}
	m := newLoaded(t, api)
	_, intents := press(t, m, "down", "enter")
	want := common.OpenMsg{Route: common.Route{Kind: common.KindEvent, ID: 9}}
	if len(intents) != 1 || intents[0] != want {
		t.Errorf("intents = %#v, want %#v", intents, want)
	}
}

func TestFilterBarInvalidToken(t *testing.T) {
	t.Parallel()
	m := newLoaded(t, &fakeAPI{n: 5})
	m, _ = press(t, m, "/")
	if !m.InputFocused() {
		t.Fatal("/ did not focus the filter bar")
	}
	for _, r := range "bogus:1" {
		m, _ = press(t, m, string(r))
	}
	if v := m.View(); !strings.Contains(v, `unknown key "bogus"`) {
		t.Errorf("filter bar should explain the invalid token:\n%s", v)
	}
	m, _ = press(t, m, "enter")
	if !m.InputFocused() {
		t.Error("enter with an invalid filter closed the bar")
	}
	m, _ = press(t, m, "ctrl+u", "esc")
	if m.InputFocused() {
		t.Error("ctrl+u then esc should close the bar")
	}
}

func TestTimeToggle(t *testing.T) {
	t.Parallel()
	m := newLoaded(t, &fakeAPI{n: 5})
	if !strings.Contains(m.View(), "1m ago") {
		t.Fatalf("relative time missing:\n%s", m.View())
	}
	m, _ = press(t, m, "T")
	want := uitest.Now().Add(-time.Minute).UTC().Format("2006-01-02 15:04:05Z")
	if !strings.Contains(m.View(), want) {
		t.Errorf("absolute time %q missing:\n%s", want, m.View())
	}
}

func ExampleModel_header() {
	m := New(uitest.Deps((&fakeAPI{}).API()))
	fmt.Println(m.Title())
	// Output: Events
}

// TestWhyKey: w on a row opens the "why" panel of that event, as w does on
// the event's detail.
func TestWhyKey(t *testing.T) {
	t.Parallel()
	m := newLoaded(t, &fakeAPI{n: 10})
	_, intents := press(t, m, "down", "w")
	want := common.OpenMsg{Route: common.Route{Kind: common.KindWhy, ID: 9}}
	if len(intents) != 1 || intents[0] != want {
		t.Errorf("intents = %#v, want %#v", intents, want)
	}
}
