package devserver

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Version is what GET /health/detailed reports.
const Version = "0.6.0-dev"

// Options configures a Server. The zero value is usable: a temporary
// database seeded with DefaultSeedEvents events, login demo/demo, upstream
// token lifetimes, no faults.
type Options struct {
	// DBPath is the SQLite file. Empty means a temporary file that Close
	// removes. An existing, already seeded file is served as is.
	DBPath string
	// Seed decides the generated data (used only when the database is empty).
	Seed SeedOptions
	// Login and Password are the one identity's credentials (default
	// demo/demo).
	Login, Password string
	// AccessTTL and RefreshTTL are the token lifetimes (default 1 h and 7 d).
	AccessTTL, RefreshTTL time.Duration
	// Now is the clock used for tokens and live traffic (default time.Now).
	// Tests move it forward to expire tokens without sleeping.
	Now func() time.Time
	// Faults are injected from the start; change them later with SetFaults.
	Faults Faults
	// OnLiveStep, when set, is called after every live-traffic step (tests
	// wait on it instead of sleeping).
	OnLiveStep func()
	// LogStreamCompat serves the log SSE route as upstream's older RT-EX
	// generation (LOGS.md §4-5): waiting events while idle, "Log stream
	// found", done "Execution complete" two empty polls after the end,
	// Last-Event-ID ignored, no admission limit, 64 KiB chunks and ids that
	// count a split UTF-8 sequence. The default is RT-EX2.
	LogStreamCompat bool
	// LogPollInterval overrides the log SSE idle poll: RT-EX's 250 ms
	// waiting cadence and RT-EX2's 1 s reconciliation (tests shorten it).
	LogPollInterval time.Duration
	// NotifierExpiryCheck is how often an open notifier socket's token exp
	// is checked (default 30 s, as upstream; CheckNotifierExpiry runs the
	// check at once).
	NotifierExpiryCheck time.Duration
	// SSEKeepAlive is the keep-alive comment interval of
	// /api/v1/executions/stream (default 15 s, axum's default).
	SSEKeepAlive time.Duration
}

// Server is an Attune-compatible API server over a SQLite database. It
// implements http.Handler; serve it with an http.Server or httptest.
type Server struct {
	db        *sql.DB
	opts      Options
	secret    []byte
	mux       *http.ServeMux
	tmpDir    string
	stats     SeedStats
	seeded    bool
	faults    *faultState
	counts    *requestCounter
	liveMu    sync.Mutex // serialises live-traffic steps and guards live
	live      *liveState
	wake      *logWaker  // wakes log streams after live steps
	admit     *admission // open log streams (RT-EX2 admission)
	logs      *logCache  // big sealed logs
	stats2    *statsCache
	hub       *hub       // notifier sockets and execution SSE streams
	stall     *stallGate // Faults.NotifierStall
	startedAt time.Time
	closeMu   sync.Mutex
	closed    bool
}

// New opens (and if empty, seeds) the database and returns a ready server.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Login == "" {
		opts.Login = "demo"
	}
	if opts.Password == "" {
		opts.Password = "demo"
	}
	if opts.AccessTTL == 0 {
		opts.AccessTTL = time.Hour
	}
	if opts.RefreshTTL == 0 {
		opts.RefreshTTL = 7 * 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, faults: newFaultState(opts.Faults), counts: newRequestCounter(), startedAt: opts.Now(),
		wake: newLogWaker(), admit: newAdmission(), logs: newLogCache(), stats2: &statsCache{},
		hub: newHub(), stall: &stallGate{}}
	s.stall.set(opts.Faults.NotifierStall)
	s.secret = make([]byte, 32)
	if _, err := rand.Read(s.secret); err != nil {
		return nil, fmt.Errorf("devserver: generate jwt secret: %w", err)
	}
	path := opts.DBPath
	if path == "" {
		dir, err := os.MkdirTemp("", "attune-devserver-*")
		if err != nil {
			return nil, fmt.Errorf("devserver: temp dir: %w", err)
		}
		s.tmpDir = dir
		path = filepath.Join(dir, "dev.db")
	}
	db, err := openDB(ctx, path)
	if err != nil {
		s.removeTemp()
		return nil, fmt.Errorf("devserver: %w", err)
	}
	s.db = db
	empty, err := isEmpty(ctx, db)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("devserver: %w", err), s.Close())
	}
	if empty {
		st, err := seed(ctx, db, opts.Seed)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("devserver: %w", err), s.Close())
		}
		s.stats, s.seeded = st, true
	}
	if err := migrate(ctx, db, schemaIndexes); err != nil {
		return nil, errors.Join(fmt.Errorf("devserver: build indexes: %w", err), s.Close())
	}
	if err := analyze(ctx, db, empty); err != nil {
		return nil, errors.Join(fmt.Errorf("devserver: %w", err), s.Close())
	}
	s.routes()
	return s, nil
}

// SeedStats reports what New inserted, and whether it seeded at all (false
// when an existing database was reused).
func (s *Server) SeedStats() (SeedStats, bool) { return s.stats, s.seeded }

// Login returns the demo identity's login.
func (s *Server) Login() string { return s.opts.Login }

// Password returns the demo identity's password.
func (s *Server) Password() string { return s.opts.Password }

