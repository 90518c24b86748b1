package events

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// Lister is the part of the API the event list uses.
type Lister interface {
	ListEvents(ctx context.Context, q common.EventQuery) (*client.Page[client.EventSummary], error)
}

// row is one event as displayed. Every string in it has been made
// terminal-safe by toRow.
type row struct {
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
func loader(api Lister, q common.EventQuery) pagedlist.Loader[row] {
	return func(ctx context.Context, page, perPage int) (pagedlist.Fetched[row], error) {
		q := q
		q.Page, q.PerPage = page, perPage
		p, err := api.ListEvents(ctx, q)
		if err != nil {
			return pagedlist.Fetched[row]{}, fmt.Errorf("list events: %w", err)
		}
		return listview.FromPage(p, toRow), nil
	}
}
