package devserver

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"sync"
)

// executionStats is the body of GET /api/v1/executions/stats (LOGS.md §8):
// every bucket always present, total = their sum.
type executionStats struct {
	Total     int64 `json:"total"`
	Completed int64 `json:"completed"`
	Failed    int64 `json:"failed"`
	Running   int64 `json:"running"`
	Pending   int64 `json:"pending"`
	Cancelled int64 `json:"cancelled"`
	Timeout   int64 `json:"timeout"`
	Abandoned int64 `json:"abandoned"`
}

// statsCache holds the per-status execution counts: one GROUP BY (an
// index-only scan of execution_status_cover) on first use, then kept
// current by the deltas of live-traffic steps, the only writer of
// execution statuses.
type statsCache struct {
	mu     sync.Mutex
	valid  bool
	counts map[string]int64
}

// apply adds a live step's status changes.
func (c *statsCache) apply(delta map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid {
		return
	}
	for st, n := range delta {
		c.counts[st] += n
	}
}

// executionCounts returns the number of executions per status.
func (s *Server) executionCounts(ctx context.Context) (map[string]int64, error) {
	c := s.stats2
	c.mu.Lock()
	if c.valid {
		defer c.mu.Unlock()
		return maps.Clone(c.counts), nil
	}
	c.mu.Unlock()
	// liveMu (taken before c.mu, as LiveStep does) keeps a live step from
	// committing between the count and the cache becoming valid.
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid {
		counts, err := s.countExecutions(ctx)
		if err != nil {
			return nil, err
		}
		c.counts, c.valid = counts, true
	}
	return maps.Clone(c.counts), nil
}

// countExecutions runs the GROUP BY status.
func (s *Server) countExecutions(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, count(*) FROM execution GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count executions: %w", err)
	}
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count executions: %w", err)
		}
		counts[st] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count executions: %w", err)
	}
	return counts, nil
}

// handleExecutionStats serves GET /api/v1/executions/stats: pending =
// requested + scheduling + scheduled, cancelled = cancelled + canceling;
// query parameters are ignored.
func (s *Server) handleExecutionStats(w http.ResponseWriter, r *http.Request) {
	c, err := s.executionCounts(r.Context())
	if err != nil {
		internalError(w, err)
		return
	}
	st := executionStats{
		Completed: c["completed"],
		Failed:    c["failed"],
		Running:   c["running"],
		Pending:   c["requested"] + c["scheduling"] + c["scheduled"],
		Cancelled: c["cancelled"] + c["canceling"],
		Timeout:   c["timeout"],
		Abandoned: c["abandoned"],
	}
	st.Total = st.Completed + st.Failed + st.Running + st.Pending + st.Cancelled + st.Timeout + st.Abandoned
	writeJSON(w, http.StatusOK, dataEnvelope{Data: st})
}
