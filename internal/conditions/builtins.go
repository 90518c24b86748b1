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

// builtinFunc runs a built-in function on evaluated arguments; it may index
// args below the least count its table line declares without checking.
type builtinFunc func(ev *evaluator, n *node, args []any) (any, error)

// call runs a built-in function on already evaluated arguments.
func (ev *evaluator) call(n *node, args []any) (any, error) {
	v, err := ev.runBuiltin(n, args)
	if err != nil {
		err = ev.arityMessage(n, err, len(args))
	}
	return v, err
}

// arityMessage turns an arityError into the message for the call n with got
// arguments; it returns any other error as is. (Out of call so that the
// target of errors.As is allocated on the error path only.)
func (ev *evaluator) arityMessage(n *node, err error, got int) error {
	var ar arityError
	if !errors.As(err, &ar) {
		return err
	}
	want := strconv.Itoa(ar.least)
	if ar.most != ar.least {
		want += " or " + strconv.Itoa(ar.most)
	}
	return ev.fail(n, "%s() takes %s argument(s), got %d", n.name, want, got)
}

// runBuiltin is the table of built-in functions: one line each with the
// argument counts accepted (least, most) and the function that runs them.
//
// It is a switch, not a package-level map, so that the table is not mutable
// global state (STYLE.md: many SSH sessions share one process). Each line
// passes a constant function to ev.checked, which is inlined, so the call is
// direct: a func value fetched from a table would be an indirect call, which
// makes ev and args escape to the heap (one more allocation per evaluation
// and per call, on the rule-matching hot path).
func (ev *evaluator) runBuiltin(n *node, args []any) (any, error) {
	switch n.name {
	case "string":
		return ev.checked(n, args, 1, 1, (*evaluator).stringFn)
	case "number":
		return ev.checked(n, args, 1, 1, (*evaluator).number)
	case "int":
		return ev.checked(n, args, 1, 1, (*evaluator).toInt)
	case "bool":
		return ev.checked(n, args, 1, 1, (*evaluator).boolFn)
	case "type_of":
		return ev.checked(n, args, 1, 1, (*evaluator).typeOfFn)
	case "length":
		return ev.checked(n, args, 1, 1, (*evaluator).length)
	case "keys":
		return ev.checked(n, args, 1, 1, (*evaluator).keys)
	case "values":
		return ev.checked(n, args, 1, 1, (*evaluator).values)
	case "abs", "floor", "ceil", "round":
		return ev.checked(n, args, 1, 1, (*evaluator).rounding)
	case "min":
		return ev.checked(n, args, 2, 2, (*evaluator).minFn)
	case "max":
		return ev.checked(n, args, 2, 2, (*evaluator).maxFn)
	case "sum":
		return ev.checked(n, args, 1, 1, (*evaluator).sum)
	case "lower":
		return ev.checked(n, args, 1, 1, (*evaluator).lower)
	case "upper":
		return ev.checked(n, args, 1, 1, (*evaluator).upper)
	case "trim":
		return ev.checked(n, args, 1, 1, (*evaluator).trim)
	case "split":
		return ev.checked(n, args, 2, 2, (*evaluator).split)
	case "starts_with":
		return ev.checked(n, args, 2, 2, (*evaluator).startsWith)
	case "ends_with":
		return ev.checked(n, args, 2, 2, (*evaluator).endsWith)
	case "match":
		return ev.checked(n, args, 2, 2, (*evaluator).match)
	case "join":
		return ev.checked(n, args, 2, 2, (*evaluator).join)
	case "replace":
		return ev.checked(n, args, 3, 3, (*evaluator).replace)
	case "contains":
		return ev.checked(n, args, 2, 2, (*evaluator).contains)
	case "reversed":
		return ev.checked(n, args, 1, 1, (*evaluator).reversed)
	case "sort":
		return ev.checked(n, args, 1, 1, (*evaluator).sort)
	case "unique":
		return ev.checked(n, args, 1, 1, (*evaluator).unique)
	case "flat":
		return ev.checked(n, args, 1, 1, (*evaluator).flat)
	case "zip":
		return ev.checked(n, args, 2, 2, (*evaluator).zip)
	case "range":
		return ev.checked(n, args, 1, 2, (*evaluator).rangeFn)
	case "slice":
		return ev.checked(n, args, 2, 3, (*evaluator).slice)
	case "index_of":
		return ev.checked(n, args, 2, 2, (*evaluator).indexOf)
	case "count":
		return ev.checked(n, args, 2, 2, (*evaluator).count)
	case "merge":
		return ev.checked(n, args, 2, 2, (*evaluator).merge)
	case "chunks":
		return ev.checked(n, args, 2, 2, (*evaluator).chunks)
	}
	return nil, ev.fail(n, "unknown function %q", n.name)
}

