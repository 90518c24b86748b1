package fanout

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// gauge counts the calls running at once and the most there ever were.
type gauge struct {
	active, peak, calls atomic.Int64
}

func (g *gauge) enter() {
	g.calls.Add(1)
	n := g.active.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (g *gauge) leave() { g.active.Add(-1) }

// drive holds the first limit gated calls until they all run, then lets
// every call through at once, and checks that never more than limit ran
// at once and that the limit was reached.
func drive(t *testing.T, g *gauge, started, gate chan struct{}, limit int) {
	t.Helper()
	for range limit {
		<-started
	}
	if got := g.active.Load(); got != int64(limit) {
		t.Errorf("%d running once %d started, want %d", got, limit, limit)
	}
	close(gate) // the rest now race for the slots
}

// checkPeak checks that g never saw more than limit calls at once, and
// saw limit.
func checkPeak(t *testing.T, g *gauge, limit int) {
	t.Helper()
	if p := g.peak.Load(); p != int64(limit) {
		t.Errorf("at most %d ran at once, want the limit %d", p, limit)
	}
}

func TestCmdBound(t *testing.T) {
	t.Parallel()
	const n, limit = 200, 3
	var g gauge
	started, gate := make(chan struct{}, n), make(chan struct{})
	l := New(limit)
	answers := make(chan tea.Msg, n)
	for i := range n {
		cmd := l.Cmd(context.Background(), func() tea.Msg {
			g.enter()
			defer g.leave()
			started <- struct{}{}
			<-gate
			runtime.Gosched() // give a call past the bound a chance to show
			return i
		})
		go func() { answers <- cmd() }() // as Bubble Tea runs a command
	}
	drive(t, &g, started, gate, limit)
	// All limit slots are held: any further command has to wait.
	if len(l.slots) != limit || cap(l.slots) != limit {
		t.Errorf("%d of %d slots held while %d run, want all of %d", len(l.slots), cap(l.slots), limit, limit)
	}
	seen := map[int]bool{}
	for range n {
		seen[(<-answers).(int)] = true
	}
	if len(seen) != n || g.calls.Load() != n {
		t.Errorf("answers for %d of %d commands, %d calls", len(seen), n, g.calls.Load())
	}
	checkPeak(t, &g, limit)
}

func TestRunBound(t *testing.T) {
	t.Parallel()
	const n, limit = 200, 4
	var g gauge
	started, gate := make(chan struct{}, n), make(chan struct{})
	items := make([]int, n)
	for i := range items {
		items[i] = i
	}
	done := make(chan []Result[int, int])
	go func() {
		done <- Run(context.Background(), limit, items, func(_ context.Context, i int) (int, error) {
			g.enter()
			defer g.leave()
			started <- struct{}{}
			<-gate
			runtime.Gosched()
			return i * 10, nil
		})
	}()
	drive(t, &g, started, gate, limit)
	res := <-done
	checkPeak(t, &g, limit)
	if len(res) != n {
		t.Fatalf("%d results for %d items", len(res), n)
	}
	for i, r := range res {
		if r.Item != i || r.Value != i*10 || r.Err != nil {
			t.Errorf("result %d = %+v, want item %d value %d", i, r, i, i*10)
		}
	}
}

// TestCmdCancelStopsQueued: commands waiting for a slot give up without
// running once their context ends; the one running finishes.
func TestCmdCancelStopsQueued(t *testing.T) {
	t.Parallel()
	l := New(1)
	ctx, cancel := context.WithCancel(context.Background())
	started, gate := make(chan struct{}), make(chan struct{})
	var queuedRan atomic.Int64
	first := l.Cmd(ctx, func() tea.Msg {
		close(started)
		<-gate
		return "first"
	})
	queued := l.Cmd(ctx, func() tea.Msg {
		queuedRan.Add(1)
		return "queued"
	})
	firstAnswer, queuedAnswers := make(chan tea.Msg, 1), make(chan tea.Msg, 3)
	go func() { firstAnswer <- first() }()
	<-started
	for range 3 {
		go func() { queuedAnswers <- queued() }()
	}
	cancel()
	for range 3 {
		if msg := <-queuedAnswers; msg != nil {
			t.Errorf("a cancelled queued command answered %v", msg)
		}
	}
	close(gate)
	if msg := <-firstAnswer; msg != "first" {
		t.Errorf("the running command answered %v", msg)
	}
	if n := queuedRan.Load(); n != 0 {
		t.Errorf("%d cancelled commands ran", n)
	}
	// A free slot does not start work whose context already ended.
	if msg := queued(); msg != nil || queuedRan.Load() != 0 {
		t.Errorf("a command with an ended context ran: %v", msg)
	}
}

// TestRunCancelStopsQueued: items not started when the context ends are
// not run and answer the context's error; every item has a result.
func TestRunCancelStopsQueued(t *testing.T) {
	t.Parallel()
	const n, limit = 10, 2
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, n)
	var calls atomic.Int64
	items := make([]int, n)
	for i := range items {
		items[i] = i
	}
	done := make(chan []Result[int, string])
	go func() {
		done <- Run(ctx, limit, items, func(ctx context.Context, i int) (string, error) {
			calls.Add(1)
			started <- struct{}{}
			<-ctx.Done()
			return "", fmt.Errorf("item %d: %w", i, ctx.Err())
		})
	}()
	for range limit {
		<-started
	}
	cancel()
	res := <-done
	if got := calls.Load(); got != limit {
		t.Errorf("fn ran %d times, want %d (the ones started before cancel)", got, limit)
	}
	if len(res) != n {
		t.Fatalf("%d results for %d items", len(res), n)
	}
	for i, r := range res {
		if r.Item != i || !errors.Is(r.Err, context.Canceled) {
			t.Errorf("result %d = %+v, want item %d cancelled", i, r, i)
		}
	}
}

