package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/attune-tui/attune-tui/internal/conditions"
)

// SeedBase returns the fixed instant seeded data counts back from: the newest
// seeded event is created shortly before it.
func SeedBase() time.Time { return time.Date(2026, time.June, 11, 14, 0, 0, 0, time.UTC) }

// eventSpacing is the distance between two consecutive seeded events; each
// event is jittered within its slot so timestamps stay strictly increasing.
const eventSpacing = 20 * time.Second

// SeedOptions decides the generated data. The same options always produce
// byte-identical API output.
type SeedOptions struct {
	// Seed drives every random choice.
	Seed uint64
	// Events is the number of events (default 3000 when zero or negative).
	Events int
	// Adversarial mixes hostile strings (escape sequences, bidi overrides,
	// control characters) into text fields of payloads, for textsafe tests.
	Adversarial bool
	// Base is the instant the seeded data counts back from; zero means the
	// fixed SeedBase, which keeps output byte-identical across runs (tests,
	// goldens). The demo passes the current time so that the data looks fresh.
	Base time.Time
	// FirstID is the id of the first event, enforcement and execution (zero
	// means 1): a production Attune reaches ids of 7 to 10 digits, and a
	// high FirstID shows how the UI lays them out.
	FirstID int64
}

// base returns the instant seeded data counts back from.
func (o SeedOptions) base() time.Time {
	if o.Base.IsZero() {
		return SeedBase()
	}
	return o.Base.UTC().Truncate(time.Second)
}

// DefaultSeedEvents is the event count used when SeedOptions.Events is 0.
const DefaultSeedEvents = 3000

// SeedStats reports what a seed run inserted.
type SeedStats struct {
	Events, Enforcements, Executions int
	Duration                         time.Duration
}

// sink receives generated rows in id order.
type sink interface {
	event(*eventRow) error
	enforcement(*enforcementRow) error
	execution(*executionRow) error
}

// catalog is the static seed data indexed for generation.
type catalog struct {
	triggers     []triggerDef
	triggerByRef map[string]*triggerDef
	actions      map[int64]*actionDef
	rules        []ruleDef
	rulesByTrig  map[int64][]*ruleDef
	ruleByID     map[int64]*ruleDef
	sensors      map[int64]*sensorDef
	totalWeight  int
}

func newCatalog() *catalog {
	c := &catalog{
		triggers:     triggerDefs(),
		triggerByRef: map[string]*triggerDef{},
		actions:      map[int64]*actionDef{},
		rules:        ruleDefs(),
		rulesByTrig:  map[int64][]*ruleDef{},
		ruleByID:     map[int64]*ruleDef{},
		sensors:      map[int64]*sensorDef{},
	}
	for i := range c.triggers {
		c.triggerByRef[c.triggers[i].ref] = &c.triggers[i]
		c.totalWeight += c.triggers[i].weight
	}
	acts := actionDefs()
	for i := range acts {
		c.actions[acts[i].id] = &acts[i]
	}
	for i := range c.rules {
		r := &c.rules[i]
		c.rulesByTrig[r.trigger] = append(c.rulesByTrig[r.trigger], r)
		c.ruleByID[r.id] = r
	}
	sens := sensorDefs()
	for i := range sens {
		c.sensors[sens[i].id] = &sens[i]
	}
	return c
}

func (c *catalog) trigger(id int64) *triggerDef {
	for i := range c.triggers {
		if c.triggers[i].id == id {
			return &c.triggers[i]
		}
	}
	return nil
}

// timerRule is the rule a timer trigger's events carry (timer-style events
// name their rule), or 0.
func timerRule(triggerRef string) int64 {
	switch triggerRef {
	case "core.intervaltimer":
		return 1
	case "core.crontimer":
		return 2
	}
	return 0
}

// candidateRules returns the rules the executor would evaluate for ev
// (CONDITIONS.md §1): the event's own rule if it names one and it is
// enabled, otherwise every enabled rule on the event's trigger, by id.
func (c *catalog) candidateRules(ev *eventRow) []*ruleDef {
	if ev.Rule != nil {
		r := c.ruleByID[*ev.Rule]
		if r == nil || !r.enabled {
			return nil
		}
		return []*ruleDef{r}
	}
	if ev.Trigger == nil {
		return nil
	}
	var out []*ruleDef
	for _, r := range c.rulesByTrig[*ev.Trigger] {
		if r.enabled {
			out = append(out, r)
		}
	}
	return out
}

