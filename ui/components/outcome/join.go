package outcome

import (
	"context"
	"fmt"
	"slices"
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
	// live is set for an enforcement learnt from a live notice: it is
	// newer than every scan, and its executions come from notices too.
	live bool
}

type execution struct {
	enforcement int64
	status      client.ExecutionStatus
}

// lookup is the state of one row looked up on its own (beyond the scans):
// its enforcements (enforcements?event=ID, one request), then the
// executions of each (executions?enforcement=…, one request each).
type lookup struct {
	// known: the enforcements are known (an enforcement row knows itself).
	known  bool
	failed bool
	// enfs are the row's enforcements; todo those whose executions were
	// not asked for yet; waiting counts those being asked.
	enfs    []int64
	todo    []int64
	waiting int
}

// Join is the state of one windowed join over a list's loaded rows. The
// zero value is not usable; call NewJoin. Its maps are written only in
// Update (Apply, Asked, Answered, Live), never in a command.
//
// Requests are budgeted: the scans read at most PagesPerWindow pages of
// each list per RowsPerWindow rows loaded, and the scans and lookups
// together make no more requests than the number of rows that have been
// on screen (Seen) once lookups are needed: a row whose enforcements or
// executions the budget does not reach yet shows "…" until scrolling
// brings more rows (and budget) on screen.
type Join struct {
	gen    int
	events bool // an event list: enforcements are scanned too
	// scope is the trigger_ref the scans are filtered by ("" = none): the
	// scans then cover the rows of that trigger only.
	scope    string
	enfs     scan
	execs    scan
	inflight bool // a step is running
	err      error
	// spent counts the requests made (steps and lookups).
	spent int

	enforcements map[int64]enforcement
	byEvent      map[int64][]int64
	execByID     map[int64]execution
	byEnf        map[int64]Tally
	lookups      map[int64]lookup
	seen         map[int64]bool
}

// NewJoin returns an empty join of generation gen; events is true on the
// event list (enforcements and their executions are scanned) and false
// on the enforcement list (executions only). scope, when not empty, is a
// trigger_ref the scans are filtered by (the list shows that trigger's
// rows only, so the filtered scans reach as far back as the rows do).
func NewJoin(gen int, events bool, scope string) Join {
	return Join{
		gen: gen, events: events, scope: scope,
		enforcements: map[int64]enforcement{}, byEvent: map[int64][]int64{},
		execByID: map[int64]execution{}, byEnf: map[int64]Tally{}, lookups: map[int64]lookup{},
		seen: map[int64]bool{},
	}
}

// Gen returns the join's generation.
func (j Join) Gen() int { return j.gen }

// Inflight reports whether a step is running.
func (j Join) Inflight() bool { return j.inflight }

// Err returns the error of the last step, if it failed.
func (j Join) Err() error { return j.err }

// Spent returns how many requests the join made (steps and lookups;
// answers served from the cache count too).
func (j Join) Spent() int { return j.spent }

// Seen returns how many distinct rows have been on screen.
func (j Join) Seen() int { return len(j.seen) }

// budget is how many pages of each list rows loaded rows allow.
func budget(rows int) int {
	return PagesPerWindow * max(1, (rows+RowsPerWindow-1)/RowsPerWindow)
}

// StepReq is what one step reads; it is a value captured by StepCmd.
type StepReq struct {
	Gen            int
	Events         bool
	Scope          string
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
	r := StepReq{Gen: j.gen, Events: j.events, Scope: j.scope, Until: until, Enfs: j.enfs, Execs: j.execs}
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
	// Requests is how many requests the step made.
	Requests int
	Err      error
}

