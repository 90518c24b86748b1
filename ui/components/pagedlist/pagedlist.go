// Package pagedlist keeps the rows of a server-paged list: which pages are
// loaded, whether there are more, the requests in flight and their sequence
// numbers (so stale answers are dropped), prefetching the next page, and
// merging new rows at the top on auto-refresh.
//
// A view owns a List[R] of its display rows R. The Loader it passes in runs
// inside a tea.Cmd: it calls the API and converts the wire items to rows (the
// one place where untrusted text is made safe), so the UI loop never does.
//
// Rows are assumed to be ordered newest first with an int64 identity.
// Loaded rows are capped at MaxRows: past it, no further page is requested
// and Capped reports true.
package pagedlist

import (
	"context"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Fetched is one page as returned by a Loader.
type Fetched[R any] struct {
	Items   []R
	HasNext bool
	// Total is the total number of items when the server counted them.
	Total *int
}

// Loader loads page (1-based) with perPage rows.
type Loader[R any] func(ctx context.Context, page, perPage int) (Fetched[R], error)

// Kind says what a request was for.
type Kind int

// Request kinds.
const (
	// KindReplace loads page 1 and replaces every row (first load, filter
	// change, manual refresh).
	KindReplace Kind = iota
	// KindAppend loads the next page and appends it.
	KindAppend
	// KindMerge loads page 1 and puts rows newer than the first loaded row
	// on top (auto-refresh).
	KindMerge
)

// PageMsg is the answer to a request. Views route it back to List.Apply.
type PageMsg[R any] struct {
	Gen, Seq int
	Kind     Kind
	Page     int
	Fetched  Fetched[R]
	Err      error
	// At is when the answer arrived (from the clock given to the request).
	At time.Time
	// Sent is how many rows the server sent when the page held more than
	// the row cap left room for (Fetched.Items holds only what fits); 0
	// otherwise.
	Sent int
}

// Change describes what Apply did.
type Change struct {
	// Accepted is false for a stale answer, which changed nothing.
	Accepted bool
	Kind     Kind
	// Replaced is true when every row was replaced (also for a merge that
	// found a gap), so a cursor must be restored by id.
	Replaced bool
	// Added is how many rows were added (at the top for a merge).
	Added int
	// Updated is how many loaded rows a merge replaced with the server's
	// newer version of them (see SetUpdate).
	Updated int
	Err     error
	At      time.Time
}

// List is the paged row store. The zero value is not usable; call New.
type List[R any] struct {
	items   []R
	id      func(R) int64
	perPage int
	maxRows int
	next    int // next page to load
	hasNext bool
	total   *int
	gen     int
	seq     int
	topSeq  int // replace/merge in flight (0 = none)
	moreSeq int // append in flight (0 = none)
	loaded  bool
	err     error
	// sent and kept describe the last page cut at the row cap (sent 0 =
	// none): a server that ignores the page size must not get past it.
	sent, kept int
	// update, when set, merges a loaded row with the server's version of
	// it from a refresh (see SetUpdate).
	update func(old, fresh R, at time.Time) (R, bool)
	// start is the page of the first row (1 unless Seek moved the list).
	start int
}

// SetUpdate makes a merge (Refresh) update the loaded rows the refreshed
// page also holds: f gets the loaded row and the server's version of it
// and returns the row to keep and whether it changed, so a status that
// changed on the server shows without a reload. f must be pure.
func (l List[R]) SetUpdate(f func(old, fresh R, at time.Time) (R, bool)) List[R] {
	l.update = f
	return l
}

// New returns an empty list of perPage-sized pages keeping at most maxRows.
func New[R any](perPage, maxRows int, id func(R) int64) List[R] {
	return List[R]{id: id, perPage: perPage, maxRows: maxRows, next: 1, start: 1}
}

// Start returns the page the first loaded row is on: 1, or the page Seek
// moved the list to.
func (l List[R]) Start() int { return max(l.start, 1) }

// Seek replaces the rows with those of page (fetched by the caller, e.g.
// a jump to a time): paging goes on from there, and requests in flight
// are dropped. A list that does not start at page 1 takes no new rows on
// top (Refresh does nothing) until Reset or Reload.
func (l List[R]) Seek(page int, f Fetched[R]) List[R] {
	l.gen++
	l.topSeq, l.moreSeq = 0, 0
	l.items = slices.Clone(f.Items[:min(len(f.Items), l.maxRows)])
	l.next = page + 1
	l.hasNext = f.HasNext
	l.loaded = true
	l.err = nil
	l.sent, l.kept = 0, 0
	l.start = page
	if f.Total != nil {
		t := *f.Total
		l.total = &t
	}
	return l
}

// Items returns the loaded rows. The slice must not be modified.
func (l List[R]) Items() []R { return l.items }

// Len returns the number of loaded rows.
func (l List[R]) Len() int { return len(l.items) }

// PerPage returns the page size.
func (l List[R]) PerPage() int { return l.perPage }

// Pages returns how many pages are loaded.
func (l List[R]) Pages() int { return l.next - 1 }

// HasNext reports whether the server has more pages.
func (l List[R]) HasNext() bool { return l.hasNext }

// Total returns the server's total, or nil when unknown.
func (l List[R]) Total() *int { return l.total }

// Loaded reports whether a first page has arrived since the last Reset.
func (l List[R]) Loaded() bool { return l.loaded }

// Loading reports whether a replace or merge request is in flight.
func (l List[R]) Loading() bool { return l.topSeq != 0 }

// LoadingMore reports whether a next-page request is in flight.
func (l List[R]) LoadingMore() bool { return l.moreSeq != 0 }

// Err returns the error of the last answer, or nil.
func (l List[R]) Err() error { return l.err }

// Capped reports whether the row cap stops further paging.
func (l List[R]) Capped() bool { return (l.hasNext || l.sent > 0) && len(l.items) >= l.maxRows }

// Cut reports the last page that was cut at the row cap: how many rows the
// server sent and how many were kept (0, 0 when none was).
func (l List[R]) Cut() (sent, kept int) { return l.sent, l.kept }

// Reset forgets every row (e.g. the filter changed) and loads page 1.
// Answers to earlier requests are dropped.
func (l List[R]) Reset(load Loader[R], now func() time.Time, reqCtx RequestContext) (List[R], tea.Cmd) {
	l.items = nil
	l.loaded = false
	l.hasNext = false
	l.total = nil
	l.next = 1
	l.err = nil
	l.sent, l.kept = 0, 0
	return l.Reload(load, now, reqCtx)
}

// Reload loads page 1 and replaces the rows when it arrives; until then the
// old rows stay visible. Answers to earlier requests are dropped.
func (l List[R]) Reload(load Loader[R], now func() time.Time, reqCtx RequestContext) (List[R], tea.Cmd) {
	l.gen++
	l.moreSeq = 0
	return l.request(KindReplace, 1, load, now, reqCtx)
}

// Refresh loads page 1 and merges newer rows on top. It does nothing while
// another page-1 request is in flight.
func (l List[R]) Refresh(load Loader[R], now func() time.Time, reqCtx RequestContext) (List[R], tea.Cmd) {
	if l.topSeq != 0 || l.Start() > 1 {
		return l, nil
	}
	if !l.loaded || len(l.items) == 0 {
		return l.request(KindReplace, 1, load, now, reqCtx)
	}
	return l.request(KindMerge, 1, load, now, reqCtx)
}

// NeedMore reports whether the cursor at row index cursor is close enough to
// the end of the loaded rows (within a third of a page) to fetch the next
// page now.
func (l List[R]) NeedMore(cursor int) bool {
	return l.loaded && l.hasNext && l.moreSeq == 0 && l.topSeq == 0 &&
		len(l.items) < l.maxRows && cursor >= len(l.items)-max(l.perPage/3, 1)
}

// More requests the next page if NeedMore(cursor).
func (l List[R]) More(cursor int, load Loader[R], now func() time.Time, reqCtx RequestContext) (List[R], tea.Cmd) {
	if !l.NeedMore(cursor) {
		return l, nil
	}
	return l.request(KindAppend, l.next, load, now, reqCtx)
}

func (l List[R]) request(kind Kind, page int, load Loader[R], now func() time.Time, reqCtx RequestContext) (List[R], tea.Cmd) {
	l.seq++
	if kind == KindAppend {
		l.moreSeq = l.seq
	} else {
		l.topSeq = l.seq
	}
	gen, seq, per := l.gen, l.seq, l.perPage
	// The row cap holds per page too: a page larger than the room left is
	// cut here, inside the command, so the model never holds the excess.
	room := l.maxRows
	if kind == KindAppend {
		room = max(l.maxRows-len(l.items), 0)
	}
	return l, func() tea.Msg {
		ctx, cancel := reqCtx()
		defer cancel()
		f, err := load(ctx, page, per)
		sent := 0
		if len(f.Items) > room {
			sent = len(f.Items)
			f.Items = slices.Clone(f.Items[:room])
		}
		return PageMsg[R]{Gen: gen, Seq: seq, Kind: kind, Page: page, Fetched: f, Err: err, At: now(), Sent: sent}
	}
}

// RequestContext opens the context of one page request (bounded in time,
// ended with the program); common.Deps.RequestContext is one.
type RequestContext func() (context.Context, context.CancelFunc)

// Apply folds an answer into the list. Stale answers (older generation, or
// not the request in flight) are dropped with Accepted false.
func (l List[R]) Apply(msg PageMsg[R]) (List[R], Change) {
	if msg.Gen != l.gen {
		return l, Change{}
	}
	switch msg.Kind {
	case KindAppend:
		if msg.Seq != l.moreSeq {
			return l, Change{}
		}
		l.moreSeq = 0
	case KindReplace, KindMerge:
		if msg.Seq != l.topSeq {
			return l, Change{}
		}
		l.topSeq = 0
	}
	ch := Change{Accepted: true, Kind: msg.Kind, Err: msg.Err, At: msg.At}
	l.err = msg.Err
	if msg.Err != nil {
		return l, ch // keep the rows we have
	}
	f := msg.Fetched
	if f.Total != nil {
		t := *f.Total
		l.total = &t
	}
	switch msg.Kind {
	case KindReplace:
		l.items = append([]R(nil), f.Items...)
		l.start = 1
		l.next = 2
		l.hasNext = f.HasNext
		l.loaded = true
		ch.Replaced = true
		ch.Added = len(l.items)
	case KindAppend:
		added := l.appendNew(f.Items)
		l.next = msg.Page + 1
		l.hasNext = f.HasNext
		ch.Added = added
	case KindMerge:
		// Ids grow with creation: the page's rows newer than the newest
		// loaded row are new. Loaded rows the page lacks (no longer
		// matching the query) stay where they are.
		top := l.id(l.items[0])
		k := 0
		for k < len(f.Items) && l.id(f.Items[k]) > top {
			k++
		}
		if k == len(f.Items) && f.HasNext {
			k = -1 // every row is new and more follow: a gap
		}
		if k < 0 { // a gap larger than a page: start over from page 1
			l.items = append([]R(nil), f.Items...)
			l.next = 2
			l.hasNext = f.HasNext
			ch.Replaced = true
			ch.Added = len(l.items)
			break
		}
		ch.Updated = l.updateFrom(f.Items[k:], msg.At)
		if k > 0 {
			items := make([]R, 0, k+len(l.items))
			items = append(items, f.Items[:k]...)
			l.items = append(items, l.items...)
		}
		ch.Added = k
	}
	if len(l.items) > l.maxRows { // a merge on top of a full list
		clear(l.items[l.maxRows:])
		l.items = l.items[:l.maxRows]
	}
	if msg.Sent > 0 {
		l.sent, l.kept = msg.Sent, len(f.Items)
	}
	return l, ch
}

// Patch replaces the rows for which f returns a new row (a live change to
// rows already loaded). It copies the rows first, so earlier copies of the
// list keep theirs, and reports whether any row changed.
func (l List[R]) Patch(f func(R) (R, bool)) (List[R], bool) {
	var items []R
	for i, r := range l.items {
		if nr, ok := f(r); ok {
			if items == nil {
				items = slices.Clone(l.items)
			}
			items[i] = nr
		}
	}
	if items == nil {
		return l, false
	}
	l.items = items
	return l, true
}

// updateFrom lets the update function merge fresh, the server's versions
// of loaded rows, into them (matched by id among the first loaded rows);
// it returns how many changed.
func (l *List[R]) updateFrom(fresh []R, at time.Time) int {
	if l.update == nil || len(fresh) == 0 {
		return 0
	}
	byID := make(map[int64]R, len(fresh))
	for _, fr := range fresh {
		byID[l.id(fr)] = fr
	}
	var items []R
	n, seen := 0, 0
	for j := 0; j < len(l.items) && seen < len(fresh) && j < 2*len(fresh)+l.perPage; j++ {
		fr, ok := byID[l.id(l.items[j])]
		if !ok {
			continue
		}
		seen++
		nr, changed := l.update(l.items[j], fr, at)
		if !changed {
			continue
		}
		if items == nil {
			items = slices.Clone(l.items)
		}
		items[j] = nr
		n++
	}
	if items != nil {
		l.items = items
	}
	return n
}

// appendNew appends the rows not already present at the tail (rows shift
// between pages when new ones arrive at the top).
func (l *List[R]) appendNew(rows []R) int {
	tail := l.items[max(len(l.items)-2*l.perPage, 0):]
	seen := make(map[int64]struct{}, len(tail))
	for _, r := range tail {
		seen[l.id(r)] = struct{}{}
	}
	n := 0
	for _, r := range rows {
		if _, dup := seen[l.id(r)]; dup {
			continue
		}
		l.items = append(l.items, r)
		n++
	}
	return n
}
