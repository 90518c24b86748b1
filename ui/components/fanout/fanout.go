// Package fanout is the one way views run API requests in parallel: a
// bound on how many run at once, cancellation of the ones still waiting,
// and an answer (value or error) per piece of work.
//
// It has two entry points over the same primitive, a Limiter (a counting
// semaphore):
//
//   - Limiter.Cmd, for views whose requests each answer with their own
//     message and fill the screen in as they arrive (the trace tree, the
//     rules panel). The view keeps one Limiter for its lifetime and wraps
//     every request command with it; the command waits for a slot in its
//     own goroutine (Bubble Tea runs each command in one) and gives up
//     without a request once the load's context ends. Every answer still
//     carries the view's load sequence number, so one that was already in
//     flight when the view reloaded is dropped by Update.
//   - Run, for one command that needs every answer of a batch in one
//     message (a ":where" batch): it blocks until each item has a Result,
//     its own value or error, in item order.
//
// Why a semaphore the commands wait on, not a queue the model pumps: the
// requests of a view answer with different message types and a queue in
// the model needs every answer to come back through it to free a slot, a
// counter that has to be reset right on every reload and every error path.
// Wrapping the command keeps the bound out of the model: call sites only
// wrap, Update stays as it was, and the model holds no counter to get
// wrong. The Limiter's channel is the only thing copies of a model share
// (as they share the answer cache); no goroutine writes model state, and
// there is no package-level state.
package fanout

import (
	"context"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// Limiter bounds how many pieces of work run at once. It is a value: copies
// share the bound. The zero value sets no bound; use New.
type Limiter struct {
	slots chan struct{}
}

// New returns a Limiter that lets at most limit pieces of work run at once
// (at least one).
func New(limit int) Limiter {
	return Limiter{slots: make(chan struct{}, max(limit, 1))}
}

// acquire waits for a free slot; it fails with ctx's error, taking no
// slot, when ctx ends first (or has ended already).
func (l Limiter) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.slots == nil {
		return nil
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Both cases may have been ready; work that was cancelled never
	// starts.
	if err := ctx.Err(); err != nil {
		l.release()
		return err
	}
	return nil
}

func (l Limiter) release() {
	if l.slots != nil {
		<-l.slots
	}
}

// do waits for a slot, runs f and frees the slot. When ctx ends before a
// slot is free, f does not run and do returns ctx's error.
func (l Limiter) do(ctx context.Context, f func()) error {
	if err := l.acquire(ctx); err != nil {
		return err
	}
	defer l.release()
	f()
	return nil
}

// Cmd returns cmd bounded by l: it waits for a slot, runs cmd and frees the
// slot when cmd returns (commands in a tea.BatchMsg it returns are not
// bounded). When ctx ends first, cmd does not run and the command answers
// nil, which Bubble Tea ignores: cancel ctx when the view reloads or
// closes, and its waiting requests are never made. ctx only governs the
// wait; cmd makes its own request context.
func (l Limiter) Cmd(ctx context.Context, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		var msg tea.Msg
		_ = l.do(ctx, func() { msg = cmd() }) // cancelled: no message
		return msg
	}
}

// Result is the answer for one item of Run: fn's value, or its error.
type Result[T, R any] struct {
	Item  T
	Value R
	Err   error
}

// Run calls fn for each item, at most limit at once (at least one), and
// returns one Result per item, in item order, once all have answered. An
// error of one item does not stop the others. Items whose turn comes after
// ctx ended are not run: their Err is ctx's error.
func Run[T, R any](ctx context.Context, limit int, items []T, fn func(context.Context, T) (R, error)) []Result[T, R] {
	out := make([]Result[T, R], len(items))
	l := New(limit)
	var wg sync.WaitGroup
	for i, it := range items {
		out[i].Item = it
		if err := l.acquire(ctx); err != nil {
			out[i].Err = err
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer l.release()
			out[i].Value, out[i].Err = fn(ctx, it)
		}()
	}
	wg.Wait()
	return out
}
