package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Filter is a notifier subscription filter (NOTIFIER.md §3). Filters are
// case-sensitive and ORed per connection. Build them with the Filter*
// functions, or pass a string that NewFilter accepts.
type Filter string

// FilterAll matches every notification (it needs the admin role or read on
// events, enforcements, executions and rules).
const FilterAll Filter = "all"

// FilterEntityType matches notifications whose entity_type is t (e.g.
// "event", "enforcement", "execution", "rule_lifecycle").
func FilterEntityType(t string) Filter { return Filter("entity_type:" + t) }

// FilterEntity matches notifications about one entity, e.g. ("execution", 9937).
func FilterEntity(t string, id int64) Filter {
	return Filter("entity:" + t + ":" + strconv.FormatInt(id, 10))
}

// FilterNotificationType matches one notification type (channel).
func FilterNotificationType(nt NotificationType) Filter {
	return Filter("notification_type:" + string(nt))
}

// FilterTriggerRef matches only rule_lifecycle_changed notifications whose
// trigger_ref is ref.
func FilterTriggerRef(ref string) Filter { return Filter("trigger_ref:" + ref) }

// validate rejects filters the server would reject or, worse, silently
// truncate: a value containing ":" in a single-value filter subscribes to
// its part before the colon upstream.
func (f Filter) validate() error {
	bad := func(why string) error {
		return fmt.Errorf("attune: notifier filter %q: %w: %s", sanitize(string(f), maxSnippet), ErrInvalidArgument, why)
	}
	s := string(f)
	if s == string(FilterAll) {
		return nil
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return bad("control character")
		}
	}
	kind, rest, ok := strings.Cut(s, ":")
	if !ok || rest == "" {
		return bad(`want "all" or kind:value`)
	}
	switch kind {
	case "entity_type", "notification_type", "trigger_ref", "user":
		if strings.Contains(rest, ":") {
			return bad("the value may not contain ':' (the notifier would truncate it)")
		}
		if kind == "user" {
			if _, err := strconv.ParseInt(rest, 10, 64); err != nil {
				return bad("user id is not an integer")
			}
		}
	case "entity":
		t, id, ok := strings.Cut(rest, ":")
		if !ok || t == "" || strings.Contains(id, ":") {
			return bad("want entity:<type>:<id>")
		}
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return bad("entity id is not an integer")
		}
	default:
		return bad("unknown filter kind " + strconv.Quote(kind))
	}
	return nil
}

// LiveState is the connection state of a live channel.
type LiveState int

// Live channel states.
const (
	// LiveStateConnecting: the first connection is being made.
	LiveStateConnecting LiveState = iota + 1
	// LiveStateLive: connected and subscribed.
	LiveStateLive
	// LiveStateReconnecting: the connection was lost; the client is
	// waiting or reconnecting.
	LiveStateReconnecting
	// LiveStateClosed: closed by Close, its context, or a fatal error.
	LiveStateClosed
)

// String names the state.
func (s LiveState) String() string {
	switch s {
	case LiveStateConnecting:
		return "connecting"
	case LiveStateLive:
		return "live"
	case LiveStateReconnecting:
		return "reconnecting"
	case LiveStateClosed:
		return "closed"
	}
	return "LiveState(" + strconv.Itoa(int(s)) + ")"
}

// NotifierOptions configures NewNotifier. The zero value is usable.
type NotifierOptions struct {
	// Filters are subscribed on every connection (more can be added with
	// Subscribe).
	Filters []Filter
	// QueueSize bounds the events waiting for Next (default 1024). When
	// the consumer falls behind, further events are dropped and reported
	// as one LiveGap.
	QueueSize int
	// PingInterval is how often a WebSocket protocol Ping is sent (default
	// 30 s); a Ping unanswered for as long drops the connection.
	PingInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait between reconnects
	// (defaults 1 s and 30 s): it doubles per failed attempt, with jitter.
	MinBackoff, MaxBackoff time.Duration
	// FailFast ends the notifier with an error when the very first
	// connection attempt fails, instead of retrying: use it to "try once"
	// a guessed URL (see DefaultNotifierURL).
	FailFast bool
	// SubprotocolAuth sends the token in Sec-WebSocket-Protocol
	// ("attune.v1, attune.jwt.<token>") from the start. Without it the
	// token goes in the Authorization header, and the subprotocol form is
	// used only after the server answered missing_token (a proxy dropped
	// the header).
	SubprotocolAuth bool
}

