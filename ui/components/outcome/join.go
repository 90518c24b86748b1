package outcome

import (
	"context"
	"fmt"
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
)

const (
	// ScanPerPage is the page size of the scans (the API's largest).
	ScanPerPage = 100
	// PagesPerWindow is how many pages of each scanned list the join may
	// read per RowsPerWindow rows loaded: 2 of enforcements and 2 of
	// executions per page of 50 events, 4 requests in all.
	PagesPerWindow = 2
	// RowsPerWindow is the number of loaded rows that earns PagesPerWindow
	// more pages.
	RowsPerWindow = 50
)

// scan is how far a newest-first list has been read.
type scan struct {
	read   int       // pages read
	done   bool      // the last page was read
	oldest time.Time // created of the last item read
}

// covers reports whether every item created at or after t has been read:
// the list is ordered by created, newest first, so all items newer than
// the last one read are known (an item as old as it may be on the next
// page).
func (s scan) covers(t time.Time) bool {
	return s.done || (s.read > 0 && t.After(s.oldest))
}

type enforcement struct {
	event   int64
	created time.Time
}

type lookup struct {
	pending bool
	cell    Cell
}

// Join is the state of one windowed join over a list's loaded rows. The
// zero value is not usable; call NewJoin. Its maps are written only in
// Update (Apply, Asked, Answered), never in a command.
type Join struct {
	gen    int
	events bool // an event list: enforcements are scanned too
	enfs   scan
	execs  scan
	// inflight is true while a step is running.
	inflight bool
	err      error

	enforcements map[int64]enforcement
	byEvent      map[int64][]int64
	seenExec     map[int64]bool
	byEnf        map[int64]Tally
	lookups      map[int64]lookup
}

// NewJoin returns an empty join of generation gen; events is true on the
// event list (enforcements and their executions are scanned) and false
// on the enforcement list (executions only).
func NewJoin(gen int, events bool) Join {
	return Join{
		gen: gen, events: events,
		enforcements: map[int64]enforcement{}, byEvent: map[int64][]int64{},
		seenExec: map[int64]bool{}, byEnf: map[int64]Tally{}, lookups: map[int64]lookup{},
	}
}

// Gen returns the join's generation.
func (j Join) Gen() int { return j.gen }

// Inflight reports whether a step is running.
func (j Join) Inflight() bool { return j.inflight }

// Err returns the error of the last step, if it failed.
func (j Join) Err() error { return j.err }

// budget is how many pages of each list rows loaded rows allow.
func budget(rows int) int {
	return PagesPerWindow * max(1, (rows+RowsPerWindow-1)/RowsPerWindow)
}

// StepReq is what one step reads; it is a value captured by StepCmd.
type StepReq struct {
	Gen            int
	Events         bool
	Until          time.Time
	Enfs, Execs    scan
	EnfMax, ExeMax int // pages this step may read of each list
}

// Plan returns the next step for a window of rows loaded rows whose
// oldest was created at until, or false when the window is covered, the
// budget spent, a step is already running, or the last one failed.
func (j Join) Plan(rows int, until time.Time) (StepReq, bool) {
	if j.inflight || j.err != nil || rows == 0 {
		return StepReq{}, false
	}
	b := budget(rows)
	r := StepReq{Gen: j.gen, Events: j.events, Until: until, Enfs: j.enfs, Execs: j.execs}
	if j.events && !j.enfs.covers(until) {
		r.EnfMax = min(PagesPerWindow, b-j.enfs.read)
	}
	if !j.execs.covers(until) {
		r.ExeMax = min(PagesPerWindow, b-j.execs.read)
	}
	if r.EnfMax <= 0 && r.ExeMax <= 0 {
		return StepReq{}, false
	}
	return r, true
}

// Started records that the step is running.
func (j Join) Started() Join {
	j.inflight = true
	return j
}

// StepMsg is the answer of one step.
type StepMsg struct {
	Gen         int
	Enfs, Execs scan
	Enforcement []client.EnforcementSummary
	Executions  []client.ExecutionSummary
	Err         error
}

