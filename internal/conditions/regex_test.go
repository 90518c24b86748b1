package conditions

import (
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"
)

// matchPayload runs match(p, s) with both strings taken from the payload,
// so no escaping of the expression language is involved.
func matchPayload(p, s string) string {
	payload, _ := json.Marshal(map[string]string{"p": p, "s": s})
	return evalExpr(`match(event.payload.p, event.payload.s)`, string(payload))
}

// TestRegexRust pins match() answers against the Rust regex crate's; each
// was worked out from its documented semantics (regex 1.10+).
func TestRegexRust(t *testing.T) {
	t.Parallel()
	tests := []struct{ pattern, subject, want string }{
		// \b and \B on non-ASCII text use Rust's Unicode \w.
		{`\bé`, "é", "true"},
		{`\bfoo`, "éfoo", "false"},
		{`\Bfoo`, "éfoo", "true"},
		{`\bfoo\b`, "naïve foo", "true"},
		{`\bna`, "ïna", "false"},
		{`\b`, "中", "true"},
		{`\B`, "é", "false"},
		{`\B`, "éa", "true"},
		{`^\B$`, "", "true"},
		{`\b٣`, "x٣", "false"},      // Nd is a word character
		{`\b٣`, "-٣", "true"},       // '-' is not
		{`a\b`, "a\u0301", "false"}, // marks are word characters
		{`a\b`, "a–", "true"},       // an en dash is not
		{`a\b`, "aⓐ", "false"},      // Other_Alphabetic is a word character
		{`^\w$`, "ⓐ", "true"},
		{`^\W$`, "🅰", "false"},
		{`\bx`, "\u200dx", "false"}, // Join_Control is a word character
		{`\bx`, "\u200bx", "true"},  // a zero-width space is not
		{`(?i)\bÉ`, "xé", "false"},
		{`(?i)\bÉ`, " é", "true"},
		{`(?m)^\bé`, "a\né", "true"},
		{`\b\w+\b`, "—", "false"},
		{`\b{2}x`, "—x", "true"}, // \b followed by a counted repetition
		{`\bfoo\b`, "a foo b", "true"},
		{`\bfoo`, "afoo", "false"},
		// Special word boundaries (regex 1.10).
		{`\b{start}foo`, "a foo", "true"},
		{`\b{start}foo`, "afoo", "false"},
		{`\b{start}foo`, "éfoo", "false"},
		{`foo\b{end}`, "foo!", "true"},
		{`foo\b{end}`, "fooé", "false"},
		{`\<é`, "é", "true"},
		{`é\>`, "éa", "false"},
		{`é\>`, "é.", "true"},
		{`\b{start-half}x`, "x", "true"},
		{`\b{start-half}x`, "ax", "false"},
		{`-\b{start-half}!`, "-!", "true"},
		{`-\b{start}!`, "-!", "false"},
		{`x\b{end-half}`, "xé", "false"},
		{`x\b{end-half}`, "x", "true"},
		{`\b{foo}`, "x", `error: match(): unrecognized special word boundary \b{foo}`},
		{`\b{start`, "x", `error: match(): unclosed special word boundary \b{...}`},
		{`a\b{`, "x", `error: match(): unexpected end of pattern after \b{`},
		// Counted repetition: Rust rejects what Go reads as literal text.
		{`a{,3}`, "a{,3}", `error: match(): invalid counted repetition "{,3}" ({,m} is not Rust syntax; write {0,m})`},
		{`a{x}`, "a{x}", `error: match(): invalid counted repetition "{x}"`},
		{`a{2`, "a{2", `error: match(): invalid counted repetition "{2"`},
		{`a{2}`, "aa", "true"},
		{`^a{2,}$`, "aaa", "true"},
		{`^a{0,1}$`, "aa", "false"},
		{`a\{,3}`, "a{,3}", "true"},
		{`[{]`, "{", "true"},
		{`a(?i)*`, "a", `error: match(): repetition operator '*' after a flag group has nothing to repeat`},
		{`a(?i:b)*`, "a", "true"},
		// Class syntax Go would misread.
		{`[a[b]]`, "b", "error: match(): nested character classes are not supported by attune-tui's regex translation"},
		{`[a-z&&[^aeiou]]`, "b", `error: match(): class set operation "&&" is not supported by attune-tui's regex translation`},
		{`[a&&b]`, "&", `error: match(): class set operation "&&" is not supported by attune-tui's regex translation`},
		{`[a--b]`, "-", `error: match(): class set operation "--" is not supported by attune-tui's regex translation`},
		{`[[:digit:]\W]`, "!", "true"},
		{`[[:digit:]\W]`, "5", "true"},
		{`[[:digit:]\W]`, "a", "false"},
		// Escapes Go accepts and Rust rejects.
		{`\0`, "\x00", `error: match(): backreferences and octal escapes are not supported: \0`},
		{`[\101]`, "A", `error: match(): backreferences and octal escapes are not supported: \1`},
		{`\Qa.b\E`, "a.b", `error: match(): unrecognized escape sequence \Q`},
		{`(?P<attune_look_0>x)`, "x", `error: match(): group names starting with "attune_look_" are reserved by attune-tui`},
		// Braced escapes are copied whole, in and out of classes.
		{`\p{Greek}`, "λ", "true"},
		{`\P{L}`, "abc", "false"},
		{`^\p{Lu}+$`, "ÀB", "true"},
		{`\x{1F600}`, "😀", "true"},
		{`\x{e9}`, "é", "true"},
		{`^[\p{Greek}\x{e9}]{2}$`, "λé", "true"},
		{`[^\P{Greek}]`, "a", "false"},
		{`\bλ\p{Greek}{2}\b`, "λλλ", "true"},
		{`\pL{2}`, "ab", "true"},
		{`\xe9`, "é", "true"},
		{`\p{Greek`, "λ", `error: match(): unclosed escape \p{...}`},
		{`[\x{e9]`, "é", `error: match(): unclosed escape \x{...}`},
		// White space around the numbers of a counted repetition (but a
		// ',' must be followed by a number or '}').
		{`^a{ 2 }$`, "aa", "true"},
		{`^a{2, 3}$`, "aaa", "true"},
		{`^a{2 ,3}$`, "aaaa", "false"},
		{`^a{ 2 ,}$`, "aaaa", "true"},
		{`a{2 , }`, "aa", `error: match(): invalid counted repetition "{2 , }"`},
		{"^a{\u30002}$", "aa", "true"}, // Unicode White_Space
		{`\b{ 2}x`, "—x", "true"},
		{`a{2 3}`, "aa", `error: match(): invalid counted repetition "{2 3}"`},
		{`a{2, }`, "aa", `error: match(): invalid counted repetition "{2, }"`},
		{`a{ }`, "a", `error: match(): invalid counted repetition "{ }"`},
		// \< and \> are assertions, not allowed in a class.
		{`[\<]`, "<", `error: match(): \< is not allowed inside a character class`},
		{`[a\>]`, ">", `error: match(): \> is not allowed inside a character class`},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+" on "+tc.subject, func(t *testing.T) {
			t.Parallel()
			if got := matchPayload(tc.pattern, tc.subject); got != tc.want {
				t.Errorf("match(%q, %q) = %s, want %s", tc.pattern, tc.subject, got, tc.want)
			}
		})
	}
}

