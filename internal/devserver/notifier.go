package devserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// The notifier (NOTIFIER.md §1-7) is served by its own handler, as upstream
// runs it as a separate service: GET /ws, GET /health, GET /stats.

const (
	// notifierQueue bounds each subscriber's queue of undelivered frames;
	// a subscriber that falls this far behind is dropped.
	notifierQueue = 256
	// defaultExpiryCheck is how often an open socket's token exp is checked.
	defaultExpiryCheck = 30 * time.Second
	// Token types beyond access and refresh that the notifier knows.
	tokenExecution = "execution"
	tokenSensor    = "sensor"
	tokenWorker    = "worker"
)

// hub fans published notifications out to notifier sockets and execution
// SSE streams. Every subscriber has a bounded queue; publish never blocks.
type hub struct {
	mu      sync.Mutex
	clients map[*wsClient]struct{}
	sse     map[*sseSub]struct{}
	nextID  int64
	closed  bool
	wg      sync.WaitGroup // notifier sockets and SSE streams being served
	httpSrv []*http.Server // listeners started by StartNotifier
}

func newHub() *hub {
	return &hub{clients: map[*wsClient]struct{}{}, sse: map[*sseSub]struct{}{}}
}

// envelope is a notification frame [SVC Notification, WS ClientMessage].
type envelope struct {
	Type             string          `json:"type"`
	NotificationType string          `json:"notification_type"`
	EntityType       string          `json:"entity_type"`
	EntityID         int64           `json:"entity_id"`
	UserID           *int64          `json:"user_id"`
	Timestamp        string          `json:"timestamp"`
	Payload          json.RawMessage `json:"payload"`
}

// publish delivers ns to every matching subscriber, in order. A subscriber
// whose queue is full is dropped (its connection closed), never waited for.
func (h *hub) publish(s *Server, ns []notification) {
	if len(ns) == 0 {
		return
	}
	f := s.Faults()
	var victims []func()
	h.mu.Lock()
	for _, n := range ns {
		payload := n.payload(f.NotifierCompactOnly)
		var frame []byte
		for c := range h.clients {
			if f.NotifierStall || !c.wants(&n) {
				continue // a stalled socket loses what it would have received
			}
			if frame == nil {
				frame = noteJSON(envelope{Type: "notification", NotificationType: n.Type, EntityType: n.EntityType,
					EntityID: n.EntityID, Timestamp: s.now().UTC().Format(time.RFC3339Nano), Payload: payload})
			}
			if !c.enqueue(frame) {
				delete(h.clients, c)
				victims = append(victims, c.abort)
			}
		}
		if n.EntityType != "execution" {
			continue
		}
		for sub := range h.sse {
			if sub.execID != nil && *sub.execID != n.EntityID {
				continue
			}
			select {
			case sub.ch <- payload:
			default:
				delete(h.sse, sub)
				close(sub.dropped)
			}
		}
	}
	h.mu.Unlock()
	for _, v := range victims {
		v()
	}
}

// register adds c; false once the server is closed.
func (h *hub) register(c *wsClient) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.nextID++
	c.id = "client_" + strconv.FormatInt(h.nextID, 10)
	h.clients[c] = struct{}{}
	return true
}

func (h *hub) unregister(c *wsClient) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// snapshot returns the registered sockets.
func (h *hub) snapshot() []*wsClient {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*wsClient, 0, len(h.clients))
	for c := range h.clients {
		out = append(out, c)
	}
	return out
}

// close stops the notifier listeners, aborts every socket and SSE stream
// and waits for their goroutines.
func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	srvs := h.httpSrv
	h.httpSrv = nil
	clients := make([]*wsClient, 0, len(h.clients))
	for c := range h.clients {
		clients = append(clients, c)
	}
	clear(h.clients)
	for sub := range h.sse {
		close(sub.dropped)
	}
	clear(h.sse)
	h.mu.Unlock()
	for _, hs := range srvs {
		_ = hs.Close()
	}
	for _, c := range clients {
		c.abort()
	}
	h.wg.Wait()
}

// CloseStreams stops the notifier listeners and ends every notifier socket
// and execution stream; later ones are refused. Close calls it; call it
// before shutting down an http.Server that serves s, whose open streams
// would otherwise hold the shutdown.
func (s *Server) CloseStreams() { s.hub.close() }

