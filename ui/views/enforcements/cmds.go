package enforcements

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// statuses are the status filters in hotkey order (1, 2, 3).
func statuses() []client.EnforcementStatus { return client.EnforcementStatuses() }

// row is one enforcement as displayed. Every string in it has been made
// terminal-safe by toRow.
type row struct {
	// src is the row as the API sent it (Y copies it; not drawn).
	src       client.EnforcementSummary
	id        int64
	created   time.Time
	idText    string
	rule      string
	trigger   string
	event     int64 // 0 when null
	eventText string
	status    client.EnforcementStatus
	statusTxt string
	condition string
	// changed is when a live change or refresh changed the status in
	// place; stale marks a row whose new status the list's status filter
	// does not match (it stays until the next reload).
	changed time.Time
	stale   bool
}

func rowID(r row) int64 { return r.id }

// patchRow applies a live notice to a loaded row at now: its status,
// marking the change, and the row as stale when want (the status filter,
// "" for all) is another status. It returns false when the notice (nil for
// none or compact) changes nothing.
func patchRow(r row, n *client.EnforcementNotice, now time.Time, want client.EnforcementStatus) (row, bool) {
	if n == nil || n.Status == "" || n.Status == r.status {
		return r, false
	}
	r.changed = now
	r.stale = want != "" && n.Status != want
	r.status = n.Status
	r.statusTxt = listview.Dash(textsafe.Line(string(n.Status)))
	return r, true
}

// updateRow takes a refreshed row in place of the loaded one when its
// status changed on the server, marking the change.
func updateRow(old, fresh row, at time.Time) (row, bool) {
	if fresh.status == old.status && !old.stale {
		return old, false
	}
	fresh.changed = old.changed
	if fresh.status != old.status {
		fresh.changed = at
	}
	return fresh, true
}

// toRow is the one place where enforcement list data from the API is made
// safe.
func toRow(e client.EnforcementSummary) row {
	r := row{
		src:       e,
		id:        e.ID,
		created:   e.Created,
		idText:    strconv.FormatInt(e.ID, 10),
		rule:      listview.Dash(textsafe.Line(e.RuleRef)),
		trigger:   listview.Dash(textsafe.Line(e.TriggerRef)),
		eventText: "-",
		status:    e.Status,
		statusTxt: listview.Dash(textsafe.Line(string(e.Status))),
		condition: listview.Dash(textsafe.Line(string(e.Condition))),
	}
	if e.Event != nil {
		r.event = *e.Event
		r.eventText = "#" + strconv.FormatInt(*e.Event, 10)
	}
	return r
}

// cacheKey names a list request in the answer cache.
func cacheKey(q client.EnforcementListOptions) string {
	return common.ListKey("enforcements", q.Query())
}

// loader returns the page loader for q. It captures q by value; refresh
// bypasses the answer cache.
func loader(api common.EnforcementsAPI, cache *common.Cache, q client.EnforcementListOptions, refresh bool) pagedlist.Loader[row] {
	return func(ctx context.Context, page, perPage int) (pagedlist.Fetched[row], error) {
		q := q
		q.Page, q.PerPage = page, perPage
		p, err := common.Cached(cache, cacheKey(q), refresh, func() (*client.Page[client.EnforcementSummary], *client.Response, error) {
			return api.List(ctx, &q)
		})
		if err != nil {
			return pagedlist.Fetched[row]{}, fmt.Errorf("list enforcements: %w", err)
		}
		return listview.FromPage(p, toRow), nil
	}
}

// mergedLoader returns the loader of the merge, newest first, of one list
// per ref the wildcard wild expanded to (pagedlist.Merger). It captures q
// by value; refresh bypasses the answer cache.
func mergedLoader(api common.EnforcementsAPI, cache *common.Cache, q client.EnforcementListOptions, wild filterbar.Token,
	mg *pagedlist.Merger[client.EnforcementSummary], refresh bool) pagedlist.Loader[row] {
	fetch := func(ctx context.Context, ref string, page, per int) ([]client.EnforcementSummary, bool, error) {
		q := q
		q.Page, q.PerPage = page, per
		switch wild.Key {
		case "trigger_ref":
			q.TriggerRef = ref
		case "rule_ref":
			q.RuleRef = ref
		}
		p, err := common.Cached(cache, cacheKey(q), refresh, func() (*client.Page[client.EnforcementSummary], *client.Response, error) {
			return api.List(ctx, &q)
		})
		if err != nil {
			return nil, false, err
		}
		return p.Items, p.Pagination.HasNext, nil
	}
	order := func(a, b client.EnforcementSummary) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	}
	return func(ctx context.Context, page, perPage int) (pagedlist.Fetched[row], error) {
		items, more, err := mg.Page(ctx, wild.Refs, fetch, order, func(e client.EnforcementSummary) int64 { return e.ID }, page, perPage)
		if err != nil {
			return pagedlist.Fetched[row]{}, fmt.Errorf("list enforcements: %w", err)
		}
		return listview.Rows(items, more, nil, toRow), nil
	}
}
