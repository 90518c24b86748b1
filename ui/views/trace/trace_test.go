package trace

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/fanout"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// settle runs cmd and feeds the view its own messages until none are left,
// skipping spinner ticks, and returns the intents it saw.
func settle(t *testing.T, m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	t.Helper()
	var intents []tea.Msg
	for i := 0; cmd != nil && i < 20; i++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			switch msg.(type) {
			case common.ErrorMsg, common.SyncMsg, common.OpenMsg:
				intents = append(intents, msg)
				continue
			}
			if isTick(msg) {
				continue // the spinner only animates; don't follow its ticks
			}
			tm, c := m.Update(msg)
			m = tm.(Model)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	return m, intents
}

func isTick(msg tea.Msg) bool {
	_, ok := msg.(spinner.TickMsg)
	return ok
}

func press(t *testing.T, m Model, keys ...string) (Model, []tea.Msg) {
	t.Helper()
	var all []tea.Msg
	for _, k := range keys {
		tm, cmd := m.Update(uitest.Key(k))
		var in []tea.Msg
		m, in = settle(t, tm.(Model), cmd)
		all = append(all, in...)
	}
	return m, all
}

// TestRequestCount checks that a trace of an event with k enforcements
// costs at most 1 + 1 + k requests, and nothing more when it is opened
// again within the cache window; r refetches.
func TestRequestCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		event int64
		k     int
		want  string
	}{
		{name: "two enforcements", event: 299, k: 2, want: "2 enforcements: 1 created, 1 processed"},
		{name: "one enforcement", event: 298, k: 1, want: "1 enforcement: 1 created"},
		{name: "none", event: 300, k: 0, want: "no enforcements — no rule matched this event"},
		{name: "two processed", event: 291, k: 2, want: "2 enforcements: 2 processed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api, ds := uitest.StartDev(t, testutil.DevOptions{})
			deps := uitest.Deps(api)
			deps.Cache = common.NewCache(time.Minute)
			m := New(deps, Start{Kind: "event", ID: tc.event}).SetSize(120, 30).(Model)
			m, _ = settle(t, m, m.Init())
			if v := m.View(); !strings.Contains(v, tc.want) {
				t.Fatalf("view lacks %q:\n%s", tc.want, v)
			}
			total := ds.Server.Requests("/api/v1/")
			if max := 1 + 1 + tc.k; total > max {
				t.Errorf("requests = %d, want at most %d", total, max)
			}
			if got := ds.Server.Requests("/api/v1/executions"); got != tc.k {
				t.Errorf("execution list requests = %d, want %d", got, tc.k)
			}
			again := New(deps, Start{Kind: "event", ID: tc.event}).SetSize(120, 30).(Model)
			again, _ = settle(t, again, again.Init())
			if got := ds.Server.Requests("/api/v1/"); got != total {
				t.Errorf("repeat within the cache window made %d requests", got-total)
			}
			if again.View() != m.View() {
				t.Errorf("the cached trace renders differently:\n%s\n---\n%s", again.View(), m.View())
			}
			_, _ = press(t, again, "r")
			if got := ds.Server.Requests("/api/v1/"); got != 2*total {
				t.Errorf("r made %d requests, want %d", got-total, total)
			}
		})
	}
}

// TestTreeKeys covers selection, enter, collapse, lazy child loading and
// the timeline tab.
func TestTreeKeys(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	m := New(uitest.Deps(api), Start{Kind: "event", ID: 299}).SetSize(120, 30).(Model)
	m, _ = settle(t, m, m.Init())

	m, in := press(t, m, "down", "enter")
	want := common.OpenMsg{Route: common.Route{Kind: common.KindEnforcement, ID: 188}}
	if m.Selected() != "enf:188" || len(in) != 1 || in[0] != want {
		t.Fatalf("selected %q, intents %#v; want enf:188 and %#v", m.Selected(), in, want)
	}
	m, _ = press(t, m, " ")
	if strings.Contains(m.View(), "execution #197") {
		t.Errorf("space did not collapse enforcement #188:\n%s", m.View())
	}
	m, _ = press(t, m, "l", "down")
	if m.Selected() != "exec:197" {
		t.Fatalf("selected %q, want exec:197", m.Selected())
	}
	before := ds.Server.Requests("/api/v1/executions")
	m, _ = press(t, m, "l")
	if got := ds.Server.Requests("/api/v1/executions") - before; got != 1 {
		t.Errorf("expanding an execution made %d child requests, want 1", got)
	}
	if !strings.Contains(m.View(), "· execution #197") {
		t.Errorf("an execution without children should show a leaf marker:\n%s", m.View())
	}
	m, in = press(t, m, "h", "enter")
	if m.Selected() != "enf:188" || len(in) != 1 {
		t.Errorf("h should move to the parent enforcement, got %q %#v", m.Selected(), in)
	}

	before = ds.Server.Requests("/api/v1/traces/")
	m, _ = press(t, m, "tab")
	v := m.View()
	if got := ds.Server.Requests("/api/v1/traces/") - before; got != 1 {
		t.Errorf("timeline requests = %d, want 1", got)
	}
	for _, w := range []string{"[Timeline aws.cloudwatch_alarm.299]", "event       #299", "execution   #197"} {
		if !strings.Contains(v, w) {
			t.Errorf("timeline lacks %q:\n%s", w, v)
		}
	}
}