// NotifierHandler returns the notifier service's handler (GET /ws, /health
// and /stats), for a listener of its own or httptest.
func (s *Server) NotifierHandler() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /ws", s.handleWS)
	m.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	m.HandleFunc("GET /stats", s.handleNotifierStats)
	return m
}

// StartNotifier serves the notifier on addr (e.g. "127.0.0.1:0") until
// Close and returns its WebSocket URL, e.g. ws://127.0.0.1:41235/ws.
func (s *Server) StartNotifier(ctx context.Context, addr string) (string, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("devserver: notifier listen %s: %w", addr, err)
	}
	hs := &http.Server{Handler: s.NotifierHandler(), ReadHeaderTimeout: 10 * time.Second}
	s.hub.mu.Lock()
	if s.hub.closed {
		s.hub.mu.Unlock()
		_ = ln.Close()
		return "", errors.New("devserver: notifier: server closed")
	}
	s.hub.httpSrv = append(s.hub.httpSrv, hs)
	s.hub.wg.Add(1)
	s.hub.mu.Unlock()
	go func() {
		defer s.hub.wg.Done()
		_ = hs.Serve(ln) // ErrServerClosed on Close
	}()
	return "ws://" + ln.Addr().String() + "/ws", nil
}

func (s *Server) handleNotifierStats(w http.ResponseWriter, _ *http.Request) {
	n, subs := 0, 0
	for _, c := range s.hub.snapshot() {
		n++
		c.mu.Lock()
		subs += len(c.subs)
		c.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, map[string]int{"connected_clients": n, "total_subscriptions": subs})
}

// DropNotifierClients aborts every open notifier socket at once, without a
// close frame (as a restart or a proxy would), and reports how many.
func (s *Server) DropNotifierClients() int {
	cs := s.hub.snapshot()
	for _, c := range cs {
		s.hub.unregister(c)
		c.abort()
	}
	return len(cs)
}

// CheckNotifierExpiry runs the token-expiry check of every open socket now
// (normally every Options.NotifierExpiryCheck): sockets whose token has
// expired by the server clock are closed with 4401 "token expired".
func (s *Server) CheckNotifierExpiry() {
	for _, c := range s.hub.snapshot() {
		c.checkExpiry()
	}
}

// wsClaims is what the notifier keeps of a socket's token.
type wsClaims struct {
	tokenType    string
	exp          time.Time
	executionID  int64
	triggerTypes []string
}

// notifierClaims adds the claims of execution and sensor tokens.
type notifierClaims struct {
	tokenClaims
	ExecutionID  int64    `json:"execution_id,omitempty"`
	TriggerTypes []string `json:"trigger_types,omitempty"`
}

// wsToken extracts the token [WS extract_ws_token]: the Authorization
// bearer (scheme case-insensitive) wins over the attune.jwt.<jwt>
// subprotocol; query strings are ignored.
func wsToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "bearer") {
			if tok = strings.TrimSpace(tok); tok != "" {
				return tok
			}
		}
	}
	for _, p := range offeredProtocols(r) {
		if tok, ok := strings.CutPrefix(p, "attune.jwt."); ok && tok != "" {
			return tok
		}
	}
	return ""
}

