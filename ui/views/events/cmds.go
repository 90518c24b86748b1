package events

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

// row is one event as displayed. Every string in it has been made
// terminal-safe by toRow.
type row struct {
	// src is the row as the API sent it (Y copies it; not drawn).
	src        client.EventSummary
	id         int64
	created    time.Time
	idText     string
	trigger    string
	rule       string
	source     string
	traceTag   string // raw-safe trace tag, "" when none or redacted
	trace      string
	hasPayload bool
}

func rowID(r row) int64 { return r.id }

// toRow is the one place where event list data from the API is made safe.
func toRow(ev client.EventSummary) row {
	r := row{
		src:        ev,
		id:         ev.ID,
		created:    ev.Created,
		idText:     strconv.FormatInt(ev.ID, 10),
		trigger:    textsafe.Line(ev.TriggerRef),
		rule:       "-",
		source:     "-",
		trace:      "-",
		hasPayload: ev.HasPayload,
	}
	if ev.RuleRef != nil && *ev.RuleRef != "" {
		r.rule = textsafe.Line(*ev.RuleRef)
	}
	if ev.SourceRef != nil && *ev.SourceRef != "" {
		r.source = textsafe.Line(*ev.SourceRef)
	} else if ev.Source != nil {
		r.source = "#" + strconv.FormatInt(*ev.Source, 10)
	}
	if ev.TraceTag != nil && *ev.TraceTag != "" {
		r.trace = textsafe.Line(*ev.TraceTag)
		if !client.IsRedacted(*ev.TraceTag) {
			r.traceTag = r.trace
		}
	}
	return r
}

// loader returns the page loader for query q. It captures q by value.
func loader(api common.EventsAPI, q client.EventListOptions) pagedlist.Loader[row] {
	return func(ctx context.Context, page, perPage int) (pagedlist.Fetched[row], error) {
		q := q
		q.Page, q.PerPage = page, perPage
		p, _, err := api.List(ctx, &q)
		if err != nil {
			return pagedlist.Fetched[row]{}, fmt.Errorf("list events: %w", err)
		}
		return listview.FromPage(p, toRow), nil
	}
}

// mergedLoader returns the loader of the merge, newest first, of one list
// per ref the wildcard wild expanded to (pagedlist.Merger). It captures q
// by value.
func mergedLoader(api common.EventsAPI, q client.EventListOptions, wild filterbar.Token, mg *pagedlist.Merger[client.EventSummary]) pagedlist.Loader[row] {
	fetch := func(ctx context.Context, ref string, page, per int) ([]client.EventSummary, bool, error) {
		q := q
		q.Page, q.PerPage = page, per
		switch wild.Key {
		case "trigger_ref":
			q.TriggerRef = ref
		case "rule_ref":
			q.RuleRef = ref
		}
		p, _, err := api.List(ctx, &q)
		if err != nil {
			return nil, false, err
		}
		return p.Items, p.Pagination.HasNext, nil
	}
	return func(ctx context.Context, page, perPage int) (pagedlist.Fetched[row], error) {
		items, more, err := mg.Page(ctx, wild.Refs, fetch, newestFirst, func(e client.EventSummary) int64 { return e.ID }, page, perPage)
		if err != nil {
			return pagedlist.Fetched[row]{}, fmt.Errorf("list events: %w", err)
		}
		return listview.Rows(items, more, nil, toRow), nil
	}
}

// newestFirst orders events newest first: created later, or at the same
// time with a higher id.
func newestFirst(a, b client.EventSummary) int {
	if c := b.Created.Compare(a.Created); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}
