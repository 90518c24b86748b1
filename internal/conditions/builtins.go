package conditions

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// arity gives the accepted argument counts (least, most) of a built-in
// function; ok is false for an unknown name.
func arity(name string) (ar [2]int, ok bool) {
	switch name {
	case "string", "number", "int", "bool", "type_of", "length", "keys", "values",
		"abs", "floor", "ceil", "round", "sum", "lower", "upper", "trim",
		"reversed", "sort", "unique", "flat":
		return [2]int{1, 1}, true
	case "min", "max", "split", "join", "starts_with", "ends_with", "match", "contains",
		"zip", "index_of", "count", "merge", "chunks":
		return [2]int{2, 2}, true
	case "replace":
		return [2]int{3, 3}, true
	case "range":
		return [2]int{1, 2}, true
	case "slice":
		return [2]int{2, 3}, true
	}
	return ar, false
}

// call runs a built-in function on already evaluated arguments.
func (ev *evaluator) call(n *node, args []any) (any, error) {
	ar, ok := arity(n.name)
	if !ok {
		return nil, ev.fail(n, "unknown function %q", n.name)
	}
	if len(args) < ar[0] || len(args) > ar[1] {
		want := strconv.Itoa(ar[0])
		if ar[1] != ar[0] {
			want += " or " + strconv.Itoa(ar[1])
		}
		return nil, ev.fail(n, "%s() takes %s argument(s), got %d", n.name, want, len(args))
	}
	a := args[0]
	switch n.name {
	case "string":
		s := stringOf(a)
		return s, ev.charge(n, len(s))
	case "number":
		return ev.number(n, a)
	case "int":
		return ev.toInt(n, a)
	case "bool":
		return truthy(a), nil
	case "type_of":
		return typeOf(a), nil
	case "length":
		switch x := a.(type) {
		case string:
			return int64(len(x)), nil
		case []any:
			return int64(len(x)), nil
		case map[string]any:
			return int64(len(x)), nil
		}
		return nil, ev.fail(n, "length() needs a string, array or object, not a %s", typeOf(a))
	case "keys", "values":
		obj, ok := a.(map[string]any)
		if !ok {
			return nil, ev.fail(n, "%s() needs an object, not a %s", n.name, typeOf(a))
		}
		if err := ev.charge(n, 16*len(obj)); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(obj))
		for _, k := range sortedKeys(obj) {
			if n.name == "keys" {
				out = append(out, k)
			} else {
				out = append(out, obj[k])
			}
		}
		return out, nil
	case "abs", "floor", "ceil", "round":
		return ev.rounding(n, a)
	case "min", "max":
		c, err := ev.compareScalars(n, a, args[1])
		if err != nil {
			return nil, err
		}
		if (n.name == "min") == (c <= 0) {
			return a, nil
		}
		return args[1], nil
	case "sum":
		return ev.sum(n, a)
	case "lower", "upper", "trim":
		s, ok := a.(string)
		if !ok {
			return nil, ev.fail(n, "%s() needs a string, not a %s", n.name, typeOf(a))
		}
		var out string
		switch n.name {
		case "lower":
			out = rustLower(s)
		case "upper":
			out = rustUpper(s)
		default:
			out = strings.TrimFunc(s, unicode.IsSpace)
		}
		return out, ev.charge(n, len(out))
	case "split", "starts_with", "ends_with", "match":
		s, ok1 := a.(string)
		t, ok2 := args[1].(string)
		if !ok1 || !ok2 {
			return nil, ev.fail(n, "%s() needs two strings, got %s and %s", n.name, typeOf(a), typeOf(args[1]))
		}
		switch n.name {
		case "split":
			return ev.split(n, s, t)
		case "starts_with":
			return strings.HasPrefix(s, t), nil
		case "ends_with":
			return strings.HasSuffix(s, t), nil
		default:
			return ev.match(n, s, t)
		}
	case "join":
		arr, ok1 := a.([]any)
		sep, ok2 := args[1].(string)
		if !ok1 || !ok2 {
			return nil, ev.fail(n, "join() needs an array and a string, got %s and %s", typeOf(a), typeOf(args[1]))
		}
		parts := make([]string, len(arr))
		size := 0
		for i, e := range arr {
			parts[i] = stringOf(e)
			size += len(parts[i]) + len(sep)
			if err := ev.charge(n, size); err != nil {
				return nil, err
			}
		}
		return strings.Join(parts, sep), nil
	case "replace":
		s, ok1 := a.(string)
		old, ok2 := args[1].(string)
		repl, ok3 := args[2].(string)
		if !ok1 || !ok2 || !ok3 {
			return nil, ev.fail(n, "replace() needs three strings")
		}
		cnt := strings.Count(s, old)
		if err := ev.charge(n, len(s)+cnt*len(repl)); err != nil {
			return nil, err
		}
		return strings.ReplaceAll(s, old, repl), nil
	case "contains":
		return ev.in(n, args[1], a)
	case "reversed":
		switch x := a.(type) {
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[len(x)-1-i] = e
			}
			return out, ev.charge(n, 16*len(x))
		case string:
			r := []rune(x)
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return string(r), ev.charge(n, 5*len(x))
		}
		return nil, ev.fail(n, "reversed() needs an array or a string, not a %s", typeOf(a))
	case "sort":
		return ev.sort(n, a)
	case "unique":
		arr, ok := a.([]any)
		if !ok {
			return nil, ev.fail(n, "unique() needs an array, not a %s", typeOf(a))
		}
		var out []any
		for _, e := range arr {
			ev.steps += len(out)
			if err := ev.charge(n, 16); err != nil {
				return nil, err
			}
			dup := false
			for _, o := range out {
				if valueEqual(e, o) {
					dup = true
					break
				}
			}
			if !dup {
				out = append(out, e)
			}
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	case "flat":
		arr, ok := a.([]any)
		if !ok {
			return nil, ev.fail(n, "flat() needs an array, not a %s", typeOf(a))
		}
		out := []any{}
		for _, e := range arr {
			if sub, ok := e.([]any); ok {
				out = append(out, sub...)
			} else {
				out = append(out, e)
			}
			if err := ev.charge(n, 16*len(out)/max(1, len(arr))); err != nil {
				return nil, err
			}
		}
		return out, nil
	case "zip":
		x, ok1 := a.([]any)
		y, ok2 := args[1].([]any)
		if !ok1 || !ok2 {
			return nil, ev.fail(n, "zip() needs two arrays, got %s and %s", typeOf(a), typeOf(args[1]))
		}
		m := min(len(x), len(y))
		if err := ev.charge(n, 48*m); err != nil {
			return nil, err
		}
		out := make([]any, m)
		for i := range m {
			out[i] = []any{x[i], y[i]}
		}
		return out, nil
	case "range":
		return ev.rangeFn(n, args)
	case "slice":
		return ev.slice(n, args)
	case "index_of":
		switch h := a.(type) {
		case string:
			s, ok := args[1].(string)
			if !ok {
				return nil, ev.fail(n, "index_of() on a string needs a string, not a %s", typeOf(args[1]))
			}
			return int64(strings.Index(h, s)), nil
		case []any:
			ev.steps += len(h)
			for i, e := range h {
				if valueEqual(e, args[1]) {
					return int64(i), nil
				}
			}
			return int64(-1), nil
		}
		return nil, ev.fail(n, "index_of() needs a string or an array, not a %s", typeOf(a))
	case "count":
		switch h := a.(type) {
		case string:
			s, ok := args[1].(string)
			if !ok {
				return nil, ev.fail(n, "count() on a string needs a string, not a %s", typeOf(args[1]))
			}
			return int64(strings.Count(h, s)), nil
		case []any:
			ev.steps += len(h)
			c := int64(0)
			for _, e := range h {
				if valueEqual(e, args[1]) {
					c++
				}
			}
			return c, nil
		}
		return nil, ev.fail(n, "count() needs a string or an array, not a %s", typeOf(a))
	case "merge":
		x, ok1 := a.(map[string]any)
		y, ok2 := args[1].(map[string]any)
		if !ok1 || !ok2 {
			return nil, ev.fail(n, "merge() needs two objects, got %s and %s", typeOf(a), typeOf(args[1]))
		}
		if err := ev.charge(n, 32*(len(x)+len(y))); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(x)+len(y))
		for k, v := range x {
			out[k] = v
		}
		for k, v := range y {
			out[k] = v
		}
		return out, nil
	case "chunks":
		arr, ok1 := a.([]any)
		size, ok2 := args[1].(int64)
		if !ok1 || !ok2 || size <= 0 {
			return nil, ev.fail(n, "chunks() needs an array and a positive integer")
		}
		if err := ev.charge(n, 16*len(arr)); err != nil {
			return nil, err
		}
		out := []any{}
		for i := 0; i < len(arr); i += int(min(size, int64(len(arr)))) {
			end := min(len(arr), i+int(min(size, int64(len(arr)))))
			out = append(out, append([]any(nil), arr[i:end]...))
		}
		return out, nil
	}
	return nil, ev.fail(n, "unknown function %q", n.name)
}

