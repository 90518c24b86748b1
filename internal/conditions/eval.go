package conditions

import (
	"fmt"
	"math"
	"strings"
)

// MaxNodeValueBytes caps the JSON text kept in ExprNode.Value for one
// sub-expression; larger values are elided (the root's value is kept up to
// MaxValueBytes).
const MaxNodeValueBytes = 16 << 10

// MaxAllocBytes caps the total size of the values built by one evaluation.
const MaxAllocBytes = 64 << 20

// evalError is an evaluation error; origin is the node where it arose.
type evalError struct {
	msg    string
	origin *node
}

func (e *evalError) Error() string { return e.msg }

// evaluator holds the state of one expression evaluation.
type evaluator struct {
	event any
	steps int
	alloc int
	nodes map[*node]*ExprNode
	// reads is the set of event fields read (see fieldBit).
	reads uint8
	// base is the event identifier being evaluated as the object of a
	// member or index access (only the field taken is read), else nil.
	base *node
}

// isEvent reports whether n is the identifier event.
func isEvent(n *node) bool { return n.kind == KindIdent && n.name == "event" }

// evalBase evaluates the object of a member or index access: the event
// there is not a use of the whole event.
func (ev *evaluator) evalBase(n *node) (any, error) {
	if isEvent(n) {
		ev.base = n
		defer func() { ev.base = nil }()
	}
	return ev.eval(n)
}

// readField notes that the access n took key of its object, when that
// object is the event.
func (ev *evaluator) readField(n *node, key string) {
	if isEvent(n.kids[0]) {
		ev.reads |= fieldBit(key)
	}
}

func (ev *evaluator) fail(n *node, format string, args ...any) error {
	return &evalError{msg: fmt.Sprintf(format, args...), origin: n}
}

// charge accounts for one step and size bytes of newly built value.
func (ev *evaluator) charge(n *node, size int) error {
	ev.steps++
	if ev.steps > MaxSteps {
		return ev.fail(n, "evaluation exceeded %d steps (attune-tui limit)", MaxSteps)
	}
	if size > MaxValueBytes {
		return ev.fail(n, "value larger than %d bytes (attune-tui limit)", MaxValueBytes)
	}
	ev.alloc += size
	if ev.alloc > MaxAllocBytes {
		return ev.fail(n, "evaluation built more than %d bytes of values (attune-tui limit)", MaxAllocBytes)
	}
	return nil
}

// mirror builds the exported tree for n, every node not evaluated yet.
func (ev *evaluator) mirror(n *node) *ExprNode {
	out := &ExprNode{Kind: n.kind, Op: n.op, Name: n.name, Start: n.start, End: n.end, State: NodeNotEvaluated}
	ev.nodes[n] = out
	for _, k := range n.kids {
		out.Children = append(out.Children, ev.mirror(k))
	}
	return out
}

// eval evaluates n and records its outcome in the mirror tree.
func (ev *evaluator) eval(n *node) (any, error) {
	v, err := ev.evalNode(n)
	out := ev.nodes[n]
	if err != nil {
		out.State, out.Err = NodeError, err.Error()
		return nil, err
	}
	out.State = NodeEvaluated
	if text := toJSONCapped(v, MaxNodeValueBytes); text != nil {
		out.Value = text
	} else {
		out.Elided = true
	}
	return v, nil
}

// toJSONCapped returns v's JSON text, or nil if it would exceed limit bytes.
func toJSONCapped(v any, limit int) []byte {
	switch x := v.(type) {
	case string:
		if len(x) > limit {
			return nil
		}
	case []any, map[string]any:
		if approxSize(x) > 4*limit {
			return nil
		}
	}
	b := appendJSON(nil, v)
	if len(b) > limit {
		return nil
	}
	return b
}

