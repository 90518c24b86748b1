package executiondetail

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
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

// fakeAPI is an executions service with one execution and its children.
type fakeAPI struct {
	common.ExecutionsAPI // the rest answers nothing (uitest.Fake)
	ex                   *client.Execution
	kids                 []client.ExecutionSummary
}

// API returns an API whose executions service is f.
func (f fakeAPI) API() *common.API {
	a := uitest.Fake()
	f.ExecutionsAPI = a.Executions
	a.Executions = f
	return a
}

func (f fakeAPI) Get(_ context.Context, id int64) (*client.Execution, *client.Response, error) {
	e := *f.ex
	e.ID = id
	return &e, nil, nil
}

func (f fakeAPI) List(_ context.Context, q *client.ExecutionListOptions) (*client.Page[client.ExecutionSummary], *client.Response, error) {
	if q.Parent == 0 {
		return nil, nil, &client.APIError{StatusCode: 400, Message: "want parent"}
	}
	return &client.Page[client.ExecutionSummary]{Items: f.kids}, nil, nil
}

func settle(m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	var intents []tea.Msg
	for i := 0; cmd != nil && i < 10; i++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			switch msg.(type) {
			case common.ErrorMsg, common.SyncMsg, common.OpenMsg:
				intents = append(intents, msg)
				continue
			case spinner.TickMsg:
				continue
			}
			tm, c := m.Update(msg)
			m = tm.(Model)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	return m, intents
}

func press(m Model, keys ...string) (Model, []tea.Msg) {
	var all []tea.Msg
	for _, k := range keys {
		tm, cmd := m.Update(uitest.Key(k))
		var in []tea.Msg
		m, in = settle(tm.(Model), cmd)
		all = append(all, in...)
	}
	return m, all
}

func ptr[T any](v T) *T { return &v }

func TestDetail(t *testing.T) {
	t.Parallel()
	c := uitest.Now().Add(-time.Minute)
	tests := []struct {
		name   string
		result string
		want   []string
	}{
		{"error string", `{"error":"boom \u001b[2J"}`, []string{`error: boom \x1b[2J`}},
		{"error object", `{"error":{"message":"bad gateway"}}`, []string{"error: bad gateway"}},
		{"stderr", `{"stdout":"","stderr":"trace\nback"}`, []string{`error: trace\nback`}},
		{"no error", `{"ok":true}`, []string{"error -"}},
		{"null result", `null`, []string{"error -"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ex := &client.Execution{ActionRef: "core.http", Status: client.ExecutionFailed, Enforcement: ptr(int64(5)),
				Parent: ptr(int64(2)), Worker: ptr(int64(7)), Result: json.RawMessage(tc.result), Created: c, Updated: c.Add(2400 * time.Millisecond)}
			d := uitest.Deps(fakeAPI{ex: ex}.API())
			m := New(d, 9).SetSize(140, 24).(Model)
			m, _ = settle(m, m.Init())
			v := m.View()
			for _, w := range append(tc.want, "Execution #9", "✗ failed", "duration 2.4s", "enforcement #5", "parent #2", "worker #7") {
				if !strings.Contains(v, w) {
					t.Errorf("view lacks %q:\n%s", w, v)
				}
			}
			if strings.Contains(v, "\x1b[2J") {
				t.Error("raw escape sequence in the view")
			}
		})
	}
}

func TestChildrenAndLinks(t *testing.T) {
	t.Parallel()
	c := uitest.Now()
	ex := &client.Execution{ActionRef: "wf", Status: client.ExecutionRunning, Enforcement: ptr(int64(5)), Created: c, Updated: c}
	kids := []client.ExecutionSummary{
		{ID: 11, ActionRef: "step.one", Status: client.ExecutionCompleted, Created: c, Updated: c.Add(time.Second)},
		{ID: 12, ActionRef: "step.two", Status: client.ExecutionRunning, Created: c, Updated: c},
	}
	d := uitest.Deps(fakeAPI{ex: ex, kids: kids}.API())
	m := New(d, 10).SetSize(120, 24).(Model)
	m, _ = settle(m, m.Init())
	if m.keys.Parent.Enabled() || !m.keys.Enforcement.Enabled() || !m.keys.Trace.Enabled() {
		t.Errorf("links: parent %v enforcement %v trace %v", m.keys.Parent.Enabled(), m.keys.Enforcement.Enabled(), m.keys.Trace.Enabled())
	}
	m, _ = press(m, "tab", "tab")
	v := m.View()
	if !strings.Contains(v, "[Children (2)]") || !strings.Contains(v, "step.two") {
		t.Fatalf("children pane:\n%s", v)
	}
	_, in := press(m, "down", "enter")
	want := common.OpenMsg{Route: common.Route{Kind: common.KindExecution, ID: 12}}
	if len(in) != 1 || in[0] != want {
		t.Errorf("intents %#v, want %#v", in, want)
	}
	_, in = press(m, "t")
	want = common.OpenMsg{Route: common.Route{Kind: common.KindTrace, ID: 5, Ref: "enforcement"}}
	if len(in) != 1 || in[0] != want {
		t.Errorf("t: intents %#v, want %#v", in, want)
	}
}