// TestCompileRegexUses checks that compileRegex builds only what
// matchString uses: regexp alone without word boundaries, regexp (ASCII
// text) and the program (other text) with \b, the program alone with a
// special word boundary.
func TestCompileRegexUses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern        string
		wantRe, wantVM bool
	}{
		{`a+`, true, false},
		{`\ba`, true, true},
		{`\Ba`, true, true},
		{`\b{start}a`, false, true},
		{`\<a\b`, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			re, err := compileRegex(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := re.re != nil; got != tc.wantRe {
				t.Errorf("regexp compiled: %v, want %v", got, tc.wantRe)
			}
			if got := re.prog != nil; got != tc.wantVM {
				t.Errorf("program compiled: %v, want %v", got, tc.wantVM)
			}
		})
	}
}

// TestWordSet checks that \w (wordSet) and \b (isWordRune) use the same
// set, and that the set is Rust's: Alphabetic (L, Nl, Other_Alphabetic), M,
// Nd, Pc and Join_Control.
func TestWordSet(t *testing.T) {
	t.Parallel()
	want := make([]bool, unicode.MaxRune+1)
	var edges []rune // first and last runes of each range, for isWordRune
	for _, tab := range []*unicode.RangeTable{unicode.L, unicode.Nl, unicode.Other_Alphabetic,
		unicode.M, unicode.Nd, unicode.Pc, unicode.Join_Control} {
		for _, r := range tab.R16 {
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				want[c] = true
			}
			edges = append(edges, rune(r.Lo)-1, rune(r.Lo), rune(r.Hi), rune(r.Hi)+1)
		}
		for _, r := range tab.R32 {
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				want[c] = true
			}
			edges = append(edges, rune(r.Lo)-1, rune(r.Lo), rune(r.Hi), rune(r.Hi)+1)
		}
	}
	re, err := syntax.Parse("["+wordSet+"]", syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]bool, unicode.MaxRune+1)
	for i := 0; i+1 < len(re.Rune); i += 2 {
		for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
			got[c] = true
		}
	}
	for r := range want {
		if got[r] != want[r] {
			t.Fatalf("wordSet has %U = %v, want %v", r, got[r], want[r])
		}
	}
	for r := rune(0); r < 0x800; r++ {
		edges = append(edges, r)
	}
	for _, r := range edges {
		if r >= 0 && r <= unicode.MaxRune && isWordRune(r) != want[r] {
			t.Errorf("isWordRune(%U) = %v, want %v", r, !want[r], want[r])
		}
	}
}

// randomText returns n runes drawn from alphabet.
func randomText(rng *rand.Rand, alphabet []rune, n int) string {
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[rng.IntN(len(alphabet))])
	}
	return b.String()
}

