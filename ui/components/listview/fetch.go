package listview

import (
	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// Rows converts wire items to display rows with toRow, the screen's one
// place where API data is made terminal-safe, and wraps them as a fetched
// page.
func Rows[T, R any](items []T, hasNext bool, total *int, toRow func(T) R) pagedlist.Fetched[R] {
	rows := make([]R, len(items))
	for i, it := range items {
		rows[i] = toRow(it)
	}
	return pagedlist.Fetched[R]{Items: rows, HasNext: hasNext, Total: total}
}

// FromPage is Rows for one page of a client list answer.
func FromPage[T, R any](p *client.Page[T], toRow func(T) R) pagedlist.Fetched[R] {
	return Rows(p.Items, p.Pagination.HasNext, p.Pagination.TotalItems, toRow)
}

// Dash returns s, or "-" when s is empty.
func Dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
