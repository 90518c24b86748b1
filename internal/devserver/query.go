package devserver

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// queryParams parses query values the way axum's Query extractor does for
// the DTOs of CONTRACT.md: a value that does not parse as its type is a 400
// with a plain-text body; unknown parameters are ignored.
type queryParams struct {
	v   url.Values
	err error
}

func parseQuery(r *http.Request) *queryParams {
	v, err := url.ParseQuery(r.URL.RawQuery)
	q := &queryParams{v: v}
	if err != nil {
		q.err = fmt.Errorf("invalid query string: %w", err)
	}
	return q
}

func (q *queryParams) fail(name, msg string) {
	if q.err == nil {
		q.err = fmt.Errorf("%s: %s", name, msg)
	}
}

// reject writes the 400 plain-text rejection if parsing failed.
func (q *queryParams) reject(w http.ResponseWriter) bool {
	if q.err == nil {
		return false
	}
	plainError(w, http.StatusBadRequest, "Failed to deserialize query string: "+q.err.Error())
	return true
}

func (q *queryParams) raw(name string) (string, bool) {
	vals, ok := q.v[name]
	if !ok || len(vals) == 0 {
		return "", false
	}
	if len(vals) > 1 {
		q.fail(name, "duplicate field `"+name+"`")
	}
	return vals[0], true
}

func (q *queryParams) str(name string) *string {
	s, ok := q.raw(name)
	if !ok {
		return nil
	}
	return &s
}

func (q *queryParams) int64(name string) *int64 {
	s, ok := q.raw(name)
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		q.fail(name, numErr(s))
		return nil
	}
	return &n
}

// uint32 parses a u32 (page, per_page, page_size in upstream DTOs).
func (q *queryParams) uint32(name string) *int64 {
	s, ok := q.raw(name)
	if !ok {
		return nil
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		q.fail(name, numErr(s))
		return nil
	}
	v := int64(n)
	return &v
}

func numErr(s string) string {
	switch {
	case s == "":
		return "cannot parse integer from empty string"
	case strings.HasPrefix(s, "-"):
		return "invalid digit found in string"
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return "invalid digit found in string"
		}
	}
	return "number too large to fit in target type"
}

func (q *queryParams) boolean(name string) *bool {
	s, ok := q.raw(name)
	if !ok {
		return nil
	}
	switch s {
	case "true":
		return ptr(true)
	case "false":
		return ptr(false)
	}
	q.fail(name, "provided string was not `true` or `false`")
	return nil
}

func (q *queryParams) enum(name string, allowed []string) *string {
	s, ok := q.raw(name)
	if !ok {
		return nil
	}
	for _, a := range allowed {
		if s == a {
			return &s
		}
	}
	q.fail(name, fmt.Sprintf("unknown variant `%s`, expected one of `%s`", s, strings.Join(allowed, "`, `")))
	return nil
}

// pageParams is a parsed page request.
//
// Out-of-range values, following CONTRACT.md where it says what upstream
// does and choosing where it does not:
//   - per_page / page_size above 100: the SQL LIMIT is capped at 100 while
//     pagination.page_size echoes the request and the offset uses the
//     requested size, as CONTRACT.md documents for every list ("page_size
//     echoes the requested page size (even when the server capped the
//     query)"; rules: "asking for more than 100 silently skips rows").
//   - per_page / page_size 0: rejected with 400 BAD_REQUEST (handler shape),
//     a dev server choice (unverified upstream, which would return an empty
//     page or divide by zero computing total_pages). The message says only
//     what is enforced: "must be at least 1".
//   - page 0: served as page 1 (saturating offset) but echoed as 0 with
//     has_previous false, as CONTRACT.md documents for rules and executions.
//   - negative, non-numeric or above-u32 values: 400 plain text, the axum
//     Query extractor's rejection (CONTRACT.md, Errors 3), because upstream
//     parses them as u32.
type pageParams struct {
	page, size   int64 // as requested (echoed)
	includeTotal bool
	alwaysTotal  bool
}

func (p pageParams) limit() int64 { return min(p.size, 100) }

// offset is the number of rows before the page. Both factors are at most
// 2^32-1, so the product can overflow int64: it saturates (such a page is
// past every row) and stays far enough below MaxInt64 that offset+limit+1
// does not overflow either.
func (p pageParams) offset() int64 {
	const most = math.MaxInt64 / 2
	n := max(p.page-1, 0)
	if p.size > 0 && n > most/p.size {
		return most
	}
	return n * p.size
}

// readPage parses page and the size parameter sizeName with default def.
// It writes a 400 and returns false on invalid input.
func readPage(w http.ResponseWriter, q *queryParams, sizeName string, def int64, totals bool) (pageParams, bool) {
	p := pageParams{page: 1, size: def}
	if v := q.uint32("page"); v != nil {
		p.page = *v
	}
	if v := q.uint32(sizeName); v != nil {
		p.size = *v
	}
	if totals {
		p.alwaysTotal = true
	} else if v := q.boolean("include_total"); v != nil {
		p.includeTotal = *v
	}
	if q.reject(w) {
		return p, false
	}
	if p.size < 1 {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", sizeName+" must be at least 1 (above 100, 100 rows are served)")
		return p, false
	}
	return p, true
}

// meta builds the pagination block. fetched is how many rows the query
// returned (limit+1 when more exist), total is the count when counted.
func (p pageParams) meta(fetched int, total *int64) paginationMeta {
	m := paginationMeta{Page: p.page, PageSize: p.size, HasPrevious: p.page > 1}
	if total != nil {
		pages := (*total + p.size - 1) / p.size
		m.TotalItems = total
		m.TotalPages = &pages
		m.HasNext = max(p.page, 1) < pages
		return m
	}
	m.HasNext = int64(fetched) > p.limit()
	return m
}

// where accumulates SQL predicates and their arguments.
type where struct {
	preds []string
	args  []any
}

func (wh *where) add(pred string, args ...any) {
	wh.preds = append(wh.preds, pred)
	wh.args = append(wh.args, args...)
}

// eqStr adds `"name" = ?` for each string parameter present in q; the
// column is named like the parameter.
func (wh *where) eqStr(q *queryParams, names ...string) {
	for _, n := range names {
		if v := q.str(n); v != nil {
			wh.add(`"`+n+`" = ?`, *v)
		}
	}
}

// eqInt is eqStr for integer parameters.
func (wh *where) eqInt(q *queryParams, names ...string) {
	for _, n := range names {
		if v := q.int64(n); v != nil {
			wh.add(`"`+n+`" = ?`, *v)
		}
	}
}

func (wh *where) sql() string {
	if len(wh.preds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(wh.preds, " AND ")
}
