package jsonview

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/itchyny/gojq"
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
// until ctx ends). Several results become one JSON array; results past
// maxBytes or maxResults are dropped and said so in cut. The numbers of raw
// keep their precision (json.Number).
func runQuery(ctx context.Context, raw []byte, expr string, timeout time.Duration, maxBytes, maxResults int) queryDoneMsg {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	q, err := gojq.Parse(expr)
	if err != nil {
		return queryDoneMsg{err: fmt.Errorf("jq: %w", err)}
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return queryDoneMsg{err: fmt.Errorf("jq: %w", err)}
	}
	var input any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&input); err != nil {
		return queryDoneMsg{err: fmt.Errorf("jq: the document is not JSON: %w", err)}
	}
	var (
		outs  [][]byte
		total int
		cut   string
	)
	iter := code.RunWithContext(ctx, input)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if e, isErr := v.(error); isErr {
			if errors.Is(e, context.DeadlineExceeded) {
				return queryDoneMsg{err: fmt.Errorf("jq: stopped after %s (does it loop?)", timeout)}
			}
			if errors.Is(e, context.Canceled) {
				return queryDoneMsg{err: errors.New("jq: cancelled")}
			}
			var h *gojq.HaltError
			if errors.As(e, &h) && h.Value() == nil {
				break // halt: a normal end
			}
			return queryDoneMsg{err: fmt.Errorf("jq: %w", e)}
		}
		b, err := gojq.Marshal(v)
		if err != nil {
			return queryDoneMsg{err: fmt.Errorf("jq: result: %w", err)}
		}
		if total+len(b) > maxBytes {
			cut = "cut at " + strconv.Itoa(maxBytes>>20) + " MiB"
			break
		}
		if len(outs) == maxResults {
			cut = "cut at " + strconv.Itoa(maxResults) + " results"
			break
		}
		total += len(b) + 1
		outs = append(outs, b)
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
