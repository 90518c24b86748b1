package devserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestNotifierHealthStats checks /health and /stats (NOTIFIER.md §1).
func TestNotifierHealthStats(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	base := "http" + e.wsURL[len("ws"):len(e.wsURL)-len("/ws")]
	req, _ := http.NewRequestWithContext(testCtx(t), http.MethodGet, base+"/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"status":"ok"}` {
		t.Fatalf("health: %d %s", resp.StatusCode, b)
	}
	if c, s := e.stats(t); c != 0 || s != 0 {
		t.Fatalf("stats before: %d %d", c, s)
	}
	w := e.dial(t, e.token)
	w.subscribe("all")
	w.subscribe("all") // duplicate: a no-op
	w.subscribe("entity_type:event")
	w.send(`{"type":"unsubscribe","filter":"entity_type:nothing"}`) // unknown: a no-op
	w.sync()
	if c, s := e.stats(t); c != 1 || s != 2 {
		t.Fatalf("stats: %d clients %d subscriptions, want 1 and 2", c, s)
	}
}

// TestNotifierAuth covers §2: token forms, accepted and rejected token
// types, rejection bodies.
func TestNotifierAuth(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	hour := time.Hour
	access := e.token
	tests := []struct {
		name      string
		url       string // "" = /ws
		auth      string
		protos    []string
		status    int // 0 = accepted
		errCode   string
		wantProto string
	}{
		{name: "header bearer", auth: "Bearer " + access},
		{name: "scheme case-insensitive", auth: "bEaReR " + access},
		{name: "subprotocol", protos: []string{"attune.v1", "attune.jwt." + access}, wantProto: "attune.v1"},
		{name: "header wins over subprotocol", auth: "Bearer " + access, protos: []string{"attune.v1", "attune.jwt.garbage"}, wantProto: "attune.v1"},
		{name: "header wins even when bad", auth: "Bearer garbage", protos: []string{"attune.v1", "attune.jwt." + access}, status: 401, errCode: "invalid_or_expired_token"},
		{name: "query string ignored", url: e.wsURL + "?token=" + access, status: 401, errCode: "missing_token"},
		{name: "missing", status: 401, errCode: "missing_token"},
		{name: "garbage", auth: "Bearer not.a.jwt", status: 401, errCode: "invalid_or_expired_token"},
		{name: "expired", auth: "Bearer " + e.mint(t, tokenAccess, "1", -time.Minute, nil), status: 401, errCode: "invalid_or_expired_token"},
		{name: "refresh", auth: "Bearer " + e.mint(t, tokenRefresh, "1", hour, nil), status: 401, errCode: "refresh_tokens_not_allowed"},
		{name: "worker", auth: "Bearer " + e.mint(t, tokenWorker, "1", hour, nil), status: 401, errCode: "worker_tokens_not_allowed"},
		{name: "bad subject", auth: "Bearer " + e.mint(t, tokenAccess, "demo", hour, nil), status: 401, errCode: "invalid_subject_in_token"},
		{name: "unknown identity", auth: "Bearer " + e.mint(t, tokenAccess, "99", hour, nil), status: 500, errCode: "permission_lookup_failed"},
		{name: "execution token", auth: "Bearer " + e.mint(t, tokenExecution, "1", hour, func(c *notifierClaims) { c.ExecutionID = 7 })},
		{name: "sensor token", auth: "Bearer " + e.mint(t, tokenSensor, "1", hour, func(c *notifierClaims) { c.TriggerTypes = []string{"core.webhook"} })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, resp, err := e.dialRaw(t, tc.url, tc.auth, tc.protos...)
			if tc.status == 0 {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				if c.Subprotocol() != tc.wantProto {
					t.Fatalf("subprotocol %q, want %q", c.Subprotocol(), tc.wantProto)
				}
				w := &wsTestConn{tb: t, conn: c}
				if m := w.read(); m["type"] != "welcome" {
					t.Fatalf("first frame %v", m)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted, want a rejection")
			}
			if resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("response %v, want %d", resp, tc.status)
			}
			b, _ := io.ReadAll(resp.Body)
			if want := `{"error":"` + tc.errCode + `"}`; strings.TrimSpace(string(b)) != want {
				t.Fatalf("body %s, want %s", b, want)
			}
		})
	}
}

