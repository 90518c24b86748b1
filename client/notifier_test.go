package client_test

import (
	"context"
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
	f := &fakeNotifier{t: t, valid: valid, conns: make(chan *fakeConn, 16), pings: make(chan struct{}, 64)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
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
		return true
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
	f.conns <- fc
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

	if err := n.Subscribe(client.FilterNotificationType(client.ExecutionStatusChanged)); err != nil {
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
