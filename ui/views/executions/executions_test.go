package executions

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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

// fakeAPI answers with one execution per status (ids 100 down to 91, one
// minute apart, newest first) and records the queries.
type fakeAPI struct {
	common.ExecutionsAPI // the rest answers nothing (uitest.Fake)
	mu                   sync.Mutex
	queries              []client.ExecutionListOptions
}

// API returns an API whose executions service is f.
func (f *fakeAPI) API() *common.API {
	a := uitest.Fake()
	f.ExecutionsAPI = a.Executions
	a.Executions = f
	return a
}

// Stats answers the header's counts: one execution per status.
func (f *fakeAPI) Stats(context.Context) (*client.ExecutionStats, *client.Response, error) {
	return &client.ExecutionStats{Total: 10, Completed: 1, Failed: 1, Running: 1, Pending: 3, Cancelled: 2, Timeout: 1, Abandoned: 1}, nil, nil
}

func (f *fakeAPI) List(_ context.Context, o *client.ExecutionListOptions) (*client.Page[client.ExecutionSummary], *client.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := *o
	f.queries = append(f.queries, q)
	p := &client.Page[client.ExecutionSummary]{Pagination: client.Pagination{Page: q.Page, PageSize: q.PerPage}}
	for i, s := range client.ExecutionStatuses() {
		if q.Status != "" && q.Status != s {
			continue
		}
		enf := int64(5)
		c := uitest.Now().Add(-time.Duration(i+1) * time.Minute)
		p.Items = append(p.Items, client.ExecutionSummary{ID: int64(100 - i), ActionRef: "a." + string(s), Status: s,
			Enforcement: &enf, Created: c, Updated: c.Add(1500 * time.Millisecond)})
	}
	return p, nil, nil
}

func (f *fakeAPI) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queries)
}

// feed and press are the shared view drivers (uitest.Feed, uitest.Press).
func feed(m Model, cmd tea.Cmd) (Model, []tea.Msg) { return uitest.Feed(m, cmd) }

func press(m Model, keys ...string) (Model, []tea.Msg) { return uitest.Press(m, keys...) }

func ids(m Model) []int64 {
	var out []int64
	for _, r := range m.lv.Items() {
		out = append(out, r.id)
	}
	return out
}

func TestStatusHotkeys(t *testing.T) {
	t.Parallel()
	all := client.ExecutionStatuses()
	tests := []struct {
		name     string
		keys     []string
		want     client.ExecutionStatus
		problems bool
		ids      []int64
		calls    int
	}{
		{name: "initial", ids: []int64{100, 99, 98, 97, 96, 95, 94, 93, 92, 91}, calls: 1},
		{name: "1 requested", keys: []string{"1"}, want: all[0], ids: []int64{100}, calls: 2},
		{name: "6 failed", keys: []string{"6"}, want: client.ExecutionFailed, ids: []int64{95}, calls: 2},
		{name: "9 timeout", keys: []string{"9"}, want: client.ExecutionTimeout, ids: []int64{92}, calls: 2},
		{name: "s ten times reaches abandoned", keys: slices.Repeat([]string{"s"}, 10), want: client.ExecutionAbandoned, ids: []int64{91}, calls: 11},
		{name: "s eleven times wraps to all", keys: slices.Repeat([]string{"s"}, 11), want: "", ids: []int64{100, 99, 98, 97, 96, 95, 94, 93, 92, 91}, calls: 11},
		{name: "0 after a status", keys: []string{"5", "0"}, want: "", ids: []int64{100, 99, 98, 97, 96, 95, 94, 93, 92, 91}, calls: 2},
		// F: one request per problem status, merged newest first.
		{name: "F problems only", keys: []string{"F"}, problems: true, ids: []int64{95, 93, 92, 91}, calls: 5},
		{name: "F replaces a status", keys: []string{"2", "F"}, problems: true, ids: []int64{95, 93, 92, 91}, calls: 6},
		{name: "F twice is all again", keys: []string{"F", "F"}, ids: []int64{100, 99, 98, 97, 96, 95, 94, 93, 92, 91}, calls: 5},
		{name: "a digit leaves problems", keys: []string{"F", "4"}, want: client.ExecutionRunning, ids: []int64{97}, calls: 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := &fakeAPI{}
			m := New(uitest.Deps(api.API()), 5).SetSize(120, 20).(Model)
			m, _ = feed(m, m.Init())
			m, _ = press(m, tc.keys...)
			if m.Status() != tc.want || m.Problems() != tc.problems || m.Query().Enforcement != 5 {
				t.Errorf("status %q problems %v query %+v; want %q %v", m.Status(), m.Problems(), m.Query(), tc.want, tc.problems)
			}
			if got := ids(m); !slices.Equal(got, tc.ids) {
				t.Errorf("rows %v, want %v", got, tc.ids)
			}
			if api.calls() != tc.calls {
				t.Errorf("calls = %d, want %d", api.calls(), tc.calls)
			}
			header := "status: " + string(tc.want)
			if tc.want == "" {
				header = "status: all"
			}
			if tc.problems {
				header = "status: problems"
			}
			if v := m.View(); !strings.Contains(v, header) {
				t.Errorf("header lacks %q:\n%s", header, v)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	c := uitest.Now()
	started := c.Add(time.Second)
	tests := []struct {
		name    string
		status  client.ExecutionStatus
		updated time.Time
		started *time.Time
		now     time.Time
		want    string
	}{
		{"finished from start", client.ExecutionCompleted, c.Add(3400 * time.Millisecond), &started, c, "2.4s"},
		{"finished never started", client.ExecutionFailed, c.Add(850 * time.Millisecond), nil, c, "850ms"},
		{"running", client.ExecutionRunning, c, &started, c.Add(3*time.Minute + 13*time.Second), "running for 3m12s"},
		{"unknown status counts as running", "paused", c, nil, c.Add(2 * time.Hour), "running for 2h00m"},
		{"requested waits", client.ExecutionRequested, c, nil, c.Add(4 * time.Second), "waiting 4.0s"},
		{"scheduled waits", client.ExecutionScheduled, c, nil, c.Add(90 * time.Second), "waiting 1m30s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Duration(tc.status, c, tc.updated, tc.started, tc.now); got != tc.want {
				t.Errorf("Duration = %q, want %q", got, tc.want)
			}
		})
	}
}