// StepCmd reads what r asks: enforcements newest first until their
// created passes r.Until (at most r.EnfMax pages), then executions
// likewise (at most r.ExeMax pages).
func StepCmd(reqCtx func() (context.Context, context.CancelFunc), api API, r StepReq) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := reqCtx()
		defer cancel()
		msg := StepMsg{Gen: r.Gen, Enfs: r.Enfs, Execs: r.Execs}
		for i := 0; i < r.EnfMax && !msg.Enfs.covers(r.Until); i++ {
			p, err := api.ListEnforcements(ctx, common.EnforcementQuery{Page: msg.Enfs.read + 1, PerPage: ScanPerPage})
			if err != nil {
				msg.Err = fmt.Errorf("list enforcements: %w", err)
				return msg
			}
			msg.Enforcement = append(msg.Enforcement, p.Items...)
			msg.Enfs = advance(msg.Enfs, len(p.Items), p.Pagination.HasNext, func(i int) time.Time { return p.Items[i].Created })
		}
		for i := 0; i < r.ExeMax && !msg.Execs.covers(r.Until); i++ {
			p, err := api.ListExecutions(ctx, common.ExecutionQuery{Page: msg.Execs.read + 1, PerPage: ScanPerPage})
			if err != nil {
				msg.Err = fmt.Errorf("list executions: %w", err)
				return msg
			}
			msg.Executions = append(msg.Executions, p.Items...)
			msg.Execs = advance(msg.Execs, len(p.Items), p.Pagination.HasNext, func(i int) time.Time { return p.Items[i].Created })
		}
		return msg
	}
}

func advance(s scan, n int, hasNext bool, created func(int) time.Time) scan {
	s.read++
	if n > 0 {
		s.oldest = created(n - 1)
	}
	if !hasNext || n == 0 {
		s.done = true
	}
	return s
}

// Apply merges a step's answer; an answer of another generation is
// ignored (ok false).
func (j Join) Apply(msg StepMsg) (Join, bool) {
	if msg.Gen != j.gen {
		return j, false
	}
	j.inflight = false
	j.err = msg.Err
	for _, e := range msg.Enforcement {
		if _, seen := j.enforcements[e.ID]; seen {
			continue
		}
		var ev int64
		if e.Event != nil {
			ev = *e.Event
		}
		j.enforcements[e.ID] = enforcement{event: ev, created: e.Created}
		if ev != 0 {
			j.byEvent[ev] = append(j.byEvent[ev], e.ID)
		}
	}
	for _, x := range msg.Executions {
		if j.seenExec[x.ID] || x.Enforcement == nil {
			continue
		}
		j.seenExec[x.ID] = true
		t := j.byEnf[*x.Enforcement]
		t.Add(x.Status)
		j.byEnf[*x.Enforcement] = t
	}
	if msg.Err == nil {
		j.enfs, j.execs = msg.Enfs, msg.Execs
	}
	return j, true
}

// EventCell returns the cell of event id created at created.
func (j Join) EventCell(id int64, created time.Time) Cell {
	if l, ok := j.lookups[id]; ok && !l.pending {
		return l.cell
	}
	if !j.enfs.covers(created) {
		return j.unknown()
	}
	c := Cell{State: Known}
	for _, f := range j.byEvent[id] {
		c.Enforcements++
		if !j.execs.covers(j.enforcements[f].created) {
			c.State = Partial
			continue
		}
		t := j.byEnf[f]
		c.Executions.Total += t.Total
		c.Executions.OK += t.OK
		c.Executions.Failed += t.Failed
		c.Executions.Running += t.Running
	}
	return c
}

// EnforcementCell returns the cell of enforcement id created at created.
func (j Join) EnforcementCell(id int64, created time.Time) Cell {
	if l, ok := j.lookups[id]; ok && !l.pending {
		return l.cell
	}
	if !j.execs.covers(created) {
		return j.unknown()
	}
	return Cell{State: Known, Executions: j.byEnf[id]}
}

