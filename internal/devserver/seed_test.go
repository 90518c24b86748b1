package devserver

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/internal/conditions"
)

// TestSeedDeterministic: two servers seeded with the same options answer
// byte-identically; another seed value gives different data. Each seeds
// its own database (not startServer's copy of one).
func TestSeedDeterministic(t *testing.T) {
	t.Parallel()
	opts := SeedOptions{Seed: 99, Events: 250}
	a := startFreshServer(t, Options{Seed: opts})
	b := startFreshServer(t, Options{Seed: opts})
	c := startFreshServer(t, Options{Seed: SeedOptions{Seed: 100, Events: 250}})
	paths := []string{
		"/api/v1/events?per_page=100&include_total=true",
		"/api/v1/events?page=2&per_page=100",
		"/api/v1/events/243",
		"/api/v1/events/1",
		"/api/v1/enforcements?per_page=100",
		"/api/v1/enforcements/10",
		"/api/v1/executions?per_page=100&include_total=true",
		"/api/v1/executions/20",
		"/api/v1/rules",
		"/api/v1/rules/pagerduty.remediate_critical",
		"/api/v1/triggers/core.intervaltimer",
		"/api/v1/triggers/kubernetes.pod_event/rules",
		"/api/v1/sensors/kubernetes.watch_sensor",
		"/api/v1/traces/core.intervaltimer.1",
	}
	differs := false
	for _, p := range paths {
		sa, ba := a.do(t, http.MethodGet, p, "", true)
		sb, bb := b.do(t, http.MethodGet, p, "", true)
		if sa != sb || !bytes.Equal(ba, bb) {
			t.Errorf("GET %s differs between identical seeds:\n%s\n%s", p, ba, bb)
		}
		_, bc := c.do(t, http.MethodGet, p, "", true)
		differs = differs || !bytes.Equal(ba, bc)
	}
	if !differs {
		t.Error("seed 99 and seed 100 produced identical responses")
	}
}

// TestSeedEnforcementsFollowConditions: every seeded enforcement's rule
// matches its event per conditions.Evaluate, and every (event, candidate
// enabled rule) pair that matches has exactly one enforcement.
func TestSeedEnforcementsFollowConditions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts SeedOptions
	}{
		{"seed1", SeedOptions{Seed: 1, Events: 1500}},
		{"seed2_adversarial", SeedOptions{Seed: 2, Events: 800, Adversarial: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := generate(t, tc.opts)
			cat := newCatalog()
			events := map[int64]*eventRow{}
			for i := range data.events {
				events[data.events[i].ID] = &data.events[i]
			}
			type pair struct{ event, rule int64 }
			have := map[pair]int{}
			for _, enf := range data.enforcements {
				ev := events[*enf.Event]
				rule := cat.ruleByID[*enf.Rule]
				if !rule.enabled {
					t.Errorf("enforcement %d for disabled rule %s", enf.ID, rule.ref)
				}
				res := conditions.Evaluate(json.RawMessage(rule.conditions), conditions.Event{
					ID: ev.ID, TriggerRef: ev.TriggerRef, Payload: ev.Payload, Created: fromMicros(ev.Created),
				})
				if !res.Match {
					t.Errorf("enforcement %d: rule %s does not match event %d", enf.ID, rule.ref, ev.ID)
				}
				if !bytes.Equal(enf.Conditions, []byte(rule.conditions)) || enf.Condition != "all" {
					t.Errorf("enforcement %d: conditions snapshot %s / %s", enf.ID, enf.Conditions, enf.Condition)
				}
				have[pair{ev.ID, rule.id}]++
			}
			matches := 0
			perRule := map[string]int{}
			for i := range data.events {
				ev := &data.events[i]
				for _, r := range cat.candidateRules(ev) {
					res := conditions.Evaluate(json.RawMessage(r.conditions), conditions.Event{
						ID: ev.ID, TriggerRef: ev.TriggerRef, Payload: ev.Payload, Created: fromMicros(ev.Created),
					})
					if !res.Match {
						continue
					}
					matches++
					perRule[r.ref]++
					if n := have[pair{ev.ID, r.id}]; n != 1 {
						t.Errorf("event %d matches rule %s but has %d enforcements", ev.ID, r.ref, n)
					}
				}
			}
			if matches != len(data.enforcements) {
				t.Errorf("%d matching pairs, %d enforcements", matches, len(data.enforcements))
			}
			// The seed must exercise both outcomes for the rules with real
			// conditions, and never match the JSON-Logic rule.
			for _, ref := range []string{"github.comment_on_main_push", "pagerduty.remediate_critical",
				"kubernetes.restart_crashloop", "slack.ack_oncall_mentions", "aws.notify_alarms"} {
				if perRule[ref] == 0 {
					t.Errorf("rule %s never matched", ref)
				}
			}
			if perRule["aws.legacy_jsonlogic"] != 0 {
				t.Error("JSON-Logic rule matched; upstream never matches that shape")
			}
		})
	}
}

// TestSeedCoversStatuses: every enforcement and execution status appears,
// with workflows, retries and a large payload.
func TestSeedCoversStatuses(t *testing.T) {
	t.Parallel()
	data := generate(t, SeedOptions{Seed: 1, Events: DefaultSeedEvents})
	enf := map[string]int{}
	for _, e := range data.enforcements {
		enf[e.Status]++
	}
	for _, s := range enforcementStatuses() {
		if enf[s] == 0 {
			t.Errorf("no enforcement in status %s", s)
		}
	}
	ex := map[string]int{}
	children, retries := 0, 0
	for _, e := range data.executions {
		ex[e.Status]++
		if e.Parent != nil {
			children++
		}
		if e.OriginalExecution != nil {
			retries++
		}
		terminal := e.Status == "completed" || e.Status == "failed" || e.Status == "timeout" ||
			e.Status == "cancelled" || e.Status == "abandoned"
		if terminal != (e.Result != nil) {
			t.Errorf("execution %d (%s): result presence %v", e.ID, e.Status, e.Result != nil)
		}
	}
	for _, s := range executionStatuses() {
		if ex[s] == 0 {
			t.Errorf("no execution in status %s", s)
		}
	}
	if children == 0 || retries == 0 {
		t.Errorf("children %d, retries %d: want both > 0", children, retries)
	}
	big := 0
	for _, e := range data.events {
		if len(e.Payload) > 150_000 {
			big++
		}
	}
	if big == 0 {
		t.Error("no large payload in the seed")
	}
}

// TestMigrateCoverIndexes: a database indexed by the first 0002 (plain
// filter indexes, user_version 2) is upgraded to the *_cover indexes when it
// is served again.
func TestMigrateCoverIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := t.TempDir() + "/old.db"
	srv, err := New(ctx, Options{DBPath: path, Seed: SeedOptions{Seed: 1, Events: 50}})
	if err != nil {
		t.Fatal(err)
	}
	// Turn it into what the first 0002 left behind.
	for _, stmt := range []string{
		"DROP INDEX event_source_cover",
		"CREATE INDEX event_source ON event (source, created DESC, id DESC)",
		"PRAGMA user_version = 2",
	} {
		if _, err := srv.db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv, err = New(ctx, Options{DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	var names []string
	rows, err := srv.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'event_source%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var version int
	if err := srv.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "event_source_cover" || version != schemaIndexes {
		t.Errorf("indexes %v, user_version %d; want [event_source_cover], %d", names, version, schemaIndexes)
	}
}
