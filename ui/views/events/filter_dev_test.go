package events

import (
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// devLoaded returns the event list loaded from a seeded dev server.
func devLoaded(t *testing.T) (Model, *testutil.DevServer) {
	t.Helper()
	api, ds := uitest.StartDev(t, testutil.DevOptions{Seed: 7, Events: 200})
	m := New(uitest.Deps(api)).SetSize(120, 30).(Model)
	m, _ = feed(t, m, m.Init())
	if m.Loaded() == 0 {
		t.Fatal("no events loaded")
	}
	return m, ds
}

func typeText(t *testing.T, m Model, text string) Model {
	t.Helper()
	for _, r := range text {
		m, _ = press(t, m, string(r))
	}
	return m
}

func TestFilterSourceRefResolvedAgainstDevServer(t *testing.T) {
	t.Parallel()
	m, _ := devLoaded(t)
	m, _ = press(t, m, "/")
	m = typeText(t, m, "source:slack.events_sensor")
	m, intents := press(t, m, "enter")
	if len(intents) > 0 {
		for _, i := range intents {
			if e, ok := i.(common.ErrorMsg); ok {
				t.Fatalf("error: %v", e.Err)
			}
		}
	}
	if m.InputFocused() {
		t.Fatalf("the bar is still open:\n%s", m.View())
	}
	if m.Query().Source != 2 {
		t.Fatalf("query source = %d, want 2 (slack.events_sensor's id)", m.Query().Source)
	}
	if m.Loaded() == 0 {
		t.Fatal("no events from slack.events_sensor")
	}
	for _, r := range m.lv.Items() {
		if r.source != "slack.events_sensor" {
			t.Fatalf("row %d has source %q", r.id, r.source)
		}
	}
	if v := m.View(); !strings.Contains(v, "source:slack.events_sensor") {
		t.Errorf("the chip does not show the ref:\n%s", v)
	}

	// An unknown sensor: the bar says so and stays open; the filter stays.
	m, _ = press(t, m, "/", "ctrl+u")
	m = typeText(t, m, "source:no.such_sensor")
	m, _ = press(t, m, "enter")
	if !m.InputFocused() || !strings.Contains(m.View(), `no sensor "no.such_sensor"`) {
		t.Fatalf("unknown sensor: open %v\n%s", m.InputFocused(), m.View())
	}
	m, _ = press(t, m, "esc")
	if m.Query().Source != 2 {
		t.Fatalf("esc after a failed resolution changed the filter: %+v", m.Query())
	}
}

func TestFilterCompletesRefsFromRules(t *testing.T) {
	t.Parallel()
	m, ds := devLoaded(t)
	m, _ = press(t, m, "/")
	m = typeText(t, m, "trigger_ref:github.pu")
	before := ds.Server.Requests("/api/v1/rules")
	m, _ = press(t, m, "tab")
	v := m.View()
	if !strings.Contains(v, "trigger_ref:github.pu") || !strings.Contains(v, "github.pull_request  github.push") {
		t.Fatalf("tab did not list the trigger refs of the rules:\n%s", v)
	}
	m = typeText(t, m, "s")
	m, _ = press(t, m, "tab")
	if v := m.View(); !strings.Contains(v, "/ trigger_ref:github.push ") {
		t.Fatalf("tab did not complete the unique trigger ref to a chip:\n%s", v)
	}
	rulesReqs := ds.Server.Requests("/api/v1/rules") - before
	if rulesReqs == 0 {
		t.Fatal("no request for the rules")
	}
	// Cached for the session: another tab, another bar, no request.
	m, _ = press(t, m, "esc", "/", "rule_ref:core.", "tab")
	if !strings.Contains(m.View(), "core.heartbeat_echo") {
		t.Fatalf("rule refs not completed:\n%s", m.View())
	}
	if n := ds.Server.Requests("/api/v1/rules") - before; n != rulesReqs {
		t.Fatalf("the known refs were fetched again: %d requests, want %d", n, rulesReqs)
	}
}

// TestRecentFiltersPerSession: a filter applied on one event list is
// offered by ↑ on another event list of the same session, and not by a
// list of another session.
func TestRecentFiltersPerSession(t *testing.T) {
	t.Parallel()
	deps := uitest.Deps((&fakeAPI{n: 5}).API()).WithDefaults()
	m := New(deps).SetSize(120, 30).(Model)
	m, _ = feed(t, m, m.Init())
	m, _ = press(t, m, "/", "trace_tag:a.1", "enter")
	if m.Query().TraceTag != "a.1" {
		t.Fatalf("query %+v", m.Query())
	}
	other := New(deps).SetSize(120, 30).(Model)
	other, _ = feed(t, other, other.Init())
	other, _ = press(t, other, "/", "up")
	if v := other.View(); !strings.Contains(v, "/ trace_tag:a.1") {
		t.Fatalf("↑ on another list of the session did not recall the filter:\n%s", v)
	}
	stranger := New(uitest.Deps((&fakeAPI{n: 5}).API())).SetSize(120, 30).(Model)
	stranger, _ = feed(t, stranger, stranger.Init())
	stranger, _ = press(t, stranger, "/", "up")
	if v := stranger.View(); strings.Contains(v, "trace_tag:a.1") || !strings.Contains(v, "no recent filters") {
		t.Fatalf("another session recalled this one's filter:\n%s", v)
	}
}
