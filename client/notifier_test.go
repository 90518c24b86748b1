package client_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/attune-tui/attune-tui/client"
)

// fakeNotifier serves /ws as NOTIFIER.md §2–§4 describe, closely enough
// to drive the client: token checks at the handshake, a welcome frame,
// subscribe messages recorded, frames sent on demand.
type fakeNotifier struct {
	t     *testing.T
	srv   *httptest.Server
	valid func() string // the token accepted now

	conns      chan *fakeConn
	pings      chan struct{}
	handshakes atomic.Int32
	refusals   atomic.Int32
	// refuseAll answers every handshake with 401 invalid_or_expired_token.
	refuseAll atomic.Bool
	// dropHeader ignores the Authorization header, like a proxy that
	// strips it.
	dropHeader bool
	// status, when set, answers every handshake with it (and a JSON body).
	status atomic.Int32
	// noPong leaves protocol Pings unanswered, like a dead peer.
	noPong atomic.Bool

	stop chan struct{} // closed at cleanup: handlers stop handing out connections

	mu   sync.Mutex
	open []*websocket.Conn
}

// fakeConn is one accepted connection.
type fakeConn struct {
	ws          *websocket.Conn
	token       string
	subprotocol string
	msgs        chan map[string]string
}

func newFakeNotifier(t *testing.T, valid func() string) *fakeNotifier {
	t.Helper()
	return startFakeNotifier(t, valid, httptest.NewServer)
}

// startFakeNotifier starts the fake with newServer (httptest.NewServer or
// httptest.NewTLSServer).
func startFakeNotifier(t *testing.T, valid func() string, newServer func(http.Handler) *httptest.Server) *fakeNotifier {
	t.Helper()
	f := &fakeNotifier{t: t, valid: valid, conns: make(chan *fakeConn, 16), pings: make(chan struct{}, 64), stop: make(chan struct{})}
	f.srv = newServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		close(f.stop)
		f.mu.Lock()
		for _, c := range f.open {
			_ = c.CloseNow()
		}
		f.mu.Unlock()
		f.srv.Close()
	})
	return f
}

// url is the notifier's ws:// URL.
func (f *fakeNotifier) url() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws" }

