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
