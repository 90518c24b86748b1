package rules

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
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

// Events of the fixed seed (seed 1, 300 events) used below:
//   - 275 aws.cloudwatch_alarm: aws.legacy_jsonlogic (unsupported shape),
//     aws.notify_alarms (array form, matches, has an enforcement),
//     aws.reboot_failed_status_checks (expression form, no match);
//   - 288 github.push: two rules, neither matches (array check fails);
//   - 298 core.intervaltimer: timer-style, names its rule.
func TestPanel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		event    int64
		keys     []string
		waitFor  string
		rules    int // candidate rules fetched (GET /rules/{ref})
		lists    int // rule list requests
		contains []string
		// updated, when set, moves every rule's updated time to the
		// event's created time plus this duration.
		updated string
	}{
		{name: "unsupported_first", event: 275, waitFor: "1/3 · all loaded", rules: 3, lists: 1,
			contains: []string{"aws.legacy_jsonlogic", "Attune would have logged: conditions are not an array", "unsupported shape"}},
		{name: "matched", event: 275, keys: []string{"j"}, waitFor: "2/3 · all loaded", rules: 3, lists: 1,
			contains: []string{"matched → enforcement #", "✓ 1."}},
		{name: "not_matched_expression", event: 275, keys: []string{"j", "j"}, waitFor: "3/3 · all loaded", rules: 3, lists: 1,
			contains: []string{"clauses", "✗"}},
		{name: "not_matched_array", event: 288, waitFor: "1/2 · all loaded", rules: 2, lists: 1,
			contains: []string{"github.comment_on_main_push", "actual"}},
		{name: "timer", event: 298, waitFor: "1/1 · all loaded", rules: 1, lists: 0,
			contains: []string{"timer-style", "core.heartbeat_echo", "no conditions (always matches)"}},
		{name: "updated_within_cache", event: 275, keys: []string{"j"}, waitFor: "2/3 · all loaded", rules: 3, lists: 1,
			updated: "-12s", contains: []string{"within 30 s before the event", "Attune caches rules for"}},
		{name: "updated_after", event: 288, waitFor: "1/2 · all loaded", rules: 2, lists: 1,
			updated: "5m", contains: []string{"after the event", "caches rules for", "old conditions"}},
	}
	for _, tc := range tests {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			name := tc.name + "/" + map[int]string{80: "80x24", 120: "120x40"}[size[0]]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				api, ds := uitest.StartDev(t, testutil.DevOptions{})
				if tc.updated != "" {
					api = updatedAPI(t, api, tc.event, tc.updated)
					ds.Server.ResetStats()
				}
				m := New(uitest.Deps(api), tc.event).SetSize(size[0], size[1]).(Model)
				tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(size[0], size[1]))
				wait := func(s string) {
					teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
						teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
				}
				wait("all loaded")
				for _, k := range tc.keys {
					tm.Send(uitest.Key(k))
				}
				if len(tc.keys) > 0 {
					wait(tc.waitFor)
				}
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
				out := fm.View()
				for _, s := range tc.contains {
					if !strings.Contains(out, s) {
						t.Errorf("view lacks %q:\n%s", s, out)
					}
				}
				golden.RequireEqual(t, []byte(out))
				// Request accounting: 1 event GET + lists + one GET per
				// candidate rule + 1 enforcement list, nothing else.
				srv := ds.Server
				if got := srv.Requests("/api/v1/events/"); got != 1 {
					t.Errorf("event GETs = %d, want 1", got)
				}
				if got := srv.Requests("/api/v1/rules/"); got != tc.rules {
					t.Errorf("rule GETs = %d, want %d", got, tc.rules)
				}
				if got := srv.Requests("/api/v1/rules") - srv.Requests("/api/v1/rules/"); got != tc.lists {
					t.Errorf("rule lists = %d, want %d", got, tc.lists)
				}
				if got := srv.Requests("/api/v1/enforcements"); got != 1 {
					t.Errorf("enforcement lists = %d, want 1", got)
				}
				if got := srv.Requests("/api/v1/"); got != 2+tc.rules+tc.lists {
					t.Errorf("total requests = %d, want %d", got, 2+tc.rules+tc.lists)
				}
			})
		}
	}
}

// ruleUpdatedAPI answers every rule with the updated time at.
type ruleUpdatedAPI struct {
	common.RulesAPI
	at time.Time
}

func (a ruleUpdatedAPI) Get(ctx context.Context, ref string) (*client.Rule, *client.Response, error) {
	r, resp, err := a.RulesAPI.Get(ctx, ref)
	if r != nil {
		c := *r
		c.Updated = a.at
		r = &c
	}
	return r, resp, err
}

// updatedAPI wraps api so that every rule was updated offset (a duration)
// after event id was created.
func updatedAPI(t *testing.T, api *common.API, id int64, offset string) *common.API {
	t.Helper()
	d, err := time.ParseDuration(offset)
	if err != nil {
		t.Fatal(err)
	}
	ev, _, err := api.Events.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	wrapped := *api
	wrapped.Rules = ruleUpdatedAPI{RulesAPI: api.Rules, at: ev.Created.Add(d)}
	return &wrapped
}

