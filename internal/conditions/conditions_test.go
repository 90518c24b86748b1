package conditions

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// keyVectors are hand-copied key cases of CONDITIONS.md so the package is
// tested even without the shared directory.
var keyVectors = []string{
	`{"id": "A03", "conditions": [{"field": "a", "operator": "equals", "value": 1}], "payload": null, "match": true, "results": "not_evaluated"}`,
	`{"id": "A07", "conditions": [{"field": "count", "operator": "equals", "value": 1}], "payload": {"count": 1.0}, "match": false, "results": ["fail"]}`,
	`{"id": "A10", "conditions": [{"field": "obj", "operator": "equals", "value": {"a": 1, "b": [1, 2]}}], "payload": {"obj": {"b": [1, 2], "a": 1}}, "match": true, "results": ["pass"]}`,
	`{"id": "A11", "conditions": [{"field": "x", "operator": "equals"}], "payload": {"x": null}, "match": true, "results": ["pass"]}`,
	`{"id": "A13", "conditions": [{"field": "env", "operator": "not_equals", "value": "dev"}], "payload": {"region": "eu"}, "match": false, "results": ["error"]}`,
	`{"id": "A16", "conditions": [{"field": "tags", "operator": "contains", "value": "prod"}], "payload": {"tags": ["prod", "eu"]}, "match": false, "results": ["fail"]}`,
	`{"id": "A18", "conditions": [{"field": "items.0", "operator": "equals", "value": "a"}], "payload": {"items": ["a", "b"]}, "match": false, "results": ["error"]}`,
	`{"id": "A21", "conditions": [{"field": "env", "operator": "equals", "value": "prod"}, {"field": "nope", "operator": "equals", "value": 1}, {"field": "env", "operator": "equals", "value": "dev"}], "payload": {"env": "dev"}, "match": false, "results": ["fail", "error", "skipped"]}`,
	`{"id": "A23", "conditions": {"and": [{"==": [{"var": "payload.alert.status"}, "firing"]}]}, "payload": {"alert": {"status": "firing"}}, "match": false, "results": "unsupported"}`,
	`{"id": "A25", "conditions": {"expression": true}, "payload": {"a": 1}, "match": false, "results": "unsupported"}`,
	`{"id": "E02", "conditions": {"expression": "{{ event.payload.severity == \"critical\" and event.payload.environment in [\"prod\", \"dr\"] }}"}, "payload": {"severity": "critical", "environment": "dr"}, "match": true, "results": {"value": true}}`,
	`{"id": "E03", "conditions": {"expression": "event.payload.count == 1"}, "payload": {"count": 1.0}, "match": true, "results": {"value": true}}`,
	`{"id": "E04", "conditions": {"expression": "event.payload.missing == null"}, "payload": {"present": 1}, "match": false, "results": "error"}`,
	`{"id": "E05", "conditions": {"expression": "\"x\" in event.payload and event.payload.x > 3"}, "payload": {"y": 1}, "match": false, "results": {"value": false}}`,
	`{"id": "E11", "conditions": {"expression": "event.payload.count"}, "payload": {"count": 0}, "match": false, "results": {"value": 0}}`,
	`{"id": "E12", "conditions": {"expression": "event.payload.a or event.payload.b and event.payload.c"}, "payload": {"a": true, "b": false, "c": false}, "match": true, "results": {"value": true}}`,
	`{"id": "E14", "conditions": {"expression": "'x' not in event.payload"}, "payload": {"y": 1}, "match": false, "results": "error"}`,
	`{"id": "E15", "conditions": {"expression": "{{ event.trigger == 'core.webhook' and event.id > 40 }}"}, "payload": {}, "event": {"id": 42, "trigger_ref": "core.webhook"}, "match": true, "results": {"value": true}}`,
}

func TestKeyVectors(t *testing.T) {
	t.Parallel()
	for _, line := range keyVectors {
		var v vector
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		t.Run(v.ID, func(t *testing.T) {
			t.Parallel()
			checkVector(t, v)
		})
	}
}

func TestShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		conds   string
		payload string
		shape   Shape
		match   bool
	}{
		{"nil payload", `[{"field":"a","operator":"equals","value":1}]`, "", NoPayload, true},
		{"null payload", `"anything"`, " null ", NoPayload, true},
		{"nil conditions", ``, `{}`, Empty, true},
		{"null conditions", `null`, `{}`, Empty, true},
		{"empty object", ` { } `, `{}`, Empty, true},
		{"empty array", `[]`, `{}`, Empty, true},
		{"expression with extra members", `{"expression":"true","x":1}`, `{}`, Expression, true},
		{"string", `"a"`, `{}`, Unsupported, false},
		{"number", `3`, `{}`, Unsupported, false},
		{"bool", `true`, `{}`, Unsupported, false},
		{"any group", `{"any":[]}`, `{}`, Unsupported, false},
		{"invalid json", `[`, `{}`, Unsupported, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var p json.RawMessage
			if tc.payload != "" {
				p = json.RawMessage(tc.payload)
			}
			got := Evaluate(json.RawMessage(tc.conds), Event{Payload: p})
			if got.Shape != tc.shape || got.Match != tc.match {
				t.Errorf("got %s/%v, want %s/%v (%s)", got.Shape, got.Match, tc.shape, tc.match, got.Reason)
			}
			if got.Reason == "" {
				t.Error("empty Reason")
			}
		})
	}
}

func TestArrayDetails(t *testing.T) {
	t.Parallel()
	conds := `[{"field":"env","operator":"equals","value":"prod"},{"field":"tier","operator":"equals","value":1}]`
	got := Evaluate(json.RawMessage(conds), Event{Payload: json.RawMessage(`{"env":"prod","tier":2}`)})
	if got.Reason != "check 2 failed: tier equals 1, actual 2" {
		t.Errorf("Reason = %q", got.Reason)
	}
	c := got.Checks[1]
	if c.Field != "tier" || c.Operator != "equals" || string(c.Expected) != "1" || string(c.Actual) != "2" {
		t.Errorf("check = %+v", c)
	}
	tests := []struct {
		name, conds, payload string
		want                 Outcome
	}{
		{"empty segment looks up empty key", `[{"field":"a..b","operator":"equals","value":1}]`, `{"a":{"":{"b":1}}}`, OutcomePass},
		{"empty field", `[{"field":"","operator":"equals","value":1}]`, `{"":1}`, OutcomePass},
		{"big int equal", `[{"field":"n","operator":"equals","value":18446744073709551615}]`, `{"n":18446744073709551615}`, OutcomePass},
		{"neg zero is float", `[{"field":"n","operator":"equals","value":0}]`, `{"n":-0}`, OutcomeFail},
		{"float equal", `[{"field":"n","operator":"equals","value":1.50}]`, `{"n":1.5}`, OutcomePass},
		{"exponent is float", `[{"field":"n","operator":"equals","value":1000}]`, `{"n":1e3}`, OutcomeFail},
		{"contains empty", `[{"field":"s","operator":"contains","value":""}]`, `{"s":"x"}`, OutcomePass},
		{"operator not string", `[{"field":"s","operator":1}]`, `{"s":"x"}`, OutcomeError},
		{"element not object", `[1]`, `{"s":"x"}`, OutcomeError},
		{"unknown operator", `[{"field":"s","operator":"Equals","value":"x"}]`, `{"s":"x"}`, OutcomeFail},
		{"payload not object", `[{"field":"s","operator":"equals","value":"x"}]`, `[1]`, OutcomeError},
		{"null inside path", `[{"field":"a.b","operator":"equals","value":1}]`, `{"a":null}`, OutcomeError},
		{"last duplicate key wins", `[{"field":"a","operator":"equals","value":2}]`, `{"a":1,"a":2}`, OutcomePass},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Evaluate(json.RawMessage(tc.conds), Event{Payload: json.RawMessage(tc.payload)})
			if len(r.Checks) != 1 || r.Checks[0].Outcome != tc.want {
				t.Fatalf("checks = %+v, want outcome %s", r.Checks, tc.want)
			}
			if r.Match != (tc.want == OutcomePass) {
				t.Errorf("Match = %v", r.Match)
			}
		})
	}
}

// evalExpr evaluates an expression against a payload and returns the JSON
// value or the error text prefixed with "error: ".
func evalExpr(expr, payload string) string {
	conds, _ := json.Marshal(map[string]string{"expression": expr})
	r := Evaluate(conds, Event{ID: 7, TriggerRef: "core.webhook", Payload: json.RawMessage(payload),
		Created: time.Date(2026, 6, 11, 14, 2, 41, 120514000, time.UTC)})
	if r.Expr.Err != "" {
		return "error: " + r.Expr.Err
	}
	return string(r.Expr.Value)
}

