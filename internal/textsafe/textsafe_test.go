package textsafe

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"clean ascii", "hello world", "hello world"},
		{"csi clear screen", "a\x1b[2Jb", `a\x1b[2Jb`},
		{"cursor move", "\x1b[10;20Hx", `\x1b[10;20Hx`},
		{"osc 0 title bel", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"osc 2 title st", "\x1b]2;t\x1b\\", `\x1b]2;t\x1b\`},
		{"osc 8 hyperlink", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", `\x1b]8;;http://x\x1b\link\x1b]8;;\x1b\`},
		{"osc 52 clipboard", "\x1b]52;c;aGk=\x07", `\x1b]52;c;aGk=\x07`},
		{"dcs", "\x1bP1$r\x1b\\", `\x1bP1$r\x1b\`},
		{"apc unterminated", "\x1b_payload", `\x1b_payload`},
		{"8-bit csi code point", "\u009b2J", `\u009b2J`},
		{"8-bit csi raw byte", "\x9b2J", `\x9b2J`},
		{"c1 nel", "a\u0085b", `a\u0085b`},
		{"lone esc", "\x1b", `\x1b`},
		{"cr bs bel del", "a\rb\x08c\x07d\x7f", `a\rb\x08c\x07d\x7f`},
		{"newline", "a\nb", `a\nb`},
		{"crlf", "a\r\nb", `a\r\nb`},
		{"nul", "\x00", `\x00`},
		{"tab", "a\tb", "a       b"},
		{"bidi override", "abc\u202edef", `abc\u202edef`},
		{"bidi isolates and marks", "\u2066\u2069\u200e\u200f\u061c", `\u2066\u2069\u200e\u200f\u061c`},
		{"zero width", "a\u200b\u200c\u200d\u2060\ufeffb", `a\u200b\u200c\u200d\u2060\ufeffb`},
		{"tag char", "\U000E0041", `\U000e0041`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"invalid utf8", "a\xffb\xc3", `a\xffb\xc3`},
		{"cjk", "日本語テキスト", "日本語テキスト"},
		{"emoji", "ok 👍🏽 🚀", "ok 👍🏽 🚀"},
		{"combining kept", "e\u0301\u0302", "e\u0301\u0302"},
		{"combining storm", "e" + strings.Repeat("\u0301", 6) + "x", "e\u0301\u0301\u0301\u0301" + `\u0301\u0301` + "x"},
		{"literal backslash kept", `C:\path\x1b`, `C:\path\x1b`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Line(tc.in); got != tc.want {
				t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"clean multiline", "a\nb\n", "a\nb\n"},
		{"crlf", "a\r\nb\r\n", "a\nb\n"},
		{"lone cr", "a\rb", "a\nb"},
		{"tabs per line", "ab\tc\n\td", "ab      c\n        d"},
		{"tab after wide", "日\tx", "日      x"},
		{"tab after escape", "\x1b\tx", `\x1b` + "    x"},
		{"escape kept visible", "x\x1b[31mred", `x\x1b[31mred`},
		{"bidi", "\u202e", `\u202e`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		max  int
	}{
		{"line default", Line, strings.Repeat("a", 10000), DefaultLineMax},
		{"line dirty", Line, strings.Repeat("\x1b", 5000), DefaultLineMax},
		{"linen small", func(s string) string { return LineN(s, 50) }, strings.Repeat("é", 100), 50},
		{"linen below min", func(s string) string { return LineN(s, 1) }, strings.Repeat("x", 100), MinMax},
		{"text default", Text, strings.Repeat("line\n", 300000), DefaultTextMax},
		{"textn", func(s string) string { return TextN(s, 100) }, strings.Repeat("\x00", 100), 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.fn(tc.in)
			if len(got) > tc.max {
				t.Errorf("len = %d, want <= %d", len(got), tc.max)
			}
			if !strings.Contains(got, " bytes cut)") {
				t.Errorf("no cut marker in %q", got[max(0, len(got)-40):])
			}
			if again := tc.fn(got); again != got {
				t.Errorf("not idempotent after cut")
			}
		})
	}
	// The marker counts the input bytes that were not shown.
	got := LineN(strings.Repeat("a", 100), 50)
	kept := strings.Count(got, "a")
	want := "…(+" + itoa(100-kept) + " bytes cut)"
	if !strings.HasSuffix(got, want) {
		t.Errorf("LineN = %q, want suffix %q", got, want)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestWideWidthPreserved(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"日本語", "👍🏽", "한국어", "e\u0301"} {
		if w1, w2 := ansi.StringWidth(s), ansi.StringWidth(Line(s)); w1 != w2 {
			t.Errorf("width of %q changed from %d to %d", s, w1, w2)
		}
	}
}

func TestCleanInputDoesNotAllocate(t *testing.T) {
	inputs := []string{"plain ascii text 123", "日本語 and emoji 🚀", "multi\nline"}
	for _, s := range inputs {
		if n := testing.AllocsPerRun(100, func() { _ = Text(s) }); n != 0 {
			t.Errorf("Text(%q) allocates %v times", s, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = Line("plain line") }); n != 0 {
		t.Errorf("Line allocates %v times", n)
	}
}

// checkProperties asserts the safety properties of a sanitised output.
func checkProperties(t *testing.T, in, out string, multiline bool, fn func(string) string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("output of %q is not valid UTF-8: %q", in, out)
	}
	marks := 0
	for _, r := range out {
		switch {
		case r == '\n' && multiline:
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			t.Fatalf("output of %q contains control %U: %q", in, r, out)
		case unicode.Is(unicode.Cf, r), r == 0x2028, r == 0x2029:
			t.Fatalf("output of %q contains format char %U: %q", in, r, out)
		}
		if isMark(r) {
			marks++
			if marks > MaxCombining {
				t.Fatalf("output of %q has more than %d combining marks in a row", in, MaxCombining)
			}
		} else {
			marks = 0
		}
	}
	if again := fn(out); again != out {
		t.Fatalf("not idempotent for %q:\n first %q\nsecond %q", in, out, again)
	}
}

var seeds = []string{
	"", "plain", "a\x1b[2Jb", "\x1b]52;c;aGk=\x07", "\x1bP1$r\x1b\\", "\x9b31m", "\u009b31m",
	"\u202eevil", "a\u200bb", "e\u0301\u0301\u0301\u0301\u0301\u0301", "\xff\xfe", "日本\t語",
	"a\r\nb\rc", "\U0001F468\u200d\U0001F469", "\\x1b\\", "\t\t", "\u0301\u0301\u0301\u0301\u0301",
}

func TestProperties(t *testing.T) {
	t.Parallel()
	for _, s := range seeds {
		checkProperties(t, s, Line(s), false, Line)
		checkProperties(t, s, Text(s), true, Text)
		checkProperties(t, s, LineN(s, MinMax), false, func(x string) string { return LineN(x, MinMax) })
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkProperties(t, s, Line(s), false, Line)
		small := func(x string) string { return LineN(x, 64) }
		checkProperties(t, s, small(s), false, small)
	})
}

func FuzzText(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkProperties(t, s, Text(s), true, Text)
		small := func(x string) string { return TextN(x, 64) }
		checkProperties(t, s, small(s), true, small)
	})
}

func BenchmarkLineClean(b *testing.B) {
	s := "core.webhook event 12345 from sensor monitoring.http_alert — 日本語 ok"
	b.ReportAllocs()
	for b.Loop() {
		_ = Line(s)
	}
}

func BenchmarkLineCleanASCII(b *testing.B) {
	s := "core.webhook event 12345 from sensor monitoring.http_alert status=ok"
	b.ReportAllocs()
	for b.Loop() {
		_ = Line(s)
	}
}

func BenchmarkLineDirty(b *testing.B) {
	s := "alert \x1b[2J\x1b]0;pwned\x07 \u202eevil\u202c tab\there " + strings.Repeat("x", 40)
	b.ReportAllocs()
	for b.Loop() {
		_ = Line(s)
	}
}

func BenchmarkTextLarge(b *testing.B) {
	s := strings.Repeat("log line with\ttab and \x1b[31mcolour\x1b[0m\r\n", 2000)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Text(s)
	}
}
