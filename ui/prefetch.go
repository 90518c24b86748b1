package ui

import (
	"context"
	"sync"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
)

// Prefetch starts the request for the first page of the event list, the
// screen New opens when signed in, right away, so that it runs while the
// program sets the terminal up instead of after. It returns deps.API with
// that one answer kept: the first ListEvents call asking for that page
// takes it (waiting while it is in flight, or until its own ctx ends), and
// every other call goes to deps.API. The request runs under ctx and
// deps' request timeout. With no API (the login form comes first) it
// returns nil.
func Prefetch(ctx context.Context, deps common.Deps) common.API {
	if deps.API == nil {
		return nil
	}
	deps = deps.WithDefaults()
	p := &prefetched{API: deps.API, q: common.EventQuery{Page: 1, PerPage: deps.PerPage}, done: make(chan struct{})}
	api, q := deps.API, p.q
	go func() {
		defer close(p.done)
		ctx, cancel := context.WithTimeout(ctx, deps.RequestTimeout)
		defer cancel()
		p.page, p.err = api.ListEvents(ctx, q)
	}()
	return p
}

// prefetched is an API whose first ListEvents answer for q was asked for
// before anyone called.
type prefetched struct {
	common.API
	q    common.EventQuery
	done chan struct{} // closed when page and err are set
	page *client.Page[client.EventSummary]
	err  error

	mu    sync.Mutex
	taken bool
}

// ListEvents implements common.API.
func (p *prefetched) ListEvents(ctx context.Context, q common.EventQuery) (*client.Page[client.EventSummary], error) {
	if q != p.q || !p.take() {
		return p.API.ListEvents(ctx, q)
	}
	select {
	case <-p.done:
		return p.page, p.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// take claims the prefetched answer; only the first caller gets it.
func (p *prefetched) take() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.taken {
		return false
	}
	p.taken = true
	return true
}