// StepCmd reads what r asks: enforcements newest first until their
// created passes r.Until (at most r.EnfMax pages), then executions
// likewise (at most r.ExeMax pages), both filtered by r.Scope.
func StepCmd(reqCtx func() (context.Context, context.CancelFunc), api *common.API, r StepReq) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := reqCtx()
		defer cancel()
		msg := StepMsg{Gen: r.Gen, Enfs: r.Enfs, Execs: r.Execs}
		for i := 0; i < r.EnfMax && !msg.Enfs.covers(r.Until); i++ {
			msg.Requests++
			p, _, err := api.Enforcements.List(ctx, &client.EnforcementListOptions{ListOptions: client.ListOptions{Page: msg.Enfs.read + 1, PerPage: ScanPerPage}, TriggerRef: r.Scope})
			if err != nil {
				msg.Err = fmt.Errorf("list enforcements: %w", err)
				return msg
			}
			msg.Enforcement = append(msg.Enforcement, p.Items...)
			msg.Enfs = advance(msg.Enfs, len(p.Items), p.Pagination.HasNext, func(i int) time.Time { return p.Items[i].Created })
		}
		for i := 0; i < r.ExeMax && !msg.Execs.covers(r.Until); i++ {
			msg.Requests++
			p, _, err := api.Executions.List(ctx, &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: msg.Execs.read + 1, PerPage: ScanPerPage}, TriggerRef: r.Scope})
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

// addEnforcement records enforcement id of event ev.
func (j Join) addEnforcement(id, ev int64, e enforcement) {
	if _, seen := j.enforcements[id]; seen {
		return
	}
	e.event = ev
	j.enforcements[id] = e
	if ev != 0 {
		j.byEvent[ev] = append(j.byEvent[ev], id)
	}
}

// addExecution records execution id of enforcement enf in status st; an
// execution already known changes its status.
func (j Join) addExecution(id, enf int64, st client.ExecutionStatus) {
	if old, seen := j.execByID[id]; seen {
		if old.status == st {
			return
		}
		t := j.byEnf[old.enforcement]
		t.Remove(old.status)
		j.byEnf[old.enforcement] = t
	}
	j.execByID[id] = execution{enforcement: enf, status: st}
	t := j.byEnf[enf]
	t.Add(st)
	j.byEnf[enf] = t
}

// Apply merges a step's answer; an answer of another generation is
// ignored (ok false).
func (j Join) Apply(msg StepMsg) (Join, bool) {
	if msg.Gen != j.gen {
		return j, false
	}
	j.inflight = false
	j.err = msg.Err
	j.spent += msg.Requests
	for _, e := range msg.Enforcement {
		var ev int64
		if e.Event != nil {
			ev = *e.Event
		}
		j.addEnforcement(e.ID, ev, enforcement{created: e.Created})
	}
	for _, x := range msg.Executions {
		if x.Enforcement == nil {
			continue
		}
		if _, seen := j.execByID[x.ID]; seen {
			continue // a live notice may be newer than the page
		}
		j.addExecution(x.ID, *x.Enforcement, x.Status)
	}
	if msg.Err == nil {
		j.enfs, j.execs = msg.Enfs, msg.Execs
	}
	return j, true
}

// inScope reports whether the scans may cover a row of trigger trigger.
func (j Join) inScope(trigger string) bool { return j.scope == "" || trigger == j.scope }

// EventCell returns the cell of event r.
func (j Join) EventCell(r Row) Cell {
	if l, ok := j.lookups[r.ID]; ok && (l.known || l.failed) {
		return j.lookupCell(l)
	}
	if !j.inScope(r.Trigger) || !j.enfs.covers(r.Created) {
		return j.unknown()
	}
	c := Cell{State: Known}
	for _, f := range j.byEvent[r.ID] {
		c.Enforcements++
		if e := j.enforcements[f]; !e.live && !j.execs.covers(e.created) {
			c.State = Partial
			continue
		}
		c.Executions.plus(j.byEnf[f])
	}
	return c
}

// EnforcementCell returns the cell of enforcement r.
func (j Join) EnforcementCell(r Row) Cell {
	if l, ok := j.lookups[r.ID]; ok && (l.known || l.failed) {
		return j.lookupCell(l)
	}
	if !j.inScope(r.Trigger) || !j.execs.covers(r.Created) {
		return j.unknown()
	}
	return Cell{State: Known, Executions: j.byEnf[r.ID]}
}

