package condview

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/internal/conditions"
)

const goldenPayload = `{"alert":{"labels":{"env":"prod","team":"storage"}},"msg":"cpu high","severity":"critical","environment":"qa","count":3}`

// hostile carries an escape sequence, a bidi override and a zero-width char.
const hostile = "\x1b]2;pwned\x07\u202eevil\u200b\x1b[2J"

// TestView golden-tests View at widths 40, 80 and 120 with zero styles.
// Regenerate with: go test ./ui/components/condview -run TestView -update
func TestView(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		conds   string
		payload string
		noEval  bool
		keys    []string
	}{
		{name: "array_mixed", conds: `[
			{"field":"alert.labels.env","operator":"equals","value":"prod"},
			{"field":"msg","operator":"contains","value":"disk"},
			{"field":"alert.labels.missing","operator":"equals","value":1},
			{"field":"count","operator":"not_equals","value":0}]`},
		{name: "array_match", conds: `[{"field":"alert.labels.env","operator":"equals","value":"prod"},{"field":"count","operator":"not_equals","value":0}]`},
		{name: "array_unknown_operator", conds: `[{"field":"count","operator":"greater_than","value":1}]`},
		{name: "array_not_evaluated", conds: `[{"field":"alert.labels.env","operator":"equals","value":"prod"},{"operator":"equals"}]`, noEval: true},
		{name: "expression_true", conds: `{"expression":"{{ event.payload.severity == \"critical\" and event.payload.count > 1 }}"}`},
		{name: "expression_false", conds: `{"expression":"{{ event.payload.severity == \"critical\" and event.payload.environment in [\"prod\", \"dr\"] and event.payload.count > 1 }}"}`},
		{name: "expression_or_false", conds: `{"expression":"event.payload.environment == \"prod\" or event.payload.count > 10"}`},
		{name: "expression_error", conds: `{"expression":"event.payload.nope.deep > 3 and true"}`},
		{name: "expression_syntax_error", conds: `{"expression":"event.payload.count >"}`},
		{name: "expression_single", conds: `{"expression":"length(event.payload.msg)"}`},
		{name: "expression_not_evaluated", conds: `{"expression":"{{ event.payload.severity == \"critical\" and event.payload.count > 1 }}"}`, noEval: true},
		{name: "empty_object", conds: `{}`},
		{name: "empty_array", conds: `[]`},
		{name: "null", conds: `null`},
		{name: "no_payload", conds: `[{"field":"a","operator":"equals","value":1}]`, payload: "null"},
		{name: "unsupported", conds: `{"and":[{"var":"x"}]}`},
		{name: "unsupported_scalar", conds: `"yes"`, noEval: true},
		{name: "hostile", conds: `[{"field":"msg` + jsonEsc(hostile) + `","operator":"equals` + jsonEsc(hostile) + `","value":"` + jsonEsc(hostile) + `"},{"field":"evil","operator":"equals","value":1}]`,
			payload: `{"evil":"` + jsonEsc(hostile) + `"}`},
		{name: "hostile_expression", conds: `{"expression":"event.payload.evil == \"` + jsonEsc(hostile) + `\" or false"}`,
			payload: `{"evil":"` + jsonEsc(hostile) + `"}`},
		{name: "raw", conds: `[{"field":"msg","operator":"contains","value":"` + jsonEsc(hostile) + `"}]`, keys: []string{"J"}},
		{name: "raw_back", conds: `[{"field":"msg","operator":"contains","value":"disk"}]`, keys: []string{"J", "J"}},
	}
	for _, tc := range tests {
		for _, w := range []int{40, 80, 120} {
			t.Run(tc.name+"/"+strconv.Itoa(w), func(t *testing.T) {
				t.Parallel()
				payload := tc.payload
				if payload == "" {
					payload = goldenPayload
				}
				var res *conditions.Result
				if !tc.noEval {
					r := conditions.Evaluate(json.RawMessage(tc.conds), conditions.Event{ID: 7, TriggerRef: "core.webhook", Payload: json.RawMessage(payload)})
					res = &r
				}
				m := New(Styles{}).SetSize(w, 0).SetConditions(json.RawMessage(tc.conds), res)
				for _, k := range tc.keys {
					m, _ = m.Update(keyMsg(k))
				}
				out := m.View()
				assertSafe(t, out, w)
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}

// jsonEsc escapes s for inclusion in a JSON string literal.
func jsonEsc(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// assertSafe checks that no raw control or bidi character reaches the
// output and that no line is wider than w.
func assertSafe(t *testing.T, out string, w int) {
	t.Helper()
	for _, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' || r == '\u200b' {
			t.Fatalf("unsafe rune %U in output:\n%s", r, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if n := len([]rune(l)); n > w {
			t.Errorf("line wider than %d (%d): %q", w, n, l)
		}
	}
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func TestNoColourSymbols(t *testing.T) {
	t.Parallel()
	conds := json.RawMessage(`[{"field":"a","operator":"equals","value":1},{"field":"a","operator":"equals","value":2},{"field":"b","operator":"equals","value":1},{"field":"a","operator":"equals","value":1}]`)
	r := conditions.Evaluate(conds, conditions.Event{Payload: json.RawMessage(`{"a":1}`)})
	out := New(Styles{}).SetConditions(conds, &r).View()
	for _, want := range []string{SymbolPass + " 1.", SymbolFail + " 2.", SymbolError + " 3.", SymbolSkipped + " 4.", Label, "actual missing"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestScroll(t *testing.T) {
	t.Parallel()
	conds := json.RawMessage(`[` + strings.Repeat(`{"field":"a","operator":"equals","value":1},`, 9) + `{"field":"a","operator":"equals","value":1}]`)
	m := New(Styles{}).SetSize(80, 4).SetConditions(conds, nil)
	if got, want := m.Lines(), 12; got != want {
		t.Fatalf("Lines() = %d, want %d", got, want)
	}
	tests := []struct {
		name string
		keys []string
		want int
	}{
		{name: "down", keys: []string{"j"}, want: 1},
		{name: "up_clamped", keys: []string{"k", "k"}, want: 0},
		{name: "page", keys: []string{"pgdown"}, want: 4},
		{name: "bottom_clamped", keys: []string{"pgdown", "pgdown", "pgdown", "j"}, want: 8},
		{name: "page_up", keys: []string{"pgdown", "pgdown", "pgup"}, want: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mm := m
			for _, k := range tc.keys {
				mm, _ = mm.Update(keyMsg(k))
			}
			if mm.Offset() != tc.want {
				t.Errorf("offset = %d, want %d", mm.Offset(), tc.want)
			}
			if n := strings.Count(mm.View(), "\n") + 1; n != 4 {
				t.Errorf("view has %d lines, want 4", n)
			}
		})
	}
	// Disabling a key leaves it to the parent.
	k := m
	k.Keys.Down.SetEnabled(false)
	if k, _ = k.Update(keyMsg("j")); k.Offset() != 0 {
		t.Errorf("disabled Down scrolled to %d", k.Offset())
	}
}

func TestToggleRawAndUnset(t *testing.T) {
	t.Parallel()
	m := New(Styles{})
	if !strings.Contains(m.View(), "no conditions loaded") {
		t.Errorf("unset view = %q", m.View())
	}
	m = m.SetConditions(json.RawMessage(`{"expression":"true"}`), nil).ToggleRaw()
	if !m.ShowingRaw() || !strings.Contains(m.View(), `"expression": "true"`) {
		t.Errorf("raw view = %q", m.View())
	}
	// SetConditions copies its inputs.
	raw := json.RawMessage(`[{"field":"a","operator":"equals","value":1}]`)
	m = New(Styles{}).SetConditions(raw, nil)
	before := m.View()
	raw[3] = 'X'
	if m = m.SetSize(80, 0); m.View() != before {
		t.Errorf("view changed after the caller mutated its slice")
	}
}

func BenchmarkSetConditions(b *testing.B) {
	conds := json.RawMessage(`{"expression":"{{ event.payload.severity == \"critical\" and event.payload.environment in [\"prod\", \"dr\"] and event.payload.count > 1 }}"}`)
	r := conditions.Evaluate(conds, conditions.Event{Payload: json.RawMessage(goldenPayload)})
	m := New(Styles{}).SetSize(120, 20)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.SetConditions(conds, &r).View()
	}
}