func (f *fakeNotifier) serve(w http.ResponseWriter, r *http.Request) {
	f.handshakes.Add(1)
	if r.URL.Path != "/ws" {
		http.NotFound(w, r)
		return
	}
	if st := f.status.Load(); st != 0 {
		writeJSON(w, int(st), []byte(`{"error":"role_lookup_failed"}`))
		return
	}
	token, sub := "", ""
	if h := r.Header.Get("Authorization"); h != "" && !f.dropHeader {
		if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "bearer") {
			token = tok
		}
	}
	if token == "" {
		for _, p := range strings.Split(r.Header.Get("Sec-WebSocket-Protocol"), ",") {
			if tok, ok := strings.CutPrefix(strings.TrimSpace(p), "attune.jwt."); ok {
				token, sub = tok, "attune.v1"
			}
		}
	}
	switch {
	case token == "":
		f.refusals.Add(1)
		writeJSON(w, 401, []byte(`{"error":"missing_token"}`))
		return
	case token != f.valid() || f.refuseAll.Load():
		f.refusals.Add(1)
		writeJSON(w, 401, []byte(`{"error":"invalid_or_expired_token"}`))
		return
	}
	opts := &websocket.AcceptOptions{OnPingReceived: func(context.Context, []byte) bool {
		select {
		case f.pings <- struct{}{}:
		default:
		}
		return !f.noPong.Load()
	}}
	if sub != "" {
		opts.Subprotocols = []string{sub}
	}
	ws, err := websocket.Accept(w, r, opts)
	if err != nil {
		f.t.Errorf("accept: %v", err)
		return
	}
	f.mu.Lock()
	f.open = append(f.open, ws)
	f.mu.Unlock()
	defer func() { _ = ws.CloseNow() }()
	fc := &fakeConn{ws: ws, token: token, subprotocol: ws.Subprotocol(), msgs: make(chan map[string]string, 256)}
	ctx := r.Context()
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"welcome","client_id":"client_7","message":"Connected to Attune Notifier"}`)); err != nil {
		return
	}
	select {
	case f.conns <- fc:
	case <-f.stop:
		return
	}
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			_ = ws.Write(ctx, websocket.MessageText, []byte(`{"type":"error","message":"Malformed message: bad json"}`))
			continue
		}
		if strings.HasPrefix(m["filter"], "user:") {
			_ = ws.Write(ctx, websocket.MessageText, []byte(`{"type":"error","message":"Unauthorized to subscribe to requested filter"}`))
		}
		fc.msgs <- m
	}
}

// conn waits for the next accepted connection.
func (f *fakeNotifier) conn(t *testing.T) *fakeConn {
	t.Helper()
	select {
	case c := <-f.conns:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no notifier connection")
		return nil
	}
}

// send writes a text frame.
func (c *fakeConn) send(t *testing.T, frame string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		t.Fatalf("server write: %v", err)
	}
}

// sync returns once the client has read every frame sent before: its
// reader answers a Ping only after the frames ahead of it.
func (c *fakeConn) sync(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := c.ws.Ping(ctx); err != nil {
		t.Fatalf("server ping: %v", err)
	}
}

// expectMsg waits for the next client message and compares it.
func (c *fakeConn) expectMsg(t *testing.T, typ, filter string) {
	t.Helper()
	select {
	case m := <-c.msgs:
		if m["type"] != typ || m["filter"] != filter {
			t.Fatalf("client sent %v, want %s %s", m, typ, filter)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("client did not send %s %s", typ, filter)
	}
}

// nextEvent waits for the notifier's next event.
func nextEvent(t *testing.T, n interface {
	Next(context.Context) (client.LiveEvent, error)
}) client.LiveEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	ev, err := n.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return ev
}

// expectKind waits for the next event and checks its kind.
func expectKind(t *testing.T, n interface {
	Next(context.Context) (client.LiveEvent, error)
}, k client.LiveEventKind) client.LiveEvent {
	t.Helper()
	ev := nextEvent(t, n)
	if ev.Kind != k {
		t.Fatalf("event %v (%+v), want %v", ev.Kind, ev, k)
	}
	return ev
}

// finalErr waits for Next to fail and returns the error.
func finalErr(t *testing.T, n *client.Notifier) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for {
		ev, err := n.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				t.Fatal("notifier did not give up")
			}
			return err
		}
		_ = ev
	}
}

// fastNotifier are options for tests: millisecond backoff.
func fastNotifier(filters ...client.Filter) *client.NotifierOptions {
	return &client.NotifierOptions{Filters: filters, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
}

// startNotifier starts a notifier and closes it at cleanup.
func startNotifier(t *testing.T, c *client.Client, url string, o *client.NotifierOptions) *client.Notifier {
	t.Helper()
	n, err := client.NewNotifier(t.Context(), c, url, o)
	if err != nil {
		t.Fatalf("NewNotifier: %v", err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// connected consumes Connected and Welcome.
func connected(t *testing.T, n *client.Notifier) {
	t.Helper()
	expectKind(t, n, client.LiveConnected)
	if ev := expectKind(t, n, client.LiveWelcome); ev.ClientID != "client_7" {
		t.Errorf("ClientID = %q", ev.ClientID)
	}
	if s := n.State(); s != client.LiveStateLive {
		t.Errorf("State = %v", s)
	}
}

func TestNotifierSubscribeAndErrors(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFakeNotifier(t, func() string { return testToken })
	n := startNotifier(t, c, f.url(), fastNotifier(client.FilterEntityType("enforcement"), client.FilterEntity("execution", 9937)))
	fc := f.conn(t)
	if fc.token != testToken || fc.subprotocol != "" {
		t.Errorf("token %q subprotocol %q: want the header form", fc.token, fc.subprotocol)
	}
	fc.expectMsg(t, "subscribe", "entity_type:enforcement")
	fc.expectMsg(t, "subscribe", "entity:execution:9937")
	connected(t, n)

	if err := n.Subscribe(client.FilterNotificationType(client.NotifyExecutionStatusChanged)); err != nil {
		t.Fatal(err)
	}
	fc.expectMsg(t, "subscribe", "notification_type:execution_status_changed")
	if err := n.Subscribe(client.FilterEntityType("enforcement")); err != nil { // duplicate: not sent again
		t.Fatal(err)
	}
	if err := n.Unsubscribe(client.FilterEntity("execution", 9937)); err != nil {
		t.Fatal(err)
	}
	fc.expectMsg(t, "unsubscribe", "entity:execution:9937")
	if err := n.Unsubscribe("entity_type:nothing"); err != nil {
		t.Fatal(err)
	}
	want := []client.Filter{"entity_type:enforcement", "notification_type:execution_status_changed"}
	if got := n.Filters(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Filters = %v, want %v", got, want)
	}

	// The server's error frames arrive as events; the connection stays.
	if err := n.Subscribe("user:5"); err != nil {
		t.Fatal(err)
	}
	fc.expectMsg(t, "subscribe", "user:5")
	if ev := expectKind(t, n, client.LiveServerError); ev.Message != "Unauthorized to subscribe to requested filter" {
		t.Errorf("Message = %q", ev.Message)
	}

	for _, bad := range []client.Filter{"", "everything", "entity_type:", "trigger_ref:a:b", "entity:execution", "entity:execution:x", "user:me", "nope:x", "entity_type:a\nb"} {
		if err := n.Subscribe(bad); !errors.Is(err, client.ErrInvalidArgument) {
			t.Errorf("Subscribe(%q) = %v, want ErrInvalidArgument", bad, err)
		}
	}
	if _, err := client.NewNotifier(t.Context(), c, f.url(), &client.NotifierOptions{Filters: []client.Filter{"x"}}); !errors.Is(err, client.ErrInvalidArgument) {
		t.Errorf("NewNotifier with a bad filter = %v", err)
	}
	for _, u := range []string{"ftp://h/ws", "ws:///ws", "ws://u:p@h/ws", "::"} {
		if _, err := client.NewNotifier(t.Context(), c, u, nil); !errors.Is(err, client.ErrInvalidArgument) {
			t.Errorf("NewNotifier(%q) = %v", u, err)
		}
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Next(t.Context()); !errors.Is(err, client.ErrLiveClosed) {
		t.Errorf("Next after Close = %v", err)
	}
	if err := n.Subscribe(client.FilterAll); !errors.Is(err, client.ErrLiveClosed) {
		t.Errorf("Subscribe after Close = %v", err)
	}
	if s := n.State(); s != client.LiveStateClosed {
		t.Errorf("State = %v", s)
	}
}

// notificationFrames are one full and (where one exists) one compact frame
// of every notification type of NOTIFIER.md §4.
var notificationFrames = []struct {
	name    string
	frame   string
	compact bool
	check   func(t *testing.T, n *client.Notification)
}{
	{"event full", `{"type":"notification","notification_type":"event_created","entity_type":"event","entity_id":4811,"user_id":null,"timestamp":"2026-06-11T14:02:41.140123456Z","payload":{"entity_type":"event","entity_id":4811,"id":4811,"trigger":3,"trigger_ref":"monitoring.http_alert","source":null,"source_ref":null,"rule":null,"rule_ref":null,"trace_tag":"monitoring.http_alert.4811","has_payload":true,"created":"2026-06-11T14:02:41.13244+00:00","auth_mode":"full"}}`, false,
		func(t *testing.T, n *client.Notification) {
			e := n.Event
			if e == nil || e.ID != 4811 || *e.Trigger != 3 || e.TriggerRef != "monitoring.http_alert" || !e.HasPayload || e.Source != nil || *e.TraceTag != "monitoring.http_alert.4811" || e.Created == nil {
				t.Errorf("event = %+v", e)
			}
			if want := time.Date(2026, 6, 11, 14, 2, 41, 140123456, time.UTC); !n.Timestamp.Equal(want) {
				t.Errorf("Timestamp = %v", n.Timestamp)
			}
		}},
	{"event compact", `{"type":"notification","notification_type":"event_created","entity_type":"event","entity_id":4812,"user_id":null,"timestamp":"2026-06-11T14:02:41Z","payload":{"entity_type":"event","entity_id":4812,"id":4812,"trigger_ref":"t","rule_ref":"r","trace_tag":"t.4812","auth_mode":"deferred"}}`, true,
		func(t *testing.T, n *client.Notification) {
			if e := n.Event; e == nil || e.ID != 4812 || e.TriggerRef != "t" || *e.RuleRef != "r" || e.Created != nil || e.AuthMode != "deferred" {
				t.Errorf("event = %+v", e)
			}
		}},
	{"enforcement created", `{"type":"notification","notification_type":"enforcement_created","entity_type":"enforcement","entity_id":2289,"user_id":null,"timestamp":"2026-06-11T14:02:41.140123456Z","payload":{"entity_type":"enforcement","entity_id":2289,"id":2289,"rule":10,"rule_ref":"monitoring.open_incident","trigger_ref":"monitoring.http_alert","event":4811,"status":"created","trace_tag":"monitoring.http_alert.4811","condition":"all","created":"2026-06-11T14:02:41.13244+00:00","resolved_at":null,"auth_mode":"full"}}`, false,
		func(t *testing.T, n *client.Notification) {
			e := n.Enforcement
			if e == nil || e.ID != 2289 || *e.Rule != 10 || e.RuleRef != "monitoring.open_incident" || *e.Event != 4811 || e.Status != client.EnforcementCreated || e.OldStatus != "" || e.Condition != "all" || e.ResolvedAt != nil || e.Created == nil {
				t.Errorf("enforcement = %+v", e)
			}
		}},
	{"enforcement status compact", `{"type":"notification","notification_type":"enforcement_status_changed","entity_type":"enforcement","entity_id":2289,"user_id":null,"timestamp":"2026-06-11T14:02:42Z","payload":{"entity_type":"enforcement","entity_id":2289,"id":2289,"rule":10,"rule_ref":"r","trigger_ref":"t","event":4811,"status":"processed","old_status":"created","trace_tag":"x","auth_mode":"deferred"}}`, true,
		func(t *testing.T, n *client.Notification) {
			if e := n.Enforcement; e == nil || e.Status != client.EnforcementProcessed || e.OldStatus != client.EnforcementCreated || e.Created != nil {
				t.Errorf("enforcement = %+v", e)
			}
		}},
	{"enforcement status full", `{"type":"notification","notification_type":"enforcement_status_changed","entity_type":"enforcement","entity_id":2290,"user_id":null,"timestamp":"2026-06-11T14:02:42Z","payload":{"entity_type":"enforcement","entity_id":2290,"id":2290,"rule":null,"rule_ref":"r","trigger_ref":"t","event":null,"status":"disabled","old_status":"created","trace_tag":null,"condition":"any","created":"2026-06-11T14:02:41+02:00","resolved_at":"2026-06-11T14:02:42+02:00","auth_mode":"full"}}`, false,
		func(t *testing.T, n *client.Notification) {
			e := n.Enforcement
			if e == nil || e.Status != client.EnforcementDisabled || e.Rule != nil || e.ResolvedAt == nil || e.ResolvedAt.UTC().Hour() != 12 {
				t.Errorf("enforcement = %+v", e)
			}
		}},
	{"execution created", `{"type":"notification","notification_type":"execution_created","entity_type":"execution","entity_id":9937,"user_id":null,"timestamp":"2026-06-11T14:02:43Z","payload":{"entity_type":"execution","entity_id":9937,"id":9937,"action_id":5,"action_ref":"core.http","status":"requested","trace_tag":"t.1","enforcement":2289,"rule_ref":null,"trigger_ref":null,"parent":null,"started_at":null,"workflow_task":{"name":"a"},"created":"2026-06-11T14:02:43+00:00","updated":"2026-06-11T14:02:43+00:00","auth_mode":"full"}}`, false,
		func(t *testing.T, n *client.Notification) {
			e := n.Execution
			if e == nil || e.ID != 9937 || *e.ActionID != 5 || e.ActionRef != "core.http" || e.Status != client.ExecutionRequested || *e.Enforcement != 2289 || e.RuleRef != nil || string(e.WorkflowTask) != `{"name":"a"}` || e.Updated == nil {
				t.Errorf("execution = %+v", e)
			}
		}},
	{"execution created compact", `{"type":"notification","notification_type":"execution_created","entity_type":"execution","entity_id":9938,"user_id":null,"timestamp":"2026-06-11T14:02:43Z","payload":{"entity_type":"execution","entity_id":9938,"id":9938,"status":"requested","trace_tag":"t","auth_mode":"deferred"}}`, true,
		func(t *testing.T, n *client.Notification) {
			if e := n.Execution; e == nil || e.ID != 9938 || e.Status != client.ExecutionRequested || e.ActionRef != "" {
				t.Errorf("execution = %+v", e)
			}
		}},
	{"execution status", `{"type":"notification","notification_type":"execution_status_changed","entity_type":"execution","entity_id":9937,"user_id":null,"timestamp":"2026-06-11T14:02:44Z","payload":{"entity_type":"execution","entity_id":9937,"id":9937,"action_id":5,"action_ref":"core.http","status":"failed","old_status":"running","trace_tag":"t.1","enforcement":2289,"rule_ref":"r","trigger_ref":"t","parent":7,"started_at":"2026-06-11T14:02:43+00:00","workflow_task":null,"created":"2026-06-11T14:02:43+00:00","updated":"2026-06-11T14:02:44+00:00","auth_mode":"full"}}`, false,
		func(t *testing.T, n *client.Notification) {
			e := n.Execution
			if e == nil || e.Status != client.ExecutionFailed || e.OldStatus != client.ExecutionRunning || *e.Parent != 7 || *e.RuleRef != "r" || e.StartedAt == nil {
				t.Errorf("execution = %+v", e)
			}
		}},
	{"execution status compact", `{"type":"notification","notification_type":"execution_status_changed","entity_type":"execution","entity_id":9937,"user_id":null,"timestamp":"2026-06-11T14:02:44Z","payload":{"entity_type":"execution","entity_id":9937,"id":9937,"status":"completed","old_status":"running","trace_tag":"t","auth_mode":"deferred"}}`, true,
		func(t *testing.T, n *client.Notification) {
			if e := n.Execution; e == nil || e.Status != client.ExecutionCompleted || e.OldStatus != client.ExecutionRunning {
				t.Errorf("execution = %+v", e)
			}
		}},
	{"workflow", `{"type":"notification","notification_type":"workflow_execution_status_changed","entity_type":"execution","entity_id":7,"user_id":null,"timestamp":"2026-06-11T14:02:45Z","payload":{"entity_type":"execution","entity_id":7,"id":7,"action_ref":"core.wf","status":"running","old_status":"scheduled","workflow_def":3,"parent":null,"created":"2026-06-11T14:02:40+00:00","updated":"2026-06-11T14:02:45+00:00"}}`, false,
		func(t *testing.T, n *client.Notification) {
			w := n.Workflow
			if w == nil || w.ID != 7 || w.ActionRef != "core.wf" || w.Status != client.ExecutionRunning || w.OldStatus != client.ExecutionScheduled || *w.WorkflowDef != 3 || w.Parent != nil {
				t.Errorf("workflow = %+v", w)
			}
		}},
	{"rule lifecycle", `{"type":"notification","notification_type":"rule_lifecycle_changed","entity_type":"rule_lifecycle","entity_id":10,"user_id":null,"timestamp":"2026-06-11T14:02:46Z","payload":{"entity_type":"rule_lifecycle","entity_id":10,"event_type":"rule.disabled","active":false,"rule_id":10,"rule_ref":"monitoring.open_incident","trigger_ref":"monitoring.http_alert","trigger_params":{"a":1},"timestamp":"2026-06-11T14:02:46+00:00","auth_mode":"full"}}`, false,
		func(t *testing.T, n *client.Notification) {
			r := n.RuleLifecycle
			if r == nil || r.EventType != "rule.disabled" || r.Active || r.RuleID != 10 || r.RuleRef != "monitoring.open_incident" || string(r.TriggerParams) != `{"a":1}` || r.Timestamp == nil {
				t.Errorf("rule lifecycle = %+v", r)
			}
		}},
	{"rule lifecycle compact", `{"type":"notification","notification_type":"rule_lifecycle_changed","entity_type":"rule_lifecycle","entity_id":10,"user_id":null,"timestamp":"2026-06-11T14:02:46Z","payload":{"entity_type":"rule_lifecycle","entity_id":10,"event_type":"rule.enabled","active":true,"rule_id":10,"rule_ref":"r","trigger_ref":"t","timestamp":"2026-06-11T14:02:46+00:00","auth_mode":"deferred"}}`, true,
		func(t *testing.T, n *client.Notification) {
			if r := n.RuleLifecycle; r == nil || !r.Active || r.TriggerParams != nil {
				t.Errorf("rule lifecycle = %+v", r)
			}
		}},
	{"inquiry (untyped)", `{"type":"notification","notification_type":"inquiry_created","entity_type":"inquiry","entity_id":3,"user_id":42,"timestamp":"2026-06-11T14:02:47Z","payload":{"entity_type":"inquiry","entity_id":3,"id":3}}`, false,
		func(t *testing.T, n *client.Notification) {
			if n.Event != nil || n.Enforcement != nil || n.Execution != nil || n.Workflow != nil || n.RuleLifecycle != nil || n.UserID == nil || *n.UserID != 42 || !strings.Contains(string(n.Payload), `"id":3`) {
				t.Errorf("inquiry = %+v", n)
			}
		}},
}

func TestNotifierNotificationTypes(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFakeNotifier(t, func() string { return testToken })
	n := startNotifier(t, c, f.url(), fastNotifier(client.FilterAll))
	fc := f.conn(t)
	fc.expectMsg(t, "subscribe", "all")
	connected(t, n)
	// Frames the client skips: unknown types, bad JSON, binary.
	fc.send(t, `{"type":"pong"}`)
	fc.send(t, `not json`)
	if err := fc.ws.Write(t.Context(), websocket.MessageBinary, []byte(`{"type":"error","message":"binary"}`)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range notificationFrames {
		fc.send(t, tc.frame)
		ev := expectKind(t, n, client.LiveNotification)
		nt := ev.Notification
		var env struct {
			NotificationType string `json:"notification_type"`
			EntityType       string `json:"entity_type"`
			EntityID         int64  `json:"entity_id"`
		}
		_ = json.Unmarshal([]byte(tc.frame), &env)
		if string(nt.Type) != env.NotificationType || nt.EntityType != env.EntityType || nt.EntityID != env.EntityID {
			t.Errorf("%s: envelope %s %s %d", tc.name, nt.Type, nt.EntityType, nt.EntityID)
		}
		if nt.Compact != tc.compact {
			t.Errorf("%s: Compact = %v", tc.name, nt.Compact)
		}
		tc.check(t, nt)
	}
}

func TestNotifierSlowConsumerDropsIntoGap(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFakeNotifier(t, func() string { return testToken })
	o := fastNotifier(client.FilterAll)
	o.QueueSize = 4
	n := startNotifier(t, c, f.url(), o)
	fc := f.conn(t)
	fc.expectMsg(t, "subscribe", "all")
	frame := func(i int) string {
		return fmt.Sprintf(`{"type":"notification","notification_type":"event_created","entity_type":"event","entity_id":%d,"user_id":null,"timestamp":"2026-06-11T14:02:41Z","payload":{"entity_type":"event","entity_id":%d,"id":%d,"trigger_ref":"t","rule_ref":null,"trace_tag":null,"auth_mode":"deferred"}}`, i, i, i)
	}
	for i := 1; i <= 20; i++ {
		fc.send(t, frame(i))
	}
	fc.sync(t) // every frame has been read (and queued or dropped)
	// Queue: connected, welcome, #1, #2, then one gap for the 18 others.
	expectKind(t, n, client.LiveConnected)
	expectKind(t, n, client.LiveWelcome)
	for i := 1; i <= 2; i++ {
		if ev := expectKind(t, n, client.LiveNotification); ev.Notification.EntityID != int64(i) {
			t.Fatalf("notification %d, want %d", ev.Notification.EntityID, i)
		}
	}
	if ev := expectKind(t, n, client.LiveGap); ev.Gap.Dropped != 18 || ev.Gap.Reconnected {
		t.Errorf("gap = %+v, want 18 dropped", ev.Gap)
	}
	fc.send(t, frame(21))
	if ev := expectKind(t, n, client.LiveNotification); ev.Notification.EntityID != 21 {
		t.Errorf("after the gap: %d, want 21", ev.Notification.EntityID)
	}
}

func TestNotifierReconnectResubscribesAndReportsGap(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFakeNotifier(t, func() string { return testToken })
	n := startNotifier(t, c, f.url(), fastNotifier(client.FilterEntityType("event")))
	fc := f.conn(t)
	fc.expectMsg(t, "subscribe", "entity_type:event")
	connected(t, n)
	if err := n.Subscribe(client.FilterEntityType("execution")); err != nil {
		t.Fatal(err)
	}
	fc.expectMsg(t, "subscribe", "entity_type:execution")
	if err := n.Unsubscribe(client.FilterEntityType("event")); err != nil {
		t.Fatal(err)
	}
	fc.expectMsg(t, "unsubscribe", "entity_type:event")

	for round := 0; round < 2; round++ {
		_ = fc.ws.CloseNow() // a restart or proxy timeout
		if ev := expectKind(t, n, client.LiveReconnecting); ev.Err == nil {
			t.Error("Reconnecting without a cause")
		}
		fc = f.conn(t)
		fc.expectMsg(t, "subscribe", "entity_type:execution")
		expectKind(t, n, client.LiveConnected)
		if ev := expectKind(t, n, client.LiveGap); !ev.Gap.Reconnected {
			t.Errorf("gap = %+v", ev.Gap)
		}
		expectKind(t, n, client.LiveWelcome)
	}
	select {
	case m := <-fc.msgs:
		t.Errorf("unexpected message %v", m)
	default:
	}

	// A 500 at the handshake (role lookup failed) is retried with backoff.
	f.status.Store(500)
	_ = fc.ws.CloseNow()
	expectKind(t, n, client.LiveReconnecting)
	var apiErr *client.APIError
	if ev := expectKind(t, n, client.LiveReconnecting); !errors.As(ev.Err, &apiErr) || apiErr.StatusCode != 500 {
		t.Errorf("Err = %v, want the 500", ev.Err)
	}
	if s := n.State(); s != client.LiveStateReconnecting {
		t.Errorf("State = %v", s)
	}
	f.status.Store(0)
	for {
		ev := nextEvent(t, n)
		if ev.Kind == client.LiveConnected {
			break
		}
	}
	expectKind(t, n, client.LiveGap)
	f.conn(t).expectMsg(t, "subscribe", "entity_type:execution")
}

func TestNotifierPings(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFakeNotifier(t, func() string { return testToken })
	o := fastNotifier()
	o.PingInterval = 20 * time.Millisecond
	n := startNotifier(t, c, f.url(), o)
	f.conn(t)
	connected(t, n)
	for i := 0; i < 3; i++ {
		select {
		case <-f.pings:
		case <-time.After(10 * time.Second):
			t.Fatalf("ping %d never came", i+1)
		}
	}
}

// signedIn returns a client signed in with credentials against srv.
func signedIn(t *testing.T) (*client.Client, *authServer) {
	t.Helper()
	srv := &authServer{t: t}
	c, mux := setupNoToken(t, client.WithCredentials(testLogin, testPassword))
	srv.register(mux)
	if _, _, err := c.Auth.Login(t.Context(), testLogin, testPassword); err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func TestNotifierClose4401RefreshesAndReconnects(t *testing.T) {
	t.Parallel()
	c, srv := signedIn(t)
	f := newFakeNotifier(t, srv.current)
	n := startNotifier(t, c, f.url(), fastNotifier(client.FilterAll))
	fc := f.conn(t)
	old := fc.token
	connected(t, n)
	_ = fc.ws.Close(4401, "token expired")
	ev := expectKind(t, n, client.LiveReconnecting)
	if websocket.CloseStatus(ev.Err) != 4401 {
		t.Errorf("Err = %v, want close 4401", ev.Err)
	}
	fc = f.conn(t)
	fc.expectMsg(t, "subscribe", "all")
	if fc.token == old || fc.token != srv.current() {
		t.Errorf("reconnected with %q, want the refreshed %q", fc.token, srv.current())
	}
	if r := srv.refreshes.Load(); r != 1 {
		t.Errorf("refreshes = %d, want 1", r)
	}
	if r := f.refusals.Load(); r != 0 {
		t.Errorf("handshake refusals = %d, want 0 (refreshed before reconnecting)", r)
	}
	expectKind(t, n, client.LiveConnected)
	expectKind(t, n, client.LiveGap)
}

func TestNotifierClose4401WithStaticTokenGivesUp(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFakeNotifier(t, func() string { return testToken })
	n := startNotifier(t, c, f.url(), fastNotifier())
	fc := f.conn(t)
	connected(t, n)
	_ = fc.ws.Close(4401, "token expired")
	err := finalErr(t, n)
	var ne *client.NotifierError
	if !errors.As(err, &ne) || !errors.Is(err, client.ErrUnauthorized) {
		t.Fatalf("err = %v, want a *NotifierError matching ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("error leaks the token: %v", err)
	}
	if s := n.State(); s != client.LiveStateClosed {
		t.Errorf("State = %v", s)
	}
}

func TestNotifierHandshake401RefreshesOnce(t *testing.T) {
	t.Parallel()
	c, srv := signedIn(t)
	f := newFakeNotifier(t, srv.current)
	srv.expire() // the stored access token is no longer accepted
	n := startNotifier(t, c, f.url(), fastNotifier())
	fc := f.conn(t)
	connected(t, n)
	if fc.token != srv.current() || srv.refreshes.Load() != 1 || f.refusals.Load() != 1 {
		t.Errorf("token %q (want %q), refreshes %d, refusals %d: want one refresh after one 401",
			fc.token, srv.current(), srv.refreshes.Load(), f.refusals.Load())
	}
}

func TestNotifierHandshake401AfterRefreshGivesUp(t *testing.T) {
	t.Parallel()
	c, srv := signedIn(t)
	f := newFakeNotifier(t, srv.current)
	f.refuseAll.Store(true)
	n := startNotifier(t, c, f.url(), fastNotifier())
	err := finalErr(t, n)
	if !errors.Is(err, client.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "invalid_or_expired_token" {
		t.Errorf("err = %v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "attune: notifier "+f.url()+": GET /ws: 401") || strings.Count(msg, "attune:") != 1 {
		t.Errorf("message %q", msg)
	}
	t.Log(err)
	if h, r := f.handshakes.Load(), srv.refreshes.Load(); h != 2 || r != 1 {
		t.Errorf("handshakes %d, refreshes %d: want 2 and 1", h, r)
	}
}

func TestNotifierSubprotocolFallback(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFakeNotifier(t, func() string { return testToken })
	f.dropHeader = true
	n := startNotifier(t, c, f.url(), fastNotifier())
	fc := f.conn(t)
	if fc.subprotocol != "attune.v1" || fc.token != testToken {
		t.Errorf("subprotocol %q token %q", fc.subprotocol, fc.token)
	}
	connected(t, n)
	_ = fc.ws.CloseNow()
	fc = f.conn(t) // the reconnect goes straight to the subprotocol form
	if fc.subprotocol != "attune.v1" {
		t.Errorf("subprotocol %q after reconnect", fc.subprotocol)
	}
	if r := f.refusals.Load(); r != 1 {
		t.Errorf("refusals = %d, want 1", r)
	}

	// Asked for, the subprotocol form is used from the start.
	f2 := newFakeNotifier(t, func() string { return testToken })
	o := fastNotifier()
	o.SubprotocolAuth = true
	startNotifier(t, c, f2.url(), o)
	if fc := f2.conn(t); fc.subprotocol != "attune.v1" || f2.refusals.Load() != 0 {
		t.Errorf("subprotocol %q, refusals %d", fc.subprotocol, f2.refusals.Load())
	}
}

func TestNotifierFatalHandshakes(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || strings.Contains(r.Header.Get("Sec-WebSocket-Protocol"), testToken) {
			leaked.Store(true)
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, other.URL+"/ws", http.StatusFound)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>web UI</html>"))
		case "/forbidden":
			writeJSON(w, 403, []byte(`{"error":"nope"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	ws := "ws" + strings.TrimPrefix(srv.URL, "http")
	for _, tc := range []struct {
		path  string
		check func(error) bool
	}{
		{"/redirect", func(err error) bool { var re *client.RedirectError; return errors.As(err, &re) }},
		{"/page", func(err error) bool { return strings.Contains(err.Error(), "not a WebSocket endpoint") }},
		{"/forbidden", func(err error) bool { return errors.Is(err, client.ErrForbidden) }},
		{"/nothing", func(err error) bool { return errors.Is(err, client.ErrNotFound) }},
	} {
		n := startNotifier(t, c, ws+tc.path, fastNotifier())
		err := finalErr(t, n)
		var ne *client.NotifierError
		if !errors.As(err, &ne) || !tc.check(err) {
			t.Errorf("%s: err = %v", tc.path, err)
		}
	}
	if leaked.Load() {
		t.Error("the token followed a redirect to another origin")
	}

	// FailFast: a refused connection ends the notifier at once.
	closed := httptest.NewServer(http.NotFoundHandler())
	addr := closed.URL
	closed.Close()
	o := fastNotifier()
	o.FailFast = true
	n := startNotifier(t, c, "ws"+strings.TrimPrefix(addr, "http")+"/ws", o)
	err := finalErr(t, n)
	var te *client.TransportError
	if !errors.As(err, &te) {
		t.Errorf("FailFast: err = %v, want a *TransportError", err)
	}
}

func TestDefaultNotifierURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://127.0.0.1:8080":           "ws://127.0.0.1:8080/ws",
		"https://attune.example.com/api/": "wss://attune.example.com/ws",
		"https://[::1]:8443/attune":       "wss://[::1]:8443/ws",
	} {
		if got, err := client.DefaultNotifierURL(in); err != nil || got != want {
			t.Errorf("DefaultNotifierURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"ftp://h", "http://", "::"} {
		if _, err := client.DefaultNotifierURL(bad); !errors.Is(err, client.ErrInvalidArgument) {
			t.Errorf("DefaultNotifierURL(%q) = %v", bad, err)
		}
	}
	c, _ := setup(t)
	if got := c.DefaultNotifierURL(); !strings.HasPrefix(got, "ws://127.0.0.1:") || !strings.HasSuffix(got, "/ws") {
		t.Errorf("Client.DefaultNotifierURL = %q", got)
	}
}

func TestNotifierTLSUsesClientSettings(t *testing.T) {
	t.Parallel()
	f := startFakeNotifier(t, func() string { return testToken }, httptest.NewTLSServer)
	if !strings.HasPrefix(f.url(), "wss://") {
		t.Fatalf("url %s", f.url())
	}
	pool := x509.NewCertPool()
	pool.AddCert(f.srv.Certificate())
	c, _ := setup(t, client.WithRootCAs(pool))
	n := startNotifier(t, c, f.url(), fastNotifier())
	f.conn(t)
	connected(t, n)
	if w := n.Warnings(); len(w) != 0 {
		t.Errorf("Warnings = %q", w)
	}

	// Without the CA the handshake fails like any REST call would.
	plain, _ := setup(t)
	o := fastNotifier()
	o.FailFast = true
	err := finalErr(t, startNotifier(t, plain, f.url(), o))
	var te *client.TransportError
	if !errors.As(err, &te) {
		t.Errorf("err = %v, want a TLS *TransportError", err)
	}

	// Plain ws:// to another host carries the token in clear: warned.
	// (A cancelled context: nothing is dialled.)
	done, cancel := context.WithCancel(t.Context())
	cancel()
	n2, err := client.NewNotifier(done, plain, "ws://notifier.example:8081/ws", &client.NotifierOptions{FailFast: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = n2.Close()
	if w := n2.Warnings(); len(w) != 1 || !strings.Contains(w[0], "unencrypted") {
		t.Errorf("Warnings = %q", w)
	}
}

func TestNotifierUnansweredPingReconnects(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFakeNotifier(t, func() string { return testToken })
	f.noPong.Store(true)
	o := fastNotifier(client.FilterAll)
	o.PingInterval = 20 * time.Millisecond
	n := startNotifier(t, c, f.url(), o)
	f.conn(t)
	connected(t, n)
	ev := expectKind(t, n, client.LiveReconnecting) // the Ping timed out: the peer is gone
	if ev.Err == nil {
		t.Error("no cause")
	}
	f.noPong.Store(false)
	f.conn(t).expectMsg(t, "subscribe", "all")
	expectKind(t, n, client.LiveConnected)
	expectKind(t, n, client.LiveGap)
}
