package jsonview

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/google/go-cmp/cmp"
)

func TestParseCmd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		raw     string
		wantErr bool
		lines   int
	}{
		{name: "object", raw: `{"a":1,"b":[1,2]}`, lines: 7},
		{name: "scalar", raw: `42`, lines: 1},
		{name: "null", raw: `null`, lines: 1},
		{name: "empty", raw: ``, lines: 0},
		{name: "whitespace", raw: " \n\t ", lines: 0},
		{name: "invalid", raw: `{"a":}`, wantErr: true, lines: 1},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			msg := ParseCmd(i, []byte(tc.raw))()
			pm, ok := msg.(ParsedMsg)
			if !ok {
				t.Fatalf("ParseCmd produced %T, want ParsedMsg", msg)
			}
			if pm.ID != i {
				t.Errorf("ID = %d, want %d", pm.ID, i)
			}
			if pm.Doc == nil {
				t.Fatal("Doc is nil")
			}
			if (pm.Err != nil) != tc.wantErr {
				t.Errorf("Err = %v, wantErr %v", pm.Err, tc.wantErr)
			}
			if got := pm.Doc.Lines(); got != tc.lines {
				t.Errorf("Lines() = %d, want %d", got, tc.lines)
			}
		})
	}
}

func TestParseAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	inputs := []string{
		`{}`, `[]`, `""`, `0`, `-0`, `-0.5e-3`, `1E+2`, `01`, `1.`, `.5`, `-`, `+1`, `1e`, `tru`, `nul`, `falsey`,
		`{"a":1,}`, `[1,]`, `[,1]`, `{"a" 1}`, `{1:2}`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"a\tb\"", `"\ud800"`,
		`[[[[]]]]`, `{"a":{"b":{"c":[1,{"d":null}]}}}`, `1 2`, `[1] x`, `"unterminated`, `[1,2`, `{"a":1`,
		"\xff", "\"\xff\"", `"\/\b\f\n\r\t\"\\"`, "[1\n,\r\n2\t]",
	}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			d, err := Parse([]byte(in))
			want := json.Valid([]byte(in))
			if (err == nil) != want {
				t.Fatalf("Parse error = %v, json.Valid = %v", err, want)
			}
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) || d.Err() == nil {
					t.Errorf("error %v is not a *SyntaxError or not kept in the document", err)
				}
			}
		})
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		raw       string
		line, col int
	}{
		{name: "first line", raw: `{"a": ]}`, line: 1, col: 7},
		{name: "third line", raw: "{\n  \"a\": 1,\n  \"b\" 2\n}", line: 3, col: 7},
		{name: "trailing", raw: "[1]\n\nx", line: 3, col: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tc.raw))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SyntaxError", err)
			}
			if se.Line != tc.line || se.Column != tc.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", se.Line, se.Column, tc.line, tc.col, se)
			}
		})
	}
}

func TestExactNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		num  string
	}{
		{name: "big int", num: "12345678901234567890"},
		{name: "one point zero", num: "1.0"},
		{name: "overflow exponent", num: "1e400"},
		{name: "negative zero", num: "-0"},
		{name: "precise", num: "0.1000000000000000055511151231257827"},
		{name: "exponent case", num: "-2.5E-10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, `{"v": `+tc.num+`}`, 80, 5)
			if !strings.Contains(m.View(), `"v": `+tc.num+"\n") {
				t.Errorf("View does not show %s exactly:\n%s", tc.num, m.View())
			}
			m, _ = press(t, m, "j")
			_, msg := press(t, m, "y")
			if cm, ok := msg.(CopyMsg); !ok || cm.Text != tc.num {
				t.Errorf("copy = %#v, want text %q", msg, tc.num)
			}
		})
	}
}

func TestInvalidJSONShowsRawText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{name: "missing value", raw: `{"a": }`, want: []string{"invalid JSON at line 1, column 7", `{"a": }`}},
		{name: "escape bytes", raw: "{\"a\": \x1b[2J}", want: []string{"invalid JSON", `{"a": \x1b[2J}`}},
		{name: "html", raw: "<html>\n<body>Bad Gateway</body>", want: []string{"unexpected character '<'", "<html>", "<body>Bad Gateway</body>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, tc.raw, 80, 6)
			v := m.View()
			for _, w := range tc.want {
				if !strings.Contains(v, w) {
					t.Errorf("View lacks %q:\n%s", w, v)
				}
			}
			if strings.Contains(v, "\x1b") {
				t.Errorf("View contains a raw ESC:\n%q", v)
			}
			if m.KeyMap.Toggle.Enabled() || m.KeyMap.Copy.Enabled() {
				t.Error("fold/copy keys enabled on a document that did not parse")
			}
			_, msg := press(t, m, "Y")
			if cm, ok := msg.(CopyMsg); !ok || cm.Text != tc.raw {
				t.Errorf("Y = %#v, want the raw text", msg)
			}
		})
	}
}