// TestRunPerItemErrors: a failing item does not fail the others; each
// result carries its own error.
func TestRunPerItemErrors(t *testing.T) {
	t.Parallel()
	items := []string{"a", "bad-b", "c", "bad-d", "e"}
	res := Run(context.Background(), 2, items, func(_ context.Context, s string) (int, error) {
		if s[0] == 'b' {
			return 0, fmt.Errorf("get %s: boom", s)
		}
		return len(s), nil
	})
	if len(res) != len(items) {
		t.Fatalf("%d results for %d items", len(res), len(items))
	}
	for i, r := range res {
		switch {
		case r.Item != items[i]:
			t.Errorf("result %d is for %q, want %q", i, r.Item, items[i])
		case r.Item[0] == 'b' && (r.Err == nil || r.Err.Error() != "get "+r.Item+": boom"):
			t.Errorf("result %d error = %v, want its own", i, r.Err)
		case r.Item[0] != 'b' && (r.Err != nil || r.Value != 1):
			t.Errorf("result %d = %+v, want value 1 and no error", i, r)
		}
	}
	if res := Run(context.Background(), 3, []int(nil), func(context.Context, int) (int, error) { return 0, nil }); len(res) != 0 {
		t.Errorf("no items gave %d results", len(res))
	}
}

// TestZeroLimiter: the zero Limiter runs commands without a bound; New
// with a limit below one still lets one run.
func TestZeroLimiter(t *testing.T) {
	t.Parallel()
	var l Limiter
	if msg := l.Cmd(context.Background(), func() tea.Msg { return 1 })(); msg != 1 {
		t.Errorf("zero Limiter answered %v", msg)
	}
	if l.Cmd(context.Background(), nil) != nil {
		t.Error("a nil command was wrapped")
	}
	if msg := New(0).Cmd(context.Background(), func() tea.Msg { return 2 })(); msg != 2 {
		t.Errorf("New(0) answered %v", msg)
	}
}
