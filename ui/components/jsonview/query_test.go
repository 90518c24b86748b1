package jsonview

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

const queryDoc = `{"alerts":[{"name":"disk","severity":"critical","value":12345678901234567890},{"name":"cpu","severity":"warning","value":0.5}],"host":"db-1"}`

// runJQ opens the query input on m, types expr and runs it, feeding the
// answer back.
func runJQ(t *testing.T, m Model, expr string) Model {
	t.Helper()
	m, _ = press(t, m, "|")
	if !m.InputFocused() {
		t.Fatal("| did not open the query input")
	}
	m.input.SetValue("")
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(expr)})
	m, _ = press(t, m, "enter")
	return m
}

func TestQueryResults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		expr     string
		wantCopy string // what Y copies: the result, compact
		wantHead string
	}{
		{name: "one value", expr: ".host", wantCopy: `"db-1"`, wantHead: "jq | .host  1 result · esc back"},
		{name: "object", expr: ".alerts[0] | {name, value}", wantCopy: `{"name":"disk","value":12345678901234567890}`, wantHead: "1 result"},
		{name: "stream", expr: ".alerts[].name", wantCopy: `["disk","cpu"]`, wantHead: "2 results (as an array)"},
		{name: "select", expr: `[.alerts[] | select(.severity == "critical") | .name]`, wantCopy: `["disk"]`, wantHead: "1 result"},
		{name: "empty", expr: "empty", wantCopy: "", wantHead: "no result"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, queryDoc, 80, 12)
			m = runJQ(t, m, tc.expr)
			if expr, ok := m.QueryResult(); !ok || expr != tc.expr {
				t.Fatalf("QueryResult = %q, %v; status %q\n%s", expr, ok, m.status, m.View())
			}
			if head := strings.SplitN(m.View(), "\n", 2)[0]; !strings.Contains(head, tc.wantHead) {
				t.Errorf("header %q, want %q", head, tc.wantHead)
			}
			_, msg := press(t, m, "Y")
			got := ""
			if c, ok := msg.(CopyMsg); ok {
				got = c.Text
			}
			if got != tc.wantCopy {
				t.Errorf("Y copied %q, want %q", got, tc.wantCopy)
			}
			// esc comes back to the document, as it was.
			m, _ = press(t, m, "esc")
			if _, ok := m.QueryResult(); ok || m.InputFocused() {
				t.Fatal("esc did not leave the result")
			}
			if !strings.Contains(m.View(), `"alerts": [`) {
				t.Errorf("the document is not back:\n%s", m.View())
			}
		})
	}
}

func TestQueryOnResultQueriesTheDocument(t *testing.T) {
	t.Parallel()
	m := newModel(t, queryDoc, 80, 12)
	m = runJQ(t, m, ".alerts")
	m, _ = press(t, m, "|")
	if m.input.Value() != ".alerts" {
		t.Errorf("| did not offer the last expression: %q", m.input.Value())
	}
	m.input.SetValue("")
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(".host")})
	m, _ = press(t, m, "enter")
	_, msg := press(t, m, "Y")
	if c, _ := msg.(CopyMsg); c.Text != `"db-1"` {
		t.Fatalf("a query on a result ran on the result, not the document: %q", c.Text)
	}
	m, _ = press(t, m, "esc")
	if _, ok := m.QueryResult(); ok || !strings.Contains(m.View(), `"alerts"`) {
		t.Fatalf("esc did not come back to the document:\n%s", m.View())
	}
}

func TestQueryErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, expr, want string
	}{
		{name: "syntax", expr: ".alerts[", want: "jq: unexpected EOF"},
		{name: "runtime", expr: ".host + 1", want: "jq: cannot add: string"},
		{name: "undefined", expr: "nosuchfn", want: "jq: function not defined: nosuchfn/0"},
		{name: "error()", expr: `error("boom")`, want: "jq: error: boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, queryDoc, 100, 12)
			m = runJQ(t, m, tc.expr)
			if _, ok := m.QueryResult(); ok {
				t.Fatal("a failing query replaced the view")
			}
			if head := strings.SplitN(m.View(), "\n", 2)[0]; !strings.Contains(head, tc.want) {
				t.Errorf("header %q, want it to contain %q", head, tc.want)
			}
		})
	}
}

// TestQueryBounds: a query that loops forever is stopped by the time
// bound, one that streams forever by the size bound, and the UI loop never
// waits for either (the query runs in the command).
func TestQueryBounds(t *testing.T) {
	t.Parallel()
	raw := []byte(queryDoc)
	t.Run("endless recursion", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		msg := runQuery(context.Background(), raw, "def f: f; f", 200*time.Millisecond, QueryMaxBytes, QueryMaxResults)
		if msg.err == nil || !strings.Contains(msg.err.Error(), "stopped after 200ms (does it loop?)") {
			t.Fatalf("err = %v", msg.err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("took %s to stop", d)
		}
	})
	t.Run("endless loop without output", func(t *testing.T) {
		t.Parallel()
		msg := runQuery(context.Background(), raw, "last(repeat(1))", 200*time.Millisecond, QueryMaxBytes, QueryMaxResults)
		if msg.err == nil || !strings.Contains(msg.err.Error(), "stopped after") {
			t.Fatalf("err = %v", msg.err)
		}
	})
	t.Run("endless stream", func(t *testing.T) {
		t.Parallel()
		msg := runQuery(context.Background(), raw, "repeat(.)", time.Minute, 1<<16, QueryMaxResults)
		if msg.err != nil || !strings.Contains(msg.cut, "cut at") || msg.n == 0 {
			t.Fatalf("err %v cut %q n %d", msg.err, msg.cut, msg.n)
		}
		if len(msg.res.raw) > 1<<16+2 {
			t.Fatalf("result of %d bytes over the bound", len(msg.res.raw))
		}
	})
	t.Run("many results", func(t *testing.T) {
		t.Parallel()
		msg := runQuery(context.Background(), raw, "range(100000)", time.Minute, QueryMaxBytes, 1000)
		if msg.err != nil || msg.n != 1000 || msg.cut != "cut at 1000 results" {
			t.Fatalf("err %v n %d cut %q", msg.err, msg.n, msg.cut)
		}
	})
	t.Run("through the model", func(t *testing.T) {
		t.Parallel()
		m := New(WithDocument(mustParse(t, queryDoc)), WithSize(80, 10), WithQueryTimeout(100*time.Millisecond))
		m, _ = press(t, m, "|")
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("def f: f; f")})
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg("enter"))
		if cmd == nil || !strings.Contains(m.View(), "running…") {
			t.Fatalf("the query did not start off the loop:\n%s", m.View())
		}
		m, _ = m.Update(cmd())
		if head := strings.SplitN(m.View(), "\n", 2)[0]; !strings.Contains(head, "jq: stopped after 100ms") {
			t.Fatalf("header %q", head)
		}
	})
}

// TestQueryStaleAnswerDropped: a result for a document that was replaced
// (a reload) is not shown.
func TestQueryStaleAnswerDropped(t *testing.T) {
	t.Parallel()
	m := newModel(t, queryDoc, 80, 10)
	m, _ = press(t, m, "|")
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(".host")})
	m, cmd := m.Update(keyMsg("enter"))
	m = m.SetDocument(mustParse(t, `{"other":1}`))
	m, _ = m.Update(cmd())
	if _, ok := m.QueryResult(); ok {
		t.Fatal("a result for the replaced document was shown")
	}
}

func mustParse(t *testing.T, raw string) *Document {
	t.Helper()
	d, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
