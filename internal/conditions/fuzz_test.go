package conditions

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// FuzzEvaluate checks that no expression or payload makes the evaluator
// panic, hang or report an inconsistent result.
func FuzzEvaluate(f *testing.F) {
	seeds := []struct{ expr, payload string }{
		{`{{ event.payload.severity == "critical" }}`, `{"severity":"critical"}`},
		{`"x" in event.payload and event.payload.x > 3`, `{"x":5}`},
		{`match('^\d+$', event.payload.s) or upper(event.payload.s) == "SS"`, `{"s":"ß"}`},
		{`match('\bé\B|\b{start}x\>|a{2,}', event.payload.s)`, `{"s":"xé ééa"}`},
		{`sum(range(10)) / 3 % 2 - -1`, `{}`},
		{`[1, [2, 3],][1][-1] < [1.5]`, `{}`},
		{`join(sort(keys(event.payload)), ",")`, `{"b":1,"a":2}`},
		{`chunks(unique(flat([[1],[1.0],[2]])), 1)`, `null`},
		{`((((((not not 1))))))`, `[1]`},
		{`event.created > "2000" and event["trig" + "ger"] != ""`, `{}`},
		{`len(event) == 5 or [event][0]["created"] == ""`, `{}`},
	}
	for _, s := range seeds {
		f.Add(s.expr, s.payload)
	}
	f.Fuzz(func(t *testing.T, expr, payload string) {
		conds, err := json.Marshal(map[string]string{"expression": expr})
		if err != nil {
			return
		}
		start := time.Now()
		ev := Event{Payload: json.RawMessage(payload), Created: time.Unix(0, 0).UTC()}
		r := Evaluate(conds, ev)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("evaluation took %v", d)
		}
		if r.Shape == Expression && r.Expr.Err != "" && r.Match {
			t.Fatalf("error %q but Match", r.Expr.Err)
		}
		if r.Shape == Expression && r.Expr.Err == "" && r.Expr.Value != nil && !json.Valid(r.Expr.Value) {
			t.Fatalf("value %q is not valid JSON", r.Expr.Value)
		}
		// A result that did not read event.created cannot change with it.
		if !r.ReadsField(FieldCreated) {
			ev.Created = time.Date(2999, 12, 31, 23, 59, 58, 123456789, time.UTC)
			if o := Evaluate(conds, ev); o.Match != r.Match || o.Reason != r.Reason ||
				(r.Expr != nil && (o.Expr.Err != r.Expr.Err || !bytes.Equal(o.Expr.Value, r.Expr.Value))) {
				t.Fatalf("reads %v, but another event.created changed the result: %q vs %q", r.Reads, r.Reason, o.Reason)
			}
		}
		// The array form must not panic on arbitrary payloads either.
		_ = Evaluate(json.RawMessage(`[{"field":"a.b","operator":"equals","value":1}]`), Event{Payload: json.RawMessage(payload)})
	})
}
