package outcome

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
)

// Row is what the column needs to know of a list row.
type Row struct {
	ID      int64
	Created time.Time
	// Trigger is the row's trigger_ref (matched against the scope).
	Trigger string
}

// Column is the state of an outcome column on a list screen: the join
// shown, and the one being built after a refresh (shown once its first
// step answered, so that cells do not blink back to "…" on every
// auto-refresh). A screen keeps one, calls Recompute when its rows are
// refreshed, Update with every message, Sync after every Update, and
// renders its cells with Text.
type Column struct {
	api      *common.API // nil when the API cannot list enforcements and executions
	events   bool
	origin   string
	gen      int
	join     Join
	next     Join
	swapping bool
	// fresh makes lookups bypass the answer cache (after a refresh).
	fresh bool
	// recompute asks for a new join when the rows next change.
	recompute bool
	// version is the list version the column was last synced with.
	version int
	short   bool
	dirty   bool
	// scope is the trigger_ref the next join's scans are filtered by.
	scope string
}

// NewColumn returns the column of an event list (events true) or of an
// enforcement list; origin names the screen in reported errors. When api
// cannot list enforcements and executions the column stays "…".
func NewColumn(api *common.API, events bool, origin string) Column {
	c := Column{events: events, origin: origin, gen: 1, join: NewJoin(1, events, ""), dirty: true}
	if api != nil && api.Enforcements != nil && api.Executions != nil {
		c.api = api
	}
	return c
}

// Recompute asks for a new join once the rows change next (after r,
// auto-refresh or a new filter).
func (c Column) Recompute() Column {
	c.recompute = true
	return c
}

// SetScope sets the trigger_ref the scans are filtered by ("" = none):
// the screen's own trigger_ref filter, so that a list of one trigger's
// rows is joined with that trigger's enforcements and executions only
// (dense), not with everything newer (deep). A change starts a new join
// once the rows change next.
func (c Column) SetScope(scope string) Column {
	if scope != c.scope {
		c.scope = scope
		c.recompute = true
	}
	return c
}

// SetShort selects the short form (narrow screens).
func (c Column) SetShort(short bool) Column {
	if short != c.short {
		c.short, c.dirty = short, true
	}
	return c
}

// Short reports whether the short form is used.
func (c Column) Short() bool { return c.short }

// Cell returns what row r caused, as far as it is known.
func (c Column) Cell(r Row) Cell {
	if c.events {
		return c.join.EventCell(r)
	}
	return c.join.EnforcementCell(r)
}

// Text renders a cell in the column's form.
func (c Column) Text(cell Cell) string {
	switch {
	case !c.events:
		return EnforcementText(cell)
	case c.short:
		return EventShort(cell)
	}
	return EventText(cell)
}

// Renderer returns a pure function rendering row r's cell from the
// current state, for listview.SetNote.
func (c Column) Renderer() func(Row) string {
	cc := c
	return func(r Row) string { return cc.Text(cc.Cell(r)) }
}

// Accent returns a pure function naming the accent of row r's cell (its
// worst outcome: "failed", "running", "ok" or ""), for listview.SetNote.
func (c Column) Accent() func(Row) string {
	cc := c
	return func(r Row) string { return cc.Cell(r).Worst() }
}

// Budget returns how many requests the shown join made and how many
// distinct rows have been on screen since it started (its lookups stop at
// one request per row seen).
func (c Column) Budget() (spent, seen int) { return c.join.Spent(), c.join.Seen() }

// Dirty reports whether the cells changed since Rendered.
func (c Column) Dirty() bool { return c.dirty }

// Rendered records that the screen re-rendered the cells.
func (c Column) Rendered() Column {
	c.dirty = false
	return c
}

// Sync runs after every Update of the screen: version is its list's
// version, rows how many rows are loaded, until the created time of the
// oldest, and visible the rows on screen. It starts a new join when the
// rows were refreshed, the next step of the join while the loaded window
// is not covered (within the budget), and lookups for the rows on screen
// the join did not reach.
func (c Column) Sync(version, rows int, until time.Time, visible []Row,
	reqCtx func() (context.Context, context.CancelFunc), cache *common.Cache,
) (Column, tea.Cmd) {
	if c.api == nil {
		return c, nil
	}
	var cmds []tea.Cmd
	if version != c.version {
		c.version = version
		c.dirty = true
		if c.recompute {
			c.recompute = false
			c.gen++
			c.next, c.swapping, c.fresh = NewJoin(c.gen, c.events, c.scope), true, true
		}
	}
	j := &c.join
	if c.swapping {
		j = &c.next
	}
	if req, ok := j.Plan(rows, until); ok {
		*j = j.Started()
		cmds = append(cmds, StepCmd(reqCtx, c.api, req))
	}
	if !c.swapping {
		for _, r := range visible {
			c.join.See(r.ID)
		}
	}
	if !c.swapping && !c.join.Inflight() {
		// First what each row on screen caused (its enforcements), then
		// their executions, as far as the budget goes.
		for _, r := range visible {
			if !c.join.NeedsLookup(c.Cell(r), r.ID) {
				continue
			}
			var ask bool
			if c.join, ask = c.join.Asked(r); ask {
				cmds = append(cmds, EventLookupCmd(reqCtx, c.api, cache, c.gen, r.ID, c.fresh))
			}
		}
		for _, r := range visible {
			for {
				var enf int64
				var ok bool
				if c.join, enf, ok = c.join.NextExecutions(r.ID); !ok {
					break
				}
				cmds = append(cmds, ExecutionsLookupCmd(reqCtx, c.api, cache, c.gen, r.ID, enf, c.fresh))
			}
		}
	}
	return c, tea.Batch(cmds...)
}

// Live applies a live change to the cells in place (no request): new
// enforcements of the events shown and new or changed executions. When
// the notices do not say enough (compact ones, a gap) a new join starts
// at once, the old cells staying until its first answer.
func (c Column) Live(msg common.LiveMsg) Column {
	if !msg.Touches("enforcement") && !msg.Touches("execution") {
		return c
	}
	c.dirty = true
	j := &c.join
	if c.swapping {
		j = &c.next
	}
	if j.Live(msg) {
		return c
	}
	c.gen++
	c.next, c.swapping, c.fresh = NewJoin(c.gen, c.events, c.scope), true, true
	return c
}

// Update handles the column's answers; ok is false for other messages.
// A failed step or lookup is reported to the root (the status bar and
// `!`); its cells show "?".
func (c Column) Update(msg tea.Msg) (Column, tea.Cmd, bool) {
	var err error
	switch msg := msg.(type) {
	case StepMsg:
		var ok bool
		if c.swapping {
			if c.next, ok = c.next.Apply(msg); ok {
				c.join, c.swapping = c.next, false
			}
		} else {
			c.join, ok = c.join.Apply(msg)
		}
		if !ok {
			return c, nil, true
		}
		err = msg.Err
	case LookupMsg:
		var ok bool
		if c.join, ok = c.join.Answered(msg); !ok {
			return c, nil, true
		}
		err = msg.Err
	case ExecutionsMsg:
		var ok bool
		if c.join, ok = c.join.AnsweredExecutions(msg); !ok {
			return c, nil, true
		}
		err = msg.Err
	default:
		return c, nil, false
	}
	c.dirty = true
	if err != nil && !c.recompute {
		// (with a refresh pending, the error is of a join about to be
		// replaced: reporting it would outlive the refresh)
		return c, common.ReportError(err, c.origin, false), true
	}
	return c, nil, true
}