func TestEmptyAndNull(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw, want string
	}{
		{name: "empty", raw: "", want: "(empty)"},
		{name: "blank", raw: "  \n", want: "(empty)"},
		{name: "null", raw: "null", want: "null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, tc.raw, 40, 4)
			if !strings.Contains(m.View(), tc.want) {
				t.Errorf("View lacks %q:\n%s", tc.want, m.View())
			}
			// Keys on an empty document must not panic.
			press(t, m, "j", "k", "G", "g", " ", "h", "l", "Z", "E", "n", "y", "Y", "o", "ctrl+d")
		})
	}
	if v := New(WithSize(40, 3)).View(); !strings.Contains(v, "(no document)") {
		t.Errorf("nil document View = %q", v)
	}
}

const foldDoc = `{"a":{"x":1,"y":[1,2,3]},"b":[{"k":"v"}],"c":"s"}`

func TestFold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		keys    []string
		want    []string
		notWant []string
		path    string
	}{
		{name: "expanded", want: []string{`"x": 1,`, `"k": "v"`}, path: "."},
		{name: "toggle object", keys: []string{"j", " "}, want: []string{`"a": {…} 2 keys,`}, notWant: []string{`"x"`}, path: ".a"},
		{name: "toggle twice", keys: []string{"j", " ", "enter"}, want: []string{`"x": 1,`}, path: ".a"},
		{name: "h folds then goes to parent", keys: []string{"j", "h", "h"}, want: []string{`"a": {…} 2 keys,`}, path: "."},
		{name: "l unfolds", keys: []string{"j", "h", "l"}, want: []string{`"x": 1,`}, path: ".a"},
		{name: "l steps into expanded", keys: []string{"j", "l"}, path: ".a.x"},
		{name: "array summary", keys: []string{"j", "j", "j", "h"}, want: []string{`"y": […] 3 items`}, path: ".a.y"},
		{name: "collapse all", keys: []string{"Z"}, want: []string{`"a": {…} 2 keys,`, `"b": […] 1 item,`, `"c": "s"`}, path: "."},
		{name: "expand all", keys: []string{"Z", "E"}, want: []string{`"k": "v"`, `"y": [`}, path: "."},
		{name: "collapse from inside keeps cursor visible", keys: []string{"j", "j", "Z"}, path: ".a"},
		{name: "close line then fold", keys: []string{"G", "k", "k", "h"}, want: []string{`"b": […] 1 item,`}, path: ".b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, foldDoc, 60, 20)
			m, _ = press(t, m, tc.keys...)
			v := m.View()
			for _, w := range tc.want {
				if !strings.Contains(v, w) {
					t.Errorf("View lacks %q:\n%s", w, v)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(v, w) {
					t.Errorf("View has %q:\n%s", w, v)
				}
			}
			if got := m.SelectedPath(); got != tc.path {
				t.Errorf("SelectedPath() = %q, want %q", got, tc.path)
			}
			if !strings.Contains(v, "\n>") {
				t.Errorf("no selection marker:\n%s", v)
			}
		})
	}
}

func TestFoldDoesNotLeakIntoCopies(t *testing.T) {
	t.Parallel()
	m := newModel(t, foldDoc, 60, 20)
	before := m.View()
	m2, _ := press(t, m, "Z", "j", " ")
	if m.View() != before {
		t.Error("folding in a copy changed the original model")
	}
	if m2.View() == before {
		t.Error("folding changed nothing")
	}
}

const searchDoc = `{"alerts":[{"labels":{"severity":"critical","team":"db"}},{"labels":{"severity":"warning"}}],` +
	`"note":"Severity is set per alert","n":42}`