func (ev *evaluator) evalNode(n *node) (any, error) {
	if err := ev.charge(n, 0); err != nil {
		return nil, err
	}
	switch n.kind {
	case KindLiteral:
		return n.lit, nil
	case KindIdent:
		if n.name == "event" {
			if n != ev.base {
				ev.reads = readAll
			}
			return ev.event, nil
		}
		return nil, ev.fail(n, "unknown variable %q (only \"event\" exists in rule conditions)", n.name)
	case KindArray:
		out := make([]any, 0, len(n.kids))
		for _, k := range n.kids {
			v, err := ev.eval(k)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, ev.charge(n, 16*len(out))
	case KindMember:
		base, err := ev.evalBase(n.kids[0])
		if err != nil {
			return nil, err
		}
		ev.readField(n, n.name)
		return ev.member(n, base, n.name)
	case KindIndex:
		base, err := ev.evalBase(n.kids[0])
		if err != nil {
			return nil, err
		}
		idx, err := ev.eval(n.kids[1])
		if err != nil {
			return nil, err
		}
		if k, ok := idx.(string); ok {
			ev.readField(n, k)
		}
		return ev.index(n, base, idx)
	case KindCall:
		args := make([]any, 0, len(n.kids))
		for _, k := range n.kids {
			v, err := ev.eval(k)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		return ev.call(n, args)
	case KindUnary:
		x, err := ev.eval(n.kids[0])
		if err != nil {
			return nil, err
		}
		if n.op == "not" {
			return !truthy(x), nil
		}
		switch v := x.(type) {
		case int64:
			if v == math.MinInt64 {
				return nil, ev.fail(n, "integer overflow in -%d", v)
			}
			return -v, nil
		case float64:
			return -v, nil
		}
		return nil, ev.fail(n, "cannot negate a %s", typeOf(x))
	case KindBinary:
		return ev.binary(n)
	}
	return nil, ev.fail(n, "unknown node kind %q", n.kind)
}

func (ev *evaluator) member(n *node, base any, key string) (any, error) {
	obj, ok := base.(map[string]any)
	if !ok {
		return nil, ev.fail(n, "cannot access member %q of a %s", key, typeOf(base))
	}
	v, ok := obj[key]
	if !ok {
		return nil, ev.fail(n, "object has no key %q", key)
	}
	return v, nil
}

func (ev *evaluator) index(n *node, base, idx any) (any, error) {
	switch b := base.(type) {
	case map[string]any:
		k, ok := idx.(string)
		if !ok {
			return nil, ev.fail(n, "object index must be a string, not a %s", typeOf(idx))
		}
		return ev.member(n, b, k)
	case []any:
		i, ok := idx.(int64)
		if !ok {
			return nil, ev.fail(n, "array index must be an integer, not a %s", typeOf(idx))
		}
		j, ok := resolveIndex(i, int64(len(b)))
		if !ok {
			return nil, ev.fail(n, "index %d out of range for an array of length %d", i, len(b))
		}
		return b[j], nil
	case string:
		i, ok := idx.(int64)
		if !ok {
			return nil, ev.fail(n, "string index must be an integer, not a %s", typeOf(idx))
		}
		runes := []rune(b)
		if err := ev.charge(n, 4*len(runes)); err != nil {
			return nil, err
		}
		j, ok := resolveIndex(i, int64(len(runes)))
		if !ok {
			return nil, ev.fail(n, "index %d out of range for a string of %d characters", i, len(runes))
		}
		return string(runes[j]), nil
	}
	return nil, ev.fail(n, "cannot index a %s", typeOf(base))
}

// resolveIndex turns a possibly negative index into a position.
func resolveIndex(i, n int64) (int64, bool) {
	if i < 0 {
		i += n
	}
	return i, i >= 0 && i < n
}

func (ev *evaluator) binary(n *node) (any, error) {
	l, err := ev.eval(n.kids[0])
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "and":
		if !truthy(l) {
			return false, nil
		}
		r, err := ev.eval(n.kids[1])
		if err != nil {
			return nil, err
		}
		return truthy(r), nil
	case "or":
		if truthy(l) {
			return true, nil
		}
		r, err := ev.eval(n.kids[1])
		if err != nil {
			return nil, err
		}
		return truthy(r), nil
	}
	r, err := ev.eval(n.kids[1])
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "==":
		return valueEqual(l, r), nil
	case "!=":
		return !valueEqual(l, r), nil
	case "<", ">", "<=", ">=":
		c, err := ev.compare(n, l, r)
		if err != nil {
			return nil, err
		}
		switch n.op {
		case "<":
			return c < 0, nil
		case ">":
			return c > 0, nil
		case "<=":
			return c <= 0, nil
		default:
			return c >= 0, nil
		}
	case "in":
		return ev.in(n, l, r)
	case "+", "-", "*", "/", "%":
		return ev.arith(n, n.op, l, r)
	}
	return nil, ev.fail(n, "unknown operator %q", n.op)
}