// TestTabBeforeTheEvent: tab pressed before the event (and so its trace
// tag) has arrived switches to the timeline at once, which waits for the
// tag and then loads; it was ignored before.
func TestTabBeforeTheEvent(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	m := New(uitest.Deps(api), Start{Kind: "event", ID: 299}).SetSize(120, 30).(Model)
	initCmd := m.Init()
	tm, tabCmd := m.Update(uitest.Key("tab"))
	m = tm.(Model)
	if v := m.View(); !strings.Contains(v, "[Timeline …]") || !strings.Contains(v, "Waiting for the event") {
		t.Fatalf("tab before the event:\n%s", v)
	}
	m, _ = settle(t, m, tea.Batch(initCmd, tabCmd))
	v := m.View()
	for _, w := range []string{"[Timeline aws.cloudwatch_alarm.299]", "event       #299", "execution   #197"} {
		if !strings.Contains(v, w) {
			t.Errorf("timeline lacks %q:\n%s", w, v)
		}
	}
	if got := ds.Server.Requests("/api/v1/traces/"); got != 1 {
		t.Errorf("timeline requests = %d, want 1", got)
	}
}

// TestStartFromExecution walks up from an execution to its event.
func TestStartFromExecution(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	r := common.Route{Kind: common.KindTrace, ID: 197, Ref: "execution"}
	m := New(uitest.Deps(api), StartFor(r)).SetSize(100, 20).(Model)
	m, _ = settle(t, m, m.Init())
	if v := m.View(); !strings.Contains(v, "event #299") || !strings.Contains(v, "execution #197") {
		t.Errorf("trace from execution 197 should show event 299:\n%s", v)
	}
	// execution, enforcement, then 1 + 1 + k for the event.
	if got := ds.Server.Requests("/api/v1/"); got > 2+1+1+2 {
		t.Errorf("requests = %d, want at most 6", got)
	}
}

// eventCalled tells called about each event GET before passing it on.
type eventCalled struct {
	common.EventsAPI
	called chan int64
}

func (a eventCalled) Get(ctx context.Context, id int64) (*client.Event, *client.Response, error) {
	a.called <- id
	return a.EventsAPI.Get(ctx, id)
}

// TestReloadStopsRequests: r and Close cancel the requests of the load
// before. With one slot (the view's limiter narrowed to 1) and event GETs
// the dev server holds for an hour, the request in flight ends at once,
// its answer dropped, and the two waiting for the slot are never made.
func TestReloadStopsRequests(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	called := eventCalled{EventsAPI: api.Events, called: make(chan int64, 10)}
	api.Events = called
	m := New(uitest.Deps(api), Start{Kind: "event", ID: 299}).SetSize(120, 30).(Model)
	m.lim = fanout.New(1)
	ds.Server.SetFaults(devserver.Faults{PathPrefix: "/api/v1/events/", Latency: time.Hour})

	start := func(m Model) chan tea.Msg {
		l := m.loader()
		cmds := []tea.Cmd{l.eventCmd(297), l.eventCmd(298), l.eventCmd(299)}
		answers := make(chan tea.Msg, len(cmds))
		for _, c := range cmds {
			go func() { answers <- c() }()
		}
		<-called.called // one GET is in flight, two wait for the slot
		return answers
	}
	check := func(what string, answers chan tea.Msg) {
		t.Helper()
		var stale []eventMsg
		for range 3 {
			switch msg := (<-answers).(type) {
			case nil: // gave up waiting
			case eventMsg:
				stale = append(stale, msg)
			default:
				t.Errorf("%s: unexpected answer %#v", what, msg)
			}
		}
		if len(stale) != 1 || !errors.Is(stale[0].err, context.Canceled) {
			t.Errorf("%s: answers = %+v, want the one in flight, cancelled", what, stale)
		}
		if n := len(called.called); n != 0 {
			t.Errorf("%s: %d GETs that waited for the slot were made", what, n)
		}
	}

	answers := start(m)
	tm, _ := m.Update(uitest.Key("r"))
	m = tm.(Model)
	check("r", answers)

	answers = start(m)
	m.Close()
	check("Close", answers)
	if got := ds.Server.Requests("/api/v1/events/"); got > 2 {
		t.Errorf("the server saw %d event GETs, want at most the 2 that were in flight", got)
	}
}