// Defaults of a Notifier.
const (
	defaultNotifierQueue   = 1024
	defaultNotifierPing    = 30 * time.Second
	defaultNotifierMinWait = time.Second
	defaultNotifierMaxWait = 30 * time.Second
	defaultNotifierHealthy = time.Minute
	notifierReadLimit      = 1 << 20
	notifierWriteTimeout   = 10 * time.Second
	closeTokenExpired      = 4401
)

// errNotWebSocket is the cause when the notifier URL answers 2xx without
// upgrading: it is not a WebSocket endpoint (e.g. a web UI's page).
var errNotWebSocket = errors.New("not a WebSocket endpoint (the server answered without upgrading)")

// NotifierError is the final error of a notifier that gave up: the
// handshake was refused in a way retrying cannot fix (401 after one token
// refresh, 403, 404, not a WebSocket), the token could not be refreshed
// after close 4401, or FailFast was set and the first attempt failed. Err
// is the cause (often an *APIError; errors.Is(err, ErrUnauthorized) tells
// that the user must sign in again).
type NotifierError struct {
	// URL is the notifier URL without query string.
	URL string
	// Err is the cause.
	Err error
}

// Error implements error.
func (e *NotifierError) Error() string {
	return "attune: notifier " + e.URL + ": " + strings.TrimPrefix(e.Err.Error(), "attune: ")
}

// Unwrap returns the cause.
func (e *NotifierError) Unwrap() error { return e.Err }

// Notifier is a client of Attune's notifier WebSocket (NOTIFIER.md). It
// connects in the background, keeps its subscriptions across reconnects,
// pings, refreshes the token on close 4401 and reconnects with backoff and
// jitter. Events arrive through Next; after every reconnect a LiveGap tells
// the consumer to refetch over REST, since nothing is replayed. All methods
// are safe for concurrent use; Next should have a single consumer.
type Notifier struct {
	c    *Client
	url  string // ws(s)://..., as given
	disp string // URL without query for errors
	r    *request
	hc   *http.Client
	opts NotifierOptions

	// Tunables, unexported so that tests can shorten them.
	healthy          time.Duration
	handshakeTimeout time.Duration

	liveLife
	subAlt   atomic.Bool // use the subprotocol form
	warnings []string

	mu      sync.Mutex
	filters []Filter
	conn    *websocket.Conn
	ops     []notifierOp
	kick    chan struct{}
}

// notifierOp is a subscribe or unsubscribe waiting to be written.
type notifierOp struct {
	typ    string
	filter Filter
}