func TestExpressions(t *testing.T) {
	t.Parallel()
	const payload = `{"n":5,"f":2.5,"s":"Hello","arr":[3,1,2],"obj":{"b":1,"a":[1.0,"x"]},"neg":-0,"big":9223372036854775808}`
	tests := []struct{ expr, want string }{
		// precedence and associativity
		{"1 + 2 * 3", "7"},
		{"(1 + 2) * 3", "9"},
		{"-2 * 3", "-6"},
		{"not 1 == 2", "true"},
		{"true or false and false", "true"},
		{"not true or true", "true"},
		{"1 < 2 == true", "true"},
		{"1 < 2 < 3", "error: cannot compare bool with number"},
		{"2 - 3 - 4", "-5"},
		{"- - 3", "3"},
		{"1 and 2", "true"},
		{"0 or ''", "false"},
		// arithmetic
		{"10 / 4", "2.5"},
		{"10 / 5", "2"},
		{"-7 % 3", "-1"},
		{"7.5 % 2", "1.5"},
		{"1 / 0", "error: division by zero"},
		{"1 % 0", "error: modulo by zero"},
		{"1 + 1.0", "2.0"},
		{"'a' + 'b'", `"ab"`},
		{"[1] + [2]", "[1,2]"},
		{"'a' + 1", "error: cannot apply + to string and number"},
		{"9223372036854775807 + 1", "error: integer overflow in 9223372036854775807 + 1"},
		{"9223372036854775808", "error: syntax error: integer 9223372036854775808 does not fit in 64 bits"},
		// comparisons and equality
		{"1 == 1.0", "true"},
		{"'3' == 3", "false"},
		{"[1, 2] == [1.0, 2]", "true"},
		{"{'a':1}", "error: syntax error: unexpected character '{'"},
		{"'abc' < 'abd'", "true"},
		{"[1, 2] < [1, 3]", "true"},
		{"[1] < [1, 0]", "true"},
		{"[1] < ['a']", "error: cannot compare array elements number and string"},
		{"null > 1", "error: cannot compare null with number"},
		{"true > false", "error: cannot compare bool with bool"},
		// in
		{"2 in event.payload.arr", "true"},
		{"2.0 in event.payload.arr", "true"},
		{"'b' in event.payload.obj", "true"},
		{"1 in event.payload.obj", "error: 'in' on an object needs a string key, not a number"},
		{"'ell' in event.payload.s", "true"},
		{"1 in 2", "error: 'in' needs an array, object or string on the right, not a number"},
		// access and indexing
		{"event.payload.arr[-1]", "2"},
		{"event.payload.arr[3]", "error: index 3 out of range for an array of length 3"},
		{"event.payload.arr[1.0]", "error: array index must be an integer, not a number"},
		{"event.payload['s'][1]", `"e"`},
		{"'日本語'[-1]", `"語"`},
		{"event.payload.obj.a[0]", "1.0"},
		{"event.payload.s.x", `error: cannot access member "x" of a string`},
		{"event.payload.neg", "-0.0"},
		{"event.payload.big", "9.223372036854776e18"},
		{"[1, 2,]", "[1,2]"},
		{"[]", "[]"},
		{"{'x': 1}.x", "error: syntax error: unexpected character '{'"},
		// context
		{"event.id", "7"},
		{"event.trigger_ref", `"core.webhook"`},
		{"event.created", `"2026-06-11T14:02:41.120514+00:00"`},
		{"payload", `error: unknown variable "payload" (only "event" exists in rule conditions)`},
		{"succeeded()", `error: unknown function "succeeded"`},
		{"event.payload.f()", `error: syntax error: unexpected "(", expected end of expression`},
		{"event.in", `error: object has no key "in"`},
		{"event.payload.arr.0", "error: syntax error: unexpected number, expected a member name after '.' (use [i] for indexes)"},
		// lexical
		{"1e5", "error: syntax error: unexpected identifier \"e5\", expected end of expression"},
		{".5", "error: syntax error: unexpected \".\", expected an expression"},
		{"a = 1", "error: syntax error: unexpected character '='"},
		{"1 && 2", "error: syntax error: unexpected character '&'"},
		{`"a\d\n"`, `"a\\d\n"`},
		{`'it\'s'`, `"it's"`},
		{"'unterminated", "error: syntax error: unterminated string"},
		{"\u00a0 1\u3000", "1"},
		{"{{ 1 }} and {{ 2 }}", "error: syntax error: unexpected character '}'"},
		{"", "error: syntax error: unexpected end of expression, expected an expression"},
		{"True", `error: unknown variable "True" (only "event" exists in rule conditions)`},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			if got := evalExpr(tc.expr, payload); got != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestBuiltins(t *testing.T) {
	t.Parallel()
	const payload = `{"o":{"b":2,"a":1},"f":3.0}`
	tests := []struct{ expr, want string }{
		{"string(3.0)", `"3.0"`},
		{"string(event.payload.f)", `"3.0"`},
		{"string(15000000000000000.0)", `"1.5e16"`},
		{"string(1000000000000000.0)", `"1000000000000000.0"`},
		{"string(0.00001)", `"0.00001"`},
		{"string(0.000001)", `"1e-6"`},
		{"string(0.0000015)", `"1.5e-6"`},
		{"string(0.0001)", `"0.0001"`},
		{"string(null)", `"null"`},
		{"string(true)", `"true"`},
		{"string(event.payload.o)", `"{\"a\":1,\"b\":2}"`},
		{"string(['<&>'])", `"[\"<&>\"]"`},
		{"number('2')", "2.0"},
		{"number('1e3')", "1000.0"},
		{"number('0x10')", `error: number(): cannot parse "0x10"`},
		{"number(true)", "1.0"},
		{"number(null)", "error: number() cannot convert a null"},
		{"int('42')", "42"},
		{"int('-3.9')", "-3"},
		{"int(2.7)", "2"},
		{"int(false)", "0"},
		{"bool([])", "false"},
		{"type_of(1.5)", `"number"`},
		{"type_of(event.payload.o)", `"object"`},
		{"length('ß日')", "5"},
		{"length([1,2])", "2"},
		{"length(1)", "error: length() needs a string, array or object, not a number"},
		{"keys(event.payload.o)", `["a","b"]`},
		{"values(event.payload.o)", "[1,2]"},
		{"abs(-3)", "3"},
		{"abs(-2.5)", "2.5"},
		{"floor(2.7)", "2"},
		{"ceil(2.1)", "3"},
		{"round(2.5)", "3"},
		{"round(-2.5)", "-3"},
		{"floor(3)", "3"},
		{"min(1, 2.5)", "1"},
		{"max('a', 'b')", `"b"`},
		{"min(1, 'a')", "error: min() needs two numbers or two strings, got number and string"},
		{"sum([1, 2, 3])", "6"},
		{"sum([1, 2.5])", "3.5"},
		{"sum([])", "0"},
		{"sum(['a'])", "error: sum() needs numbers, found a string"},
		{"upper('straße')", `"STRASSE"`},
		{"upper('ﬁ')", `"FI"`},
		{"lower('ΟΔΟΣ')", `"οδος"`},
		{"lower('İ')", "\"i\u0307\""},
		{"trim('\u3000 x \n')", `"x"`},
		{"split('a,b', ',')", `["a","b"]`},
		{"split('ab', '')", `["","a","b",""]`},
		{"join([1, 'a', null], '-')", `"1-a-null"`},
		{"replace('aaa', 'a', 'b')", `"bbb"`},
		{"replace('ab', '', '-')", `"-a-b-"`},
		{"starts_with('abc', 'ab')", "true"},
		{"ends_with('abc', 'bc')", "true"},
		{"starts_with(1, 'a')", "error: starts_with() needs two strings, got number and string"},
		{"contains('abc', 'b')", "true"},
		{"contains([1, 2], 2.0)", "true"},
		{"reversed([1, 2, 3])", "[3,2,1]"},
		{"reversed('ab')", `"ba"`},
		{"sort([3, 1.5, 2])", "[1.5,2,3]"},
		{"sort(['b', 'a'])", `["a","b"]`},
		{"sort([1, 'a'])", "error: sort() needs all numbers or all strings"},
		{"unique([1, 1.0, 2, 'a', 'a'])", `[1,2,"a"]`},
		{"flat([[1], 2, [[3]]])", "[1,2,[3]]"},
		{"zip([1, 2, 3], ['a', 'b'])", `[[1,"a"],[2,"b"]]`},
		{"range(3)", "[0,1,2]"},
		{"range(2, 4)", "[2,3]"},
		{"range(5, 1)", "[]"},
		{"range(1.5)", "error: range() needs integers, not a number"},
		{"range(1000000000)", "error: range() of more than 100000 elements (attune-tui limit)"},
		{"slice([1, 2, 3, 4], 1, 3)", "[2,3]"},
		{"slice([1, 2, 3], 1, 99)", "[2,3]"},
		{"slice('héllo', 1, 3)", `"él"`},
		{"slice([1, 2, 3], -2)", "[2,3]"},
		{"index_of('héllo', 'l')", "3"},
		{"index_of('abc', 'z')", "-1"},
		{"index_of([1, 2], 2)", "1"},
		{"count('banana', 'an')", "2"},
		{"count([1, 2, 1], 1)", "2"},
		{"merge({'a': 1}, {})", "error: syntax error: unexpected character '{'"},
		{"merge(event.payload.o, event.payload.o)", `{"a":1,"b":2}`},
		{"chunks([1, 2, 3], 2)", "[[1,2],[3]]"},
		{"chunks([1], 0)", "error: chunks() needs an array and a positive integer"},
		{"nope(1)", `error: unknown function "nope"`},
		{"length(1, 2)", "error: length() takes 1 argument(s), got 2"},
		{"length(1 / 0)", "error: division by zero"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			if got := evalExpr(tc.expr, payload); got != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestRegex(t *testing.T) {
	t.Parallel()
	tests := []struct{ expr, want string }{
		{`match('\d', '٣')`, "true"},
		{`match('^\d+$', '١٢٣')`, "true"},
		{`match('\D', '٣')`, "false"},
		{`match('^\w+$', 'héllo_1')`, "true"},
		{`match('\W', 'é')`, "false"},
		{`match('[\d]', '٣')`, "true"},
		{`match('[a\W]', '!')`, "true"},
		{`match('[a\W]', 'b')`, "false"},
		{`match('[^\W]', 'b')`, "error: match(): \\W inside a negated class is not supported by attune-tui's regex translation"},
		{`match('\bfoo\b', 'a foo b')`, "true"},
		{`match('\bfoo', 'éfoo')`, "false"}, // é is a word character in Rust
		{`match('(?i)ERROR', 'error')`, "true"},
		{`match('disk', 'my disk')`, "true"},
		{`match('(', 'x')`, "error: match(): invalid regex: error parsing regexp: missing closing ): `(`"},
		{`match('[]a]', ']')`, "true"},
		{`match('[[:digit:]]', '5')`, "true"},
		{`match('^a', 1)`, "error: match() needs two strings, got string and number"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			if got := evalExpr(tc.expr, `{}`); got != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
		})
	}
	// \s with a Unicode space in the subject (via the payload).
	if got := evalExpr(`match('^\s$', event.payload.s)`, `{"s":"\u3000"}`); got != "true" {
		t.Errorf(`\s on U+3000 = %s`, got)
	}
}

func TestExprTree(t *testing.T) {
	t.Parallel()
	conds := json.RawMessage(`{"expression":"{{ event.payload.a == 1 or event.payload.missing > 2 }}"}`)
	r := Evaluate(conds, Event{Payload: json.RawMessage(`{"a":1}`)})
	if !r.Match || r.Expr == nil || r.Expr.Root == nil {
		t.Fatalf("result = %+v", r)
	}
	root := r.Expr.Root
	if root.Op != "or" || root.State != NodeEvaluated || string(root.Value) != "true" {
		t.Errorf("root = %+v", root)
	}
	left, right := root.Children[0], root.Children[1]
	if src := r.Expr.Source[left.Start:left.End]; src != "event.payload.a == 1" {
		t.Errorf("left span = %q", src)
	}
	if right.State != NodeNotEvaluated {
		t.Errorf("short-circuited right state = %s", right.State)
	}
	// An error points at the failing clause.
	r = Evaluate(conds, Event{Payload: json.RawMessage(`{"a":2}`)})
	if r.Match || r.Expr.Err == "" {
		t.Fatalf("want error, got %+v", r)
	}
	if got := r.Expr.Source[r.Expr.ErrStart:r.Expr.ErrEnd]; got != "event.payload.missing" {
		t.Errorf("error span = %q", got)
	}
	if !strings.Contains(r.Reason, "expression error") {
		t.Errorf("Reason = %q", r.Reason)
	}
}

func TestFormatCreated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ns   int
		want string
	}{
		{0, "2026-06-11T14:02:41+00:00"},
		{120000000, "2026-06-11T14:02:41.120+00:00"},
		{120514000, "2026-06-11T14:02:41.120514+00:00"},
		{120514001, "2026-06-11T14:02:41.120514001+00:00"},
	}
	for _, tc := range tests {
		loc := time.FixedZone("X", 3600)
		ts := time.Date(2026, 6, 11, 15, 2, 41, tc.ns, loc)
		if got := FormatCreated(ts); got != tc.want {
			t.Errorf("FormatCreated = %q, want %q", got, tc.want)
		}
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("(", MaxDepth+5) + "1" + strings.Repeat(")", MaxDepth+5)
	if got := evalExpr(deep, `{}`); !strings.Contains(got, "nested deeper than") {
		t.Errorf("deep = %s", got)
	}
	notChain := strings.Repeat("not ", MaxDepth+5) + "1"
	if got := evalExpr(notChain, `{}`); !strings.Contains(got, "nested deeper than") {
		t.Errorf("not chain = %s", got)
	}
	long := strings.Repeat("1+", MaxExpressionBytes) + "1"
	if got := evalExpr(long, `{}`); !strings.Contains(got, "longer than") {
		t.Errorf("long = %s", got)
	}
	// Doubling a string exceeds the value limit instead of allocating.
	grow := "join(range(100000), 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')"
	if got := evalExpr(grow, `{}`); !strings.Contains(got, "attune-tui limit") {
		t.Errorf("grow = %.80s", got)
	}
	// Large intermediate values are elided from the tree, not copied.
	conds, _ := json.Marshal(map[string]string{"expression": "length(range(50000)) > 0"})
	r := Evaluate(conds, Event{Payload: json.RawMessage(`{}`)})
	if !r.Match || !r.Expr.Root.Children[0].Children[0].Elided {
		t.Errorf("range node not elided: %+v", r.Expr.Root.Children[0].Children[0])
	}
}

// TestReads: Result.Reads names exactly the event fields an evaluation
// read; a use of the whole event reads them all, and a branch that was not
// evaluated reads nothing.
func TestReads(t *testing.T) {
	t.Parallel()
	all := []string{FieldID, FieldTrigger, FieldTriggerRef, FieldPayload, FieldCreated}
	expr := func(s string) string {
		b, err := json.Marshal(map[string]string{"expression": s})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cases := []struct {
		name, conds, payload string
		want                 []string
	}{
		{name: "payload member", conds: expr(`event.payload.a == 1`), want: []string{FieldPayload}},
		{name: "created", conds: expr(`event.created > "2020"`), want: []string{FieldCreated}},
		{name: "created by index", conds: expr(`event["created"] != ""`), want: []string{FieldCreated}},
		{name: "computed index", conds: expr(`event["cre" + "ated"] != ""`), want: []string{FieldCreated}},
		{name: "id and trigger_ref", conds: expr(`event.id > 0 and event.trigger_ref == "t"`), want: []string{FieldID, FieldTriggerRef}},
		{name: "short-circuit and", conds: expr(`false and event.created`), want: nil},
		{name: "short-circuit or", conds: expr(`event.trigger == "t" or event.created`), want: []string{FieldTrigger}},
		{name: "whole event in a call", conds: expr(`len(event) > 0`), want: all},
		{name: "whole event compared", conds: expr(`event == 1`), want: all},
		{name: "whole event in an array", conds: expr(`[event][0].payload.a == 1`), want: all},
		{name: "event as an index", conds: expr(`event.payload[event] == 1`), want: all},
		{name: "no such field", conds: expr(`event.nosuch`), want: nil},
		{name: "constant", conds: expr(`1 == 1`), want: nil},
		{name: "syntax error", conds: expr(`event.`), want: nil},
		{name: "array form", conds: `[{"field":"a","operator":"equals","value":1}]`, want: []string{FieldPayload}},
		{name: "array form without a field", conds: `[{"operator":"equals","value":1}]`, want: nil},
		{name: "no payload", conds: expr(`event.created`), payload: "null", want: nil},
		{name: "empty conditions", conds: `{}`, want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			payload := tc.payload
			if payload == "" {
				payload = `{"a":1}`
			}
			r := Evaluate(json.RawMessage(tc.conds), Event{ID: 7, TriggerRef: "t", Payload: json.RawMessage(payload), Created: time.Unix(0, 0)})
			if !reflect.DeepEqual(r.Reads, tc.want) {
				t.Fatalf("Reads = %q, want %q (%s)", r.Reads, tc.want, r.Reason)
			}
			if r.ReadsField(FieldCreated) != slices.Contains(tc.want, FieldCreated) {
				t.Errorf("ReadsField(created) = %v", r.ReadsField(FieldCreated))
			}
		})
	}
}