// TestRuleCacheNote: the note about Attune's 30-second rule cache appears
// when the rule was updated after the event or less than 30 s before it.
func TestRuleCacheNote(t *testing.T) {
	t.Parallel()
	api, _ := uitest.StartDev(t, testutil.DevOptions{})
	tests := []struct {
		offset string
		want   string // "" = no note
	}{
		{"-1h", ""},
		{"-31s", ""},
		{"-30s", ""},
		{"-29.999s", "within 30 s before the event"},
		{"-1s", "within 30 s before the event"},
		{"0s", "within 30 s before the event"},
		{"1ms", "after the event"},
		{"24h", "after the event"},
	}
	for _, tc := range tests {
		t.Run(tc.offset, func(t *testing.T) {
			t.Parallel()
			m := New(uitest.Deps(updatedAPI(t, api, 288, tc.offset)), 288).SetSize(80, 24).(Model)
			m = settle(m, m.Init())
			var note string
			for _, l := range m.detail() {
				if strings.Contains(l, "note: rule updated") {
					note = l
				}
			}
			switch {
			case tc.want == "" && note != "":
				t.Errorf("unexpected note: %s", note)
			case tc.want != "" && (!strings.Contains(note, tc.want) || !strings.Contains(note, "Attune caches rules for 30 s")):
				t.Errorf("note = %q, want it to say %q and name the 30 s cache", note, tc.want)
			}
			for _, l := range m.detailLines() {
				if w := lipgloss.Width(l); w > 80 {
					t.Errorf("line of width %d at 80 columns: %q", w, l)
				}
			}
		})
	}
}

// settle runs cmd and feeds the model its own messages until none are left;
// intents sent to the root are dropped.
func settle(m Model, cmd tea.Cmd) Model {
	for i := 0; cmd != nil && i < 50; i++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			switch msg.(type) {
			case common.ErrorMsg, common.SyncMsg, common.OpenMsg:
				continue
			}
			tm, c := m.Update(msg)
			m = tm.(Model)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	return m
}

func TestOpenEnforcement(t *testing.T) {
	t.Parallel()
	api, _ := uitest.StartDev(t, testutil.DevOptions{})
	// Event #275's first rule made no enforcement, its second did.
	tests := []struct {
		name string
		down bool
		want bool
	}{
		{name: "row_with_enforcement", down: true, want: true},
		{name: "row_without_enforcement", down: false, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := New(uitest.Deps(api), 275).SetSize(80, 24).(Model)
			m = settle(m, m.Init())
			if tc.down {
				tm, _ := m.Update(uitest.Key("j"))
				m = tm.(Model)
			}
			if m.keys.Open.Enabled() != tc.want {
				t.Fatalf("open key enabled = %v, want %v", m.keys.Open.Enabled(), tc.want)
			}
			_, cmd := m.Update(uitest.Key("enter"))
			var got *common.OpenMsg
			for _, msg := range uitest.Run(cmd) {
				if o, ok := msg.(common.OpenMsg); ok {
					got = &o
				}
			}
			if (got != nil) != tc.want {
				t.Fatalf("open intent = %v, want %v", got, tc.want)
			}
			if got != nil && (got.Route.Kind != common.KindEnforcement || got.Route.ID == 0) {
				t.Errorf("route = %+v", got.Route)
			}
		})
	}
}

// ruleCalled tells called about each rule GET before passing it on.
type ruleCalled struct {
	common.RulesAPI
	called chan string
}

func (a ruleCalled) Get(ctx context.Context, ref string) (*client.Rule, *client.Response, error) {
	a.called <- ref
	return a.RulesAPI.Get(ctx, ref)
}

// TestReloadStopsRuleGETs: r cancels the rule GETs of the load before it.
// With one slot (the panel's limiter narrowed to 1) and rule GETs the dev
// server holds for an hour, the GET in flight ends at once with its
// answer dropped, the two waiting for the slot are never made, and the
// new load fills every row in.
func TestReloadStopsRuleGETs(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	called := ruleCalled{RulesAPI: api.Rules, called: make(chan string, 10)}
	api.Rules = called
	m := New(uitest.Deps(api), 275).SetSize(80, 24).(Model)
	m.lim = fanout.New(1)
	ds.Server.SetFaults(devserver.Faults{PathPrefix: "/api/v1/rules/", Latency: time.Hour})

	// The event, then the rule list and the enforcements: three rule GETs.
	var gets tea.Cmd
	cmd := m.Init()
	for i := 0; cmd != nil && gets == nil && i < 5; i++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			tm, c := m.Update(msg)
			m = tm.(Model)
			if _, ok := msg.(listMsg); ok {
				gets = c
				continue
			}
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	if gets == nil {
		t.Fatal("no rule list answer")
	}
	batch, ok := gets().(tea.BatchMsg)
	if !ok || len(batch) != 3 {
		t.Fatalf("rule list answer gave %#v, want three rule GETs", batch)
	}
	answers := make(chan tea.Msg, len(batch))
	for _, c := range batch {
		go func() { answers <- c() }()
	}
	<-called.called // one GET is in flight, two wait for the slot

	tm, reload := m.Update(uitest.Key("r"))
	m = tm.(Model)
	var stale []ruleMsg
	for range batch {
		switch msg := (<-answers).(type) {
		case nil: // gave up waiting
		case ruleMsg:
			stale = append(stale, msg)
		default:
			t.Errorf("unexpected answer %#v", msg)
		}
	}
	if len(stale) != 1 || !errors.Is(stale[0].err, context.Canceled) {
		t.Fatalf("answers of the cancelled load = %+v, want the one in flight, cancelled", stale)
	}
	if n := len(called.called); n != 0 {
		t.Errorf("%d rule GETs that waited for the slot were made after r", n)
	}

	ds.Server.SetFaults(devserver.Faults{})
	m = settle(m, reload)
	tm, _ = m.Update(stale[0]) // an answer of the earlier load is dropped
	m = tm.(Model)
	if v := m.View(); !strings.Contains(v, "all loaded") || strings.Contains(v, "cancel") {
		t.Errorf("after r the panel shows:\n%s", v)
	}
	if n := len(called.called); n != 3 {
		t.Errorf("the new load made %d rule GETs, want 3", n)
	}
}