func TestSearch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fold    bool
		query   string
		keys    []string
		count   int
		path    string
		counter string
	}{
		{name: "first match", query: "severity", count: 3, path: ".alerts[0].labels.severity", counter: "1/3"},
		{name: "n across folded", fold: true, query: "severity", keys: []string{"n"}, count: 3, path: ".alerts[1].labels.severity", counter: "2/3"},
		{name: "n wraps", fold: true, query: "severity", keys: []string{"n", "n", "n"}, count: 3, path: ".alerts[0].labels.severity", counter: "1/3"},
		{name: "N wraps back", fold: true, query: "severity", keys: []string{"N"}, count: 3, path: ".note", counter: "3/3"},
		{name: "smart case", query: "Severity", count: 1, path: ".note", counter: "1/1"},
		{name: "smart case upper value", query: "CRIT", count: 0, path: ".", counter: "no match"},
		{name: "values", query: "crit", count: 1, path: ".alerts[0].labels.severity", counter: "1/1"},
		{name: "numbers", query: "42", count: 1, path: ".n", counter: "1/1"},
		{name: "no match", query: "zzz", count: 0, path: ".", counter: "no match"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, searchDoc, 80, 8)
			if tc.fold {
				m, _ = press(t, m, "Z")
			}
			if m.KeyMap.NextMatch.Enabled() {
				t.Error("n enabled before any search")
			}
			m = typeSearch(t, m, tc.query)
			m, _ = press(t, m, tc.keys...)
			if got := m.Matches(); got != tc.count {
				t.Errorf("Matches() = %d, want %d", got, tc.count)
			}
			if got := m.SelectedPath(); got != tc.path {
				t.Errorf("SelectedPath() = %q, want %q", got, tc.path)
			}
			header := strings.SplitN(m.View(), "\n", 2)[0]
			if !strings.Contains(header, tc.counter) {
				t.Errorf("header %q lacks %q", header, tc.counter)
			}
			if m.KeyMap.NextMatch.Enabled() != (tc.count > 0) {
				t.Errorf("n enabled = %v with %d matches", m.KeyMap.NextMatch.Enabled(), tc.count)
			}
		})
	}
}

func TestSearchInput(t *testing.T) {
	t.Parallel()
	m := newModel(t, searchDoc, 80, 8)
	m, _ = press(t, m, "/")
	if !m.InputFocused() {
		t.Fatal("/ did not open the input")
	}
	if m.KeyMap.Down.Enabled() || !m.KeyMap.AcceptSearch.Enabled() {
		t.Error("help would offer navigation while typing")
	}
	m, _ = press(t, m, "t", "e", "a", "x", "backspace", "m", "j")
	if got := m.input.Value(); got != "teamj" {
		t.Errorf("typed %q, want %q (j must be text, not a move)", got, "teamj")
	}
	m, _ = press(t, m, "ctrl+w")
	if got := m.input.Value(); got != "" {
		t.Errorf("after ctrl+w %q", got)
	}
	m, _ = press(t, m, "esc")
	if m.InputFocused() || m.Matches() != 0 {
		t.Error("esc did not cancel")
	}
	if !m.KeyMap.Down.Enabled() {
		t.Error("navigation not re-enabled after cancel")
	}
}

func TestStaleSearchResultDropped(t *testing.T) {
	t.Parallel()
	m := newModel(t, searchDoc, 80, 8)
	m, _ = press(t, m, "/")
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("team")})
	m, cmd := m.Update(keyMsg("enter"))
	stale := cmd()
	m = typeSearch(t, m, "severity")
	m, _ = m.Update(stale)
	if got := m.Matches(); got != 3 {
		t.Errorf("stale result replaced the current one: %d matches", got)
	}
	// A result for another document is dropped too.
	m = m.SetDocument(m.Document())
	m, _ = m.Update(stale)
	if got := m.Matches(); got != 0 {
		t.Errorf("result of an old search applied after SetDocument: %d", got)
	}
}