// boundaryPatterns use \b, \B and constructs whose meaning is the same on
// every rune of the same word-ness, so they can be checked by mapping.
var boundaryPatterns = []string{
	`\b`, `\B`, `^\B`, `\B$`, `\ba`, `a\b`, `\Ba`, `a\B`, `\b.\b`, `\B.\B`,
	`\b\w+\b`, `\b\W`, `\W\b`, `(?i)\bA`, `(?m)^\b`, `(?m)\b$`, `(?s).\b.`,
	`\ba+\b`, `(a|\b)b`, `\b(?:ab|b\B)`, `x*\b`, `\b{2}`, `[^a]\b`, `\b[^ab]\B`,
	`^(?:\w\b\W)+$`, `\b{start}a`, `a\b{end}`, `\<\w`, `\W\>`, `\b{start-half}\W`,
	`\W\b{end-half}`, `^\b{start-half}`, `\b{end-half}$`,
}

// TestWordVMAgreesWithGo checks runWordVM against Go's regexp on ASCII
// text, where Go's \b and Rust's agree: the simulation itself is exact.
func TestWordVMAgreesWithGo(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("ab _1-\n")
	for _, p := range boundaryPatterns {
		re, err := compileRegex(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(re.looks) > 0 {
			continue // Go cannot evaluate these
		}
		for range 300 {
			s := randomText(rng, alphabet, rng.IntN(8))
			if got, want := runWordVM(re.prog, re.looks, s), re.re.MatchString(s); got != want {
				t.Errorf("runWordVM(%q, %q) = %v, regexp says %v", p, s, got, want)
			}
		}
	}
}

// TestWordBoundaryUnicode checks \b, \B and the special word boundaries on
// non-ASCII text by mapping: each rune is replaced by an ASCII rune of the
// same word-ness ('q' or '~', absent from the patterns), which cannot
// change a Rust match of these patterns, and the special boundaries are
// spelt with look-behind-free equivalents that Go evaluates on ASCII.
func TestWordBoundaryUnicode(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("ab _\né٣–ⓐ\u200d\u0301中🅰\u3000!")
	ascii := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r < 0x80:
				return r
			case isWordRune(r):
				return 'q'
			default:
				return '~'
			}
		}, s)
	}
	for _, p := range boundaryPatterns {
		re, err := compileRegex(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for range 300 {
			s := randomText(rng, alphabet, rng.IntN(8))
			if got, want := re.matchString(s), re.matchString(ascii(s)); got != want {
				t.Errorf("match(%q, %q) = %v, but %v on %q", p, s, got, want, ascii(s))
			}
		}
	}
	// The special boundaries on ASCII text against Go spellings.
	equiv := map[string]string{
		`\b{start}a`:       `(?:^|\W)\ba`,
		`a\b{end}`:         `a\b(?:\W|$)`,
		`\<\w`:             `(?:^|\W)\b\w`,
		`\W\>`:             `[^\x00-\x{10FFFF}]`, // the \W before is never a word end
		`\b{start-half}\W`: `(?:^|\W)\W`,
		`\W\b{end-half}`:   `\W(?:\W|$)`,
		`^\b{start-half}`:  `^`,
		`\b{end-half}$`:    `$`,
	}
	for p, goPat := range equiv {
		re, err := compileRegex(p)
		if err != nil {
			t.Fatal(err)
		}
		goRe := regexp.MustCompile(goPat)
		for range 300 {
			s := randomText(rng, []rune("ab _!"), rng.IntN(6))
			if got, want := re.matchString(s), goRe.MatchString(s); got != want {
				t.Errorf("match(%q, %q) = %v, %q says %v", p, s, got, goPat, want)
			}
		}
	}
}

// TestMatchLargeText checks that \b on non-ASCII text near MaxValueBytes
// is answered, not refused.
func TestMatchLargeText(t *testing.T) {
	t.Parallel()
	if got := matchPayload(`\b(?:error|fail(?:ed|ure)?)\b`, largeText()); got != "true" {
		t.Errorf("got %.200s, want true", got)
	}
}

func BenchmarkMatchWordBoundaryUnicode(b *testing.B) {
	re, err := compileRegex(`\b(?:error|fail(?:ed|ure)?)\b`)
	if err != nil {
		b.Fatal(err)
	}
	s := strings.Repeat("Überwachung meldet: Störung im Netzwerk ", 25) + "failed"
	b.ReportAllocs()
	for b.Loop() {
		if !re.matchString(s) {
			b.Fatal("no match")
		}
	}
}

// largeText is about 3.99 MB of non-ASCII text with a match at the end,
// near MaxValueBytes.
func largeText() string {
	line := "Überwachung meldet: Störung im Netzwerk "
	return strings.Repeat(line, (MaxValueBytes-1<<14)/len(line)) + "failed"
}

func BenchmarkMatchWordBoundaryUnicodeLarge(b *testing.B) {
	re, err := compileRegex(`\b(?:error|fail(?:ed|ure)?)\b`)
	if err != nil {
		b.Fatal(err)
	}
	s := largeText()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if !re.matchString(s) {
			b.Fatal("no match")
		}
	}
}
