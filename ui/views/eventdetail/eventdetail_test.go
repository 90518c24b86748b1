package eventdetail

import (
	"context"
	"encoding/json"
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

type fakeAPI struct {
	mu    sync.Mutex
	ev    *client.Event
	err   error
	calls int
}

// API returns an API whose events service is f (the rest is empty).
func (f *fakeAPI) API() *common.API {
	a := uitest.Fake()
	a.Events = f
	return a
}

// List implements common.EventsAPI: the fake lists nothing.
func (f *fakeAPI) List(context.Context, *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error) {
	return &client.Page[client.EventSummary]{}, nil, nil
}

// Get implements common.EventsAPI.
func (f *fakeAPI) Get(_ context.Context, id int64) (*client.Event, *client.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, nil, f.err
	}
	ev := *f.ev
	ev.ID = id
	return &ev, nil, nil
}

func ptr[T any](v T) *T { return &v }

// settle runs cmd and feeds the view its own messages until none are left.
func settle(m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	var intents []tea.Msg
	for i := 0; cmd != nil && i < 10; i++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			switch msg.(type) {
			case common.ErrorMsg, common.SyncMsg, common.OpenMsg:
				intents = append(intents, msg)
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

func TestDetail(t *testing.T) {
	t.Parallel()
	hostile := "evil\x1b]2;pwned\x07\u202eref"
	tests := []struct {
		name     string
		ev       *client.Event
		err      error
		want     []string
		notWant  []string
		wantErr  bool
		wantCall int
	}{
		{
			name: "full",
			ev: &client.Event{TriggerRef: "core.webhook", Source: ptr(int64(2)), SourceRef: ptr("core.sensor"),
				Rule: ptr(int64(7)), RuleRef: ptr("core.rule"), TraceTag: ptr("core.webhook.5"),
				Payload: json.RawMessage(`{"a":1}`), Config: json.RawMessage(`null`), Created: uitest.Now().Add(-90e9)},
			want:     []string{"#5", "trigger core.webhook", "source core.sensor (#2)", "rule core.rule (#7)", "trace core.webhook.5", "(1m ago)", `"a": 1`},
			wantCall: 1,
		},
		{
			name:     "redacted refs",
			ev:       &client.Event{TriggerRef: client.Redacted, Payload: json.RawMessage(`{}`), Created: uitest.Now()},
			want:     []string{"trigger [redacted]", "rule -", "source -"},
			wantCall: 1,
		},
		{
			name:     "hostile refs are escaped",
			ev:       &client.Event{TriggerRef: hostile, RuleRef: ptr(hostile), Created: uitest.Now()},
			want:     []string{`evil\x1b]2;pwned\x07\u202eref`},
			notWant:  []string{"\x1b]2;", "\u202e"},
			wantCall: 1,
		},
		{
			name:     "error",
			err:      &client.APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "Event with ID 5 not found", Method: "GET", Path: "/api/v1/events/5"},
			want:     []string{"Could not load event", "Event with ID 5 not found", "press r to retry"},
			wantErr:  true,
			wantCall: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := &fakeAPI{ev: tc.ev, err: tc.err}
			m := New(uitest.Deps(api.API()), 5).SetSize(100, 20).(Model)
			m, intents := settle(m, m.Init())
			v := m.View()
			for _, w := range tc.want {
				if !strings.Contains(v, w) {
					t.Errorf("view lacks %q:\n%s", w, v)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(v, w) {
					t.Errorf("view contains raw %q", w)
				}
			}
			if api.calls != tc.wantCall {
				t.Errorf("requests = %d, want %d", api.calls, tc.wantCall)
			}
			gotErr := false
			for _, in := range intents {
				if _, ok := in.(common.ErrorMsg); ok {
					gotErr = true
				}
			}
			if gotErr != tc.wantErr {
				t.Errorf("ErrorMsg sent = %v, want %v (%#v)", gotErr, tc.wantErr, intents)
			}
		})
	}
}

func TestTabAndReload(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{ev: &client.Event{TriggerRef: "x", Payload: json.RawMessage(`{"p":1}`), Config: json.RawMessage(`{"c":2}`), Created: uitest.Now()}}
	m := New(uitest.Deps(api.API()), 9).SetSize(100, 20).(Model)
	m, _ = settle(m, m.Init())
	tm, _ := m.Update(uitest.Key("tab"))
	m = tm.(Model)
	if v := m.View(); !strings.Contains(v, "[Config]") || !strings.Contains(v, `"c": 2`) {
		t.Errorf("tab did not switch to the config pane:\n%s", v)
	}
	// A reload makes the earlier answer stale.
	m, first := m.load()
	m, second := m.load()
	for _, msg := range uitest.Run(first) {
		if lm, ok := msg.(loadedMsg); ok {
			tm, _ = m.Update(lm)
			m = tm.(Model)
		}
	}
	if !m.d.Loading() {
		t.Error("a stale answer ended the loading state")
	}
	m, _ = settle(m, second)
	if m.d.Loading() {
		t.Error("the current answer did not end the loading state")
	}
}