// checked runs a built-in if it accepts len(args) arguments; else it
// returns an arityError, which call turns into the message. It must stay
// small enough to be inlined (see runBuiltin).
func (ev *evaluator) checked(n *node, args []any, least, most int, run builtinFunc) (any, error) {
	if len(args) < least || len(args) > most {
		return nil, arityError{least, most}
	}
	return run(ev, n, args)
}

// arityError is a call of a built-in with a wrong number of arguments; it
// accepts least to most.
type arityError struct{ least, most int }

func (e arityError) Error() string { return "wrong number of arguments" }

func (ev *evaluator) stringFn(n *node, args []any) (any, error) {
	s := stringOf(args[0])
	return s, ev.charge(n, len(s))
}

func (*evaluator) boolFn(_ *node, args []any) (any, error) {
	return truthy(args[0]), nil
}

func (*evaluator) typeOfFn(_ *node, args []any) (any, error) {
	return typeOf(args[0]), nil
}

func (ev *evaluator) length(n *node, args []any) (any, error) {
	switch x := args[0].(type) {
	case string:
		return int64(len(x)), nil
	case []any:
		return int64(len(x)), nil
	case map[string]any:
		return int64(len(x)), nil
	}
	return nil, ev.fail(n, "length() needs a string, array or object, not a %s", typeOf(args[0]))
}

func (ev *evaluator) keys(n *node, args []any) (any, error) {
	return ev.keysOrValues(n, args[0], true)
}

func (ev *evaluator) values(n *node, args []any) (any, error) {
	return ev.keysOrValues(n, args[0], false)
}

// keysOrValues lists an object's keys, or its values, in key order.
func (ev *evaluator) keysOrValues(n *node, a any, wantKeys bool) (any, error) {
	obj, ok := a.(map[string]any)
	if !ok {
		return nil, ev.fail(n, "%s() needs an object, not a %s", n.name, typeOf(a))
	}
	if err := ev.charge(n, 16*len(obj)); err != nil {
		return nil, err
	}
	out := make([]any, 0, len(obj))
	for _, k := range sortedKeys(obj) {
		if wantKeys {
			out = append(out, k)
		} else {
			out = append(out, obj[k])
		}
	}
	return out, nil
}

func (ev *evaluator) minFn(n *node, args []any) (any, error) {
	return ev.pick(n, args[0], args[1], true)
}

func (ev *evaluator) maxFn(n *node, args []any) (any, error) {
	return ev.pick(n, args[0], args[1], false)
}

// pick returns the lesser of a and b (the first when equal), or with
// wantLess false the greater (the second when equal).
func (ev *evaluator) pick(n *node, a, b any, wantLess bool) (any, error) {
	c, err := ev.compareScalars(n, a, b)
	if err != nil {
		return nil, err
	}
	if wantLess == (c <= 0) {
		return a, nil
	}
	return b, nil
}

func (ev *evaluator) lower(n *node, args []any) (any, error) {
	return ev.mapString(n, args[0], rustLower)
}

func (ev *evaluator) upper(n *node, args []any) (any, error) {
	return ev.mapString(n, args[0], rustUpper)
}

func (ev *evaluator) trim(n *node, args []any) (any, error) {
	return ev.mapString(n, args[0], trimSpace)
}

func trimSpace(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }

// mapString applies f to a string argument.
func (ev *evaluator) mapString(n *node, a any, f func(string) string) (any, error) {
	s, ok := a.(string)
	if !ok {
		return nil, ev.fail(n, "%s() needs a string, not a %s", n.name, typeOf(a))
	}
	out := f(s)
	return out, ev.charge(n, len(out))
}

