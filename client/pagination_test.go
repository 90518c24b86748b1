package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attune-tui/attune-tui/client"
)

// pagedEvents serves 3 pages of 2 events (ids 1..6) and counts requests.
func pagedEvents(t *testing.T, mux *http.ServeMux, calls *atomic.Int32) {
	t.Helper()
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if got := r.URL.Query().Get("per_page"); got != "2" {
			t.Errorf("per_page = %q, want 2 on every page", got)
		}
		if got := r.URL.Query().Get("trigger_ref"); got != "core.timer" {
			t.Errorf("filters must be kept across pages, trigger_ref = %q", got)
		}
		if page < 1 || page > 3 {
			t.Errorf("page = %d", page)
		}
		body := fmt.Sprintf(`{"items":[{"id":%d,"trigger_ref":"core.timer","has_payload":false,"created":"2026-06-11T14:02:41Z"},
			{"id":%d,"trigger_ref":"core.timer","has_payload":false,"created":"2026-06-11T14:02:41Z"}],
			"pagination":{"page":%d,"page_size":2,"has_previous":%t,"has_next":%t}}`, 2*page-1, 2*page, page, page > 1, page < 3)
		writeJSON(w, 200, []byte(body))
	})
}

func TestAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	pagedEvents(t, mux, &calls)
	var ids []int64
	for ev, err := range c.Events.All(t.Context(), &client.EventListOptions{ListOptions: client.ListOptions{PerPage: 2}, TriggerRef: "core.timer"}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ID)
	}
	if diff := cmp.Diff([]int64{1, 2, 3, 4, 5, 6}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if calls.Load() != 3 {
		t.Errorf("calls = %d, want 3", calls.Load())
	}
}

func TestAllStopsOnContextCancel(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	pagedEvents(t, mux, &calls)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var ids []int64
	var gotErr error
	for ev, err := range c.Events.All(ctx, &client.EventListOptions{ListOptions: client.ListOptions{PerPage: 2}, TriggerRef: "core.timer"}) {
		if err != nil {
			gotErr = err
			break
		}
		ids = append(ids, ev.ID)
		if ev.ID == 3 {
			cancel()
		}
	}
	if !errors.Is(gotErr, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", gotErr)
	}
	if diff := cmp.Diff([]int64{1, 2, 3}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if calls.Load() != 2 {
		t.Errorf("calls = %d, want 2 (no page fetched after cancel)", calls.Load())
	}
}

func TestAllStopsOnError(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /api/v1/rules", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Query().Get("page") == "2" {
			writeJSON(w, 403, []byte(`{"error":"Insufficient permissions: rules:read","code":"FORBIDDEN"}`))
			return
		}
		writeJSON(w, 200, []byte(`{"items":[{"id":1,"ref":"a.b","pack_ref":"a","label":"x","action_ref":"c.d","trigger_ref":"e.f","action_params":{},"trigger_params":{},
			"enabled":true,"created":"2026-06-11T14:02:41Z","updated":"2026-06-11T14:02:41Z"}],
			"pagination":{"page":1,"page_size":1,"total_items":5,"total_pages":5,"has_previous":false,"has_next":true}}`))
	})
	var n, errs int
	for _, err := range c.Rules.All(t.Context(), &client.RuleListOptions{PageOptions: client.PageOptions{PageSize: 1}}) {
		if err != nil {
			errs++
			if !errors.Is(err, client.ErrForbidden) {
				t.Errorf("err = %v", err)
			}
			continue // the iterator must end by itself
		}
		n++
	}
	if n != 1 || errs != 1 || calls.Load() != 2 {
		t.Errorf("items %d, errors %d, calls %d; want 1, 1, 2", n, errs, calls.Load())
	}
}

func TestAllStopsOnEmptyPage(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /api/v1/enforcements/7/executions", func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		writeJSON(w, 200, []byte(`{"items":[],"pagination":{"page":1,"page_size":50,"total_items":0,"total_pages":0,"has_previous":false,"has_next":true}}`))
	})
	for _, err := range c.Enforcements.AllExecutions(t.Context(), 7, nil) {
		t.Errorf("no items expected, got err %v", err)
	}
	if calls.Load() != 1 {
		t.Errorf("calls = %d: an empty page must end the walk", calls.Load())
	}
}

func TestPageHelpers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		page       *client.Page[int]
		next, prev bool
		total      int
		hasTotal   bool
	}{
		{"nil page", nil, false, false, 0, false},
		{"no totals", &client.Page[int]{Pagination: client.Pagination{Page: 2, HasNext: true, HasPrevious: true}}, true, true, 0, false},
		{"totals", &client.Page[int]{Pagination: client.Pagination{TotalItems: ptr(7), TotalPages: ptr(1)}}, false, false, 7, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			total, ok := tc.page.TotalItems()
			if tc.page.HasNext() != tc.next || tc.page.HasPrevious() != tc.prev || total != tc.total || ok != tc.hasTotal {
				t.Errorf("got next %v prev %v total %d,%v", tc.page.HasNext(), tc.page.HasPrevious(), total, ok)
			}
		})
	}
}
