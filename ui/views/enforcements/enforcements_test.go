package enforcements

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fakeAPI records the queries and answers with one enforcement per status.
type fakeAPI struct {
	mu      sync.Mutex
	queries []client.EnforcementListOptions
	err     error
}

// API returns an API whose enforcements service is f (the rest is empty).
func (f *fakeAPI) API() *common.API {
	a := uitest.Fake()
	a.Enforcements = f
	return a
}

// Get implements common.EnforcementsAPI: the fake has no details.
func (f *fakeAPI) Get(context.Context, int64) (*client.Enforcement, *client.Response, error) {
	return nil, nil, client.ErrNotFound
}

// List implements common.EnforcementsAPI.
func (f *fakeAPI) List(_ context.Context, o *client.EnforcementListOptions) (*client.Page[client.EnforcementSummary], *client.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := *o
	f.queries = append(f.queries, q)
	if f.err != nil {
		return nil, nil, f.err
	}
	p := &client.Page[client.EnforcementSummary]{Pagination: client.Pagination{Page: q.Page, PageSize: q.PerPage}}
	for i, s := range client.EnforcementStatuses() {
		if (q.Status != "" && q.Status != s) || (q.RuleRef != "" && q.RuleRef != "r."+string(s)) {
			continue
		}
		ev := int64(7)
		p.Items = append(p.Items, client.EnforcementSummary{ID: int64(10 - i), RuleRef: "r." + string(s),
			TriggerRef: "core.t", Event: &ev, Status: s, Condition: client.ConditionAll, Created: uitest.Now().Add(-60e9)})
	}
	return p, nil, nil
}

func (f *fakeAPI) last() client.EnforcementListOptions {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queries[len(f.queries)-1]
}

func (f *fakeAPI) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queries)
}

// feed and press are the shared view drivers (uitest.Feed, uitest.Press).
func feed(m Model, cmd tea.Cmd) (Model, []tea.Msg) { return uitest.Feed(m, cmd) }

func press(m Model, keys ...string) (Model, []tea.Msg) { return uitest.Press(m, keys...) }

func TestStatusHotkeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		keys   []string
		want   client.EnforcementStatus
		header string
		rows   int
		calls  int
	}{
		{name: "initial", want: "", header: "status: all", rows: 3, calls: 1},
		{name: "1 created", keys: []string{"1"}, want: client.EnforcementCreated, header: "status: created", rows: 1, calls: 2},
		{name: "2 processed", keys: []string{"2"}, want: client.EnforcementProcessed, header: "status: processed", rows: 1, calls: 2},
		{name: "3 disabled", keys: []string{"3"}, want: client.EnforcementDisabled, header: "status: disabled", rows: 1, calls: 2},
		{name: "same key twice is one request", keys: []string{"2", "2"}, want: client.EnforcementProcessed, header: "status: processed", rows: 1, calls: 2},
		// Back to "all" is served by the program's answer cache.
		{name: "0 back to all", keys: []string{"3", "0"}, want: "", header: "status: all", rows: 3, calls: 2},
		{name: "s cycles", keys: []string{"s", "s"}, want: client.EnforcementProcessed, header: "status: processed", rows: 1, calls: 3},
		{name: "s wraps to all", keys: []string{"s", "s", "s", "s"}, want: "", header: "status: all", rows: 3, calls: 4},
		{name: "4 is not a status", keys: []string{"4"}, want: "", header: "status: all", rows: 3, calls: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := &fakeAPI{}
			d := uitest.Deps(api.API())
			m := New(d, 7).SetSize(120, 20).(Model)
			m, _ = feed(m, m.Init())
			m, _ = press(m, tc.keys...)
			if q := m.Query(); m.Status() != tc.want || q.Status != tc.want || q.Event != 7 || api.last().Event != 7 {
				t.Errorf("status = %q, query %+v; want %q scoped to event 7", m.Status(), q, tc.want)
			}
			if m.Loaded() != tc.rows || api.calls() != tc.calls {
				t.Errorf("rows = %d, calls = %d; want %d and %d", m.Loaded(), api.calls(), tc.rows, tc.calls)
			}
			if v := m.View(); !strings.Contains(v, tc.header) {
				t.Errorf("header lacks %q:\n%s", tc.header, v)
			}
			if !strings.Contains(m.keys.Cycle.Help().Desc, "now: "+strings.TrimPrefix(tc.header, "status: ")) {
				t.Errorf("help of s = %q, want the active status", m.keys.Cycle.Help().Desc)
			}
		})
	}
}

func TestFilterBarAndLinks(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	d := uitest.Deps(api.API())
	m := New(d, 0).SetSize(120, 20).(Model)
	m, _ = feed(m, m.Init())
	m, _ = press(m, "/")
	for _, r := range "rule_ref:r.created trace:x.1 rule:4" {
		m, _ = press(m, string(r))
	}
	m, _ = press(m, "enter")
	q := api.last()
	if q.RuleRef != "r.created" || q.TraceTag != "x.1" || q.Rule != 4 || q.Event != 0 {
		t.Fatalf("query = %+v", q)
	}
	for _, tc := range []struct {
		key  string
		want common.Route
	}{
		{"enter", common.Route{Kind: common.KindEnforcement, ID: 10}},
		{"x", common.Route{Kind: common.KindExecutions, ID: 10}},
		{"v", common.Route{Kind: common.KindEvent, ID: 7}},
		{"t", common.Route{Kind: common.KindTrace, ID: 7}},
	} {
		_, in := press(m, tc.key)
		if len(in) != 1 || in[0] != (common.OpenMsg{Route: tc.want}) {
			t.Errorf("%s: intents %#v, want %#v", tc.key, in, tc.want)
		}
	}
}

func TestStates(t *testing.T) {
	t.Parallel()
	m := New(uitest.Deps((&fakeAPI{}).API()), 7).SetSize(100, 10).(Model)
	if !strings.Contains(m.View(), "Loading enforcements") {
		t.Errorf("loading state:\n%s", m.View())
	}
	api := &fakeAPI{err: &client.APIError{StatusCode: 500, Message: "db \x1b[2Jdown"}}
	m = New(uitest.Deps(api.API()), 7).SetSize(100, 10).(Model)
	m, in := feed(m, m.Init())
	v := m.View()
	if !strings.Contains(v, "Could not load enforcements") || strings.Contains(v, "\x1b[2J") || len(in) != 1 {
		t.Errorf("error state (intents %#v):\n%q", in, v)
	}
	api.err = nil
	m, _ = press(m, "r", "3")
	m, _ = press(m, "/")
	for _, r := range "rule_ref:none" {
		m, _ = press(m, string(r))
	}
	m, _ = press(m, "enter")
	if v := m.View(); !strings.Contains(v, "No enforcements for event #7 with status disabled matching rule_ref:none") {
		t.Errorf("empty state:\n%s", v)
	}
}