// compare orders two numbers (as f64), two strings (byte-wise) or two
// arrays (pairwise, then by length). NaN compares as unordered: every
// comparison with it is false except through the pairwise array rule.
func (ev *evaluator) compare(n *node, l, r any) (int, error) {
	if x, ok := asFloat(l); ok {
		if y, ok := asFloat(r); ok {
			switch {
			case x < y:
				return -1, nil
			case x > y:
				return 1, nil
			case x == y:
				return 0, nil
			}
			return 0, ev.fail(n, "cannot compare NaN")
		}
	}
	if x, ok := l.(string); ok {
		if y, ok := r.(string); ok {
			return strings.Compare(x, y), nil
		}
	}
	if x, ok := l.([]any); ok {
		if y, ok := r.([]any); ok {
			for i := 0; i < len(x) && i < len(y); i++ {
				if err := ev.charge(n, 0); err != nil {
					return 0, err
				}
				_, xn := asFloat(x[i])
				_, yn := asFloat(y[i])
				_, xs := x[i].(string)
				_, ys := y[i].(string)
				if !(xn && yn) && !(xs && ys) {
					return 0, ev.fail(n, "cannot compare array elements %s and %s", typeOf(x[i]), typeOf(y[i]))
				}
				c, err := ev.compare(n, x[i], y[i])
				if err != nil || c != 0 {
					return c, err
				}
			}
			switch {
			case len(x) < len(y):
				return -1, nil
			case len(x) > len(y):
				return 1, nil
			}
			return 0, nil
		}
	}
	return 0, ev.fail(n, "cannot compare %s with %s", typeOf(l), typeOf(r))
}

// in implements x in y.
func (ev *evaluator) in(n *node, x, y any) (bool, error) {
	switch c := y.(type) {
	case []any:
		if err := ev.charge(n, 0); err != nil {
			return false, err
		}
		ev.steps += len(c)
		for _, e := range c {
			if valueEqual(x, e) {
				return true, nil
			}
		}
		return false, nil
	case map[string]any:
		k, ok := x.(string)
		if !ok {
			return false, ev.fail(n, "'in' on an object needs a string key, not a %s", typeOf(x))
		}
		_, found := c[k]
		return found, nil
	case string:
		s, ok := x.(string)
		if !ok {
			return false, ev.fail(n, "'in' on a string needs a string, not a %s", typeOf(x))
		}
		return strings.Contains(c, s), nil
	}
	return false, ev.fail(n, "'in' needs an array, object or string on the right, not a %s", typeOf(y))
}

// arith implements + - * / %. int op int stays int (division only when
// exact); integer overflow is an error here (upstream behaviour on overflow
// is unspecified); anything mixed goes through f64.
func (ev *evaluator) arith(n *node, op string, l, r any) (any, error) {
	if op == "+" {
		switch x := l.(type) {
		case string:
			if y, ok := r.(string); ok {
				if err := ev.charge(n, len(x)+len(y)); err != nil {
					return nil, err
				}
				return x + y, nil
			}
		case []any:
			if y, ok := r.([]any); ok {
				if err := ev.charge(n, 16*(len(x)+len(y))); err != nil {
					return nil, err
				}
				out := make([]any, 0, len(x)+len(y))
				return append(append(out, x...), y...), nil
			}
		}
	}
	xi, xInt := l.(int64)
	yi, yInt := r.(int64)
	if xInt && yInt {
		switch op {
		case "+":
			s := xi + yi
			if (s > xi) != (yi > 0) {
				return nil, ev.fail(n, "integer overflow in %d + %d", xi, yi)
			}
			return s, nil
		case "-":
			d := xi - yi
			if (d < xi) != (yi > 0) {
				return nil, ev.fail(n, "integer overflow in %d - %d", xi, yi)
			}
			return d, nil
		case "*":
			if xi != 0 && yi != 0 {
				p := xi * yi
				if p/yi != xi || (xi == -1 && yi == math.MinInt64) || (yi == -1 && xi == math.MinInt64) {
					return nil, ev.fail(n, "integer overflow in %d * %d", xi, yi)
				}
				return p, nil
			}
			return int64(0), nil
		case "/":
			if yi == 0 {
				return nil, ev.fail(n, "division by zero")
			}
			if xi == math.MinInt64 && yi == -1 {
				return nil, ev.fail(n, "integer overflow in %d / %d", xi, yi)
			}
			if xi%yi == 0 {
				return xi / yi, nil
			}
			return float64(xi) / float64(yi), nil
		case "%":
			if yi == 0 {
				return nil, ev.fail(n, "modulo by zero")
			}
			if yi == -1 {
				return int64(0), nil
			}
			return xi % yi, nil
		}
	}
	x, okx := asFloat(l)
	y, oky := asFloat(r)
	if !okx || !oky {
		return nil, ev.fail(n, "cannot apply %s to %s and %s", op, typeOf(l), typeOf(r))
	}
	switch op {
	case "+":
		return x + y, nil
	case "-":
		return x - y, nil
	case "*":
		return x * y, nil
	case "/":
		if y == 0 {
			return nil, ev.fail(n, "division by zero")
		}
		return x / y, nil
	default:
		if y == 0 {
			return nil, ev.fail(n, "modulo by zero")
		}
		return math.Mod(x, y), nil
	}
}
