package conditions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// evalArray evaluates the array form (§3): every check must pass; the first
// error stops the evaluation and marks the remaining checks skipped.
func evalArray(conds []byte, ev Event) Result {
	var elems []json.RawMessage
	if err := json.Unmarshal(conds, &elems); err != nil {
		return Result{Shape: Unsupported, Reason: "conditions are not a valid JSON array: never matches"}
	}
	res := Result{Shape: Array, Checks: make([]Check, len(elems))}
	payload := bytes.TrimSpace(ev.Payload)
	payloadErr := ""
	if len(payload) > MaxPayloadBytes {
		payloadErr = fmt.Sprintf("payload is larger than %d bytes: not evaluated here", MaxPayloadBytes)
	} else if !json.Valid(payload) {
		payloadErr = "payload is not valid JSON"
	}
	firstFail, errAt := -1, -1
	for i, raw := range elems {
		c := &res.Checks[i]
		c.Index = i
		if errAt >= 0 {
			fillCheck(c, raw)
			c.Outcome = OutcomeSkipped
			continue
		}
		if evalCheck(c, raw, payload, payloadErr) {
			res.Reads = []string{FieldPayload}
		}
		switch c.Outcome {
		case OutcomeError:
			errAt = i
		case OutcomeFail:
			if firstFail < 0 {
				firstFail = i
			}
		case OutcomePass, OutcomeSkipped:
		}
	}
	switch {
	case errAt >= 0:
		c := res.Checks[errAt]
		res.Reason = fmt.Sprintf("check %d error: %s", errAt+1, c.Err)
		if n := len(elems) - errAt - 1; n > 0 {
			res.Reason += fmt.Sprintf(" (%d later check(s) not evaluated)", n)
		}
	case firstFail >= 0:
		c := res.Checks[firstFail]
		res.Reason = fmt.Sprintf("check %d failed: %s", firstFail+1, describe(c))
	default:
		res.Match = true
		res.Reason = fmt.Sprintf("all %d check(s) passed", len(elems))
	}
	return res
}

// describe renders a failed check as "field operator expected, actual X".
func describe(c Check) string {
	s := fmt.Sprintf("%s %s %s, actual %s", c.Field, c.Operator, compact(c.Expected), compact(c.Actual))
	if c.Err != "" {
		s += " (" + c.Err + ")"
	}
	return s
}

// compact returns raw JSON without insignificant whitespace, capped for
// one-line display.
func compact(raw json.RawMessage) string {
	if raw == nil {
		return "missing"
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	const maxLen = 200
	if b.Len() > maxLen {
		return b.String()[:maxLen] + "…"
	}
	return b.String()
}

// fillCheck copies the descriptive parts of an element into c without
// evaluating it.
func fillCheck(c *Check, raw json.RawMessage) {
	c.Expected = json.RawMessage("null")
	var obj map[string]json.RawMessage
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &obj) != nil {
		return
	}
	var s string
	if json.Unmarshal(obj["field"], &s) == nil && isJSONString(obj["field"]) {
		c.Field = s
	}
	if json.Unmarshal(obj["operator"], &s) == nil && isJSONString(obj["operator"]) {
		c.Operator = s
	}
	if v, ok := obj["value"]; ok {
		c.Expected = v
	}
}

func isJSONString(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '"'
}

// evalCheck evaluates one element (§3 steps 1–5).
func evalCheck(c *Check, raw json.RawMessage, payload []byte, payloadErr string) (readPayload bool) {
	fillCheck(c, raw)
	var obj map[string]json.RawMessage
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &obj) != nil {
		c.Outcome, c.Err = OutcomeError, "condition missing 'field' (element is not an object)"
		return
	}
	if !isJSONString(obj["field"]) {
		c.Outcome, c.Err = OutcomeError, "condition missing 'field' (must be a string)"
		return
	}
	if !isJSONString(obj["operator"]) {
		c.Outcome, c.Err = OutcomeError, "condition missing 'operator' (must be a string)"
		return
	}
	if payloadErr != "" {
		c.Outcome, c.Err = OutcomeError, payloadErr
		return
	}
	readPayload = true
	actual, err := resolveField(payload, c.Field)
	if err != nil {
		c.Outcome, c.Err = OutcomeError, err.Error()
		return
	}
	c.Actual = actual
	var want, got any
	if err := decodeJSON(c.Expected, &want); err != nil {
		c.Outcome, c.Err = OutcomeError, "value is not valid JSON"
		return
	}
	if err := decodeJSON(actual, &got); err != nil {
		c.Outcome, c.Err = OutcomeError, "field value is not valid JSON"
		return
	}
	var ok bool
	switch c.Operator {
	case "equals":
		ok = jsonEqual(got, want)
	case "not_equals":
		ok = !jsonEqual(got, want)
	case "contains":
		g, gok := got.(string)
		w, wok := want.(string)
		ok = gok && wok && strings.Contains(g, w)
	default:
		c.Err = fmt.Sprintf("unknown operator %q is always false", c.Operator)
	}
	if ok {
		c.Outcome = OutcomePass
	} else {
		c.Outcome = OutcomeFail
	}
	return
}

// resolveField walks a dotted path from the payload root (§3 field paths):
// split on every '.', exact key lookups in objects only.
func resolveField(payload []byte, path string) (json.RawMessage, error) {
	cur := json.RawMessage(payload)
	walked := ""
	for i, seg := range strings.Split(path, ".") {
		t := bytes.TrimSpace(cur)
		if len(t) == 0 || t[0] != '{' {
			where := "the payload"
			if i > 0 {
				where = fmt.Sprintf("%q", walked)
			}
			return nil, fmt.Errorf("field %q not found: %s is not an object", path, where)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(t, &obj); err != nil {
			return nil, fmt.Errorf("field %q: %w", path, err)
		}
		next, ok := obj[seg]
		if !ok {
			return nil, fmt.Errorf("field %q not found (no key %q)", path, seg)
		}
		cur = next
		if i > 0 {
			walked += "."
		}
		walked += seg
	}
	return cur, nil
}
