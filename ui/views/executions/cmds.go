package executions

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/format"
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
		return format.Duration(updated.Sub(from))
	case notStarted && (status == client.ExecutionRequested || status == client.ExecutionScheduling || status == client.ExecutionScheduled):
		return "waiting " + format.Duration(now.Sub(from)) // nothing runs yet
	default: // running, canceling, or a status this client does not know
		return "running for " + format.Duration(now.Sub(from))
	}
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
		items, hasNext, err := pm.page(ctx, func(ctx context.Context, q common.ExecutionQuery) (*client.Page[client.ExecutionSummary], error) {
			return listCached(ctx, api, cache, q, refresh)
		}, q, page, perPage)
		if err != nil {
			return pagedlist.Fetched[row]{}, err
		}
		return listview.Rows(items, hasNext, nil, toRow), nil
	}
}

// problemMerger serves "problems only": the API filters one status at a
// time, so the list is a k-way merge, newest first (created, then id), of
// one list per problem status. Merged page N holds rows (N-1)·per … N·per
// of that merge; to know them, each status's list is read page by page
// until its last row read is older than the N·per-th merged row (or it
// ends), so no older row is shown before a newer one on any page. The
// pages read are kept per query and dropped when page 1 is asked again (a
// refresh starts from a fresh view).
type problemMerger struct {
	mu    sync.Mutex
	pages map[problemPage]*client.Page[client.ExecutionSummary]
}

// problemPage names one page of one status's list.
type problemPage struct {
	status client.ExecutionStatus
	page   int
}

// newer reports whether a sorts before b: created later, or at the same
// time with a higher id.
func newer(a, b client.ExecutionSummary) bool {
	if c := a.Created.Compare(b.Created); c != 0 {
		return c > 0
	}
	return a.ID > b.ID
}

// problemStream is what has been read of one status's list.
type problemStream struct {
	status client.ExecutionStatus
	items  []client.ExecutionSummary
	pages  int
	more   bool
}

// page returns merged page n (of per rows) and whether more rows follow.
func (pm *problemMerger) page(ctx context.Context, list func(context.Context, common.ExecutionQuery) (*client.Page[client.ExecutionSummary], error),
	q common.ExecutionQuery, n, per int) ([]client.ExecutionSummary, bool, error) {
	pm.mu.Lock()
	defer pm.mu.Unlock()
	if n <= 1 || pm.pages == nil {
		pm.pages = map[problemPage]*client.Page[client.ExecutionSummary]{}
	}
	sts := problemStatuses()
	streams := make([]problemStream, len(sts))
	for i, s := range sts {
		streams[i] = problemStream{status: s, more: true}
	}
	need := n * per
	var merged []client.ExecutionSummary
	// Each round reads one more page of every list that may still hide a
	// row among the first need merged rows; a list that ends or answers
	// an empty page is done. The bound stops a server that never ends.
	for round := 0; round < n+len(sts)+64; round++ {
		var fetch []int
		var cut *client.ExecutionSummary
		if len(merged) >= need {
			cut = &merged[need-1]
		}
		for i, st := range streams {
			if !st.more {
				continue
			}
			if st.pages == 0 || cut == nil || !newer(*cut, st.items[len(st.items)-1]) {
				fetch = append(fetch, i)
			}
		}
		if len(fetch) == 0 {
			break
		}
		if err := pm.fetch(ctx, list, q, per, streams, fetch); err != nil {
			return nil, false, err
		}
		merged = mergeNewestFirst(streams)
	}
	more := len(merged) > need
	for _, st := range streams {
		more = more || st.more
	}
	lo, hi := min((n-1)*per, len(merged)), min(need, len(merged))
	return merged[lo:hi], more, nil
}

// fetch reads the next page of the streams listed in which, concurrently,
// from the merger's pages when it has them.
func (pm *problemMerger) fetch(ctx context.Context, list func(context.Context, common.ExecutionQuery) (*client.Page[client.ExecutionSummary], error),
	q common.ExecutionQuery, per int, streams []problemStream, which []int) error {
	got := make([]*client.Page[client.ExecutionSummary], len(which))
	errs := make([]error, len(which))
	var wg sync.WaitGroup
	for k, i := range which {
		key := problemPage{status: streams[i].status, page: streams[i].pages + 1}
		if p, ok := pm.pages[key]; ok {
			got[k] = p
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := q
			q.Status, q.Page, q.PerPage = key.status, key.page, per
			got[k], errs[k] = list(ctx, q)
		}()
	}
	wg.Wait()
	for k, i := range which {
		st := &streams[i]
		if errs[k] != nil {
			return fmt.Errorf("list %s executions: %w", st.status, errs[k])
		}
		p := got[k]
		st.pages++
		pm.pages[problemPage{status: st.status, page: st.pages}] = p
		st.items = append(st.items, p.Items...)
		st.more = p.Pagination.HasNext && len(p.Items) > 0
	}
	return nil
}

// mergeNewestFirst merges the streams' rows newest first. A row listed
// twice (it moved between pages while they were read) is kept once.
func mergeNewestFirst(streams []problemStream) []client.ExecutionSummary {
	n := 0
	for _, st := range streams {
		n += len(st.items)
	}
	out := make([]client.ExecutionSummary, 0, n)
	seen := make(map[int64]bool, n)
	for _, st := range streams {
		for _, it := range st.items {
			if !seen[it.ID] {
				seen[it.ID] = true
				out = append(out, it)
			}
		}
	}
	slices.SortFunc(out, func(a, b client.ExecutionSummary) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}