// NewNotifier starts a notifier client for rawURL (ws:// or wss://; http
// and https are taken as ws and wss) authenticated as c. It connects
// through c's HTTP client, so c's TLS settings and redirect policy apply
// (credentials never follow a redirect to another origin). ctx bounds the
// notifier's whole life; Close ends it earlier.
//
// API: GET /ws (notifier)
func NewNotifier(ctx context.Context, c *Client, rawURL string, opts *NotifierOptions) (*Notifier, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("attune: notifier URL: %w: %w", ErrInvalidArgument, err)
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
	default:
		return nil, fmt.Errorf("attune: notifier URL %q: %w: want ws:// or wss://", u.Redacted(), ErrInvalidArgument)
	}
	if u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("attune: notifier URL %q: %w: want ws(s)://host[:port]/path without user or fragment", u.Redacted(), ErrInvalidArgument)
	}
	var o NotifierOptions
	if opts != nil {
		o = *opts
		o.Filters = append([]Filter(nil), opts.Filters...)
	}
	for _, f := range o.Filters {
		if err := f.validate(); err != nil {
			return nil, err
		}
	}
	if o.QueueSize <= 0 {
		o.QueueSize = defaultNotifierQueue
	}
	if o.PingInterval <= 0 {
		o.PingInterval = defaultNotifierPing
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = defaultNotifierMinWait
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = defaultNotifierMaxWait
	}
	o.MaxBackoff = max(o.MaxBackoff, o.MinBackoff)
	// Like a log tail, the socket outlives the per-request timeout: it gets
	// a copy of the HTTP client (same transport, TLS and redirect policy)
	// without it, and the handshake is bounded by handshakeTimeout.
	hc := *c.rc.GetClient()
	hs := hc.Timeout
	if hs <= 0 {
		hs = DefaultTimeout
	}
	hc.Timeout = 0
	disp := *u
	disp.RawQuery, disp.ForceQuery = "", false
	n := &Notifier{
		c: c, url: u.String(), disp: sanitize(disp.String(), maxSnippet), hc: &hc, opts: o,
		r:       &request{method: http.MethodGet, path: cmpPath(u.Path), auth: true},
		healthy: defaultNotifierHealthy, handshakeTimeout: hs,
		kick: make(chan struct{}, 1),
	}
	for _, f := range o.Filters {
		n.addFilter(f)
	}
	if (u.Scheme == "ws" || u.Scheme == "http") && !isLoopback(u.Hostname()) {
		n.warnings = append(n.warnings, "the notifier URL uses plain ws: the token travels unencrypted")
	}
	n.subAlt.Store(o.SubprotocolAuth)
	n.begin(ctx, o.QueueSize)
	go n.run()
	return n, nil
}

// cmpPath is p, or "/" when empty, for error messages.
func cmpPath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// DefaultNotifierURL returns the notifier URL to try when none is
// configured: ws(s)://<api host>/ws, where the Attune web image's proxy
// serves the notifier. It is a guess (a bare API server has no /ws): try it
// once with NotifierOptions.FailFast and fall back to the execution SSE
// stream and polling when it fails.
func DefaultNotifierURL(apiBaseURL string) (string, error) {
	u, err := url.Parse(apiBaseURL)
	if err != nil {
		return "", fmt.Errorf("attune: API URL: %w: %w", ErrInvalidArgument, err)
	}
	scheme := ""
	switch u.Scheme {
	case "http":
		scheme = "ws"
	case "https":
		scheme = "wss"
	default:
		return "", fmt.Errorf("attune: API URL %q: %w: want http(s)://host", u.Redacted(), ErrInvalidArgument)
	}
	if u.Host == "" {
		return "", fmt.Errorf("attune: API URL %q: %w: no host", u.Redacted(), ErrInvalidArgument)
	}
	return (&url.URL{Scheme: scheme, Host: u.Host, Path: "/ws"}).String(), nil
}

// DefaultNotifierURL is DefaultNotifierURL of the client's base URL.
func (c *Client) DefaultNotifierURL() string {
	s, _ := DefaultNotifierURL(c.base) // the base URL was validated by New
	return s
}

// Next blocks until the next event and returns it. After Close it returns
// ErrLiveClosed; after a fatal error it returns the queued events, then a
// *NotifierError; when ctx ends it returns ctx's error (the notifier keeps
// running).
func (n *Notifier) Next(ctx context.Context) (LiveEvent, error) { return n.q.next(ctx) }

// Warnings returns configuration warnings a UI should show (a plain ws://
// URL to another machine), or nil. The client's own TLS warnings are in
// Client.Warnings.
func (n *Notifier) Warnings() []string { return append([]string(nil), n.warnings...) }

// State returns the connection state.
func (n *Notifier) State() LiveState { return LiveState(n.state.Load()) }

// Filters returns the current subscriptions.
func (n *Notifier) Filters() []Filter {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Filter(nil), n.filters...)
}

