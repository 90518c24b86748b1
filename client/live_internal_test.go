package client

import (
	"context"
	"errors"
	"testing"
)

func TestLiveQueueBoundsAndGaps(t *testing.T) {
	t.Parallel()
	q := newLiveQueue(3)
	note := func(id int64) LiveEvent {
		return LiveEvent{Kind: LiveNotification, Notification: &Notification{EntityID: id}}
	}
	for i := int64(1); i <= 10; i++ {
		q.push(note(i))
	}
	q.push(LiveEvent{Kind: LiveGap, Gap: &Gap{Reconnected: true}}) // merges into the trailing drop gap
	if len(q.q) != 4 {
		t.Fatalf("queue holds %d events, want 3 and a gap", len(q.q))
	}
	ctx := context.Background()
	for i := int64(1); i <= 2; i++ {
		ev, err := q.next(ctx)
		if err != nil || ev.Notification.EntityID != i {
			t.Fatalf("next = %+v, %v", ev, err)
		}
	}
	q.push(note(11)) // queue is [3, gap]: room, appended after the gap
	q.push(note(12)) // full again: counted in a new trailing gap
	want := []string{"notification 3", "gap 7 true", "notification 11", "gap 1 false"}
	for _, w := range want {
		ev, err := q.next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := ev.Kind.String()
		if ev.Kind == LiveNotification {
			got += " " + itoa(ev.Notification.EntityID)
		} else {
			got += " " + itoa(int64(ev.Gap.Dropped)) + " " + map[bool]string{true: "true", false: "false"}[ev.Gap.Reconnected]
		}
		if got != w {
			t.Errorf("got %q, want %q", got, w)
		}
	}
	// A fatal end is returned after the queue drains; Close wins at once.
	q.push(note(13))
	fatalErr := errors.New("fatal")
	q.finish(fatalErr)
	q.push(note(14)) // ignored after the end
	if ev, err := q.next(ctx); err != nil || ev.Notification.EntityID != 13 {
		t.Fatalf("next = %+v, %v", ev, err)
	}
	if _, err := q.next(ctx); !errors.Is(err, fatalErr) {
		t.Fatalf("err = %v", err)
	}
	q.finish(ErrLiveClosed)
	if _, err := q.next(ctx); !errors.Is(err, ErrLiveClosed) {
		t.Fatalf("err = %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := newLiveQueue(1).next(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled next = %v", err)
	}
}

func itoa(i int64) string { return idParam(i) }
