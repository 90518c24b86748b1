package executions

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// Lister is the part of the API the execution list uses.
type Lister interface {
	ListExecutions(ctx context.Context, q common.ExecutionQuery) (*client.Page[client.ExecutionSummary], error)
}

// StatsSource is the part of the API the list's header counts use.
type StatsSource interface {
	ExecutionStats(ctx context.Context) (*client.ExecutionStats, error)
}

// statsMsg answers GET /api/v1/executions/stats.
type statsMsg struct {
	seq   int
	stats *client.ExecutionStats
	err   error
}

// statsCmd fetches the execution counts for the header.
func statsCmd(src StatsSource, deps common.Deps, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		s, err := src.ExecutionStats(ctx)
		return statsMsg{seq: seq, stats: s, err: err}
	}
}

// statuses are the status filters in hotkey/cycle order.
func statuses() []client.ExecutionStatus { return client.ExecutionStatuses() }

// problemStatuses are the statuses "problems only" shows.
func problemStatuses() []client.ExecutionStatus {
	var out []client.ExecutionStatus
	for _, s := range statuses() {
		if s.Problem() {
			out = append(out, s)
		}
	}
	return out
}

// row is one execution as displayed. Every string in it has been made
// terminal-safe by toRow.
type row struct {
	id          int64
	created     time.Time
	updated     time.Time
	started     *time.Time
	idText      string
	action      string
	status      client.ExecutionStatus
	statusText  string
	enforcement int64
	enfText     string
	parentText  string
}

func rowID(r row) int64 { return r.id }

// patchRow applies a live notice to a loaded row: status and times. It
// returns false when the notice (nil for none or compact) changes nothing.
func patchRow(r row, n *client.ExecutionNotice) (row, bool) {
	if n == nil || n.Status == "" || n.Status == r.status && (n.Updated == nil || n.Updated.Equal(r.updated)) {
		return r, false
	}
	r.status = n.Status
	r.statusText = listview.Dash(textsafe.Line(string(n.Status)))
	if n.Updated != nil {
		r.updated = *n.Updated
	}
	if n.StartedAt != nil {
		t := *n.StartedAt
		r.started = &t
	}
	return r, true
}

// toRow is the one place where execution list data from the API is made
// safe.
func toRow(e client.ExecutionSummary) row {
	r := row{
		id:         e.ID,
		created:    e.Created,
		updated:    e.Updated,
		started:    e.StartedAt,
		idText:     strconv.FormatInt(e.ID, 10),
		action:     listview.Dash(textsafe.Line(e.ActionRef)),
		status:     e.Status,
		statusText: listview.Dash(textsafe.Line(string(e.Status))),
		enfText:    "-",
		parentText: "-",
	}
	if e.Enforcement != nil {
		r.enforcement = *e.Enforcement
		r.enfText = "#" + strconv.FormatInt(*e.Enforcement, 10)
	}
	if e.Parent != nil {
		r.parentText = "#" + strconv.FormatInt(*e.Parent, 10)
	}
	return r
}

// Duration describes how long an execution ran: "1.2s" for a finished one
// (updated − started, or − created when it never started), "running for 3m"
// for one that is running, "waiting 4s" for one not picked up yet.
func Duration(status client.ExecutionStatus, created, updated time.Time, started *time.Time, now time.Time) string {
	from := created
	if started != nil && !started.IsZero() {
		from = *started
	}
	notStarted := started == nil || started.IsZero()
	switch {
	case status.Terminal():
		return FormatDuration(updated.Sub(from))
	case notStarted && (status == client.ExecutionRequested || status == client.ExecutionScheduling || status == client.ExecutionScheduled):
		return "waiting " + FormatDuration(now.Sub(from)) // nothing runs yet
	default: // running, canceling, or a status this client does not know
		return "running for " + FormatDuration(now.Sub(from))
	}
}

// FormatDuration formats d briefly: "850ms", "2.4s", "3m12s", "5h02m".
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// cacheKey names a list request in the answer cache.
func cacheKey(q common.ExecutionQuery) string { return fmt.Sprintf("executions:%+v", q) }

func listCached(ctx context.Context, api Lister, cache *common.Cache, q common.ExecutionQuery, refresh bool) (*client.Page[client.ExecutionSummary], error) {
	return common.Cached(cache, cacheKey(q), refresh, func() (*client.Page[client.ExecutionSummary], error) {
		return api.ListExecutions(ctx, q)
	})
}

// loader returns the page loader for q. It captures q by value; refresh
// bypasses the answer cache. With problems set it serves the merge of the
// problem statuses through pm (see problemMerger).
func loader(api Lister, cache *common.Cache, q common.ExecutionQuery, pm *problemMerger, refresh bool) pagedlist.Loader[row] {
	return func(ctx context.Context, page, perPage int) (pagedlist.Fetched[row], error) {
		q := q
		q.Page, q.PerPage = page, perPage
		if pm == nil {
			p, err := listCached(ctx, api, cache, q, refresh)
			if err != nil {
				return pagedlist.Fetched[row]{}, fmt.Errorf("list executions: %w", err)
			}
			return listview.FromPage(p, toRow), nil
		}
		var streams []string
		for _, s := range problemStatuses() {
			streams = append(streams, string(s))
		}
		fetch := func(ctx context.Context, status string, page, per int) ([]client.ExecutionSummary, bool, error) {
			q := q
			q.Status, q.Page, q.PerPage = client.ExecutionStatus(status), page, per
			p, err := listCached(ctx, api, cache, q, refresh)
			if err != nil {
				return nil, false, fmt.Errorf("executions: %w", err)
			}
			return p.Items, p.Pagination.HasNext, nil
		}
		items, hasNext, err := pm.Page(ctx, streams, fetch, newestFirst, executionID, page, perPage)
		if err != nil {
			return pagedlist.Fetched[row]{}, fmt.Errorf("list problem executions: %w", err)
		}
		return listview.Rows(items, hasNext, nil, toRow), nil
	}
}

// problemMerger serves "problems only": the API filters one status at a
// time, so the list is the k-way merge (pagedlist.Merger) of one list per
// problem status, newest first (created, then id).
type problemMerger = pagedlist.Merger[client.ExecutionSummary]

// newestFirst orders executions newest first: created later, or at the
// same time with a higher id.
func newestFirst(a, b client.ExecutionSummary) int {
	if c := b.Created.Compare(a.Created); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

func executionID(e client.ExecutionSummary) int64 { return e.ID }
