package devserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// logView is one stream of an execution as the log routes see it at one
// instant.
type logView struct {
	found    bool // the execution row exists
	status   string
	terminal bool
	updated  int64 // the execution's last change (µs)
	exists   bool  // the log version exists (allocated, not expired)
	sealed   bool
	info     logInfo
	content  []byte
	next     int64 // when a pending live log grows next (µs), 0 = not by time
}

// logCache keeps the few big sealed logs (truncated ones are 10 MiB and
// take milliseconds to generate) so that ranged downloads and resumes do
// not regenerate them.
type logCache struct {
	mu      sync.Mutex
	keys    []logCacheKey
	vals    map[logCacheKey][]byte
	digests map[logCacheKey]logDigest // sizes of sealed logs
}

// logDigest is a sealed log's size and SHA-256.
type logDigest struct {
	size   int64
	sha256 string
}

// maxDigests bounds the remembered sizes (the map starts over past it).
const maxDigests = 1 << 18

func (c *logCache) digest(k logCacheKey) (logDigest, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.digests[k]
	return d, ok
}

func (c *logCache) putDigest(k logCacheKey, d logDigest) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.digests) >= maxDigests {
		c.digests = map[logCacheKey]logDigest{}
	}
	c.digests[k] = d
}

type logCacheKey struct {
	exec   int64
	stream string
}

const logCacheEntries = 4

func newLogCache() *logCache {
	return &logCache{vals: map[logCacheKey][]byte{}, digests: map[logCacheKey]logDigest{}}
}

func (c *logCache) get(k logCacheKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.vals[k]
	return b, ok
}

func (c *logCache) put(k logCacheKey, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.vals[k]; ok {
		return
	}
	if len(c.keys) >= logCacheEntries {
		delete(c.vals, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, k)
	c.vals[k] = b
}

// logWaker wakes log streams when live traffic commits a step.
type logWaker struct {
	mu sync.Mutex
	ch chan struct{}
}

func newLogWaker() *logWaker { return &logWaker{ch: make(chan struct{})} }

// wait returns a channel closed at the next notify.
func (l *logWaker) wait() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ch
}

func (l *logWaker) notify() {
	l.mu.Lock()
	close(l.ch)
	l.ch = make(chan struct{})
	l.mu.Unlock()
}

// logExpired reports whether faults currently expire exec's logs.
func (s *Server) logExpired(exec int64) bool {
	return slices.Contains(s.Faults().ExpireLogs, exec)
}

