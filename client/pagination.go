package client

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// ListOptions are the paging options of the events, enforcements and
// executions lists, sent as page, per_page and include_total. Zero values
// are not sent, so the server's defaults apply (page 1; 50 per page for
// events and enforcements, 20 for executions). PerPage above MaxPageSize
// is clamped to MaxPageSize.
type ListOptions struct {
	// Page is the 1-based page number; values below 1 are not sent.
	Page int
	// PerPage is the page size; values below 1 are not sent and values
	// above MaxPageSize are sent as MaxPageSize.
	PerPage int
	// IncludeTotal asks the server to count, filling Pagination.TotalItems
	// and TotalPages. Counting costs the server a query.
	IncludeTotal bool
}

// encode adds the paging parameters to q.
func (o ListOptions) encode(q url.Values) {
	if o.Page >= 1 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PerPage >= 1 {
		q.Set("per_page", strconv.Itoa(min(o.PerPage, MaxPageSize)))
	}
	if o.IncludeTotal {
		q.Set("include_total", "true")
	}
}

// PageOptions are the paging options of the endpoints that use page_size
// (executions of an enforcement, rules, rules of a trigger). Those
// endpoints always count, so there is no IncludeTotal. Zero values are not
// sent (server defaults: page 1, 50 per page); PageSize above MaxPageSize is
// clamped to MaxPageSize.
type PageOptions struct {
	// Page is the 1-based page number; values below 1 are not sent.
	Page int
	// PageSize is the page size; values below 1 are not sent and values
	// above MaxPageSize are sent as MaxPageSize.
	PageSize int
}

// encode adds the paging parameters to q.
func (o PageOptions) encode(q url.Values) {
	if o.Page >= 1 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PageSize >= 1 {
		q.Set("page_size", strconv.Itoa(min(o.PageSize, MaxPageSize)))
	}
}

// setString sets q[key] when v is not empty.
func setString(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}

// setID sets q[key] when v is not zero.
func setID(q url.Values, key string, v int64) {
	if v != 0 {
		q.Set(key, strconv.FormatInt(v, 10))
	}
}

// HasNext reports whether a page follows this one.
func (p *Page[T]) HasNext() bool { return p != nil && p.Pagination.HasNext }

// HasPrevious reports whether a page precedes this one.
func (p *Page[T]) HasPrevious() bool { return p != nil && p.Pagination.HasPrevious }

// TotalItems returns the total number of items and true when the server
// counted them (include_total=true, or an endpoint that always counts).
func (p *Page[T]) TotalItems() (int, bool) {
	if p == nil || p.Pagination.TotalItems == nil {
		return 0, false
	}
	return *p.Pagination.TotalItems, true
}

// TotalPages returns the total number of pages and true when the server
// counted them.
func (p *Page[T]) TotalPages() (int, bool) {
	if p == nil || p.Pagination.TotalPages == nil {
		return 0, false
	}
	return *p.Pagination.TotalPages, true
}

// paginate walks pages from first on, yielding every item. It stops after
// the last page (has_next false, or an empty page, so that a misbehaving
// server cannot make it loop), when fetching fails (yielding the error
// once), when ctx ends (yielding ctx's error once) or when the consumer
// stops.
func paginate[T any](ctx context.Context, first int, fetch func(ctx context.Context, page int) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page := max(first, 1); ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, page)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
				if !yield(it, nil) {
					return
				}
			}
			if !p.HasNext() || len(p.Items) == 0 {
				return
			}
		}
	}
}
