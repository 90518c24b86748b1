package pagedlist

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ids(l List[int64]) []int64 { return append([]int64(nil), l.Items()...) }

func self(v int64) int64 { return v }

// server serves ids top..1 newest first.
func server(top *int64) Loader[int64] {
	return func(_ context.Context, page, per int) (Fetched[int64], error) {
		var items []int64
		for id := *top - int64((page-1)*per); id >= 1 && len(items) < per; id-- {
			items = append(items, id)
		}
		return Fetched[int64]{Items: items, HasNext: *top-int64(page*per) >= 1}, nil
	}
}

func now() time.Time { return time.Unix(0, 0) }

func run(t *testing.T, l List[int64], cmd func() any) (List[int64], Change) {
	t.Helper()
	msg, ok := cmd().(PageMsg[int64])
	if !ok {
		t.Fatalf("command returned %T", msg)
	}
	return l.Apply(msg)
}

func TestListFlow(t *testing.T) {
	t.Parallel()
	top := int64(10)
	load := server(&top)
	l := New[int64](3, 100, self)
	l, cmd := l.Reset(load, now, reqCtx)
	l, ch := run(t, l, func() any { return cmd() })
	if !ch.Accepted || !ch.Replaced || !cmp.Equal(ids(l), []int64{10, 9, 8}) {
		t.Fatalf("first page: %v %+v", ids(l), ch)
	}
	if l.NeedMore(0) {
		t.Error("NeedMore at the top of a 3-row page")
	}
	l, cmd = l.More(2, load, now, reqCtx)
	if cmd == nil || !l.LoadingMore() {
		t.Fatal("More near the end did not request")
	}
	if _, again := l.More(2, load, now, reqCtx); again != nil {
		t.Error("a second More while one is in flight requested again")
	}
	// Two new events arrive before page 2 is answered: page 2 now overlaps.
	top = 12
	l, ch = run(t, l, func() any { return cmd() })
	// Page 2 is now 9, 8, 7: the rows already shown are skipped.
	if !cmp.Equal(ids(l), []int64{10, 9, 8, 7}) || ch.Added != 1 {
		t.Errorf("append with overlap: %v added %d, want 10..7 added 1", ids(l), ch.Added)
	}
	l, cmd = l.Refresh(load, now, reqCtx)
	l, ch = run(t, l, func() any { return cmd() })
	if !cmp.Equal(ids(l), []int64{12, 11, 10, 9, 8, 7}) || ch.Added != 2 || ch.Replaced {
		t.Errorf("merge: %v %+v", ids(l), ch)
	}
	// A gap larger than a page replaces everything.
	top = 30
	l, cmd = l.Refresh(load, now, reqCtx)
	l, ch = run(t, l, func() any { return cmd() })
	if !ch.Replaced || !cmp.Equal(ids(l), []int64{30, 29, 28}) {
		t.Errorf("merge with gap: %v %+v", ids(l), ch)
	}
}

func TestStaleAndErrors(t *testing.T) {
	t.Parallel()
	top := int64(10)
	load := server(&top)
	l := New[int64](3, 100, self)
	l, old := l.Reset(load, now, reqCtx)
	l, cur := l.Reload(load, now, reqCtx)
	if _, ch := l.Apply(old().(PageMsg[int64])); ch.Accepted {
		t.Error("an answer from an older generation was accepted")
	}
	l, ch := l.Apply(cur().(PageMsg[int64]))
	if !ch.Accepted {
		t.Fatal("the current answer was dropped")
	}
	failing := func(context.Context, int, int) (Fetched[int64], error) { return Fetched[int64]{}, errors.New("down") }
	l, cmd := l.Reload(failing, now, reqCtx)
	l, ch = l.Apply(cmd().(PageMsg[int64]))
	if ch.Err == nil || l.Len() != 3 || l.Err() == nil {
		t.Errorf("failed reload: rows %d err %v, want the 3 old rows and the error", l.Len(), ch.Err)
	}
}

func TestCap(t *testing.T) {
	t.Parallel()
	top := int64(100)
	load := server(&top)
	l := New[int64](5, 10, self)
	l, cmd := l.Reset(load, now, reqCtx)
	l, _ = l.Apply(cmd().(PageMsg[int64]))
	l, cmd = l.More(4, load, now, reqCtx)
	l, _ = l.Apply(cmd().(PageMsg[int64]))
	if l.Len() != 10 || !l.Capped() || l.NeedMore(9) {
		t.Errorf("len %d capped %v needMore %v, want 10 true false", l.Len(), l.Capped(), l.NeedMore(9))
	}
}

// reqCtx is the request context of the tests: a second, like a short timeout.
func reqCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Second)
}

// rec is a row with a status, for the in-place update of a merge.
type rec struct {
	id     int64
	status string
}

// TestMergeUpdatesRows: a refresh replaces the loaded rows it brings again
// through the update function (new rows still go on top), and stops at
// the first row that is not where it was.
func TestMergeUpdatesRows(t *testing.T) {
	t.Parallel()
	rows := []rec{{5, "running"}, {4, "running"}, {3, "running"}}
	load := func(_ context.Context, page, per int) (Fetched[rec], error) {
		return Fetched[rec]{Items: append([]rec(nil), rows[:min(per, len(rows))]...)}, nil
	}
	upd := func(old, fresh rec, _ time.Time) (rec, bool) { return fresh, fresh.status != old.status }
	l := New[rec](3, 100, func(r rec) int64 { return r.id }).SetUpdate(upd)
	apply := func(l List[rec], cmd func() any) (List[rec], Change) {
		t.Helper()
		msg, ok := cmd().(PageMsg[rec])
		if !ok {
			t.Fatalf("command returned %T", msg)
		}
		return l.Apply(msg)
	}
	l, cmd := l.Reset(load, now, reqCtx)
	l, _ = apply(l, func() any { return cmd() })
	// A new row arrives and row 4 finishes.
	rows = []rec{{6, "requested"}, {5, "running"}, {4, "failed"}}
	l, cmd = l.Refresh(load, now, reqCtx)
	l, ch := apply(l, func() any { return cmd() })
	want := []rec{{6, "requested"}, {5, "running"}, {4, "failed"}, {3, "running"}}
	if ch.Added != 1 || ch.Updated != 1 || !cmp.Equal(l.Items(), want, cmp.AllowUnexported(rec{})) {
		t.Fatalf("merge: added %d updated %d, rows %+v; want 1, 1, %+v", ch.Added, ch.Updated, l.Items(), want)
	}
	// Rows 6 and 5 left the query (a status filter no longer matches
	// them): they stay where they were, nothing counts as new, and the
	// rows below them still update.
	rows = []rec{{4, "cancelled"}, {3, "running"}, {2, "running"}}
	l, cmd = l.Refresh(load, now, reqCtx)
	l, ch = apply(l, func() any { return cmd() })
	want = []rec{{6, "requested"}, {5, "running"}, {4, "cancelled"}, {3, "running"}}
	if ch.Added != 0 || ch.Replaced || ch.Updated != 1 || !cmp.Equal(l.Items(), want, cmp.AllowUnexported(rec{})) {
		t.Errorf("rows that left: added %d replaced %v updated %d, rows %+v; want %+v", ch.Added, ch.Replaced, ch.Updated, l.Items(), want)
	}
}
