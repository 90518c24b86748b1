package conditions

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Expression values are nil, bool, int64, float64, string, []any and
// map[string]any. JSON integers that fit in i64 become int64; all other
// numbers (floats, larger integers, and "-0") become float64 (§4 semantics).

// fromJSON converts a value decoded by decodeJSON into an expression value.
func fromJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		n := classify(x)
		switch {
		case n.isInt && n.neg:
			return n.i
		case n.isInt && n.u <= math.MaxInt64:
			return int64(n.u)
		case n.isInt:
			return float64(n.u)
		default:
			return n.f
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fromJSON(e)
		}
		return out
	}
	return v
}

// truthy is upstream's is_truthy: null, false, 0, 0.0, "", [] and {} are
// false; everything else is true.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// typeOf is the type_of() name of a value.
func typeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// asFloat returns a number as float64.
func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// valueEqual is the == of expressions: deep equality where numbers compare
// numerically (1 == 1.0), different types are unequal, key order is ignored.
func valueEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		if y, ok := b.(int64); ok {
			return x == y
		}
		y, ok := b.(float64)
		return ok && float64(x) == y
	case float64:
		y, ok := asFloat(b)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any, map[string]any:
		return equalContainers(a, b, valueEqual)
	}
	return false
}

// sortedKeys returns an object's keys ordered byte-wise (serde_json's
// default BTreeMap order).
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// formatFloat prints a float the way serde_json does (the ryu crate's
// shortest representation): "3.0", "0.1", "1e20", "1.5e-7", "-0.0".
// Non-finite floats cannot exist in a serde_json value and print as "null".
// Go's strconv uses different thresholds and exponent syntax.
func formatFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	sign := ""
	if math.Signbit(f) {
		sign = "-"
		f = -f
	}
	if f == 0 {
		return sign + "0.0"
	}
	// Shortest digits d1.d2d3...e±X.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expS, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expS)
	n := len(digits)
	kk := exp + 1 // position of the decimal point relative to the digits
	switch {
	case exp >= 0 && kk <= 16 && n <= kk:
		return sign + digits + strings.Repeat("0", kk-n) + ".0"
	case kk > 0 && kk <= 16:
		return sign + digits[:kk] + "." + digits[kk:]
	case kk > -5 && kk <= 0:
		return sign + "0." + strings.Repeat("0", -kk) + digits
	case n == 1:
		return sign + digits + "e" + strconv.Itoa(exp)
	default:
		return sign + digits[:1] + "." + digits[1:] + "e" + strconv.Itoa(exp)
	}
}

// appendJSON appends v as compact JSON the way serde_json serialises a
// Value: object keys sorted, floats as formatFloat, strings escaped only
// where JSON requires it (Go's encoding/json also escapes <, >, & and
// U+2028/U+2029; serde_json does not).
func appendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return append(b, formatFloat(x)...)
	case string:
		return appendJSONString(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case map[string]any:
		b = append(b, '{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSON(b, x[k])
		}
		return append(b, '}')
	}
	return append(b, "null"...)
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}

// approxSize estimates the memory a value holds, for the growth limits.
func approxSize(v any) int {
	switch x := v.(type) {
	case string:
		return len(x) + 16
	case []any:
		n := 16
		for _, e := range x {
			n += approxSize(e)
		}
		return n
	case map[string]any:
		n := 16
		for k, e := range x {
			n += len(k) + approxSize(e)
		}
		return n
	}
	return 16
}
