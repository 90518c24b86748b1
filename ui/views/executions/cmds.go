package executions

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
	"github.com/attune-tui/attune-tui/ui/format"
)

// statsMsg answers GET /api/v1/executions/stats.
type statsMsg struct {
	seq   int
	stats *client.ExecutionStats
	err   error
}

// statsCmd fetches the execution counts for the header.
func statsCmd(src common.ExecutionsAPI, deps common.Deps, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		s, _, err := src.Stats(ctx)
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
	// src is the row as the API sent it (Y copies it; not drawn).
	src         client.ExecutionSummary
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
	// changed is when a live change or refresh changed the status in
	// place; stale marks a row whose new status the list's status filter
	// does not match (it stays until the next reload).
	changed time.Time
	stale   bool
}

func rowID(r row) int64 { return r.id }

// patchRow applies a live notice to a loaded row at now: status and
// times, marking the change, and the row as stale when match (the list's
// status filter) rejects its new status. It returns false when the notice
// (nil for none or compact) changes nothing.
func patchRow(r row, n *client.ExecutionNotice, now time.Time, match func(client.ExecutionStatus) bool) (row, bool) {
	if n == nil || n.Status == "" || n.Status == r.status && (n.Updated == nil || n.Updated.Equal(r.updated)) {
		return r, false
	}
	if n.Status != r.status {
		r.changed = now
	}
	r.stale = !match(n.Status)
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

// updateRow takes a refreshed row in place of the loaded one when the
// server changed it, marking a status change (the refresh matched the
// filter, so the row is not stale).
func updateRow(old, fresh row, at time.Time) (row, bool) {
	if fresh.status == old.status && fresh.updated.Equal(old.updated) && !old.stale {
		return old, false
	}
	fresh.changed = old.changed
	if fresh.status != old.status {
		fresh.changed = at
	}
	return fresh, true
}

// toRow is the one place where execution list data from the API is made
// safe.
func toRow(e client.ExecutionSummary) row {
	r := row{
		src:        e,
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
func cacheKey(q client.ExecutionListOptions) string { return common.ListKey("executions", q.Query()) }

func listCached(ctx context.Context, api common.ExecutionsAPI, cache *common.Cache, q client.ExecutionListOptions, refresh bool) (*client.Page[client.ExecutionSummary], error) {
	return common.Cached(cache, cacheKey(q), refresh, func() (*client.Page[client.ExecutionSummary], *client.Response, error) {
		return api.List(ctx, &q)
	})
}

// loader returns the page loader for q. It captures q by value; refresh
// bypasses the answer cache. With mg set it serves the merged list mg
// describes (see execMerge).
func loader(api common.ExecutionsAPI, cache *common.Cache, q client.ExecutionListOptions, mg *execMerge, refresh bool) pagedlist.Loader[row] {
	return func(ctx context.Context, page, perPage int) (pagedlist.Fetched[row], error) {
		q := q
		q.Page, q.PerPage = page, perPage
		if mg == nil {
			p, err := listCached(ctx, api, cache, q, refresh)
			if err != nil {
				return pagedlist.Fetched[row]{}, fmt.Errorf("list executions: %w", err)
			}
			return listview.FromPage(p, toRow), nil
		}
		fetch := func(ctx context.Context, stream string, page, per int) ([]client.ExecutionSummary, bool, error) {
			q := q
			q.Page, q.PerPage = page, per
			mg.apply(&q, stream)
			p, err := listCached(ctx, api, cache, q, refresh)
			if err != nil {
				return nil, false, fmt.Errorf("executions: %w", err)
			}
			return p.Items, p.Pagination.HasNext, nil
		}
		items, hasNext, err := mg.Page(ctx, mg.streams(), fetch, newestFirst, executionID, page, perPage)
		if err != nil {
			return pagedlist.Fetched[row]{}, fmt.Errorf("list executions: %w", err)
		}
		return listview.Rows(items, hasNext, nil, toRow), nil
	}
}

// execMerge is a merged execution list (pagedlist.Merger, newest first by
// created, then id), for what the API filters one value at a time: the
// problem statuses ("problems only"), the refs a wildcard expanded to
// (wild), or both (one stream per status and ref).
type execMerge struct {
	pagedlist.Merger[client.ExecutionSummary]
	problems bool
	wild     filterbar.Token
}

// streamSep joins a stream's status and ref.
const streamSep = "\x1f"

// streams names the merged lists: status and ref, either may be empty.
func (mg *execMerge) streams() []string {
	statuses := []string{""}
	if mg.problems {
		statuses = nil
		for _, s := range problemStatuses() {
			statuses = append(statuses, string(s))
		}
	}
	refs := []string{""}
	if len(mg.wild.Refs) > 1 {
		refs = mg.wild.Refs
	}
	var out []string
	for _, s := range statuses {
		for _, r := range refs {
			out = append(out, s+streamSep+r)
		}
	}
	return out
}

// apply sets q to one stream's status and ref.
func (mg *execMerge) apply(q *client.ExecutionListOptions, stream string) {
	status, ref, _ := strings.Cut(stream, streamSep)
	if status != "" {
		q.Status = client.ExecutionStatus(status)
	}
	if ref != "" {
		setRef(q, mg.wild.Key, ref)
	}
}

// setRef sets the ref filter key of q.
func setRef(q *client.ExecutionListOptions, key, ref string) {
	switch key {
	case "action_ref":
		q.ActionRef = ref
	case "rule_ref":
		q.RuleRef = ref
	case "trigger_ref":
		q.TriggerRef = ref
	}
}

// newestFirst orders executions newest first: created later, or at the
// same time with a higher id.
func newestFirst(a, b client.ExecutionSummary) int {
	if c := b.Created.Compare(a.Created); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

func executionID(e client.ExecutionSummary) int64 { return e.ID }
