package enforcementdetail

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/conditions"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

type fakeAPI struct {
	enf *client.Enforcement
	err error
	// ev answers GetEvent (evErr when nil); events counts the calls.
	ev     *client.Event
	evErr  error
	events *atomic.Int32
}

// API returns an API whose events and enforcements gets are f's (the
// rest is empty).
func (f fakeAPI) API() *common.API {
	a := uitest.Fake()
	a.Events = fakeEvents{EventsAPI: a.Events, f: f}
	a.Enforcements = fakeEnforcements{EnforcementsAPI: a.Enforcements, f: f}
	return a
}

type fakeEvents struct {
	common.EventsAPI
	f fakeAPI
}

func (s fakeEvents) Get(_ context.Context, id int64) (*client.Event, *client.Response, error) {
	f := s.f
	if f.events != nil {
		f.events.Add(1)
	}
	if f.ev == nil {
		return nil, nil, f.evErr
	}
	e := *f.ev
	e.ID = id
	return &e, nil, nil
}

type fakeEnforcements struct {
	common.EnforcementsAPI
	f fakeAPI
}

func (s fakeEnforcements) Get(_ context.Context, id int64) (*client.Enforcement, *client.Response, error) {
	f := s.f
	if f.err != nil {
		return nil, nil, f.err
	}
	e := *f.enf
	e.ID = id
	return &e, nil, nil
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

func ptr[T any](v T) *T { return &v }

func TestDetail(t *testing.T) {
	t.Parallel()
	base := client.Enforcement{
		Rule: ptr(int64(3)), RuleRef: "core.rule", TriggerRef: "core.webhook", Event: ptr(int64(9)),
		Status: client.EnforcementProcessed, Condition: client.ConditionAll,
		Conditions: json.RawMessage(`[{"field":"a","operator":"equals","value":1}]`),
		Payload:    json.RawMessage(`{"a":2}`), Created: uitest.Now().Add(-60e9),
	}
	redacted := base
	redacted.RuleRef = client.Redacted
	redacted.Event = nil
	empty := base
	empty.Conditions = json.RawMessage(`{}`)
	tests := []struct {
		name       string
		enf        *client.Enforcement
		err        error
		want       []string
		links      map[string]bool // key → enabled
		keyIntents map[string]common.Route
	}{
		{
			name: "array form re-evaluated",
			enf:  &base,
			want: []string{"Enforcement #4", "status processed", "rule core.rule (#3)", "event #9", "unresolved for 1m00s",
				"re-evaluated by attune-tui against the stored payload", "✗"},
			links: map[string]bool{"v": true, "R": true, "x": true, "t": true},
			keyIntents: map[string]common.Route{
				"v": {Kind: common.KindEvent, ID: 9}, "R": {Kind: common.KindRule, Ref: "core.rule"},
				"x": {Kind: common.KindExecutions, ID: 4}, "t": {Kind: common.KindTrace, ID: 9},
			},
		},
		{name: "redacted rule and no event", enf: &redacted, want: []string{"rule [redacted] (#3)", "event -"},
			links: map[string]bool{"v": false, "R": false, "x": true, "t": false}},
		{name: "no conditions", enf: &empty, want: []string{"✓"}},
		{name: "error", err: &client.APIError{StatusCode: 404, Message: "Enforcement with ID 4 not found"},
			want: []string{"Could not load enforcement", "Enforcement with ID 4 not found", "press r to retry"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := uitest.Deps(fakeAPI{enf: tc.enf, err: tc.err}.API())
			m := New(d, 4).SetSize(100, 24).(Model)
			if !strings.Contains(m.View(), "Loading enforcement") {
				t.Errorf("loading state:\n%s", m.View())
			}
			m, _ = settle(m, m.Init())
			v := m.View()
			wantText(t, v, tc.want)
			for _, b := range m.ShortHelp() {
				if want, ok := tc.links[b.Help().Key]; ok && b.Enabled() != want {
					t.Errorf("key %s enabled = %v, want %v", b.Help().Key, b.Enabled(), want)
				}
			}
			for k, want := range tc.keyIntents {
				tm, cmd := m.Update(uitest.Key(k))
				_, in := settle(tm.(Model), cmd)
				if len(in) != 1 || in[0] != (common.OpenMsg{Route: want}) {
					t.Errorf("%s: intents %#v, want %#v", k, in, want)
				}
			}
		})
	}
}

func TestRawToggleAndTabs(t *testing.T) {
	t.Parallel()
	enf := &client.Enforcement{RuleRef: "r", Status: client.EnforcementCreated, Conditions: json.RawMessage(`{"expression":"payload.a == 1"}`),
		Payload: json.RawMessage(`{"a":1}`), Config: json.RawMessage(`{"c":2}`), Created: uitest.Now()}
	m := New(uitest.Deps(fakeAPI{enf: enf}.API()), 4).SetSize(100, 24).(Model)
	m, _ = settle(m, m.Init())
	tm, _ := m.Update(uitest.Key("J"))
	m = tm.(Model)
	if !strings.Contains(m.View(), `"expression"`) {
		t.Errorf("J should show the raw conditions JSON:\n%s", m.View())
	}
	tm, _ = m.Update(uitest.Key("tab"))
	tm, _ = tm.(Model).Update(uitest.Key("tab"))
	m = tm.(Model)
	if v := m.View(); !strings.Contains(v, "[Config]") || !strings.Contains(v, `"c": 2`) {
		t.Errorf("two tabs should show the config:\n%s", v)
	}
}

// TestEventCreated: event.created is the event's creation time, fetched
// only when the conditions read it, and never the enforcement's own time;
// when the event cannot be had, the conditions are marked not evaluated.
func TestEventCreated(t *testing.T) {
	t.Parallel()
	evCreated := time.Date(2026, 6, 11, 14, 2, 41, 120514000, time.UTC)
	enfCreated := evCreated.Add(350 * time.Millisecond)
	readsCreated := json.RawMessage(`{"expression":"event.created == \"` + conditions.FormatCreated(evCreated) + `\""}`)
	base := client.Enforcement{RuleRef: "core.rule", TriggerRef: "core.webhook", Event: ptr(int64(9)),
		Status: client.EnforcementProcessed, Condition: client.ConditionAll, Conditions: readsCreated,
		Payload: json.RawMessage(`{"a":1}`), Created: enfCreated}
	noEvent := base
	noEvent.Event = nil
	indexed := base
	indexed.Conditions = json.RawMessage(`{"expression":"event[\"cre\" + \"ated\"] == \"` + conditions.FormatCreated(evCreated) + `\""}`)
	wholeEvent := base
	wholeEvent.Conditions = json.RawMessage(`{"expression":"\"created\" in event"}`)
	payloadOnly := base
	payloadOnly.Conditions = json.RawMessage(`{"expression":"event.payload.a == 1"}`)
	gone := &client.APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "Event with ID 9 not found\x1b]0;x\x07"}
	tests := []struct {
		name   string
		enf    client.Enforcement
		evErr  error
		want   []string
		absent []string
		gets   int32 // event GETs
	}{
		{name: "event_loaded", enf: base, gets: 1,
			want:   []string{"✓ match: expression is true"},
			absent: []string{"not re-evaluated", "(not evaluated)"}},
		{name: "event_missing", enf: base, evErr: gone, gets: 1,
			want: []string{"⚠ not re-evaluated: the conditions read event.created, which is unknown",
				"event #9 could not be loaded (404 NOT_FOUND: Event with ID 9 not found", "(not evaluated)"},
			absent: []string{"match:"}},
		{name: "no_event", enf: noEvent, gets: 0,
			want:   []string{"which is unknown: the enforcement names no event", "(not evaluated)"},
			absent: []string{"match:"}},
		{name: "computed_index", enf: indexed, gets: 1,
			want:   []string{"✓ match: expression is true"},
			absent: []string{"not re-evaluated"}},
		{name: "whole_event_counts_as_read", enf: wholeEvent, gets: 1,
			want:   []string{"✓ match: expression is true"},
			absent: []string{"not re-evaluated"}},
		{name: "created_not_read", enf: payloadOnly, gets: 0,
			want:   []string{"✓ match: expression is true"},
			absent: []string{"not re-evaluated"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var gets atomic.Int32
			api := fakeAPI{enf: &tc.enf, evErr: tc.evErr, events: &gets}
			if tc.evErr == nil {
				api.ev = &client.Event{TriggerRef: "core.webhook", Created: evCreated}
			}
			m := New(uitest.Deps(api.API()), 4).SetSize(80, 24).(Model)
			m, _ = settle(m, m.Init())
			v := m.View()
			wantText(t, v, tc.want)
			for _, a := range tc.absent {
				if strings.Contains(v, a) {
					t.Errorf("view has %q:\n%s", a, v)
				}
			}
			if n := gets.Load(); n != tc.gets {
				t.Errorf("event GETs = %d, want %d", n, tc.gets)
			}
			if lines := strings.Count(v, "\n") + 1; lines != 24 || strings.Contains(v, "\x1b") {
				t.Errorf("%d lines (want 24), escape %v:\n%s", lines, strings.Contains(v, "\x1b"), v)
			}
			for _, l := range strings.Split(v, "\n") {
				if w := lipgloss.Width(l); w > 80 {
					t.Errorf("line of width %d: %q", w, l)
				}
			}
		})
	}
}

// wantText fails t for every text of want the view v lacks, comparing with
// runs of white space collapsed (notes wrap).
func wantText(t *testing.T, v string, want []string) {
	t.Helper()
	flat := strings.Join(strings.Fields(v), " ")
	for _, w := range want {
		if !strings.Contains(flat, w) {
			t.Errorf("view lacks %q:\n%s", w, v)
		}
	}
}