// Subscribe adds f to the subscriptions: it is sent now when connected and
// after every reconnect. It does not wait for the server, which sends no
// acknowledgement; a rejected filter comes back as a LiveServerError. A
// duplicate is a no-op. It returns an error wrapping ErrInvalidArgument for
// a malformed filter, and ErrLiveClosed after Close.
func (n *Notifier) Subscribe(f Filter) error {
	if err := f.validate(); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.State() == LiveStateClosed {
		return ErrLiveClosed
	}
	if n.addFilter(f) {
		n.queueOp("subscribe", f)
	}
	return nil
}

// Unsubscribe removes f from the subscriptions and tells the server when
// connected. Removing an unknown filter is a no-op.
func (n *Notifier) Unsubscribe(f Filter) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.State() == LiveStateClosed {
		return ErrLiveClosed
	}
	for i, g := range n.filters {
		if g == f {
			n.filters = append(n.filters[:i], n.filters[i+1:]...)
			n.queueOp("unsubscribe", f)
			return nil
		}
	}
	return nil
}

// addFilter adds f unless present; the caller holds mu (or owns n).
func (n *Notifier) addFilter(f Filter) bool {
	for _, g := range n.filters {
		if g == f {
			return false
		}
	}
	n.filters = append(n.filters, f)
	return true
}

// queueOp queues a message for the current connection's writer; without a
// connection the next one sends the whole filter set anyway. The caller
// holds mu.
func (n *Notifier) queueOp(typ string, f Filter) {
	if n.conn == nil {
		return
	}
	n.ops = append(n.ops, notifierOp{typ: typ, filter: f})
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// Close stops the notifier, closes its connection and waits for its
// goroutines. Next then returns ErrLiveClosed. Safe more than once.
func (n *Notifier) Close() error {
	n.close()
	return nil
}

// run is the notifier's goroutine: connect, serve, reconnect.
func (n *Notifier) run() {
	var final error
	defer func() { n.end(final) }()
	fails := 0
	first := true
	wait := time.Duration(0)
	for {
		if wait > 0 && !n.sleep(wait) {
			return
		}
		conn, ep, err := n.dial()
		if n.ctx.Err() != nil {
			if conn != nil {
				_ = conn.CloseNow()
			}
			return
		}
		if err != nil {
			if fatal(err) || (first && n.opts.FailFast) {
				final = &NotifierError{URL: n.disp, Err: err}
				return
			}
			fails++
			wait = n.backoff(fails)
			n.state.Store(int32(LiveStateReconnecting))
			n.q.push(LiveEvent{Kind: LiveReconnecting, Err: err, Delay: wait, At: time.Now()})
			continue
		}
		opened := time.Now()
		err = n.serve(conn, !first)
		first = false
		if n.ctx.Err() != nil {
			return
		}
		if time.Since(opened) >= n.healthy {
			fails = 0
		}
		if websocket.CloseStatus(err) == closeTokenExpired {
			if !n.c.auth.canRenew() {
				final = &NotifierError{URL: n.disp, Err: fmt.Errorf("close 4401 (token expired): %w", n.authError())}
				return
			}
			if rerr := n.c.auth.renew(n.ctx, n.c, ep); rerr != nil {
				if n.ctx.Err() != nil {
					return
				}
				final = &NotifierError{URL: n.disp, Err: fmt.Errorf("close 4401 (token expired), refresh failed: %w", rerr)}
				return
			}
			wait = 0
			if fails > 0 {
				wait = n.backoff(fails)
			}
		} else {
			wait = n.backoff(fails + 1)
		}
		fails++
		n.state.Store(int32(LiveStateReconnecting))
		n.q.push(LiveEvent{Kind: LiveReconnecting, Err: err, Delay: wait, At: time.Now()})
	}
}

// authError is the error for a 4401 that cannot be answered by a refresh.
func (n *Notifier) authError() error {
	e := &APIError{StatusCode: http.StatusUnauthorized, Method: n.r.method, Path: n.r.displayPath(), Message: "token expired"}
	e.Hint = n.c.auth.hint(nil)
	return e
}

// backoff is the wait before attempt fails+1.
func (n *Notifier) backoff(fails int) time.Duration {
	return RetryPolicy{BaseDelay: n.opts.MinBackoff, MaxDelay: n.opts.MaxBackoff}.backoff(fails)
}

// fatal reports whether a connect error cannot be fixed by retrying.
func fatal(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusRequestTimeout, http.StatusTooManyRequests:
			return false
		}
		return apiErr.StatusCode < 500
	}
	var re *RedirectError
	if errors.As(err, &re) {
		return true
	}
	return errors.Is(err, errNotWebSocket) || errors.Is(err, ErrInvalidArgument)
}