// TestNotifierWelcome covers §4's first frame and §3's "nothing until
// subscribe".
func TestNotifierWelcome(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	w1 := e.dial(t, e.token)
	w2 := e.dial(t, e.token)
	if !strings.HasPrefix(w1.id, "client_") || w1.id == w2.id {
		t.Fatalf("client ids %q %q", w1.id, w2.id)
	}
	e.step(t)
	e.step(t)
	if got := w1.sync(); len(got) != 0 {
		t.Fatalf("unsubscribed socket got %v", got)
	}
}

// TestNotifierClientMessages covers §3: errors keep the socket open, ping
// is not answered, binary frames are ignored.
func TestNotifierClientMessages(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	w := e.dial(t, e.token)
	tests := []struct {
		msg, wantPrefix string
	}{
		{`not json`, "Malformed message: "},
		{`{"type":"shout"}`, "Malformed message: unknown variant `shout`"},
		{`{"filter":"all"}`, "Malformed message: missing field `type`"},
		{`{"type":"subscribe"}`, "Malformed message: missing field `filter`"},
		{`{"type":"subscribe","filter":"bogus:1"}`, "Invalid filter 'bogus:1': "},
		{`{"type":"subscribe","filter":"entity_type"}`, "Invalid filter 'entity_type': "},
		{`{"type":"subscribe","filter":"entity_type:"}`, "Invalid filter 'entity_type:': "},
		{`{"type":"subscribe","filter":"entity:execution"}`, "Invalid filter 'entity:execution': "},
		{`{"type":"subscribe","filter":"entity:execution:x"}`, "Invalid filter 'entity:execution:x': "},
		{`{"type":"subscribe","filter":"Entity_type:event"}`, "Invalid filter 'Entity_type:event': "}, // case-sensitive
		{`{"type":"unsubscribe","filter":"nope"}`, "Invalid filter 'nope': "},
	}
	for _, tc := range tests {
		w.send(tc.msg)
		m := w.read()
		msg, _ := m["message"].(string)
		if m["type"] != "error" || !strings.HasPrefix(msg, tc.wantPrefix) || len(m) != 2 {
			t.Errorf("%s: got %v, want error %q…", tc.msg, m, tc.wantPrefix)
		}
	}
	// ping: no answer; binary: ignored; the socket still works.
	w.send(`{"type":"ping"}`)
	if err := w.conn.Write(testCtx(t), websocket.MessageBinary, []byte(`{"type":"subscribe","filter":"all"}`)); err != nil {
		t.Fatal(err)
	}
	w.subscribe("entity_type:event")
	if got := w.sync(); len(got) != 0 {
		t.Fatalf("ping or subscribe answered: %v", got)
	}
	e.step(t)
	got := w.sync()
	if len(got) != 1 || got[0]["notification_type"] != NoteEventCreated {
		t.Fatalf("after errors: %v", got)
	}
	// Protocol pings are answered.
	if err := w.ping(); err != nil {
		t.Fatalf("ping: %v", err)
	}
}

