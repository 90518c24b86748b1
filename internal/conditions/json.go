package conditions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// decodeJSON decodes one JSON value with numbers kept as json.Number and
// rejects trailing data.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("decode JSON: trailing data after the value")
	}
	return nil
}

// jsonTypeName names the JSON type of a value decoded by decodeJSON.
func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// number is a JSON number classified the way serde_json (default features)
// does: integers are the texts without '.', 'e' or 'E' that fit in u64 (when
// non-negative) or i64 (when negative); everything else, and "-0", is a float.
type number struct {
	isInt bool
	neg   bool    // integer is negative
	u     uint64  // value of a non-negative integer
	i     int64   // value of a negative integer
	f     float64 // value of a float
}

// classify classifies the text of a JSON number.
func classify(n json.Number) number {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if strings.HasPrefix(s, "-") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil && i != 0 {
				return number{isInt: true, neg: true, i: i}
			}
		} else if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return number{isInt: true, u: u}
		}
	}
	// Out of range values come back as ±Inf with an error; serde_json
	// rejects such documents, here they stay an infinite float.
	f, _ := strconv.ParseFloat(s, 64)
	return number{f: f}
}

// jsonEqual is serde_json's Value equality on values decoded by decodeJSON:
// types must match, integers and floats are never equal, object key order is
// irrelevant, strings compare byte-wise.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		nx, ny := classify(x), classify(y)
		switch {
		case nx.isInt != ny.isInt:
			return false
		case nx.isInt:
			return nx.neg == ny.neg && nx.u == ny.u && nx.i == ny.i
		default:
			return nx.f == ny.f
		}
	case []any, map[string]any:
		return equalContainers(a, b, jsonEqual)
	}
	return false
}

// equalContainers compares two arrays element by element, or two objects
// key by key (order irrelevant), with eq for the members; anything else is
// unequal. The array form's and the expression language's equalities share
// it and differ only in how they compare numbers.
func equalContainers(a, b any, eq func(x, y any) bool) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !eq(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, vx := range x {
			vy, ok := y[k]
			if !ok || !eq(vx, vy) {
				return false
			}
		}
		return true
	}
	return false
}