// stringOf is string(): strings as is, everything else as serde_json text.
func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(appendJSON(nil, v))
}

// number() parses strings with Rust's f64 grammar: decimal or exponent
// notation, optional sign, "inf"/"infinity"/"nan" in any case; Go's
// ParseFloat also accepts hex floats and underscores, which are rejected.
func (ev *evaluator) number(n *node, a any) (any, error) {
	switch x := a.(type) {
	case int64, float64:
		return x, nil
	case bool:
		if x {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		f, ok := parseRustFloat(x)
		if !ok {
			return nil, ev.fail(n, "number(): cannot parse %q", x)
		}
		return f, nil
	}
	return nil, ev.fail(n, "number() cannot convert a %s", typeOf(a))
}

func parseRustFloat(s string) (float64, bool) {
	if strings.ContainsAny(s, "_xXpP") && !isInfNaN(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Rust returns ±inf for overflowing literals instead of an error.
		if errors.Is(err, strconv.ErrRange) {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func isInfNaN(s string) bool {
	t := strings.ToLower(strings.TrimLeft(s, "+-"))
	return t == "inf" || t == "infinity" || t == "nan"
}

// truncInt converts a float to i64 the way Rust's `as` does: toward zero,
// saturating, NaN to 0.
func truncInt(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

func (ev *evaluator) toInt(n *node, a any) (any, error) {
	switch x := a.(type) {
	case int64:
		return x, nil
	case float64:
		return truncInt(x), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case string:
		if i, err := strconv.ParseInt(x, 10, 64); err == nil {
			return i, nil
		}
		if f, ok := parseRustFloat(x); ok {
			return truncInt(f), nil
		}
		return nil, ev.fail(n, "int(): cannot parse %q", x)
	}
	return nil, ev.fail(n, "int() cannot convert a %s", typeOf(a))
}

func (ev *evaluator) rounding(n *node, a any) (any, error) {
	switch x := a.(type) {
	case int64:
		if n.name == "abs" && x < 0 {
			if x == math.MinInt64 {
				return nil, ev.fail(n, "integer overflow in abs(%d)", x)
			}
			return -x, nil
		}
		return x, nil
	case float64:
		switch n.name {
		case "abs":
			return math.Abs(x), nil
		case "floor":
			return truncInt(math.Floor(x)), nil
		case "ceil":
			return truncInt(math.Ceil(x)), nil
		default:
			return truncInt(math.Round(x)), nil
		}
	}
	return nil, ev.fail(n, "%s() needs a number, not a %s", n.name, typeOf(a))
}

// compareScalars orders two numbers or two strings (min, max, sort).
func (ev *evaluator) compareScalars(n *node, a, b any) (int, error) {
	_, an := asFloat(a)
	_, bn := asFloat(b)
	_, as := a.(string)
	_, bs := b.(string)
	if !(an && bn) && !(as && bs) {
		return 0, ev.fail(n, "%s() needs two numbers or two strings, got %s and %s", n.name, typeOf(a), typeOf(b))
	}
	return ev.compare(n, a, b)
}

func (ev *evaluator) sum(n *node, a any) (any, error) {
	arr, ok := a.([]any)
	if !ok {
		return nil, ev.fail(n, "sum() needs an array, not a %s", typeOf(a))
	}
	var acc any = int64(0)
	for _, e := range arr {
		if _, ok := asFloat(e); !ok {
			return nil, ev.fail(n, "sum() needs numbers, found a %s", typeOf(e))
		}
		v, err := ev.arith(n, "+", acc, e)
		if err != nil {
			return nil, err
		}
		acc = v
	}
	return acc, nil
}

// rustLower and rustUpper apply Rust's str::to_lowercase/to_uppercase: full
// Unicode case mapping (SpecialCasing), so upper("ß") is "SS" and
// lower("ΟΔΟΣ") ends in final sigma "ς". Go's strings.ToUpper/ToLower only
// apply the one-to-one simple mappings; golang.org/x/text/cases with the
// root locale implements the full mappings.
func rustLower(s string) string { return cases.Lower(language.Und).String(s) }

func rustUpper(s string) string { return cases.Upper(language.Und).String(s) }

// split follows Rust's str::split: an empty separator yields "" first, each
// character, then "" (Go's strings.Split yields just the characters).
func (ev *evaluator) split(n *node, s, sep string) (any, error) {
	var parts []string
	if sep == "" {
		if err := ev.charge(n, 20*len(s)); err != nil {
			return nil, err
		}
		parts = append(parts, "")
		for _, r := range s {
			parts = append(parts, string(r))
		}
		parts = append(parts, "")
	} else {
		if c := strings.Count(s, sep); c+1 > MaxRange {
			return nil, ev.fail(n, "split() would produce more than %d parts (attune-tui limit)", MaxRange)
		}
		parts = strings.Split(s, sep)
	}
	if len(parts) > MaxRange+2 {
		return nil, ev.fail(n, "split() would produce more than %d parts (attune-tui limit)", MaxRange)
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, ev.charge(n, 16*len(out)+len(s))
}

// match runs a Rust regex (pattern first) as an unanchored search.
func (ev *evaluator) match(n *node, pattern, s string) (any, error) {
	re, err := compileRegex(pattern)
	if err != nil {
		return nil, ev.fail(n, "match(): %v", err)
	}
	if err := ev.charge(n, len(s)); err != nil {
		return nil, err
	}
	return re.matchString(s), nil
}

func (ev *evaluator) sort(n *node, a any) (any, error) {
	arr, ok := a.([]any)
	if !ok {
		return nil, ev.fail(n, "sort() needs an array, not a %s", typeOf(a))
	}
	nums, strs := 0, 0
	for _, e := range arr {
		if _, ok := asFloat(e); ok {
			nums++
		} else if _, ok := e.(string); ok {
			strs++
		}
	}
	if nums != len(arr) && strs != len(arr) {
		return nil, ev.fail(n, "sort() needs all numbers or all strings")
	}
	if err := ev.charge(n, 16*len(arr)); err != nil {
		return nil, err
	}
	out := append([]any(nil), arr...)
	if out == nil {
		out = []any{}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if nums == len(arr) {
			x, _ := asFloat(out[i])
			y, _ := asFloat(out[j])
			return x < y
		}
		return out[i].(string) < out[j].(string)
	})
	return out, nil
}

func (ev *evaluator) rangeFn(n *node, args []any) (any, error) {
	var lo, hi int64
	for i, a := range args {
		v, ok := a.(int64)
		if !ok {
			return nil, ev.fail(n, "range() needs integers, not a %s", typeOf(a))
		}
		if len(args) == 1 {
			hi = v
		} else if i == 0 {
			lo = v
		} else {
			hi = v
		}
	}
	if hi <= lo {
		return []any{}, nil
	}
	if uint64(hi-lo) > MaxRange {
		return nil, ev.fail(n, "range() of more than %d elements (attune-tui limit)", MaxRange)
	}
	if err := ev.charge(n, 16*int(hi-lo)); err != nil {
		return nil, err
	}
	out := make([]any, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out, nil
}

// slice(v, start[, end]) takes part of an array or a string (by character).
// Negative indexes count from the end; bounds are clamped.
func (ev *evaluator) slice(n *node, args []any) (any, error) {
	var length int
	var runes []rune
	switch x := args[0].(type) {
	case []any:
		length = len(x)
	case string:
		if err := ev.charge(n, 4*len(x)); err != nil {
			return nil, err
		}
		runes = []rune(x)
		length = len(runes)
	default:
		return nil, ev.fail(n, "slice() needs an array or a string, not a %s", typeOf(args[0]))
	}
	bound := func(a any) (int, error) {
		v, ok := a.(int64)
		if !ok {
			return 0, ev.fail(n, "slice() bounds must be integers, not a %s", typeOf(a))
		}
		if v < 0 {
			v += int64(length)
		}
		return int(max(0, min(v, int64(length)))), nil
	}
	start, err := bound(args[1])
	if err != nil {
		return nil, err
	}
	end := length
	if len(args) == 3 {
		if end, err = bound(args[2]); err != nil {
			return nil, err
		}
	}
	end = max(end, start)
	if runes != nil || args[0] == "" {
		return string(runes[start:end]), nil
	}
	return append([]any{}, args[0].([]any)[start:end]...), nil
}