func offeredProtocols(r *http.Request) []string {
	var out []string
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// verifyWSToken applies verify_ws_token and the identity lookup: the
// rejection's status and error code, or the claims.
func (s *Server) verifyWSToken(raw string) (wsClaims, int, string) {
	if raw == "" {
		return wsClaims{}, http.StatusUnauthorized, "missing_token"
	}
	claims := &notifierClaims{}
	if err := s.parseClaims(raw, claims); err != nil {
		return wsClaims{}, http.StatusUnauthorized, "invalid_or_expired_token"
	}
	switch claims.TokenType {
	case tokenAccess, tokenExecution, tokenSensor:
	case tokenRefresh:
		return wsClaims{}, http.StatusUnauthorized, "refresh_tokens_not_allowed"
	case tokenWorker:
		return wsClaims{}, http.StatusUnauthorized, "worker_tokens_not_allowed"
	default:
		return wsClaims{}, http.StatusUnauthorized, "invalid_or_expired_token"
	}
	sub, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil {
		return wsClaims{}, http.StatusUnauthorized, "invalid_subject_in_token"
	}
	if sub != identityID {
		// The identity does not exist (upstream answers the same when it is
		// frozen).
		return wsClaims{}, http.StatusInternalServerError, "permission_lookup_failed"
	}
	return wsClaims{tokenType: claims.TokenType, exp: claims.ExpiresAt.Time, executionID: claims.ExecutionID,
		triggerTypes: claims.TriggerTypes}, 0, ""
}

// handleWS serves GET /ws: authenticate at the upgrade, welcome, then
// read subscriptions until the socket ends.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	if st := s.Faults().NotifierRefuse; st != 0 {
		switch st {
		case http.StatusUnauthorized:
			writeJSON(w, st, map[string]string{"error": "invalid_or_expired_token"})
		case http.StatusInternalServerError:
			writeJSON(w, st, map[string]string{"error": "permission_lookup_failed"})
		default:
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(st)
		}
		return
	}
	claims, status, code := s.verifyWSToken(wsToken(r))
	if code != "" {
		writeJSON(w, status, map[string]string{"error": code})
		return
	}
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true} // CORS: any origin [WS]
	if slices.Contains(offeredProtocols(r), "attune.v1") {
		opts.Subprotocols = []string{"attune.v1"}
	}
	c := &wsClient{s: s, claims: claims, subs: map[string]subFilter{}, send: make(chan []byte, notifierQueue),
		done: make(chan struct{})}
	if !s.hub.register(c) {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	s.hub.wg.Add(1)
	defer s.hub.wg.Done()
	defer s.hub.unregister(c)
	conn, err := websocket.Accept(gateWriter{ResponseWriter: w, gate: s.stall}, r, opts)
	if err != nil {
		return // Accept answered the request
	}
	c.setConn(conn)
	defer c.abort()
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	welcome := noteJSON(map[string]string{"type": "welcome", "client_id": c.id, "message": "Connected to Attune Notifier"})
	if !c.enqueue(welcome) {
		return
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); c.writeLoop(ctx) }()
	go func() { defer wg.Done(); c.expiryLoop(ctx) }()
	c.readLoop(ctx)
	cancel()
	c.abort()
	wg.Wait()
}

// subFilter is one parsed subscription filter [WS parse_subscription_filter].
type subFilter struct {
	kind, value string
	id          int64
}

// parseFilter splits f on ':'; single-value filters use only the second
// part, so a value containing ':' is truncated, as upstream does.
func parseFilter(f string) (subFilter, error) {
	parts := strings.Split(f, ":")
	value := func() (string, error) {
		if len(parts) < 2 || parts[1] == "" {
			return "", fmt.Errorf("missing value after '%s:'", parts[0])
		}
		return parts[1], nil
	}
	switch parts[0] {
	case "all":
		if len(parts) > 1 {
			return subFilter{}, errors.New("'all' takes no value")
		}
		return subFilter{kind: "all"}, nil
	case "entity_type", "notification_type", "trigger_ref", "user":
		v, err := value()
		if err != nil {
			return subFilter{}, err
		}
		return subFilter{kind: parts[0], value: v}, nil
	case "entity":
		if len(parts) < 3 || parts[1] == "" {
			return subFilter{}, errors.New("expected entity:<type>:<id>")
		}
		id, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return subFilter{}, fmt.Errorf("invalid entity id '%s'", parts[2])
		}
		return subFilter{kind: "entity", value: parts[1], id: id}, nil
	}
	return subFilter{}, fmt.Errorf("unknown filter type '%s'", parts[0])
}

func (f subFilter) matches(n *notification) bool {
	switch f.kind {
	case "all":
		return true
	case "entity_type":
		return n.EntityType == f.value
	case "entity":
		return n.EntityType == f.value && n.EntityID == f.id
	case "notification_type":
		return n.Type == f.value
	case "trigger_ref":
		return n.Type == "rule_lifecycle_changed" && n.TriggerRef == f.value
	}
	return false // user:<id>: no publisher sets user_id
}

// wsClient is one notifier socket.
type wsClient struct {
	s      *Server
	id     string
	claims wsClaims
	send   chan []byte
	done   chan struct{} // closed by abort
	once   sync.Once

	mu   sync.Mutex
	conn *websocket.Conn
	subs map[string]subFilter
}

func (c *wsClient) setConn(conn *websocket.Conn) {
	c.mu.Lock()
	c.conn = conn
	aborted := false
	select {
	case <-c.done:
		aborted = true
	default:
	}
	c.mu.Unlock()
	if aborted {
		_ = conn.CloseNow()
	}
}

// abort closes the socket without a close frame; safe to call repeatedly.
func (c *wsClient) abort() {
	c.once.Do(func() {
		c.mu.Lock()
		close(c.done)
		conn := c.conn
		c.mu.Unlock()
		if conn != nil {
			_ = conn.CloseNow()
		}
	})
}