// Close stops the notifier (listeners, sockets, execution streams), closes
// the database and removes a temporary database file. It is safe to call
// more than once.
func (s *Server) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.hub.close()
	var err error
	if s.db != nil {
		if cerr := s.db.Close(); cerr != nil {
			err = fmt.Errorf("devserver: close database: %w", cerr)
		}
	}
	s.removeTemp()
	return err
}

func (s *Server) removeTemp() {
	if s.tmpDir != "" {
		_ = os.RemoveAll(s.tmpDir)
	}
}

func (s *Server) now() time.Time { return s.opts.Now() }

// routes registers every route of CONTRACT.md.
func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /health", s.handleHealth)
	m.HandleFunc("GET /health/detailed", s.handleHealthDetailed)
	m.HandleFunc("GET /health/live", s.handleHealthEmpty)
	m.HandleFunc("GET /health/ready", s.handleHealthReady)
	m.HandleFunc("POST /auth/login", s.handleLogin)
	m.HandleFunc("POST /auth/refresh", s.handleRefresh)
	m.HandleFunc("GET /auth/me", s.handleMe)

	api := func(pattern string, h http.HandlerFunc) { m.Handle(pattern, s.requireAuth(h)) }
	api("GET /api/v1/events", s.handleListEvents)
	api("GET /api/v1/events/{id}", s.handleGetEvent)
	api("GET /api/v1/enforcements", s.handleListEnforcements)
	api("GET /api/v1/enforcements/{id}", s.handleGetEnforcement)
	api("GET /api/v1/enforcements/{id}/executions", s.handleEnforcementExecutions)
	api("GET /api/v1/executions", s.handleListExecutions)
	api("GET /api/v1/executions/stats", s.handleExecutionStats)
	m.HandleFunc("GET /api/v1/executions/stream", s.handleExecutionStream) // its own auth (NOTIFIER.md §8)
	api("GET /api/v1/executions/{id}", s.handleGetExecution)
	api("GET /api/v1/executions/{id}/artifacts", s.handleExecutionArtifacts)
	m.HandleFunc("GET /api/v1/executions/{id}/logs/{stream}/stream", s.handleLogStream) // its own auth (LOGS.md §3)
	api("GET /api/v1/artifacts", s.handleListArtifacts)
	api("GET /api/v1/artifacts/{id}", s.handleGetArtifact)
	// One pattern for /artifacts/ref/{ref} and /artifacts/{id}/versions|download|stream:
	// as separate patterns they overlap and ServeMux refuses them.
	api("GET /api/v1/artifacts/{id}/{sub}", s.handleArtifactSub)
	api("GET /api/v1/artifacts/{id}/versions/latest", s.handleLatestVersion)
	api("GET /api/v1/artifacts/{id}/versions/{version}", s.handleGetVersion)
	api("GET /api/v1/artifacts/{id}/versions/{version}/download", s.handleDownloadVersion)
	api("GET /api/v1/rules", s.handleListRules)
	api("GET /api/v1/rules/{ref}", s.handleGetRule)
	api("GET /api/v1/triggers/{ref}", s.handleGetTrigger)
	api("GET /api/v1/triggers/{ref}/rules", s.handleTriggerRules)
	api("GET /api/v1/sensors/{ref}", s.handleGetSensor)
	api("GET /api/v1/traces/{tag}", s.handleTrace)
	s.mux = m
}

// ServeHTTP implements http.Handler: it counts the request, applies
// injected faults, then routes. Unknown routes get axum's default: 404 (or
// 405 for a known path with another method) with an empty body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.counts.add(r.URL.Path)
	if s.faults.apply(w, r) {
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		status := http.StatusNotFound
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			if m == r.Method {
				continue
			}
			r2 := r.Clone(r.Context())
			r2.Method = m
			if _, p := s.mux.Handler(r2); p != "" {
				status = http.StatusMethodNotAllowed
			}
		}
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(status)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Requests returns how many requests whose path starts with pathPrefix the
// server received since start or the last ResetStats.
func (s *Server) Requests(pathPrefix string) int { return s.counts.count(pathPrefix) }

// ResetStats zeroes the request counters.
func (s *Server) ResetStats() { s.counts.reset() }

// requestCounter counts requests per exact path.
type requestCounter struct {
	mu sync.Mutex
	m  map[string]int
}

func newRequestCounter() *requestCounter { return &requestCounter{m: map[string]int{}} }

func (c *requestCounter) add(path string) {
	c.mu.Lock()
	c.m[path]++
	c.mu.Unlock()
}

func (c *requestCounter) count(prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for p, k := range c.m {
		if strings.HasPrefix(p, prefix) {
			n += k
		}
	}
	return n
}

func (c *requestCounter) reset() {
	c.mu.Lock()
	c.m = map[string]int{}
	c.mu.Unlock()
}

// writeJSON writes v as JSON without HTML escaping (like serde_json).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// apiError writes the handler error shape {"error": msg, "code": code}.
func apiError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, handlerError{Error: msg, Code: code})
}

// authError writes the auth-middleware shape {"error":{"code":..,"message":..}}.
func authError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, authErrorBody{Error: authErrorDetail{Code: status, Message: msg}})
}

// plainError writes an axum extractor rejection: a plain-text body.
func plainError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg))
}

// internalError answers 500 DATABASE_ERROR without leaking details.
func internalError(w http.ResponseWriter, err error) {
	_ = err // never sent to the client
	apiError(w, http.StatusInternalServerError, "DATABASE_ERROR", "Database error")
}
