package pagedlist

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/attune-tui/attune-tui/ui/components/fanout"
)

// MergeFetch reads page (1-based, per rows) of one stream of a Merger: its
// rows newest first and whether more follow.
type MergeFetch[T any] func(ctx context.Context, stream string, page, per int) (items []T, hasNext bool, err error)

// MaxMergeFetches is how many page requests one merge makes at once (a
// wildcard expands to at most 20 refs; problems only adds the statuses).
const MaxMergeFetches = 8

// Merger serves one list that is the k-way merge, newest first, of several
// server lists ("streams": one per status, or per ref a wildcard expanded
// to), when the API filters by one value at a time. Merged page N holds
// rows (N-1)·per … N·per of that merge; to know them, each stream is read
// page by page until its last row read sorts after the N·per-th merged row
// (or it ends), so no older row is shown before a newer one on any page.
// The pages read are kept and dropped when page 1 is asked again (a
// refresh starts from a fresh view). The zero value is ready to use; one
// Merger serves one query, from concurrent commands.
type Merger[T any] struct {
	mu    sync.Mutex
	pages map[mergePage]mergeAnswer[T]
}

// mergePage names one page of one stream.
type mergePage struct {
	stream string
	page   int
}

type mergeAnswer[T any] struct {
	items   []T
	hasNext bool
}

// mergeStream is what has been read of one stream.
type mergeStream[T any] struct {
	name  string
	items []T
	pages int
	more  bool
}

// Page returns merged page n (of per rows) of streams and whether more
// rows follow. order sorts two rows newest first (negative when a comes
// first); id identifies a row (a row read twice, because it moved between
// pages while they were read, is kept once).
func (mg *Merger[T]) Page(ctx context.Context, streams []string, fetch MergeFetch[T], order func(a, b T) int, id func(T) int64,
	n, per int) ([]T, bool, error) {
	mg.mu.Lock()
	defer mg.mu.Unlock()
	if n <= 1 || mg.pages == nil {
		mg.pages = map[mergePage]mergeAnswer[T]{}
	}
	st := make([]mergeStream[T], len(streams))
	for i, s := range streams {
		st[i] = mergeStream[T]{name: s, more: true}
	}
	need := n * per
	var merged []T
	// Each round reads one more page of every stream that may still hide
	// a row among the first need merged rows; a stream that ends or
	// answers an empty page is done. The bound stops a server that never
	// ends.
	for round := 0; round < n+len(st)+64; round++ {
		var which []int
		var cut *T
		if len(merged) >= need {
			cut = &merged[need-1]
		}
		for i, s := range st {
			if !s.more {
				continue
			}
			if s.pages == 0 || cut == nil || order(*cut, s.items[len(s.items)-1]) >= 0 {
				which = append(which, i)
			}
		}
		if len(which) == 0 {
			break
		}
		if err := mg.fetch(ctx, fetch, per, st, which); err != nil {
			return nil, false, err
		}
		merged = mergeNewestFirst(st, order, id)
	}
	more := len(merged) > need
	for _, s := range st {
		more = more || s.more
	}
	lo, hi := min((n-1)*per, len(merged)), min(need, len(merged))
	return merged[lo:hi], more, nil
}

// fetch reads the next page of the streams listed in which, at most
// MaxMergeFetches at once (fanout.Run), from the pages kept when it has
// them.
func (mg *Merger[T]) fetch(ctx context.Context, fetch MergeFetch[T], per int, st []mergeStream[T], which []int) error {
	keys := make([]mergePage, len(which))
	var missing []mergePage
	for k, i := range which {
		keys[k] = mergePage{stream: st[i].name, page: st[i].pages + 1}
		if _, ok := mg.pages[keys[k]]; !ok {
			missing = append(missing, keys[k])
		}
	}
	for _, r := range fanout.Run(ctx, MaxMergeFetches, missing, func(ctx context.Context, key mergePage) (mergeAnswer[T], error) {
		var a mergeAnswer[T]
		var err error
		a.items, a.hasNext, err = fetch(ctx, key.stream, key.page, per)
		return a, err
	}) {
		if r.Err != nil {
			return fmt.Errorf("list %s: %w", r.Item.stream, r.Err)
		}
		mg.pages[r.Item] = r.Value
	}
	for k, i := range which {
		s := &st[i]
		p := mg.pages[keys[k]]
		s.pages++
		s.items = append(s.items, p.items...)
		s.more = p.hasNext && len(p.items) > 0
	}
	return nil
}

// mergeNewestFirst merges the streams' rows in order, each row once.
func mergeNewestFirst[T any](st []mergeStream[T], order func(a, b T) int, id func(T) int64) []T {
	n := 0
	for _, s := range st {
		n += len(s.items)
	}
	out := make([]T, 0, n)
	seen := make(map[int64]bool, n)
	for _, s := range st {
		for _, it := range s.items {
			if k := id(it); !seen[k] {
				seen[k] = true
				out = append(out, it)
			}
		}
	}
	slices.SortFunc(out, order)
	return out
}