func TestSelectedPath(t *testing.T) {
	t.Parallel()
	doc := `{"a.b":{"":[0,{"with space":1,"_ok9":2,"9x":3,"ünï":4,"q\"":5,"esc\u001b":6}]}}`
	tests := []struct {
		down int
		want string
	}{
		{0, "."},
		{1, `["a.b"]`},
		{2, `["a.b"][""]`},
		{3, `["a.b"][""][0]`},
		{4, `["a.b"][""][1]`},
		{5, `["a.b"][""][1]["with space"]`},
		{6, `["a.b"][""][1]._ok9`},
		{7, `["a.b"][""][1]["9x"]`},
		{8, `["a.b"][""][1]["ünï"]`},
		{9, `["a.b"][""][1]["q\""]`},
		{10, `["a.b"][""][1]["esc\x1b"]`},
		{11, `["a.b"][""][1]`}, // closing brace line
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, doc, 80, 20)
			for range tc.down {
				m, _ = press(t, m, "j")
			}
			if got := m.SelectedPath(); got != tc.want {
				t.Errorf("SelectedPath() = %q, want %q", got, tc.want)
			}
			if strings.Contains(m.View(), "\x1b") {
				t.Error("raw ESC in View")
			}
		})
	}
}

func TestEscapesShownEscaped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{name: "csi in value", raw: `{"k":"\u001b[2J"}`, want: []string{`"k": "\x1b[2J"`}},
		{name: "osc in key", raw: `{"\u001b]2;pwned\u0007":1}`, want: []string{`"\x1b]2;pwned\x07": 1`}},
		{name: "bidi raw", raw: "{\"k\":\"abc\u202egpj.exe\"}", want: []string{`abc\u202egpj.exe`}},
		{name: "c1 csi", raw: "[\"\u009b31m\"]", want: []string{`\u009b31m`}},
		{name: "newline", raw: `["a\nb\r"]`, want: []string{`"a\nb\r"`}},
		{name: "invalid utf8", raw: "[\"\xff\"]", want: []string{`"\xff"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, tc.raw, 80, 6)
			v := m.View()
			for _, w := range tc.want {
				if !strings.Contains(v, w) {
					t.Errorf("View lacks %q:\n%s", w, v)
				}
			}
			for _, bad := range []string{"\x1b", "\x07", "\u202e", "\u009b", "\r"} {
				if strings.Contains(v, bad) {
					t.Errorf("View contains raw %q", bad)
				}
			}
		})
	}
}

func TestCopyAndOpen(t *testing.T) {
	t.Parallel()
	doc := "{\n  \"a\": {\"n\": 1.0, \"s\": \"x\\u0041\"},\n  \"b\": [1e400, \"line1\\nline2\"]\n}"
	tests := []struct {
		name string
		keys []string
		want tea.Msg
	}{
		{name: "y root", keys: []string{"y"}, want: CopyMsg{Text: `{"a":{"n":1.0,"s":"x\u0041"},"b":[1e400,"line1\nline2"]}`, What: "."}},
		{name: "y object", keys: []string{"j", "y"}, want: CopyMsg{Text: `{"n":1.0,"s":"x\u0041"}`, What: ".a"}},
		{name: "y on close line", keys: []string{"j", "j", "j", "j", "y"}, want: CopyMsg{Text: `{"n":1.0,"s":"x\u0041"}`, What: ".a"}},
		{name: "y string", keys: []string{"j", "j", "j", "y"}, want: CopyMsg{Text: `"x\u0041"`, What: ".a.s"}},
		{name: "Y", keys: []string{"j", "Y"}, want: CopyMsg{Text: `{"a":{"n":1.0,"s":"x\u0041"},"b":[1e400,"line1\nline2"]}`, What: "document"}},
		{name: "o object", keys: []string{"j", "o"}, want: OpenPagerMsg{Text: "{\n  \"n\": 1.0,\n  \"s\": \"x\\u0041\"\n}"}},
		{name: "o string decodes", keys: []string{"G", "k", "k", "o"}, want: OpenPagerMsg{Text: "line1\nline2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, doc, 80, 12)
			_, got := press(t, m, tc.keys...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNavigation(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("[")
	for i := range 100 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"i":` + string(rune('0'+i%10)) + `}`)
	}
	b.WriteString("]")
	tests := []struct {
		name string
		keys []string
		path string
		row  int
	}{
		{name: "down", keys: []string{"j", "down"}, path: "[0].i", row: 2},
		{name: "up at top", keys: []string{"k", "up"}, path: ".", row: 0},
		{name: "page down", keys: []string{"pgdown"}, path: "[3]", row: 0},
		{name: "page down keeps row", keys: []string{"j", "j", "pgdown"}, path: "[3]", row: 2},
		{name: "half page", keys: []string{"ctrl+d", "ctrl+d", "ctrl+u"}, path: "[1].i", row: 0},
		{name: "bottom", keys: []string{"G"}, path: ".", row: 9},
		{name: "bottom then up", keys: []string{"end", "k"}, path: "[99]", row: 8},
		{name: "home", keys: []string{"G", "g"}, path: ".", row: 0},
		{name: "page up at top", keys: []string{"pgdown", "pgup", "pgup"}, path: ".", row: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, b.String(), 40, 11)
			m, _ = press(t, m, tc.keys...)
			if got := m.SelectedPath(); got != tc.path {
				t.Errorf("SelectedPath() = %q, want %q", got, tc.path)
			}
			if m.row != tc.row {
				t.Errorf("cursor row = %d, want %d", m.row, tc.row)
			}
			lines := strings.Split(m.View(), "\n")
			if len(lines) != 11 {
				t.Errorf("View has %d lines, want 11", len(lines))
			}
			if !strings.HasPrefix(lines[1+tc.row], ">") {
				t.Errorf("row %d is not marked selected:\n%s", tc.row, m.View())
			}
		})
	}
}

func TestKeysEnabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		raw      string
		keys     []string
		enabled  []string
		disabled []string
	}{
		{name: "container", raw: foldDoc, enabled: []string{"space", "Z", "E", "y", "Y", "o", "/"}, disabled: []string{"n", "N"}},
		{name: "scalar", raw: foldDoc, keys: []string{"j", "j"}, enabled: []string{"h", "y"}, disabled: []string{"space", "l"}},
		{name: "flat scalar", raw: `1`, enabled: []string{"y", "Y"}, disabled: []string{"space", "h", "l", "Z", "E"}},
		{name: "invalid", raw: `{`, enabled: []string{"Y", "o", "j"}, disabled: []string{"y", "space", "Z"}},
		{name: "empty", raw: ``, disabled: []string{"j", "y", "Y", "o", "/", "space"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, tc.raw, 40, 8)
			m, _ = press(t, m, tc.keys...)
			find := func(k string) bool {
				for _, group := range m.FullHelp() {
					for _, b := range group {
						for _, bk := range b.Keys() {
							if bk == k || (k == "space" && bk == " ") {
								return b.Enabled()
							}
						}
					}
				}
				t.Fatalf("no binding for %q", k)
				return false
			}
			for _, k := range tc.enabled {
				if !find(k) {
					t.Errorf("%q disabled", k)
				}
			}
			for _, k := range tc.disabled {
				if find(k) {
					t.Errorf("%q enabled", k)
				}
			}
		})
	}
	var _ interface {
		ShortHelp() []key.Binding
		FullHelp() [][]key.Binding
	} = New()
}

func TestBlurredIgnoresKeys(t *testing.T) {
	t.Parallel()
	m := newModel(t, foldDoc, 40, 8)
	m.Blur()
	m, _ = press(t, m, "j", "j")
	if m.Focused() || m.SelectedPath() != "." {
		t.Errorf("blurred model moved to %q", m.SelectedPath())
	}
	m.Focus()
	m, _ = press(t, m, "j")
	if m.SelectedPath() != ".a" {
		t.Errorf("focused model at %q", m.SelectedPath())
	}
}

func TestLongLinesAreCut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 5000)
	m := newModel(t, `{"`+long+`":"`+long+`"}`, 40, 4)
	for i, l := range strings.Split(m.View(), "\n") {
		if w := len([]rune(l)); w > 40 {
			t.Errorf("line %d is %d cells wide", i, w)
		}
	}
	if !strings.Contains(m.View(), "…") {
		t.Error("no cut marker")
	}
	m, _ = press(t, m, "j")
	_, msg := press(t, m, "y")
	if cm, ok := msg.(CopyMsg); !ok || cm.Text != `"`+long+`"` {
		t.Error("y does not copy the full value")
	}
}

func TestDeepIndentIsCapped(t *testing.T) {
	t.Parallel()
	raw := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)
	m := newModel(t, raw, 40, 6)
	for range 98 {
		m, _ = press(t, m, "j")
	}
	v := m.View()
	if !strings.Contains(v, "»") {
		t.Errorf("no deep-indent marker:\n%s", v)
	}
	for i, l := range strings.Split(v, "\n") {
		if w := len([]rune(l)); w > 40 {
			t.Errorf("line %d is %d cells wide", i, w)
		}
	}
	if !bytes.HasSuffix([]byte(m.SelectedPath()), []byte(".a.a")) {
		t.Errorf("path %q", m.SelectedPath())
	}
}
