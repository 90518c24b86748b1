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

// askedAPI reports each ListEvents query on asked before calling through.
type askedAPI struct {
	common.API
	asked chan common.EventQuery
}

func (a askedAPI) ListEvents(ctx context.Context, q common.EventQuery) (*client.Page[client.EventSummary], error) {
	a.asked <- q
	return a.API.ListEvents(ctx, q)
}

// TestPrefetchFirstPage: the first page is asked for before the program
// exists, and the event list draws that answer without asking again.
func TestPrefetchFirstPage(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	asked := make(chan common.EventQuery, 8)
	deps := uitest.Deps(askedAPI{API: api, asked: asked})
	deps.Lifetime = t.Context()
	deps.API = Prefetch(t.Context(), deps)
	if q := <-asked; q != (common.EventQuery{Page: 1, PerPage: deps.PerPage}) {
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
	first := common.EventQuery{Page: 1, PerPage: deps.PerPage}
	for i, q := range []common.EventQuery{first, first, {Page: 2, PerPage: deps.PerPage}} {
		p, err := pre.ListEvents(t.Context(), q)
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

// stuckAPI never answers ListEvents before its ctx ends.
type stuckAPI struct{ common.API }

func (stuckAPI) ListEvents(ctx context.Context, _ common.EventQuery) (*client.Page[client.EventSummary], error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestPrefetchWaitHonoursContext: a caller waiting for a prefetch still in
// flight gives up when its own context ends.
func TestPrefetchWaitHonoursContext(t *testing.T) {
	t.Parallel()
	lifetime, stop := context.WithCancel(t.Context())
	defer stop()
	deps := uitest.Deps(stuckAPI{})
	pre := Prefetch(lifetime, deps)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := pre.ListEvents(ctx, common.EventQuery{Page: 1, PerPage: deps.PerPage}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