// enqueue queues a frame; false when the queue is full (or c is gone).
func (c *wsClient) enqueue(frame []byte) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.send <- frame:
		return true
	default:
		return false
	}
}

// wants reports whether n passes c's filters and the token's grants.
func (c *wsClient) wants(n *notification) bool {
	switch c.claims.tokenType {
	case tokenSensor:
		if n.Type != "rule_lifecycle_changed" {
			return false
		}
	case tokenExecution:
		if n.EntityType != "execution" || n.EntityID != c.claims.executionID {
			return false
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.subs {
		if f.matches(n) {
			return true
		}
	}
	return false
}

// allowed reports whether the token may subscribe to f: sensor tokens only
// to trigger_ref:<ref> of their trigger_types claim; execution tokens
// (which cannot read events, enforcements or rules) not to all.
func (c *wsClient) allowed(f subFilter) bool {
	switch c.claims.tokenType {
	case tokenSensor:
		return f.kind == "trigger_ref" && slices.Contains(c.claims.triggerTypes, f.value)
	case tokenExecution:
		return f.kind != "all"
	}
	return true
}

// clientMsg is a client frame: {"type":"subscribe"|"unsubscribe","filter":…}
// or {"type":"ping"}.
type clientMsg struct {
	Type   *string `json:"type"`
	Filter *string `json:"filter"`
}

func (c *wsClient) readLoop(ctx context.Context) {
	for {
		typ, data, err := c.conn.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			continue // binary frames are ignored
		}
		if reply := c.handle(data); reply != "" {
			if !c.enqueue(noteJSON(map[string]string{"type": "error", "message": reply})) {
				return
			}
		}
	}
}

// handle applies one client message and returns the error message to send,
// if any. No acknowledgements; ping is not answered.
func (c *wsClient) handle(data []byte) string {
	var m clientMsg
	if err := json.Unmarshal(data, &m); err != nil {
		return "Malformed message: " + err.Error()
	}
	if m.Type == nil {
		return "Malformed message: missing field `type`"
	}
	switch *m.Type {
	case "ping":
		return ""
	case "subscribe", "unsubscribe":
	default:
		return fmt.Sprintf("Malformed message: unknown variant `%s`, expected one of `subscribe`, `unsubscribe`, `ping`", *m.Type)
	}
	if m.Filter == nil {
		return "Malformed message: missing field `filter`"
	}
	f, err := parseFilter(*m.Filter)
	if err != nil {
		return fmt.Sprintf("Invalid filter '%s': %v", *m.Filter, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if *m.Type == "unsubscribe" {
		delete(c.subs, *m.Filter)
		return ""
	}
	if !c.allowed(f) {
		return "Unauthorized to subscribe to requested filter"
	}
	c.subs[*m.Filter] = f
	return ""
}

// writeLoop writes queued frames in order. With Faults.NotifierDropAfter
// it aborts the socket after that many notifications.
func (c *wsClient) writeLoop(ctx context.Context) {
	sent := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.done:
			return
		case frame := <-c.send:
			// No write deadline: a stalled socket blocks here until the
			// stall ends or the socket is aborted.
			if err := c.conn.Write(ctx, websocket.MessageText, frame); err != nil {
				c.abort()
				return
			}
			if strings.HasPrefix(string(frame[:min(len(frame), 24)]), `{"type":"notification"`) {
				sent++
				if n := c.s.Faults().NotifierDropAfter; n > 0 && sent >= n {
					c.s.hub.unregister(c)
					c.abort()
					return
				}
			}
		}
	}
}

func (c *wsClient) expiryLoop(ctx context.Context) {
	every := c.s.opts.NotifierExpiryCheck
	if every <= 0 {
		every = defaultExpiryCheck
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if c.checkExpiry() {
				return
			}
		}
	}
}

// checkExpiry closes the socket with 4401 once the token's exp is reached
// and reports whether it did.
func (c *wsClient) checkExpiry() bool {
	if c.s.now().Before(c.claims.exp) {
		return false
	}
	c.s.hub.unregister(c) // nothing more is delivered
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn != nil {
		c.s.hub.wg.Add(1)
		go func() {
			defer c.s.hub.wg.Done()
			_ = conn.Close(4401, "token expired") // the read loop then ends
		}()
	}
	return true
}
