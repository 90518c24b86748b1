package ui

import (
	"context"
	"errors"
	"testing"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// askedEvents reports each List query on asked before calling through.
type askedEvents struct {
	common.EventsAPI
	asked chan client.EventListOptions
}

func (a askedEvents) List(ctx context.Context, q *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error) {
	a.asked <- *q
	return a.EventsAPI.List(ctx, q)
}

// TestPrefetchFirstPage: the first page is asked for before the program
// exists, and the event list draws that answer without asking again.
func TestPrefetchFirstPage(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	asked := make(chan client.EventListOptions, 8)
	api.Events = askedEvents{EventsAPI: api.Events, asked: asked}
	deps := uitest.Deps(api)
	deps.Lifetime = t.Context()
	deps.API = Prefetch(t.Context(), deps)
	if q := <-asked; q != (client.EventListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: deps.PerPage}}) {
		t.Fatalf("prefetched %+v", q)
	}

	tm := start(t, deps, 120, 40)
	wait(t, tm, "page 1", "✗1")
	if n := ds.Server.Requests("/api/v1/events"); n != 1 {
		t.Errorf("%d requests for the event list, want 1 (the prefetched one)", n)
	}
	select {
	case q := <-asked:
		t.Errorf("the event list asked again: %+v", q)
	default:
	}
}

// TestPrefetchAnswersOnce: only the first call for the page gets the kept
// answer; later ones (a refresh) and other queries ask the server.
func TestPrefetchAnswersOnce(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	deps := uitest.Deps(api)
	pre := Prefetch(t.Context(), deps)
	first := client.EventListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: deps.PerPage}}
	for i, q := range []client.EventListOptions{first, first, {ListOptions: client.ListOptions{Page: 2, PerPage: deps.PerPage}}} {
		p, _, err := pre.Events.List(t.Context(), &q)
		if err != nil || len(p.Items) == 0 {
			t.Fatalf("call %d: %v, %v", i, p, err)
		}
	}
	if n := ds.Server.Requests("/api/v1/events"); n != 3 {
		t.Errorf("%d requests, want 3 (prefetch, refresh, page 2)", n)
	}
	if Prefetch(t.Context(), common.Deps{}) != nil {
		t.Error("Prefetch without an API returned one")
	}
}

// TestPrefetchWaitHonoursContext: a caller waiting for a prefetch still in
// flight gives up when its own context ends.
func TestPrefetchWaitHonoursContext(t *testing.T) {
	t.Parallel()
	lifetime, stop := context.WithCancel(t.Context())
	defer stop()
	deps := uitest.Deps(blockingAPI()) // never answers before its ctx ends
	pre := Prefetch(lifetime, deps)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := pre.Events.List(ctx, &client.EventListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: deps.PerPage}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