// lookupCell is the cell of a looked-up row.
func (j Join) lookupCell(l lookup) Cell {
	if l.failed {
		return Cell{State: Failed}
	}
	c := Cell{State: Known, Enforcements: len(l.enfs)}
	if len(l.todo) > 0 || l.waiting > 0 {
		c.State = Partial
	}
	for _, f := range l.enfs {
		c.Executions.plus(j.byEnf[f])
	}
	return c
}

// unknown is the cell of a row the scans have not reached: "?" when the
// last step failed, "…" otherwise.
func (j Join) unknown() Cell {
	if j.err != nil && !j.inflight {
		return Cell{State: Failed}
	}
	return Cell{}
}

// See records that row id is on screen: every row on screen adds one
// request to what the lookups may spend.
func (j Join) See(id int64) {
	j.seen[id] = true
}

// canSpend reports whether one more lookup request is within the budget.
func (j Join) canSpend() bool { return j.spent < len(j.seen) }

// NeedsLookup reports whether row id must be looked up on its own: the
// scans are idle and did not reach it (its cell is not known), it was
// not asked for yet, and the budget allows one more request.
func (j Join) NeedsLookup(c Cell, id int64) bool {
	if j.inflight || (c.State != Unknown && c.State != Partial) || !j.canSpend() {
		return false
	}
	_, asked := j.lookups[id]
	return !asked
}

// Asked records that row r is being looked up, and reports whether that
// takes a request for its enforcements (then counted): an event whose
// enforcements the scan already knows (its executions were not reached)
// goes straight to the executions of those the scan did not cover, and an
// enforcement row is its own only enforcement.
func (j Join) Asked(r Row) (Join, bool) {
	if !j.events {
		j.lookups[r.ID] = lookup{known: true, enfs: []int64{r.ID}, todo: []int64{r.ID}}
		return j, false
	}
	if j.inScope(r.Trigger) && j.enfs.covers(r.Created) {
		l := lookup{known: true, enfs: slices.Clone(j.byEvent[r.ID])}
		for _, f := range l.enfs {
			if e := j.enforcements[f]; !e.live && !j.execs.covers(e.created) {
				l.todo = append(l.todo, f)
			}
		}
		j.lookups[r.ID] = l
		return j, false
	}
	j.spent++
	j.lookups[r.ID] = lookup{}
	return j, true
}

// NextExecutions returns the next enforcement of looked-up row id whose
// executions are to be asked for, within the budget, and records it as
// asked (one request).
func (j Join) NextExecutions(id int64) (Join, int64, bool) {
	l, ok := j.lookups[id]
	if !ok || l.failed || len(l.todo) == 0 || !j.canSpend() {
		return j, 0, false
	}
	enf := l.todo[0]
	l.todo = l.todo[1:]
	l.waiting++
	j.lookups[id] = l
	j.spent++
	return j, enf, true
}

// LookupMsg is the answer of a row's enforcements lookup.
type LookupMsg struct {
	Gen int
	ID  int64
	// Enforcements are the ids of the row's enforcements.
	Enforcements []int64
	Err          error
}

// ExecutionsMsg is the answer of the executions lookup of enforcement
// Enforcement, asked for row ID.
type ExecutionsMsg struct {
	Gen         int
	ID          int64
	Enforcement int64
	Executions  []client.ExecutionSummary
	Err         error
}

// Answered records a lookup's answer; an answer of another generation is
// ignored (ok false).
func (j Join) Answered(msg LookupMsg) (Join, bool) {
	if msg.Gen != j.gen {
		return j, false
	}
	l := j.lookups[msg.ID]
	if msg.Err != nil {
		l.failed = true
	} else {
		l.known = true
		l.enfs = append(l.enfs, msg.Enforcements...)
		l.todo = append(l.todo, msg.Enforcements...)
	}
	j.lookups[msg.ID] = l
	return j, true
}