// ruleMatches decides with the shared evaluator whether ev matches r.
func ruleMatches(conds json.RawMessage, ev *eventRow) bool {
	res := conditions.Evaluate(conds, conditions.Event{
		ID:         ev.ID,
		TriggerRef: ev.TriggerRef,
		Payload:    ev.Payload,
		Created:    fromMicros(ev.Created),
	})
	return res.Match
}

// generator produces the random part of the seed: events, enforcements and
// executions, strictly in id order.
type generator struct {
	cat     *catalog
	rng     *rand.Rand
	pay     payloadGen
	n       int
	nextEnf int64
	nextEx  int64
	idBase  int64 // event id = idBase + position (1-based)
	base    time.Time
	// Runtime logs: the seed they are generated from, version counters per
	// action id, the retention horizon (µs), the current event's age and
	// the ages at which a truncated log is placed (logs.go).
	seed        uint64
	logVersions map[int64]int32
	retainFrom  int64
	age         int
	bigTargets  []int
	bigNext     int
}

func newGenerator(opts SeedOptions) *generator {
	n := opts.Events
	if n <= 0 {
		n = DefaultSeedEvents
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	first := max(opts.FirstID, 1)
	return &generator{
		cat:     newCatalog(),
		rng:     rng,
		pay:     payloadGen{v: newVocabulary(), rng: rng, adversarial: opts.Adversarial},
		n:       n,
		nextEnf: first,
		nextEx:  first,
		idBase:  first - 1,
		base:    opts.base(),

		seed:        opts.Seed,
		logVersions: map[int64]int32{},
		retainFrom:  micros(opts.base().Add(-LogRetention)),
		bigTargets:  []int{1450, 450, 40},
	}
}

// isBig reports whether event id i of n carries a ~200 KB payload: a few
// fixed positions, one of them near the newest events.
func isBig(i, n int) bool {
	return i == n-7 || (i%250_000 == 1000 && i < n-7)
}

func (g *generator) run(ctx context.Context, s sink) error {
	base := micros(g.base)
	step := eventSpacing.Microseconds()
	for i := 1; i <= g.n; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
		created := base - int64(g.n-i+1)*step + g.rng.Int64N(step-1_000_000)
		big := isBig(i, g.n)
		var trig *triggerDef
		if big {
			trig = g.cat.triggerByRef["kubernetes.pod_event"]
		} else {
			trig = g.pickTrigger()
		}
		ev := g.newEvent(g.idBase+int64(i), trig, created, big)
		// Age in events from the newest: the newest few are still in flight.
		age := g.n - i
		g.age = age
		if err := g.react(ev, age, s); err != nil {
			return err
		}
	}
	if g.pay.adversarial {
		return g.hostile(s) // adversarial.go: the hostile corpus, newest
	}
	return nil
}

func (g *generator) pickTrigger() *triggerDef {
	w := g.rng.IntN(g.cat.totalWeight)
	for i := range g.cat.triggers {
		w -= g.cat.triggers[i].weight
		if w < 0 {
			return &g.cat.triggers[i]
		}
	}
	return &g.cat.triggers[len(g.cat.triggers)-1]
}

func (g *generator) newEvent(id int64, trig *triggerDef, created int64, big bool) *eventRow {
	ev := &eventRow{
		ID:         id,
		Trigger:    ptr(trig.id),
		TriggerRef: trig.ref,
		Payload:    g.pay.payload(trig.ref, id, created, big),
		Created:    created,
	}
	if trig.sensor != 0 {
		ev.Source = ptr(trig.sensor)
		ev.SourceRef = ptr(g.cat.sensors[trig.sensor].ref)
	}
	if rid := timerRule(trig.ref); rid != 0 {
		ev.Rule = ptr(rid)
		ev.RuleRef = ptr(g.cat.ruleByID[rid].ref)
		ev.Config = json.RawMessage(`{"unit":"seconds","delta":60}`)
		if trig.ref == "core.crontimer" {
			ev.Config = json.RawMessage(`{"expression":"0 3 * * *","timezone":"Europe/Paris"}`)
		}
	}
	return ev
}

func traceTag(ev *eventRow) string {
	return fmt.Sprintf("%s.%d", ev.TriggerRef, ev.ID)
}