// twoStrings checks the arguments of split, starts_with, ends_with and
// match.
func (ev *evaluator) twoStrings(n *node, args []any) (s, t string, err error) {
	s, ok1 := args[0].(string)
	t, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return "", "", ev.fail(n, "%s() needs two strings, got %s and %s", n.name, typeOf(args[0]), typeOf(args[1]))
	}
	return s, t, nil
}

func (ev *evaluator) startsWith(n *node, args []any) (any, error) {
	s, prefix, err := ev.twoStrings(n, args)
	if err != nil {
		return nil, err
	}
	return strings.HasPrefix(s, prefix), nil
}

func (ev *evaluator) endsWith(n *node, args []any) (any, error) {
	s, suffix, err := ev.twoStrings(n, args)
	if err != nil {
		return nil, err
	}
	return strings.HasSuffix(s, suffix), nil
}

func (ev *evaluator) join(n *node, args []any) (any, error) {
	arr, ok1 := args[0].([]any)
	sep, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return nil, ev.fail(n, "join() needs an array and a string, got %s and %s", typeOf(args[0]), typeOf(args[1]))
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
}

func (ev *evaluator) replace(n *node, args []any) (any, error) {
	s, ok1 := args[0].(string)
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
}

// contains(haystack, needle) is needle in haystack.
func (ev *evaluator) contains(n *node, args []any) (any, error) {
	return ev.in(n, args[1], args[0])
}

func (ev *evaluator) reversed(n *node, args []any) (any, error) {
	switch x := args[0].(type) {
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
	return nil, ev.fail(n, "reversed() needs an array or a string, not a %s", typeOf(args[0]))
}

func (ev *evaluator) unique(n *node, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, ev.fail(n, "unique() needs an array, not a %s", typeOf(args[0]))
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
}

func (ev *evaluator) flat(n *node, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, ev.fail(n, "flat() needs an array, not a %s", typeOf(args[0]))
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
}

func (ev *evaluator) zip(n *node, args []any) (any, error) {
	x, ok1 := args[0].([]any)
	y, ok2 := args[1].([]any)
	if !ok1 || !ok2 {
		return nil, ev.fail(n, "zip() needs two arrays, got %s and %s", typeOf(args[0]), typeOf(args[1]))
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
}

func (ev *evaluator) indexOf(n *node, args []any) (any, error) {
	switch h := args[0].(type) {
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
	return nil, ev.fail(n, "index_of() needs a string or an array, not a %s", typeOf(args[0]))
}

func (ev *evaluator) count(n *node, args []any) (any, error) {
	switch h := args[0].(type) {
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
	return nil, ev.fail(n, "count() needs a string or an array, not a %s", typeOf(args[0]))
}

func (ev *evaluator) merge(n *node, args []any) (any, error) {
	x, ok1 := args[0].(map[string]any)
	y, ok2 := args[1].(map[string]any)
	if !ok1 || !ok2 {
		return nil, ev.fail(n, "merge() needs two objects, got %s and %s", typeOf(args[0]), typeOf(args[1]))
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
}

func (ev *evaluator) chunks(n *node, args []any) (any, error) {
	arr, ok1 := args[0].([]any)
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
func (ev *evaluator) number(n *node, args []any) (any, error) {
	a := args[0]
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

func (ev *evaluator) toInt(n *node, args []any) (any, error) {
	a := args[0]
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

func (ev *evaluator) rounding(n *node, args []any) (any, error) {
	a := args[0]
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

func (ev *evaluator) sum(n *node, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, ev.fail(n, "sum() needs an array, not a %s", typeOf(args[0]))
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
func (ev *evaluator) split(n *node, args []any) (any, error) {
	s, sep, err := ev.twoStrings(n, args)
	if err != nil {
		return nil, err
	}
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
func (ev *evaluator) match(n *node, args []any) (any, error) {
	pattern, s, err := ev.twoStrings(n, args)
	if err != nil {
		return nil, err
	}
	re, err := compileRegex(pattern)
	if err != nil {
		return nil, ev.fail(n, "match(): %v", err)
	}
	if err := ev.charge(n, len(s)); err != nil {
		return nil, err
	}
	return re.matchString(s), nil
}

func (ev *evaluator) sort(n *node, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, ev.fail(n, "sort() needs an array, not a %s", typeOf(args[0]))
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
