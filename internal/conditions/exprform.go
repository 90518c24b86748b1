package conditions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ExtractExpression applies upstream's extraction (§4): trim; if the result
// starts with "{{" and ends with "}}", drop exactly that one pair and trim
// again. It returns the expression and its byte offset in src.
func ExtractExpression(src string) (string, int) {
	t := strings.TrimSpace(src)
	off := strings.Index(src, t)
	if len(t) >= 4 && strings.HasPrefix(t, "{{") && strings.HasSuffix(t, "}}") {
		inner := t[2 : len(t)-2]
		trimmed := strings.TrimSpace(inner)
		return trimmed, off + 2 + strings.Index(inner, trimmed)
	}
	return t, off
}

// FormatCreated formats a time the way chrono's DateTime<Utc>::to_rfc3339
// does: UTC with "+00:00" (not "Z") and 0, 3, 6 or 9 fraction digits,
// whichever is the shortest exact form.
func FormatCreated(t time.Time) string {
	t = t.UTC()
	ns := t.Nanosecond()
	frac := ""
	switch {
	case ns == 0:
	case ns%1_000_000 == 0:
		frac = fmt.Sprintf(".%03d", ns/1_000_000)
	case ns%1_000 == 0:
		frac = fmt.Sprintf(".%06d", ns/1_000)
	default:
		frac = fmt.Sprintf(".%09d", ns)
	}
	return t.Format("2006-01-02T15:04:05") + frac + "+00:00"
}

// evalExpression evaluates the expression form (§4). Any error means no
// match, never an error for the rule as a whole.
func evalExpression(raw string, ev Event) Result {
	src, _ := ExtractExpression(raw)
	res := Result{Shape: Expression, Expr: &ExprResult{Source: src, ErrStart: -1, ErrEnd: -1}}
	x := res.Expr
	fail := func(msg string, start, end int) Result {
		x.Err, x.ErrStart, x.ErrEnd = msg, start, end
		res.Reason = "expression error (the rule does not match): " + msg
		return res
	}
	if len(src) > MaxExpressionBytes {
		return fail(fmt.Sprintf("expression longer than %d bytes (attune-tui limit)", MaxExpressionBytes), -1, -1)
	}
	tree, err := parse(src)
	if err != nil {
		var se *syntaxError
		if errors.As(err, &se) {
			return fail("syntax error: "+se.msg, se.start, se.end)
		}
		return fail(err.Error(), -1, -1)
	}
	e := &evaluator{nodes: map[*node]*ExprNode{}}
	x.Root = e.mirror(tree)
	payload := bytes.TrimSpace(ev.Payload)
	if len(payload) > MaxPayloadBytes {
		return fail(fmt.Sprintf("payload larger than %d bytes (attune-tui limit)", MaxPayloadBytes), -1, -1)
	}
	var p any
	if err := decodeJSON(payload, &p); err != nil {
		return fail("payload is not valid JSON", -1, -1)
	}
	e.event = map[string]any{
		"id":          ev.ID,
		"trigger":     ev.TriggerRef,
		"trigger_ref": ev.TriggerRef,
		"payload":     fromJSON(p),
		"created":     FormatCreated(ev.Created),
	}
	v, err := e.eval(tree)
	res.Reads = fieldNames(e.reads)
	if err != nil {
		var ee *evalError
		if errors.As(err, &ee) && ee.origin != nil {
			return fail(ee.msg, ee.origin.start, ee.origin.end)
		}
		return fail(err.Error(), -1, -1)
	}
	x.Value = toJSONCapped(v, MaxValueBytes)
	x.Truthy = truthy(v)
	res.Match = x.Truthy
	shown := "a large value"
	if len(x.Value) > 0 {
		shown = compact(json.RawMessage(x.Value))
	}
	if res.Match {
		res.Reason = fmt.Sprintf("expression is %s (truthy): match", shown)
	} else {
		res.Reason = fmt.Sprintf("expression is %s (falsy): no match", shown)
	}
	return res
}