// readLog reads execution exec and (stream != "") generates that stream's
// content as of the live clock.
func (s *Server) readLog(ctx context.Context, exec int64, stream string) (logView, error) {
	var v logView
	var actionRef, status string
	var result sql.NullString
	var timeout *int32
	var updated int64
	var action, created, sealed sql.NullInt64
	var version sql.NullInt32
	var kind sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT e.action_ref, e.status, e.result, e.timeout_seconds, e.updated,
		v.action, v.version, v.kind, v.created, v.sealed
		FROM execution e LEFT JOIN log_version v ON v.execution = e.id WHERE e.id = ?`, exec).
		Scan(&actionRef, &status, &result, &timeout, &updated, &action, &version, &kind, &created, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return v, nil
	}
	if err != nil {
		return v, fmt.Errorf("read log of execution %d: %w", exec, err)
	}
	v.found, v.status, v.terminal, v.updated = true, status, terminalStatus(status), updated
	row := logRow{Action: action.Int64, Version: version.Int32, Kind: LogKind(kind.String), Created: created.Int64}
	if sealed.Valid {
		row.Sealed = ptr(sealed.Int64)
	}
	v.info = logInfoOf(exec, actionRef, status, []byte(result.String), timeout, row)
	v.exists = version.Valid && !s.logExpired(exec)
	v.sealed = v.exists && sealed.Valid
	if !v.exists || stream == "" {
		return v, nil
	}
	now := micros(s.liveNow())
	key := logCacheKey{exec, stream}
	if v.sealed {
		if b, ok := s.logs.get(key); ok {
			v.content = b
			return v, nil
		}
	}
	v.content = logText(s.opts.Seed.Seed, v.info, stream, now)
	if v.sealed && len(v.content) > 1<<20 {
		s.logs.put(key, v.content)
	}
	v.next = liveNextChange(row, now)
	return v, nil
}

// LogInfo describes an execution's runtime log as the server generates it.
type LogInfo struct {
	// Kind is the flavour of the output ("" when the execution never
	// started, LogKindExpired when retention deleted it).
	Kind LogKind
	// Version is the artifact version number the execution wrote (0 when
	// it never started).
	Version int32
	// Sealed is false while the worker may still write (pending).
	Sealed bool
	// Status is the execution's status.
	Status string
}

// LogText returns the exact bytes the server holds for an execution's
// stream ("stdout" or "stderr") right now — what a complete SSE read or a
// version download returns — with its description. Tests compare clients'
// results against it. A missing execution is an error; an execution without
// a log (not started, or expired) returns nil text and its Kind.
func (s *Server) LogText(ctx context.Context, exec int64, stream string) ([]byte, LogInfo, error) {
	if stream != StreamStdout && stream != StreamStderr {
		return nil, LogInfo{}, fmt.Errorf("devserver: log of execution %d: unknown stream %q", exec, stream)
	}
	v, err := s.readLog(ctx, exec, stream)
	if err != nil {
		return nil, LogInfo{}, fmt.Errorf("devserver: %w", err)
	}
	if !v.found {
		return nil, LogInfo{}, fmt.Errorf("devserver: execution %d not found", exec)
	}
	info := LogInfo{Kind: v.info.row.Kind, Version: v.info.row.Version, Sealed: v.sealed, Status: v.status}
	if !v.exists {
		info = LogInfo{Status: v.status}
		if startedStatus(v.status) {
			info.Kind = LogKindExpired
		}
		return nil, info, nil
	}
	return v.content, info, nil
}

// startedStatus reports whether a worker picked up an execution in status
// st (so its log versions were allocated).
func startedStatus(st string) bool {
	switch st {
	case "requested", "scheduling", "scheduled":
		return false
	}
	return true
}

// LogQuery selects executions by their log for FindLogs.
type LogQuery struct {
	// Kind is the log kind wanted ("" = any execution with a log).
	// LogKindExpired finds started executions whose versions are gone.
	Kind LogKind
	// Status, when set, is the execution status wanted.
	Status string
	// Sealed, when set, wants sealed (true) or pending (false) logs.
	Sealed *bool
	// Limit bounds the answer (default 10).
	Limit int
}

// FindLogs returns the ids of executions (newest first) whose runtime log
// matches q, so that tests and demos can pick interesting logs: failed ones
// carry tracebacks, LogKindTruncated the 10 MiB logs, LogKindHostile the
// terminal attacks, and so on.
func (s *Server) FindLogs(ctx context.Context, q LogQuery) ([]int64, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	wh := &where{}
	var query string
	if q.Kind == LogKindExpired {
		wh.add("e.status NOT IN ('requested', 'scheduling', 'scheduled')")
		wh.add("e.action IN (SELECT action FROM log_artifact)")
		wh.add("NOT EXISTS (SELECT 1 FROM log_version v WHERE v.execution = e.id)")
		if q.Status != "" {
			wh.add("e.status = ?", q.Status)
		}
		query = "SELECT e.id FROM execution e" + wh.sql() + " ORDER BY e.id DESC LIMIT ?"
	} else {
		if q.Kind != "" {
			wh.add("v.kind = ?", string(q.Kind))
		}
		if q.Status != "" {
			wh.add("e.status = ?", q.Status)
		}
		if q.Sealed != nil {
			if *q.Sealed {
				wh.add("v.sealed IS NOT NULL")
			} else {
				wh.add("v.sealed IS NULL")
			}
		}
		query = "SELECT e.id FROM log_version v JOIN execution e ON e.id = v.execution" + wh.sql() +
			" ORDER BY v.execution DESC LIMIT ?"
	}
	expired := s.Faults().ExpireLogs
	rows, err := s.db.QueryContext(ctx, query, append(wh.args, limit+len(expired))...)
	if err != nil {
		return nil, fmt.Errorf("devserver: find logs: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("devserver: find logs: %w", err)
		}
		if q.Kind != LogKindExpired && slices.Contains(expired, id) {
			continue
		}
		if len(ids) < limit {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("devserver: find logs: %w", err)
	}
	return ids, nil
}
