// Package jqeval evaluates jq expressions (github.com/itchyny/gojq) over
// JSON documents within bounds of time, result size and result count. It is
// the one jq evaluator of the program: the JSON viewer's `|` and the lists'
// `:where` both use it.
package jqeval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/itchyny/gojq"
)

// Bounds limit one evaluation: it is stopped after Timeout, and its results
// are cut once they reach MaxBytes of JSON or MaxResults values.
type Bounds struct {
	Timeout    time.Duration
	MaxBytes   int
	MaxResults int
}

// Query is a compiled jq expression, safe to run many times and from
// several goroutines.
type Query struct {
	expr string
	code *gojq.Code
}

// Compile parses and compiles expr.
func Compile(expr string) (*Query, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, fmt.Errorf("jq: %w", err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, fmt.Errorf("jq: %w", err)
	}
	return &Query{expr: expr, code: code}, nil
}

// Run evaluates the query over the JSON in raw within b (or until ctx
// ends) and returns each result as JSON. cut says why results were dropped
// ("" = none). The numbers of raw keep their precision (json.Number).
func (q *Query) Run(ctx context.Context, raw []byte, b Bounds) (outs [][]byte, cut string, err error) {
	ctx, cancel := context.WithTimeout(ctx, b.Timeout)
	defer cancel()
	var input any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&input); err != nil {
		return nil, "", fmt.Errorf("jq: the document is not JSON: %w", err)
	}
	total := 0
	iter := q.code.RunWithContext(ctx, input)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if e, isErr := v.(error); isErr {
			switch {
			case errors.Is(e, context.DeadlineExceeded):
				return nil, "", fmt.Errorf("jq: stopped after %s (does it loop?)", b.Timeout)
			case errors.Is(e, context.Canceled):
				return nil, "", errors.New("jq: cancelled")
			}
			var h *gojq.HaltError
			if errors.As(e, &h) && h.Value() == nil {
				break // halt: a normal end
			}
			return nil, "", fmt.Errorf("jq: %w", e)
		}
		out, err := gojq.Marshal(v)
		if err != nil {
			return nil, "", fmt.Errorf("jq: result: %w", err)
		}
		if total+len(out) > b.MaxBytes {
			cut = "cut at " + strconv.Itoa(b.MaxBytes>>20) + " MiB"
			break
		}
		if len(outs) == b.MaxResults {
			cut = "cut at " + strconv.Itoa(b.MaxResults) + " results"
			break
		}
		total += len(out) + 1
		outs = append(outs, out)
	}
	return outs, cut, nil
}

// Truthy reports whether the first result of running the query over raw
// is neither false nor null (jq's truth, as in select). No result is false.
func (q *Query) Truthy(ctx context.Context, raw []byte, b Bounds) (bool, error) {
	b.MaxResults = 1
	outs, _, err := q.Run(ctx, raw, b)
	if err != nil {
		return false, err
	}
	if len(outs) == 0 {
		return false, nil
	}
	s := string(outs[0])
	return s != "false" && s != "null", nil
}
