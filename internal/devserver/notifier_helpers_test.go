package devserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"
)

// testClock is a settable clock for Options.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: SeedBase().Add(time.Hour)} }

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// notifierEnv is a seeded server with its API and notifier on httptest.
type notifierEnv struct {
	*testServer
	clock *testClock
	wsURL string
}

func startNotifierEnv(tb testing.TB, opts Options) *notifierEnv {
	tb.Helper()
	clk := newTestClock()
	opts.Now = clk.now
	if opts.Seed.Events == 0 {
		opts.Seed = SeedOptions{Seed: 5, Events: 30}
	}
	ts := startServer(tb, opts)
	nts := httptest.NewServer(ts.srv.NotifierHandler())
	tb.Cleanup(nts.Close) // runs before the server's Close, which ends the sockets
	return &notifierEnv{testServer: ts, clock: clk, wsURL: "ws" + nts.URL[len("http"):] + "/ws"}
}

// step runs one live step one second after the previous one, so that
// enforcements and executions move on.
func (e *notifierEnv) step(tb testing.TB) {
	tb.Helper()
	e.clock.advance(time.Second)
	if err := e.srv.LiveStep(context.Background()); err != nil {
		tb.Fatalf("LiveStep: %v", err)
	}
}

// mint signs a token like the server's, with any type, subject and extras.
func (e *notifierEnv) mint(tb testing.TB, typ, sub string, ttl time.Duration, extra func(*notifierClaims)) string {
	tb.Helper()
	now := e.clock.now()
	c := notifierClaims{tokenClaims: tokenClaims{RegisteredClaims: jwt.RegisteredClaims{
		Subject: sub, IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}, Login: "demo", TokenType: typ}}
	if extra != nil {
		extra(&c)
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(e.srv.secret)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return s
}

// wsTestConn is a test client on the notifier.
type wsTestConn struct {
	tb   testing.TB
	conn *websocket.Conn
	id   string
}

func testCtx(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

// dialRaw dials with the given Authorization header value and subprotocols.
func (e *notifierEnv) dialRaw(tb testing.TB, url, auth string, protos ...string) (*websocket.Conn, *http.Response, error) {
	tb.Helper()
	h := http.Header{}
	if auth != "" {
		h.Set("Authorization", auth)
	}
	if url == "" {
		url = e.wsURL
	}
	c, resp, err := websocket.Dial(testCtx(tb), url, &websocket.DialOptions{HTTPHeader: h, Subprotocols: protos})
	if c != nil {
		tb.Cleanup(func() { _ = c.CloseNow() })
	}
	return c, resp, err
}

// dial connects with the access token and reads the welcome frame.
func (e *notifierEnv) dial(tb testing.TB, token string) *wsTestConn {
	tb.Helper()
	c, _, err := e.dialRaw(tb, "", "Bearer "+token)
	if err != nil {
		tb.Fatalf("dial: %v", err)
	}
	w := &wsTestConn{tb: tb, conn: c}
	m := w.read()
	if m["type"] != "welcome" {
		tb.Fatalf("first frame %v, want welcome", m)
	}
	w.id, _ = m["client_id"].(string)
	return w
}

func (w *wsTestConn) read() map[string]any {
	w.tb.Helper()
	m, err := w.tryRead()
	if err != nil {
		w.tb.Fatalf("read: %v", err)
	}
	return m
}

func (w *wsTestConn) tryRead() (map[string]any, error) {
	typ, data, err := w.conn.Read(testCtx(w.tb))
	if err != nil {
		return nil, err
	}
	if typ != websocket.MessageText {
		return nil, errors.New("binary frame")
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func (w *wsTestConn) send(v any) {
	w.tb.Helper()
	b, ok := v.([]byte)
	if !ok {
		if s, isStr := v.(string); isStr {
			b = []byte(s)
		} else {
			b, _ = json.Marshal(v)
		}
	}
	if err := w.conn.Write(testCtx(w.tb), websocket.MessageText, b); err != nil {
		w.tb.Fatalf("write: %v", err)
	}
}

func (w *wsTestConn) subscribe(filter string) {
	w.send(map[string]string{"type": "subscribe", "filter": filter})
}

// barrierMsg is a message the server always answers with an error frame:
// the server handles a socket's messages in order and queues its frames in
// order, so the frames before that error are everything published before.
const barrierMsg = `{"type":"barrier"}`

// sync sends the barrier and returns the frames that came before its
// error reply.
func (w *wsTestConn) sync() []map[string]any {
	w.tb.Helper()
	w.send(barrierMsg)
	var out []map[string]any
	for {
		m := w.read()
		if m["type"] == "error" && m["message"] == "Malformed message: unknown variant `barrier`, expected one of `subscribe`, `unsubscribe`, `ping`" {
			return out
		}
		out = append(out, m)
	}
}

// stats GETs the notifier's /stats.
func (e *notifierEnv) stats(tb testing.TB) (clients, subs int) {
	tb.Helper()
	url := "http" + e.wsURL[len("ws"):len(e.wsURL)-len("/ws")] + "/stats"
	req, _ := http.NewRequestWithContext(testCtx(tb), http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("stats: %v", err)
	}
	defer resp.Body.Close()
	var v struct {
		Clients int `json:"connected_clients"`
		Subs    int `json:"total_subscriptions"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatalf("stats %s: %v", b, err)
	}
	return v.Clients, v.Subs
}

func id(m map[string]any) int64 {
	f, _ := m["entity_id"].(float64)
	return int64(f)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ping sends a protocol Ping and waits for the Pong, reading (and
// discarding) frames meanwhile, since the library sees a Pong only in Read.
func (w *wsTestConn) ping() error {
	w.tb.Helper()
	return w.pingCtx(testCtx(w.tb))
}

func (w *wsTestConn) pingCtx(ctx context.Context) error {
	w.tb.Helper()
	errc := make(chan error, 1)
	go func() { errc <- w.conn.Ping(ctx) }()
	for {
		select {
		case err := <-errc:
			return err
		default:
		}
		if _, err := w.tryReadCtx(ctx); err != nil && ctx.Err() == nil {
			return err
		}
	}
}

func (w *wsTestConn) tryReadCtx(ctx context.Context) (map[string]any, error) {
	w.send(barrierMsg)
	typ, data, err := w.conn.Read(ctx)
	if err != nil {
		return nil, err
	}
	_ = typ
	var m map[string]any
	err = json.Unmarshal(data, &m)
	return m, err
}
