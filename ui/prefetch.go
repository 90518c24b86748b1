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
// that one answer kept: the first Events.List call asking for that page
// takes it (waiting while it is in flight, or until its own ctx ends), and
// every other call goes to deps.API. The request runs under ctx and
// deps' request timeout. With no API (the login form comes first) it
// returns nil.
func Prefetch(ctx context.Context, deps common.Deps) *common.API {
	if deps.API == nil {
		return nil
	}
	deps = deps.WithDefaults()
	p := &prefetched{EventsAPI: deps.API.Events, q: client.EventListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: deps.PerPage}}, done: make(chan struct{})}
	events, q := deps.API.Events, p.q
	go func() {
		defer close(p.done)
		ctx, cancel := context.WithTimeout(ctx, deps.RequestTimeout)
		defer cancel()
		p.page, p.resp, p.err = events.List(ctx, &q)
	}()
	api := *deps.API
	api.Events = p
	return &api
}

// prefetched is an events service whose first List answer for q was asked
// for before anyone called.
type prefetched struct {
	common.EventsAPI
	q    client.EventListOptions
	done chan struct{} // closed when page and err are set
	page *client.Page[client.EventSummary]
	resp *client.Response
	err  error

	mu    sync.Mutex
	taken bool
}

// List implements common.EventsAPI.
func (p *prefetched) List(ctx context.Context, q *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error) {
	if q == nil || *q != p.q || !p.take() {
		return p.EventsAPI.List(ctx, q)
	}
	select {
	case <-p.done:
		return p.page, p.resp, p.err
	case <-ctx.Done():
		return nil, nil, ctx.Err()
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
