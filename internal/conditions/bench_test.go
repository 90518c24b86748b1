package conditions

import (
	"encoding/json"
	"testing"
)

func BenchmarkEvaluateArray(b *testing.B) {
	conds := json.RawMessage(`[{"field":"alert.labels.env","operator":"equals","value":"prod"},{"field":"msg","operator":"contains","value":"disk"}]`)
	ev := Event{Payload: json.RawMessage(`{"alert":{"labels":{"env":"prod"}},"msg":"disk full"}`)}
	b.ReportAllocs()
	for b.Loop() {
		_ = Evaluate(conds, ev)
	}
}

func BenchmarkEvaluateExpression(b *testing.B) {
	conds := json.RawMessage(`{"expression":"{{ event.payload.severity == \"critical\" and event.payload.environment in [\"prod\", \"dr\"] }}"}`)
	ev := Event{Payload: json.RawMessage(`{"severity":"critical","environment":"dr"}`)}
	b.ReportAllocs()
	for b.Loop() {
		_ = Evaluate(conds, ev)
	}
}

// BenchmarkEvaluateBuiltins calls a mix of built-in functions, so the cost
// of dispatching a call (name lookup, arity check) shows.
func BenchmarkEvaluateBuiltins(b *testing.B) {
	conds := json.RawMessage(`{"expression":"lower(event.payload.env) == \"prod\" and ends_with(event.payload.msg, \"full \") and length(event.payload.tags) > 1 and contains(event.payload.tags, \"db\") and int(event.payload.n) + abs(-2) < max(10, 20) and slice(upper(trim(event.payload.msg)), 0, 4) == \"DISK\""}`)
	ev := Event{Payload: json.RawMessage(`{"env":"PROD","msg":" disk full ","tags":["db","eu"],"n":"3"}`)}
	b.ReportAllocs()
	for b.Loop() {
		if !Evaluate(conds, ev).Match {
			b.Fatal("expression did not match")
		}
	}
}
