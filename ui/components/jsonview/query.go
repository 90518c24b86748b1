package jsonview

import (
	"bytes"
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/jqeval"
)

// Bounds of a jq query (`|`): it runs off the UI loop and is stopped after
// QueryTimeout, or once its results reach QueryMaxBytes of JSON or
// QueryMaxResults values.
const (
	QueryTimeout    = 2 * time.Second
	QueryMaxBytes   = 4 << 20
	QueryMaxResults = 10_000
)

// queryDoneMsg carries the result of a jq query.
type queryDoneMsg struct {
	doc  *Document // the document queried
	seq  int
	expr string
	res  *Document // the results: one value, or an array of several
	n    int       // how many results
	cut  string    // why the results were cut ("" = complete)
	err  error
}

// queryCmd runs expr over doc off the UI loop, within the bounds. The
// document is immutable, so the command shares it safely.
func queryCmd(doc *Document, seq int, expr string, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		msg := runQuery(context.Background(), doc.raw, expr, timeout, QueryMaxBytes, QueryMaxResults)
		msg.doc, msg.seq, msg.expr = doc, seq, expr
		return msg
	}
}

// runQuery evaluates expr over the JSON in raw, for at most timeout (or
// until ctx ends), with jqeval. Several results become one JSON array;
// results past maxBytes or maxResults are dropped and said so in cut.
func runQuery(ctx context.Context, raw []byte, expr string, timeout time.Duration, maxBytes, maxResults int) queryDoneMsg {
	q, err := jqeval.Compile(expr)
	if err != nil {
		return queryDoneMsg{err: err}
	}
	outs, cut, err := q.Run(ctx, raw, jqeval.Bounds{Timeout: timeout, MaxBytes: maxBytes, MaxResults: maxResults})
	if err != nil {
		return queryDoneMsg{err: err}
	}
	var text []byte
	switch len(outs) {
	case 0:
		text = nil
	case 1:
		text = outs[0]
	default:
		text = append(append([]byte{'['}, bytes.Join(outs, []byte{','})...), ']')
	}
	doc, err := Parse(text)
	if err != nil {
		return queryDoneMsg{err: fmt.Errorf("jq: result: %w", err)}
	}
	return queryDoneMsg{res: doc, n: len(outs), cut: cut}
}