// unknown is the cell of a row the scans have not reached: "?" when the
// last step failed, "…" otherwise.
func (j Join) unknown() Cell {
	if j.err != nil && !j.inflight {
		return Cell{State: Failed}
	}
	return Cell{}
}

// NeedsLookup reports whether row id must be looked up on its own: the
// scans are idle and did not reach it (its cell is not known), and it was
// not asked for yet.
func (j Join) NeedsLookup(c Cell, id int64) bool {
	if j.inflight || (c.State != Unknown && c.State != Partial) {
		return false
	}
	_, asked := j.lookups[id]
	return !asked
}

// Asked records that row id is being looked up.
func (j Join) Asked(id int64) Join {
	j.lookups[id] = lookup{pending: true}
	return j
}

// LookupMsg is the answer of one row's lookup.
type LookupMsg struct {
	Gen  int
	ID   int64
	Cell Cell
	Err  error
}

// Answered records a lookup's answer; an answer of another generation is
// ignored (ok false).
func (j Join) Answered(msg LookupMsg) (Join, bool) {
	if msg.Gen != j.gen {
		return j, false
	}
	c := msg.Cell
	if msg.Err != nil {
		c = Cell{State: Failed}
	}
	j.lookups[msg.ID] = lookup{cell: c}
	return j, true
}

// EventLookupCmd looks one event up: its enforcements
// (enforcements?event=ID) and their executions (executions?enforcement=…,
// one request per enforcement). Answers are cached; refresh bypasses the
// cache.
func EventLookupCmd(reqCtx func() (context.Context, context.CancelFunc), api API, cache *common.Cache, gen int, id int64, refresh bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := reqCtx()
		defer cancel()
		msg := LookupMsg{Gen: gen, ID: id}
		q := common.EnforcementQuery{Event: id, Page: 1, PerPage: ScanPerPage}
		p, err := common.Cached(cache, fmt.Sprintf("outcome:enforcements:%+v", q), refresh, func() (*client.Page[client.EnforcementSummary], error) {
			return api.ListEnforcements(ctx, q)
		})
		if err != nil {
			msg.Err = fmt.Errorf("enforcements of event %d: %w", id, err)
			return msg
		}
		c := Cell{State: Known, Enforcements: len(p.Items)}
		for _, e := range p.Items {
			t, err := executionsOf(ctx, api, cache, e.ID, refresh)
			if err != nil {
				msg.Err = err
				return msg
			}
			c.Executions.Total += t.Total
			c.Executions.OK += t.OK
			c.Executions.Failed += t.Failed
			c.Executions.Running += t.Running
		}
		msg.Cell = c
		return msg
	}
}

// EnforcementLookupCmd looks one enforcement's executions up
// (executions?enforcement=ID), cached.
func EnforcementLookupCmd(reqCtx func() (context.Context, context.CancelFunc), api API, cache *common.Cache, gen int, id int64, refresh bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := reqCtx()
		defer cancel()
		t, err := executionsOf(ctx, api, cache, id, refresh)
		return LookupMsg{Gen: gen, ID: id, Cell: Cell{State: Known, Executions: t}, Err: err}
	}
}

func executionsOf(ctx context.Context, api API, cache *common.Cache, enf int64, refresh bool) (Tally, error) {
	q := common.ExecutionQuery{Enforcement: enf, Page: 1, PerPage: ScanPerPage}
	p, err := common.Cached(cache, "outcome:executions:"+strconv.FormatInt(enf, 10), refresh, func() (*client.Page[client.ExecutionSummary], error) {
		return api.ListExecutions(ctx, q)
	})
	if err != nil {
		return Tally{}, fmt.Errorf("executions of enforcement %d: %w", enf, err)
	}
	var t Tally
	for _, x := range p.Items {
		t.Add(x.Status)
	}
	return t, nil
}