// wantKeys lists the full and compact payload keys of §4.
var wantKeys = map[string][2][]string{
	NoteEventCreated: {
		{"entity_type", "entity_id", "id", "trigger", "trigger_ref", "source", "source_ref", "rule", "rule_ref", "trace_tag", "has_payload", "created", "auth_mode"},
		{"entity_type", "entity_id", "id", "trigger_ref", "rule_ref", "trace_tag", "auth_mode"}},
	NoteEnforcementCreated: {
		{"entity_type", "entity_id", "id", "rule", "rule_ref", "trigger_ref", "event", "status", "trace_tag", "condition", "created", "resolved_at", "auth_mode"},
		{"entity_type", "entity_id", "id", "rule", "rule_ref", "trigger_ref", "event", "status", "trace_tag", "auth_mode"}},
	NoteEnforcementStatusChanged: {
		{"entity_type", "entity_id", "id", "rule", "rule_ref", "trigger_ref", "event", "status", "trace_tag", "condition", "created", "resolved_at", "auth_mode", "old_status"},
		{"entity_type", "entity_id", "id", "rule", "rule_ref", "trigger_ref", "event", "status", "trace_tag", "auth_mode", "old_status"}},
	NoteExecutionCreated: {
		{"entity_type", "entity_id", "id", "action_id", "action_ref", "status", "trace_tag", "enforcement", "rule_ref", "trigger_ref", "parent", "started_at", "workflow_task", "created", "updated", "auth_mode"},
		{"entity_type", "entity_id", "id", "status", "trace_tag", "auth_mode"}},
	NoteExecutionStatusChanged: {
		{"entity_type", "entity_id", "id", "action_id", "action_ref", "status", "trace_tag", "enforcement", "rule_ref", "trigger_ref", "parent", "started_at", "workflow_task", "created", "updated", "auth_mode", "old_status"},
		{"entity_type", "entity_id", "id", "status", "trace_tag", "auth_mode", "old_status"}},
	NoteWorkflowExecStatusChanged: {
		{"entity_type", "entity_id", "id", "action_ref", "status", "old_status", "workflow_def", "parent", "created", "updated"},
		nil},
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sorted(ks []string) []string {
	out := slices.Clone(ks)
	sort.Strings(out)
	return out
}

// checkFrame checks a notification frame's envelope against its payload
// and the payload's keys against §4 (compact selects the compact form).
func checkFrame(t *testing.T, m map[string]any, compact bool) {
	t.Helper()
	typ, _ := m["notification_type"].(string)
	p, ok := m["payload"].(map[string]any)
	if !ok || m["type"] != "notification" {
		t.Fatalf("not a notification: %v", m)
	}
	if got := keysOf(m); !slices.Equal(got, []string{"entity_id", "entity_type", "notification_type", "payload", "timestamp", "type", "user_id"}) {
		t.Fatalf("envelope keys %v", got)
	}
	if m["entity_type"] != p["entity_type"] || m["entity_id"] != p["entity_id"] || m["user_id"] != nil || p["id"] != p["entity_id"] {
		t.Fatalf("envelope %v does not match payload", m)
	}
	if _, err := time.Parse(time.RFC3339Nano, m["timestamp"].(string)); err != nil {
		t.Fatalf("timestamp: %v", err)
	}
	want, ok := wantKeys[typ]
	if !ok {
		t.Fatalf("unexpected type %q", typ)
	}
	keys, mode := want[0], "full"
	if compact && want[1] != nil {
		keys, mode = want[1], "deferred"
	}
	if got := keysOf(p); !slices.Equal(got, sorted(keys)) {
		t.Fatalf("%s payload keys %v, want %v", typ, got, sorted(keys))
	}
	if typ != NoteWorkflowExecStatusChanged && p["auth_mode"] != mode {
		t.Fatalf("%s auth_mode %v, want %s", typ, p["auth_mode"], mode)
	}
	if old, ok := p["old_status"]; ok && old == p["status"] {
		t.Fatalf("%s without a real change: %v", typ, p)
	}
	if c, ok := p["created"].(string); ok {
		if _, err := time.Parse(time.RFC3339Nano, c); err != nil {
			t.Fatalf("created %q: %v", c, err)
		}
	}
}

// collectTypes runs live steps until every type of wantKeys was received
// by w (subscribed to all), checking every frame; it returns the frames.
func collectTypes(t *testing.T, e *notifierEnv, w *wsTestConn, compact bool) []map[string]any {
	t.Helper()
	seen := map[string]int{}
	var all []map[string]any
	for i := 0; i < 400 && len(seen) < len(wantKeys); i++ {
		e.step(t)
		for _, m := range w.sync() {
			checkFrame(t, m, compact)
			seen[m["notification_type"].(string)]++
			all = append(all, m)
		}
	}
	if len(seen) < len(wantKeys) {
		t.Fatalf("after 400 steps saw only %v", seen)
	}
	return all
}

// TestNotifierNotificationTypes: every change of the live generator is
// published with the §4 envelope and payload keys, in order, with a
// workflow change sent as both execution_status_changed and
// workflow_execution_status_changed.
func TestNotifierNotificationTypes(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	w := e.dial(t, e.token)
	w.subscribe("all")
	w.sync()
	all := collectTypes(t, e, w, false)
	for i, m := range all {
		if m["notification_type"] != NoteWorkflowExecStatusChanged {
			continue
		}
		prev := all[i-1]
		if prev["notification_type"] != NoteExecutionStatusChanged || id(prev) != id(m) {
			t.Fatalf("workflow change not preceded by its execution change: %v then %v", prev, m)
		}
	}
	// Each notification matches the row served over REST afterwards, or
	// an earlier state of it.
	var ex struct {
		Data struct {
			Status string `json:"status"`
		} `json:"data"`
	}
	last := all[len(all)-1]
	for _, m := range slices.Backward(all) {
		if m["entity_type"] == "execution" {
			last = m
			break
		}
	}
	e.getJSON(t, "/api/v1/executions/"+itoa(id(last)), &ex)
	if p := last["payload"].(map[string]any); ex.Data.Status != p["status"] {
		t.Fatalf("REST status %s, last notification %v", ex.Data.Status, p["status"])
	}
}

// TestNotifierFilters covers §3's filter table and that filters OR.
func TestNotifierFilters(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	all := e.dial(t, e.token)
	all.subscribe("all")
	all.sync()
	type sock struct {
		filters []string
		w       *wsTestConn
		match   func(m map[string]any) bool
	}
	var execID int64
	socks := []*sock{
		{filters: []string{"entity_type:execution"}, match: func(m map[string]any) bool { return m["entity_type"] == "execution" }},
		{filters: []string{"notification_type:enforcement_status_changed"}, match: func(m map[string]any) bool {
			return m["notification_type"] == NoteEnforcementStatusChanged
		}},
		{filters: []string{"entity_type:event", "notification_type:event_created"}, match: func(m map[string]any) bool { // ORed: once each
			return m["entity_type"] == "event"
		}},
		{filters: []string{"trigger_ref:core.webhook", "user:1", "trigger_ref:core.webhook:extra"}, match: func(map[string]any) bool { return false }},
	}
	for _, s := range socks {
		s.w = e.dial(t, e.token)
		for _, f := range s.filters {
			s.w.subscribe(f)
		}
		s.w.sync()
	}
	var one *wsTestConn
	var frames []map[string]any
	for i := 0; i < 12; i++ {
		e.step(t)
		got := all.sync()
		frames = append(frames, got...)
		for _, s := range socks {
			var want []map[string]any
			for _, m := range got {
				if s.match(m) {
					want = append(want, m)
				}
			}
			have := s.w.sync()
			if len(have) != len(want) {
				t.Fatalf("filters %v: got %d frames, want %d", s.filters, len(have), len(want))
			}
			for j := range have {
				if have[j]["notification_type"] != want[j]["notification_type"] || id(have[j]) != id(want[j]) {
					t.Fatalf("filters %v: frame %d %v, want %v", s.filters, j, have[j], want[j])
				}
			}
		}
		if one == nil {
			for _, m := range got {
				if m["notification_type"] == NoteExecutionCreated {
					execID = id(m)
					one = e.dial(t, e.token)
					one.subscribe("entity:execution:" + itoa(execID))
					one.sync()
					break
				}
			}
			continue
		}
		for _, m := range one.sync() {
			if m["entity_type"] != "execution" || id(m) != execID {
				t.Fatalf("entity:execution:%d got %v", execID, m)
			}
			frames = append(frames[:0], m)
		}
	}
	if one == nil || len(frames) == 0 {
		t.Fatal("no execution changes seen")
	}
	// Unsubscribe stops delivery.
	all.send(`{"type":"unsubscribe","filter":"all"}`)
	all.sync()
	e.step(t)
	if got := all.sync(); len(got) != 0 {
		t.Fatalf("after unsubscribe: %v", got)
	}
}

// TestNotifierTokenGrants: sensor tokens may subscribe only to trigger_ref
// of their trigger_types; execution tokens only see their execution.
func TestNotifierTokenGrants(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	sensor := e.dial(t, e.mint(t, tokenSensor, "1", time.Hour, func(c *notifierClaims) { c.TriggerTypes = []string{"core.webhook"} }))
	for _, f := range []string{"all", "entity_type:event", "trigger_ref:github.push"} {
		sensor.subscribe(f)
		if m := sensor.read(); m["type"] != "error" || m["message"] != "Unauthorized to subscribe to requested filter" {
			t.Fatalf("sensor %s: %v", f, m)
		}
	}
	sensor.subscribe("trigger_ref:core.webhook")
	if got := sensor.sync(); len(got) != 0 {
		t.Fatalf("sensor trigger_ref: %v", got)
	}

	all := e.dial(t, e.token)
	all.subscribe("entity_type:execution")
	all.sync()
	var target int64
	for i := 0; i < 40 && target == 0; i++ {
		e.step(t)
		for _, m := range all.sync() {
			if m["notification_type"] == NoteExecutionCreated {
				target = id(m)
			}
		}
	}
	if target == 0 {
		t.Fatal("no execution created")
	}
	ex := e.dial(t, e.mint(t, tokenExecution, "1", time.Hour, func(c *notifierClaims) { c.ExecutionID = target }))
	ex.subscribe("all")
	if m := ex.read(); m["type"] != "error" || m["message"] != "Unauthorized to subscribe to requested filter" {
		t.Fatalf("execution token all: %v", m)
	}
	ex.subscribe("entity_type:execution")
	ex.subscribe("entity_type:event")
	ex.sync()
	got := 0
	for i := 0; i < 6; i++ {
		e.step(t)
		all.sync()
		for _, m := range ex.sync() {
			if id(m) != target {
				t.Fatalf("execution token for %d got %v", target, m)
			}
			got++
		}
		_ = sensor.sync() // nothing for a sensor: no rule lifecycle changes here
	}
	if got == 0 {
		t.Fatalf("execution token saw none of execution %d's changes", target)
	}
}

// TestNotifierCompact covers §5: the guard's threshold, and compact
// payloads end to end for every type with a compact form.
func TestNotifierCompact(t *testing.T) {
	t.Parallel()
	t.Run("threshold", func(t *testing.T) {
		t.Parallel()
		at := func(n int) notification {
			full := `{"k":"` + strings.Repeat("x", n-8) + `"}`
			return notification{full: json.RawMessage(full), compact: json.RawMessage(`{"c":1}`)}
		}
		if n := at(7000); len(n.full) != 7000 || string(n.payload(false)) != string(n.full) {
			t.Fatalf("7000 bytes: want full")
		}
		if n := at(7001); string(n.payload(false)) != `{"c":1}` {
			t.Fatalf("7001 bytes: want compact")
		}
		if n := at(100); string(n.payload(true)) != `{"c":1}` {
			t.Fatalf("compact only: want compact")
		}
		wf := notification{full: json.RawMessage(strings.Repeat(" ", 9000))} // no compact form
		if len(wf.payload(true)) != 9000 {
			t.Fatal("a type without a compact form must stay full")
		}
	})
	t.Run("big row end to end", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{})
		w := e.dial(t, e.token)
		w.subscribe("all")
		w.sync()
		// An execution whose full payload passes 7000 bytes (a long
		// trace tag) goes out compact, with its tag.
		tag := strings.Repeat("t", 7100)
		ctx := context.Background()
		if _, err := e.srv.db.ExecContext(ctx, `UPDATE execution SET trace_tag = ? WHERE id = 1`, tag); err != nil {
			t.Fatal(err)
		}
		tx, err := e.srv.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM execution WHERE id = 1`).Scan(&status); err != nil {
			t.Fatal(err)
		}
		ns, err := executionNotes(ctx, tx, 1, status+"-before")
		_ = tx.Rollback()
		if err != nil {
			t.Fatal(err)
		}
		e.srv.hub.publish(e.srv, ns)
		got := w.sync()
		if len(got) != 1 {
			t.Fatalf("got %v", got)
		}
		checkFrame(t, got[0], true)
		if p := got[0]["payload"].(map[string]any); p["trace_tag"] != tag {
			t.Fatal("compact payload lost its trace tag")
		}
	})
	t.Run("compact only fault", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{Faults: Faults{NotifierCompactOnly: true}})
		w := e.dial(t, e.token)
		w.subscribe("all")
		w.sync()
		collectTypes(t, e, w, true)
	})
}

// TestNotifierExpiry covers §2's 4401: not before exp, at once after it
// on the next check, and through the periodic check.
func TestNotifierExpiry(t *testing.T) {
	t.Parallel()
	t.Run("check", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{AccessTTL: time.Minute, NotifierExpiryCheck: time.Hour})
		w := e.dial(t, e.token)
		w.subscribe("entity_type:event")
		w.sync()
		e.clock.advance(59 * time.Second)
		e.srv.CheckNotifierExpiry()
		e.step(t) // 60 s: exp reached, but the socket lives until the next check
		if got := w.sync(); len(got) != 1 {
			t.Fatalf("before the check: %v", got)
		}
		e.srv.CheckNotifierExpiry()
		_, err := w.tryRead()
		if code := websocket.CloseStatus(err); code != 4401 {
			t.Fatalf("close %v, want 4401", err)
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) || ce.Reason != "token expired" {
			t.Fatalf("reason: %v", err)
		}
	})
	t.Run("periodic", func(t *testing.T) {
		t.Parallel()
		e := startNotifierEnv(t, Options{AccessTTL: time.Minute, NotifierExpiryCheck: time.Millisecond})
		w := e.dial(t, e.token)
		e.clock.advance(2 * time.Minute)
		_, err := w.tryRead()
		if code := websocket.CloseStatus(err); code != 4401 {
			t.Fatalf("close %v, want 4401", err)
		}
	})
}

// TestNotifierNoReplay covers §7: a new socket gets nothing published
// before it subscribed.
func TestNotifierNoReplay(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	early := e.dial(t, e.token)
	early.subscribe("all")
	early.sync()
	e.step(t)
	e.step(t)
	before := early.sync()
	if len(before) == 0 {
		t.Fatal("no traffic")
	}
	late := e.dial(t, e.token)
	late.subscribe("all")
	if got := late.sync(); len(got) != 0 {
		t.Fatalf("replayed: %v", got)
	}
	e.step(t)
	a, b := early.sync(), late.sync()
	if len(a) != len(b) || len(b) == 0 {
		t.Fatalf("after: early %d late %d", len(a), len(b))
	}
	// Reconnecting (same token) replays nothing either.
	_ = early.conn.CloseNow()
	again := e.dial(t, e.token)
	again.subscribe("all")
	if got := again.sync(); len(got) != 0 {
		t.Fatalf("replayed after reconnect: %v", got)
	}
}

// TestNotifierSlowSubscriber: a socket whose queue fills is dropped and
// publish never blocks.
func TestNotifierSlowSubscriber(t *testing.T) {
	t.Parallel()
	s := &Server{hub: newHub(), faults: newFaultState(Faults{}), opts: Options{Now: time.Now}}
	c := &wsClient{s: s, subs: map[string]subFilter{"all": {kind: "all"}}, send: make(chan []byte, notifierQueue),
		done: make(chan struct{})}
	if !s.hub.register(c) {
		t.Fatal("register")
	}
	sub := &sseSub{ch: make(chan json.RawMessage, notifierQueue), dropped: make(chan struct{})}
	s.hub.sse[sub] = struct{}{}
	n := notification{Type: NoteExecutionCreated, EntityType: "execution", EntityID: 1, full: json.RawMessage(`{}`)}
	for i := 0; i < notifierQueue+1; i++ {
		s.hub.publish(s, []notification{n})
	}
	select {
	case <-c.done:
	default:
		t.Fatal("slow socket not dropped")
	}
	select {
	case <-sub.dropped:
	default:
		t.Fatal("slow execution stream not dropped")
	}
	if len(s.hub.snapshot()) != 0 || len(s.hub.sse) != 0 {
		t.Fatal("slow subscribers still registered")
	}
}

// TestRenotify: the storm reaches a subscriber as that many status-change
// notifications of existing executions, from and to the same status.
func TestRenotify(t *testing.T) {
	t.Parallel()
	e := startNotifierEnv(t, Options{})
	w := e.dial(t, e.token)
	w.subscribe("entity_type:execution")
	w.sync()
	n, err := e.srv.Renotify(context.Background(), 5)
	if err != nil || n != 5 {
		t.Fatalf("Renotify = %d, %v", n, err)
	}
	got := w.sync()
	if len(got) != 5 {
		t.Fatalf("got %d notifications, want 5: %v", len(got), got)
	}
	for _, m := range got {
		p, _ := m["payload"].(map[string]any)
		if m["notification_type"] != NoteExecutionStatusChanged || p["status"] == nil || p["status"] != p["old_status"] {
			t.Fatalf("notification %v: want a status change from and to the same status", m)
		}
	}
}
