package devserver

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestPagingEdges pins what every list answers to out-of-range paging
// values: 0 is a handler-shape 400 whose message matches the behaviour,
// above 100 serves 100 rows while echoing the request (offset from the
// requested size, as CONTRACT.md documents), page 0 is page 1 echoed as 0,
// and values that are not a u32 are axum's plain-text 400.
func TestPagingEdges(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Options{Seed: SeedOptions{Seed: 3, Events: 2500}})
	lists := []struct{ path, size string }{
		{"/api/v1/events?", "per_page"},
		{"/api/v1/enforcements?", "per_page"},
		{"/api/v1/executions?", "per_page"},
		{"/api/v1/rules?", "page_size"},
		{"/api/v1/enforcements/1/executions?", "page_size"},
		{"/api/v1/triggers/core.intervaltimer/rules?", "page_size"},
	}
	tests := []struct {
		name, query string
		status      int
		plain       bool   // axum's text/plain rejection, else JSON
		contains    string // in the body
	}{
		{"size 0", "{size}=0", 400, false, `{"error":"{size} must be at least 1 (above 100, 100 rows are served)","code":"BAD_REQUEST"}`},
		{"size 0 page 2", "page=2&{size}=0", 400, false, `"code":"BAD_REQUEST"`},
		{"size above u32", "{size}=4294967296", 400, true, "Failed to deserialize query string: {size}: number too large"},
		{"size negative", "{size}=-5", 400, true, "invalid digit found in string"},
		{"page not a number", "page=abc", 400, true, "Failed to deserialize query string: page: invalid digit found in string"},
		{"page empty", "page=", 400, true, "cannot parse integer from empty string"},
		{"page twice", "page=1&page=2", 400, true, "duplicate field `page`"},
		{"size 1000", "{size}=1000", 200, false, `"page_size":1000`},
		{"page 0", "page=0", 200, false, `"page":0`},
		{"offset beyond int64", "page=4294967295&{size}=4294967295", 200, false, `"items":[]`},
	}
	for _, l := range lists {
		for _, tc := range tests {
			q := strings.ReplaceAll(tc.query, "{size}", l.size)
			t.Run(l.path+q, func(t *testing.T) {
				t.Parallel()
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.url+l.path+q, nil)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Authorization", "Bearer "+ts.token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				body := string(b)
				if resp.StatusCode != tc.status {
					t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
				}
				wantCT := "application/json"
				if tc.plain {
					wantCT = "text/plain; charset=utf-8"
				}
				if ct := resp.Header.Get("Content-Type"); ct != wantCT {
					t.Errorf("Content-Type %q, want %q", ct, wantCT)
				}
				if want := strings.ReplaceAll(tc.contains, "{size}", l.size); !strings.Contains(body, want) {
					t.Errorf("body lacks %q: %.300s", want, body)
				}
			})
		}
	}
}

// TestPagingAbove100 checks the rows behind an oversized page: page 1 of
// per_page=1000 is the first 100 rows, and page 2 starts at row 1000 (the
// requested size), as upstream computes the offset.
func TestPagingAbove100(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Options{Seed: SeedOptions{Seed: 3, Events: 2500}})
	ids := func(path string) ([]int64, paginationMetaIn) {
		var p idPage
		ts.getJSON(t, path, &p)
		out := make([]int64, 0, len(p.Items))
		for _, it := range p.Items {
			out = append(out, it.ID)
		}
		return out, p.Pagination
	}
	tests := []struct {
		name, big, same string
		wantRows        int
	}{
		{"events page 1", "/api/v1/events?per_page=1000", "/api/v1/events?per_page=100", 100},
		{"events page 2", "/api/v1/events?per_page=1000&page=2", "/api/v1/events?per_page=100&page=11", 100},
		{"events page 0", "/api/v1/events?page=0", "/api/v1/events?page=1", 50},
		{"executions page 2", "/api/v1/executions?per_page=1000&page=2&include_total=true",
			"/api/v1/executions?per_page=100&page=11", 100},
		{"rules", "/api/v1/rules?page_size=1000", "/api/v1/rules?page_size=100", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, meta := ids(tc.big)
			want, _ := ids(tc.same)
			if !slices.Equal(got, want) {
				t.Errorf("%s: ids %v\nwant (%s) %v", tc.big, got, tc.same, want)
			}
			if tc.wantRows > 0 && len(got) != tc.wantRows {
				t.Errorf("%s: %d rows, want %d", tc.big, len(got), tc.wantRows)
			}
			if meta.HasPrevious != (meta.Page > 1) {
				t.Errorf("%s: has_previous %v on page %d", tc.big, meta.HasPrevious, meta.Page)
			}
			if meta.TotalItems != nil {
				pages := (*meta.TotalItems + meta.PageSize - 1) / meta.PageSize
				if meta.TotalPages == nil || *meta.TotalPages != pages || meta.HasNext != (meta.Page < pages) {
					b, _ := json.Marshal(meta)
					t.Errorf("%s: totals %s, want total_pages %d from the requested size", tc.big, b, pages)
				}
			}
		})
	}
}