// AnsweredExecutions records an executions lookup's answer; an answer of
// another generation is ignored (ok false).
func (j Join) AnsweredExecutions(msg ExecutionsMsg) (Join, bool) {
	if msg.Gen != j.gen {
		return j, false
	}
	l := j.lookups[msg.ID]
	l.waiting--
	if msg.Err != nil {
		l.failed = true
	}
	for _, x := range msg.Executions {
		if _, seen := j.execByID[x.ID]; !seen {
			j.addExecution(x.ID, msg.Enforcement, x.Status)
		}
	}
	j.lookups[msg.ID] = l
	return j, true
}

// Live applies live notices in place, with no request: a new enforcement
// of an event joins its row, and a new execution or a status change
// updates its enforcement's tally. It returns false when a change cannot
// be applied from the notices (a compact notice, or a gap): the caller
// starts a new join instead.
func (j Join) Live(msg common.LiveMsg) bool {
	if msg.Gap {
		return false
	}
	for id := range msg.Changed["enforcement"] {
		if j.events && msg.Enforcements[id] == nil {
			return false
		}
	}
	for id := range msg.Changed["execution"] {
		if msg.Executions[id] == nil {
			return false
		}
	}
	if j.events {
		for id, n := range msg.Enforcements {
			if n.Event == nil || (j.scope != "" && n.TriggerRef != j.scope) {
				continue
			}
			if _, known := j.enforcements[id]; known {
				continue
			}
			j.addEnforcement(id, *n.Event, enforcement{live: true})
			if l, ok := j.lookups[*n.Event]; ok && l.known && !slices.Contains(l.enfs, id) {
				l.enfs = append(l.enfs, id)
				j.lookups[*n.Event] = l
			}
		}
	}
	for id, x := range msg.Executions {
		if x.Enforcement != nil {
			j.addExecution(id, *x.Enforcement, x.Status)
		}
	}
	return true
}

// EventLookupCmd looks one event's enforcements up
// (enforcements?event=ID), cached; refresh bypasses the cache.
func EventLookupCmd(reqCtx func() (context.Context, context.CancelFunc), api *common.API, cache *common.Cache, gen int, id int64, refresh bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := reqCtx()
		defer cancel()
		msg := LookupMsg{Gen: gen, ID: id}
		q := client.EnforcementListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: ScanPerPage}, Event: id}
		p, err := common.Cached(cache, common.ListKey("outcome:enforcements", q.Query()), refresh, func() (*client.Page[client.EnforcementSummary], *client.Response, error) {
			return api.Enforcements.List(ctx, &q)
		})
		if err != nil {
			msg.Err = fmt.Errorf("enforcements of event %d: %w", id, err)
			return msg
		}
		for _, e := range p.Items {
			msg.Enforcements = append(msg.Enforcements, e.ID)
		}
		return msg
	}
}

// ExecutionsLookupCmd looks the executions of enforcement enf (asked for
// row id) up (executions?enforcement=ID), cached.
func ExecutionsLookupCmd(reqCtx func() (context.Context, context.CancelFunc), api *common.API, cache *common.Cache, gen int, id, enf int64, refresh bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := reqCtx()
		defer cancel()
		q := client.ExecutionListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: ScanPerPage}, Enforcement: enf}
		p, err := common.Cached(cache, "outcome:executions:"+strconv.FormatInt(enf, 10), refresh, func() (*client.Page[client.ExecutionSummary], *client.Response, error) {
			return api.Executions.List(ctx, &q)
		})
		msg := ExecutionsMsg{Gen: gen, ID: id, Enforcement: enf}
		if err != nil {
			msg.Err = fmt.Errorf("executions of enforcement %d: %w", enf, err)
			return msg
		}
		msg.Executions = p.Items
		return msg
	}
}