// dial performs the handshake through the client's shared auth helper:
// a 401 refreshes the token once and dials again. It returns the connection
// and the token epoch it was opened with.
func (n *Notifier) dial() (*websocket.Conn, epoch, error) {
	var conn *websocket.Conn
	var ep epoch
	send := func(token string) (*rawResponse, int, error) {
		ep = n.c.auth.epochNow()
		raw, c, err := n.handshake(token, n.subAlt.Load())
		attempts := 1
		if err == nil && raw != nil && raw.status == http.StatusUnauthorized && !n.subAlt.Load() && token != "" && authErrorCode(raw.body) == "missing_token" {
			// A proxy dropped the Authorization header: try the
			// subprotocol form, and keep using it.
			raw, c, err = n.handshake(token, true)
			attempts++
			if err == nil && c != nil {
				n.subAlt.Store(true)
			}
		}
		conn = c
		return raw, attempts, err
	}
	_, _, err := n.c.authed(n.ctx, n.r, send)
	if err != nil {
		if conn != nil {
			_ = conn.CloseNow()
		}
		return nil, ep, err
	}
	if conn == nil {
		return nil, ep, fmt.Errorf("attune: GET %s: %w", n.r.displayPath(), errNotWebSocket)
	}
	return conn, ep, nil
}

// authErrorCode returns the notifier's {"error":"code"} from a rejection.
func authErrorCode(body []byte) string {
	var v struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &v)
	return v.Error
}

// handshake dials once. A refused upgrade is returned as a raw answer (for
// the auth helper to judge); a successful one as a 200 raw answer and the
// connection.
func (n *Notifier) handshake(token string, subprotocol bool) (*rawResponse, *websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(n.ctx, n.handshakeTimeout)
	defer cancel()
	h := http.Header{}
	h.Set("User-Agent", n.c.userAgent)
	o := &websocket.DialOptions{HTTPClient: n.hc, HTTPHeader: h}
	if token != "" {
		if subprotocol {
			o.Subprotocols = []string{"attune.v1", "attune.jwt." + token}
		} else {
			h.Set("Authorization", "Bearer "+token)
		}
	}
	conn, res, err := websocket.Dial(ctx, n.url, o)
	if err == nil {
		conn.SetReadLimit(notifierReadLimit)
		return &rawResponse{status: http.StatusOK, header: res.Header}, conn, nil
	}
	if res == nil || res.StatusCode == http.StatusSwitchingProtocols {
		if n.ctx.Err() == nil && ctx.Err() != nil {
			err = fmt.Errorf("no handshake answer in %s: %w", n.handshakeTimeout, ctx.Err())
		}
		return nil, nil, n.c.transportError(n.r, err)
	}
	if res.StatusCode >= 200 && res.StatusCode <= 299 {
		return nil, nil, fmt.Errorf("attune: GET %s: %w", n.r.displayPath(), errNotWebSocket)
	}
	raw := &rawResponse{status: res.StatusCode, header: res.Header}
	if res.Body != nil {
		raw.body, _ = io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	}
	return raw, nil, nil
}