// react emits ev and, for every candidate rule whose conditions match, an
// enforcement and its executions. age is how many events are newer.
func (g *generator) react(ev *eventRow, age int, s sink) error {
	type match struct {
		rule   *ruleDef
		status string
	}
	var matches []match
	anyExec := false
	for _, r := range g.cat.candidateRules(ev) {
		if !ruleMatches(json.RawMessage(r.conditions), ev) {
			continue
		}
		st := g.enforcementStatus(age)
		matches = append(matches, match{r, st})
		if st == "processed" {
			anyExec = true
		}
	}
	tag := traceTag(ev)
	// Sensor and timer events carry a trace tag from creation; webhook
	// events get one only once something was scheduled for them.
	if ev.Source != nil || anyExec {
		ev.TraceTag = ptr(tag)
	}
	if err := s.event(ev); err != nil {
		return err
	}
	for k, m := range matches {
		enf := &enforcementRow{
			ID:         g.nextEnf,
			Rule:       ptr(m.rule.id),
			RuleRef:    m.rule.ref,
			TriggerRef: ev.TriggerRef,
			Config:     renderParams(m.rule.actionParams, ev),
			Event:      ptr(ev.ID),
			Status:     m.status,
			Condition:  "all",
			Conditions: json.RawMessage(m.rule.conditions),
			Created:    ev.Created + 2_000 + int64(k)*1_000 + g.rng.Int64N(900),
		}
		g.nextEnf++
		if m.status != "created" {
			enf.ResolvedAt = ptr(enf.Created + 50_000 + g.rng.Int64N(400_000))
		}
		if m.status == "processed" {
			enf.TraceTag = ptr(tag)
		}
		if err := s.enforcement(enf); err != nil {
			return err
		}
		if m.status == "processed" {
			if err := g.executions(enf, m.rule, age, s); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) enforcementStatus(age int) string {
	r := g.rng.IntN(100)
	switch {
	case age < 15 && r < 30:
		return "created"
	case r < 3:
		return "created"
	case r < 7:
		return "disabled"
	default:
		return "processed"
	}
}

// executionStatus draws a status; recent executions are more often still
// in flight.
func (g *generator) executionStatus(age int) string {
	if age < 30 {
		live := []string{"requested", "scheduling", "scheduled", "running", "running", "canceling", "completed", "failed"}
		return live[g.rng.IntN(len(live))]
	}
	r := g.rng.IntN(1000)
	switch {
	case r < 700:
		return "completed"
	case r < 830:
		return "failed"
	case r < 880:
		return "timeout"
	case r < 910:
		return "cancelled"
	case r < 930:
		return "abandoned"
	case r < 950:
		return "running"
	case r < 962:
		return "requested"
	case r < 974:
		return "scheduling"
	case r < 986:
		return "scheduled"
	default:
		return "canceling"
	}
}

func (g *generator) executions(enf *enforcementRow, rule *ruleDef, age int, s sink) error {
	act := g.cat.actions[rule.action]
	status := g.executionStatus(age)
	parent := g.newExecution(act, enf.Config, status, *enf.ResolvedAt+g.rng.Int64N(300_000), enf.TraceTag)
	parent.Enforcement = ptr(enf.ID)
	parent.RuleRef = ptr(rule.ref)
	parent.TriggerRef = ptr(enf.TriggerRef)
	if err := g.emit(s, parent); err != nil {
		return err
	}
	if act.workflow {
		if err := g.workflowChildren(parent, s); err != nil {
			return err
		}
	}
	// Some failures were retried: a second execution pointing back at the
	// original one.
	if (status == "failed" || status == "timeout") && g.rng.IntN(5) == 0 {
		retryStatus := "completed"
		if g.rng.IntN(3) == 0 {
			retryStatus = "failed"
		}
		retry := g.newExecution(act, enf.Config, retryStatus, parent.Updated+1_000_000+g.rng.Int64N(5_000_000), enf.TraceTag)
		retry.Enforcement = ptr(enf.ID)
		retry.RuleRef = ptr(rule.ref)
		retry.TriggerRef = ptr(enf.TriggerRef)
		retry.OriginalExecution = ptr(parent.ID)
		if err := g.emit(s, retry); err != nil {
			return err
		}
	}
	return nil
}

// workflowChildren emits the task executions of a workflow execution.
func (g *generator) workflowChildren(parent *executionRow, s sink) error {
	tasks := []struct{ name, action string }{
		{"diagnose", "core.http_request"},
		{"restart", "kubernetes.restart_deployment"},
		{"notify", "slack.post_message"},
	}
	var actions = map[string]int64{"core.http_request": 3, "kubernetes.restart_deployment": 10, "slack.post_message": 9}
	at := parent.Created + 150_000
	if parent.StartedAt != nil {
		at = *parent.StartedAt + 100_000
	}
	for i, t := range tasks {
		status := childStatus(parent.Status, i, len(tasks))
		if status == "" {
			break
		}
		act := g.cat.actions[actions[t.action]]
		cfg := mustJSON(map[string]any{"task": t.name, "parent_config": json.RawMessage(parent.Config)})
		child := g.newExecution(act, cfg, status, at, parent.TraceTag)
		child.Parent = ptr(parent.ID)
		child.WorkflowTask = mustJSON(map[string]any{
			"workflow_execution": parent.ID, "task_name": t.name, "task_index": i,
		})
		if err := g.emit(s, child); err != nil {
			return err
		}
		at = child.Updated + 50_000
	}
	return nil
}

// childStatus is the status of task i of n given the workflow's status, or
// "" when the task has not been created yet.
func childStatus(parent string, i, n int) string {
	switch parent {
	case "completed":
		return "completed"
	case "failed", "timeout", "abandoned":
		if i == n-1 {
			return parent
		}
		return "completed"
	case "running", "canceling":
		if i == 0 {
			return "completed"
		}
		if i == 1 {
			return parent
		}
		return ""
	case "cancelled":
		if i == 0 {
			return "completed"
		}
		if i == 1 {
			return "cancelled"
		}
		return ""
	default: // requested, scheduling, scheduled: no tasks yet
		return ""
	}
}

func (g *generator) newExecution(act *actionDef, cfg json.RawMessage, status string, created int64, tag *string) *executionRow {
	ex := &executionRow{
		ID:             g.nextEx,
		Action:         ptr(act.id),
		ActionRef:      act.ref,
		PackName:       packOf(act.ref),
		Config:         cfg,
		Status:         status,
		TraceTag:       tag,
		TimeoutSeconds: ptr(act.timeout),
		Created:        created,
		Updated:        created,
	}
	g.nextEx++
	switch g.rng.IntN(20) {
	case 0, 1:
		ex.Executor = ptr(int64(1))
	case 2:
		ex.Executor = ptr(int64(2))
	}
	if g.rng.IntN(3) == 0 {
		ex.RetentionPolicy = ptr("versions")
		ex.RetentionLimit = ptr(int32(5))
	}
	started := created + 100_000 + g.rng.Int64N(800_000)
	dur := 200_000 + g.rng.Int64N(20_000_000)
	switch status {
	case "requested":
	case "scheduling", "scheduled":
		ex.Updated = created + 50_000 + g.rng.Int64N(100_000)
	case "running", "canceling":
		ex.StartedAt = ptr(started)
		ex.Worker = ptr(1 + g.rng.Int64N(4))
		ex.Updated = started
	case "completed", "failed", "timeout", "cancelled", "abandoned":
		ex.StartedAt = ptr(started)
		ex.Worker = ptr(1 + g.rng.Int64N(4))
		if status == "timeout" {
			dur = int64(act.timeout) * 1_000_000
		}
		ex.Updated = started + dur
		ex.resultMap = g.resultMap(act, status, dur)
		ex.Result = mustJSON(ex.resultMap)
	}
	return ex
}

func (g *generator) result(act *actionDef, status string, dur int64) json.RawMessage {
	m := g.resultMap(act, status, dur)
	if m == nil {
		return nil
	}
	return mustJSON(m)
}

// resultMap is result before marshalling (nil when there is none).
func (g *generator) resultMap(act *actionDef, status string, dur int64) map[string]any {
	ms := dur / 1000
	switch status {
	case "completed":
		return map[string]any{
			"exit_code": 0, "succeeded": true, "duration_ms": ms, "stderr": "",
			"stdout": fmt.Sprintf("%s finished OK ✓\n", act.ref),
		}
	case "failed":
		errs := []string{
			"HTTP 502 Bad Gateway from upstream",
			"permission denied: serviceaccount lacks deployments/patch",
			"connection refused (os error 111)",
			"KeyError: 'incident'",
			"rate limited by Slack API (retry after 30s)",
		}
		msg := errs[g.rng.IntN(len(errs))]
		return map[string]any{
			"exit_code": 1, "succeeded": false, "duration_ms": ms, "error": msg,
			"stdout": "", "stderr": "Traceback (most recent call last):\n  File \"action.py\", line 42, in run\n" + msg + "\n",
		}
	case "timeout":
		return map[string]any{
			"succeeded": false, "error": fmt.Sprintf("Execution timed out after %d seconds", act.timeout),
		}
	case "cancelled":
		return map[string]any{"succeeded": false, "error": "Execution cancelled by user demo"}
	case "abandoned":
		return map[string]any{"succeeded": false, "error": "Worker heartbeat lost; execution abandoned"}
	}
	return nil
}

// packOf returns the pack part of a ref ("core" for "core.echo").
func packOf(ref string) string {
	for i := 0; i < len(ref); i++ {
		if ref[i] == '.' {
			return ref[:i]
		}
	}
	return ref
}