// serve runs one connection until it fails: it sends the filters, reports
// the connection (and a gap after a reconnect), starts the writer (pings
// and subscription changes) and reads frames.
func (n *Notifier) serve(conn *websocket.Conn, reconnected bool) error {
	ctx, cancel := context.WithCancel(n.ctx)
	n.mu.Lock()
	n.conn = conn
	n.ops = nil
	filters := append([]Filter(nil), n.filters...)
	n.mu.Unlock()
	var wg sync.WaitGroup
	defer func() {
		n.mu.Lock()
		n.conn = nil
		n.ops = nil
		n.mu.Unlock()
		cancel()
		_ = conn.CloseNow()
		wg.Wait()
	}()
	for _, f := range filters {
		if err := n.write(ctx, conn, "subscribe", f); err != nil {
			return err
		}
	}
	n.state.Store(int32(LiveStateLive))
	now := time.Now()
	n.q.push(LiveEvent{Kind: LiveConnected, At: now})
	if reconnected {
		n.q.push(LiveEvent{Kind: LiveGap, Gap: &Gap{Reconnected: true}, At: now})
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := n.writer(ctx, conn); err != nil && ctx.Err() == nil {
			_ = conn.CloseNow()
		}
	}()
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			return err
		}
		if typ != websocket.MessageText {
			continue
		}
		if ev, ok := n.decode(data); ok {
			n.q.push(ev)
		}
	}
}

// writer sends queued subscription changes and pings until ctx ends or a
// write fails.
func (n *Notifier) writer(ctx context.Context, conn *websocket.Conn) error {
	t := time.NewTicker(n.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-n.kick:
			n.mu.Lock()
			ops := n.ops
			n.ops = nil
			n.mu.Unlock()
			for _, op := range ops {
				if err := n.write(ctx, conn, op.typ, op.filter); err != nil {
					return err
				}
			}
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, n.opts.PingInterval)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return err
			}
		}
	}
}

// write sends one subscribe or unsubscribe message.
func (n *Notifier) write(ctx context.Context, conn *websocket.Conn, typ string, f Filter) error {
	b, err := json.Marshal(struct {
		Type   string `json:"type"`
		Filter string `json:"filter"`
	}{typ, string(f)})
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, notifierWriteTimeout)
	defer cancel()
	return conn.Write(wctx, websocket.MessageText, b)
}

// serverFrame is any frame the notifier sends.
type serverFrame struct {
	Type             string           `json:"type"`
	ClientID         string           `json:"client_id"`
	Message          string           `json:"message"`
	NotificationType NotificationType `json:"notification_type"`
	EntityType       string           `json:"entity_type"`
	EntityID         int64            `json:"entity_id"`
	UserID           *int64           `json:"user_id"`
	Timestamp        time.Time        `json:"timestamp"`
	Payload          json.RawMessage  `json:"payload"`
}

// decode turns a text frame into an event; unknown or malformed frames are
// skipped (a notification whose payload does not decode still arrives, with
// only its envelope and raw Payload).
func (n *Notifier) decode(data []byte) (LiveEvent, bool) {
	var f serverFrame
	if err := json.Unmarshal(data, &f); err != nil {
		return LiveEvent{}, false
	}
	now := time.Now()
	switch f.Type {
	case "welcome":
		return LiveEvent{Kind: LiveWelcome, ClientID: f.ClientID, Message: f.Message, At: now}, true
	case "error":
		return LiveEvent{Kind: LiveServerError, Message: f.Message, At: now}, true
	case "notification":
		nt := &Notification{Type: f.NotificationType, EntityType: f.EntityType, EntityID: f.EntityID,
			UserID: f.UserID, Timestamp: f.Timestamp, Payload: f.Payload}
		if len(nt.Payload) > 0 {
			_ = nt.decodePayload()
		}
		return LiveEvent{Kind: LiveNotification, Notification: nt, At: now}, true
	}
	return LiveEvent{}, false
}

// epochNow is the token generation and failure count at this moment.
func (a *authState) epochNow() epoch {
	a.mu.Lock()
	defer a.mu.Unlock()
	return epoch{gen: a.gen, fails: a.failures}
}
