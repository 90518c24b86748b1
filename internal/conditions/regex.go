package conditions

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rust's regex crate (which Attune uses for match()) makes the Perl classes
// and word boundaries Unicode-aware by default; Go's regexp makes them
// ASCII-only. translateRegex rewrites a Rust pattern into a Go pattern with
// Rust's meaning:
//
//	\d  -> \p{Nd}                      \D -> \P{Nd}
//	\w  -> wordSet (Rust's Unicode \w)  \s -> spaceSet (White_Space)
//	\W, \S -> their complements
//	\b{start}, \<, \b{end}, \>, \b{start-half}, \b{end-half}
//	    -> an empty named group that runWordVM evaluates as the assertion
//	a{n}, a{n,}, a{n,m} -> unchanged, minus the white space Rust allows
//	    around the numbers (a{ 2 , 3}); any other '{' outside a class is an
//	    error, as in Rust (Go would read a{,3} or a{x} as literal text)
//	\p{..}, \P{..}, \x{..} -> unchanged (the brace is no repetition)
//
// Go-only syntax that Rust rejects is an error too: \Q...\E, octal
// escapes (\0, \12), a repetition right after a flag group (a(?i)*),
// \< or \> inside a class.
//
// \b and \B stay \b and \B; runWordVM gives them Rust's Unicode meaning,
// and on ASCII text (where Go and Rust agree) Go's regexp runs instead.
//
// What still errors although Rust accepts it: \W or \S inside a negated
// class ([^\W]); syntax Go's parser rejects (the u and x flags, so also
// (?-u:\b); class set operations &&, -- and ~~ and nested classes; nested
// repetition such as a** or a{2}{3}; counts above 1000). Look-around and
// backreferences are errors in both.

const (
	// wordSet is Rust's Unicode \w: Alphabetic (L, Nl and Other_Alphabetic:
	// the marks are in M, the rest are the circled and squared Latin
	// letters listed here), M, Nd, Pc and Join_Control (U+200C, U+200D).
	// TestWordSet checks it against the unicode tables.
	wordSet  = `\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\x{200C}\x{200D}\x{24B6}-\x{24E9}\x{1F130}-\x{1F149}\x{1F150}-\x{1F169}\x{1F170}-\x{1F189}`
	spaceSet = `\t\n\x{0B}\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`

	// lookPrefix names the empty groups that stand for Rust's special word
	// boundaries; a pattern naming a group this way is rejected.
	lookPrefix = "attune_look_"
)

// lookKind is one of Rust's special word-boundary assertions.
type lookKind int

const (
	lookWordStart     lookKind = iota // \b{start}, \<: no word char before, one after
	lookWordEnd                       // \b{end}, \>: a word char before, none after
	lookWordStartHalf                 // \b{start-half}: no word char before
	lookWordEndHalf                   // \b{end-half}: no word char after
)

// translator holds what translateRegex learns about a pattern.
type translator struct {
	boundary bool       // the pattern uses \b or \B
	looks    []lookKind // looks[i] is the group named lookPrefix+i
}

// translateRegex converts a Rust regex pattern to Go syntax.
func (t *translator) translateRegex(p string) (string, error) {
	var b strings.Builder
	inClass, negated := false, false
	classStart := 0
	afterFlags := false // the last item was a flag group like (?i)
	looksAtStart := len(t.looks)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !inClass && afterFlags && strings.IndexByte("*+?{", c) >= 0 {
			return "", fmt.Errorf("repetition operator %q after a flag group has nothing to repeat", c)
		}
		afterFlags = false
		switch {
		case c == '\\' && i+1 < len(p):
			e := p[i+1]
			i++
			switch e {
			case 'd':
				b.WriteString(`\p{Nd}`)
			case 'D':
				b.WriteString(`\P{Nd}`)
			case 'w', 's':
				set := wordSet
				if e == 's' {
					set = spaceSet
				}
				if inClass {
					b.WriteString(set)
				} else {
					b.WriteString("[" + set + "]")
				}
			case 'W', 'S':
				set := wordSet
				if e == 'S' {
					set = spaceSet
				}
				if !inClass {
					b.WriteString("[^" + set + "]")
					break
				}
				if negated {
					return "", fmt.Errorf("\\%c inside a negated class is not supported by attune-tui's regex translation", e)
				}
				// [a\W] == (?:[a]|[^word]); close the class, add the
				// complement as an alternative after it. Forget the
				// looks of this call's first pass: the head is redone.
				t.looks = t.looks[:looksAtStart]
				return t.translateClassUnion(p, classStart)
			case '<', '>':
				if inClass {
					return "", fmt.Errorf(`\%c is not allowed inside a character class`, e)
				}
				k := lookWordStart
				if e == '>' {
					k = lookWordEnd
				}
				b.WriteString(t.look(k))
			case 'b', 'B':
				if inClass {
					b.WriteString(`\` + string(e))
					break
				}
				if e == 'b' && i+1 < len(p) && p[i+1] == '{' {
					k, n, err := specialWordBoundary(p[i+1:])
					if err != nil {
						return "", err
					}
					if n > 0 {
						b.WriteString(t.look(k))
						i += n
						break
					}
				}
				t.boundary = true
				b.WriteString(`\` + string(e))
			case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				// Go reads \0 and \12 as octal; Rust rejects them.
				return "", fmt.Errorf(`backreferences and octal escapes are not supported: \%c`, e)
			case 'Q', 'E':
				// Go's \Q...\E quoting is not Rust syntax.
				return "", fmt.Errorf(`unrecognized escape sequence \%c`, e)
			case 'p', 'P', 'x':
				// Copy \p{Greek} or \x{1F600} whole, or the brace would
				// start a counted repetition below.
				n, err := bracedEscape(p[i-1:])
				if err != nil {
					return "", err
				}
				b.WriteString(p[i-1 : i-1+n])
				i += n - 2
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		case c == '{' && !inClass:
			rep, n, err := countedRepetition(p[i:])
			if err != nil {
				return "", err
			}
			b.WriteString(rep)
			i += n - 1
		case c == '(' && !inClass:
			if strings.HasPrefix(p[i:], "(?P<"+lookPrefix) || strings.HasPrefix(p[i:], "(?<"+lookPrefix) {
				return "", fmt.Errorf("group names starting with %q are reserved by attune-tui", lookPrefix)
			}
			if end, ok := flagGroup(p[i:]); ok {
				afterFlags = true
				b.WriteString(p[i : i+end])
				i += end - 1
				break
			}
			b.WriteByte(c)
		case c == '[' && !inClass:
			inClass, negated, classStart = true, false, i
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				negated = true
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' { // a leading ] is literal
				b.WriteString(`\]`)
				i++
			}
		case c == '[' && inClass:
			n := asciiClass(p[i:])
			if n == 0 {
				return "", errors.New("nested character classes are not supported by attune-tui's regex translation")
			}
			b.WriteString(p[i : i+n])
			i += n - 1
		case inClass && (c == '&' || c == '-' || c == '~') && i+1 < len(p) && p[i+1] == c:
			return "", fmt.Errorf("class set operation %q is not supported by attune-tui's regex translation", p[i:i+2])
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// asciiClass returns the length of the ASCII class like [:alpha:] or
// [:^digit:] that s starts with, or 0.
func asciiClass(s string) int {
	if !strings.HasPrefix(s, "[:") {
		return 0
	}
	i := 2
	if i < len(s) && s[i] == '^' {
		i++
	}
	j := i
	for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
		j++
	}
	if j == i || !strings.HasPrefix(s[j:], ":]") {
		return 0
	}
	return j + 2
}

// look records a special word boundary and returns the empty group that
// stands for it.
func (t *translator) look(k lookKind) string {
	t.looks = append(t.looks, k)
	return "(?P<" + lookPrefix + strconv.Itoa(len(t.looks)-1) + ">)"
}

// specialWordBoundary parses what follows a \b that is followed by '{', as
// Rust does: {start}, {end}, {start-half} or {end-half} is an assertion
// (n is its length), a '{' not followed by [A-Za-z-] starts a counted
// repetition of \b (n is 0), and anything else is an error.
func specialWordBoundary(s string) (lookKind, int, error) {
	isName := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' }
	if len(s) < 2 {
		return 0, 0, errors.New(`unexpected end of pattern after \b{`)
	}
	if !isName(s[1]) {
		return 0, 0, nil
	}
	j := 1
	for j < len(s) && isName(s[j]) {
		j++
	}
	if j == len(s) || s[j] != '}' {
		return 0, 0, errors.New(`unclosed special word boundary \b{...}`)
	}
	kinds := map[string]lookKind{"start": lookWordStart, "end": lookWordEnd, "start-half": lookWordStartHalf, "end-half": lookWordEndHalf}
	k, ok := kinds[s[1:j]]
	if !ok {
		return 0, 0, fmt.Errorf(`unrecognized special word boundary \b{%s}`, s[1:j])
	}
	return k, j + 1, nil
}

// bracedEscape returns the length of the escape \p, \P or \x that s
// starts with: up to the closing brace when one follows (\p{Greek},
// \x{1F600}), else 2 (\pL, \xe9: Go reads the rest).
func bracedEscape(s string) (int, error) {
	if len(s) < 3 || s[2] != '{' {
		return 2, nil
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return 0, fmt.Errorf(`unclosed escape %s{...}`, s[:2])
	}
	return end + 1, nil
}

// countedRepetition parses the counted repetition {n}, {n,} or {n,m}
// that s starts with and returns it in Go syntax and its length in s.
// Rust's regex reads every '{' outside a class as one and rejects anything
// else, including {,m}; it allows white space around each number (a{ 2 },
// a{2 , 3}), which Go does not, so the Go text drops it.
func countedRepetition(s string) (string, int, error) {
	i := 1
	// number skips white space, digits, white space, and returns the digits.
	number := func() string {
		i = skipSpace(s, i)
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		d := s[j:i]
		i = skipSpace(s, i)
		return d
	}
	lo := number()
	rep := "{" + lo
	ok := lo != ""
	if ok && i < len(s) && s[i] == ',' {
		rep += ","
		i++
		if i < len(s) && s[i] != '}' {
			hi := number()
			ok = hi != ""
			rep += hi
		}
	}
	if !ok || i >= len(s) || s[i] != '}' {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			end = len(s) - 1
		}
		hint := ""
		if strings.HasPrefix(s, "{,") {
			hint = " ({,m} is not Rust syntax; write {0,m})"
		}
		return "", 0, fmt.Errorf("invalid counted repetition %q%s", s[:end+1], hint)
	}
	return rep + "}", i + 1, nil
}

// skipSpace returns the index of the first rune at or after i in s that is
// not white space (Rust's char::is_whitespace, the White_Space property).
func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

// flagGroup reports whether s starts with a group that only sets flags,
// such as (?i) or (?-s), and its length.
func flagGroup(s string) (int, bool) {
	if !strings.HasPrefix(s, "(?") {
		return 0, false
	}
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c == ')':
			return i + 1, i > 2
		case c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		default:
			return 0, false
		}
	}
	return 0, false
}

// translateClassUnion handles the rare class that contains \W or \S: it
// rewrites the class starting at start into an alternation and translates
// the rest of the pattern.
func (t *translator) translateClassUnion(p string, start int) (string, error) {
	// Find the end of the class.
	i := start + 1
	if i < len(p) && p[i] == ']' {
		i++
	}
	var parts []string
	var plain strings.Builder
	for ; i < len(p) && p[i] != ']'; i++ {
		if p[i] == '\\' && i+1 < len(p) {
			switch p[i+1] {
			case 'W':
				parts = append(parts, "[^"+wordSet+"]")
			case 'S':
				parts = append(parts, "[^"+spaceSet+"]")
			default:
				plain.WriteString(p[i : i+2])
			}
			i++
			continue
		}
		if n := asciiClass(p[i:]); n > 0 {
			plain.WriteString(p[i : i+n])
			i += n - 1
			continue
		}
		plain.WriteByte(p[i])
	}
	if i >= len(p) {
		return "", errors.New("unterminated character class")
	}
	head, err := t.translateRegex(p[:start])
	if err != nil {
		return "", err
	}
	if plain.Len() > 0 {
		inner, err := t.translateRegex("[" + plain.String() + "]")
		if err != nil {
			return "", err
		}
		parts = append([]string{inner}, parts...)
	}
	tail, err := t.translateRegex(p[i+1:])
	if err != nil {
		return "", err
	}
	return head + "(?:" + strings.Join(parts, "|") + ")" + tail, nil
}

// rustRegex is a compiled Rust pattern. Either re or prog is set, or
// both.
type rustRegex struct {
	re    *regexp.Regexp   // nil when the pattern has a special word boundary
	prog  *syntax.Prog     // for runWordVM; nil when re alone is exact
	looks map[int]lookKind // capture index of a special word boundary group
}

// compileRegex translates and compiles a Rust pattern: with regexp unless
// it has a special word boundary, and also (or only) to a program for
// runWordVM when it has \b, \B or a special word boundary.
func compileRegex(pattern string) (*rustRegex, error) {
	var t translator
	goPat, err := t.translateRegex(pattern)
	if err != nil {
		return nil, err
	}
	r := &rustRegex{}
	if len(t.looks) == 0 {
		if r.re, err = regexp.Compile(goPat); err != nil {
			return nil, fmt.Errorf("invalid regex: %w", err)
		}
		if !t.boundary {
			return r, nil
		}
	}
	// The same steps as regexp.Compile, keeping the program for runWordVM.
	parsed, err := syntax.Parse(goPat, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("invalid regex: %w", err)
	}
	if r.prog, err = syntax.Compile(parsed.Simplify()); err != nil {
		return nil, fmt.Errorf("invalid regex: %w", err)
	}
	if len(t.looks) == 0 {
		return r, nil
	}
	// Every group named lookPrefix+k is the k-th look: translateRegex
	// rejects such names in the pattern.
	r.looks = make(map[int]lookKind, len(t.looks))
	for i, name := range parsed.CapNames() {
		if n, ok := strings.CutPrefix(name, lookPrefix); ok {
			k, _ := strconv.Atoi(n)
			r.looks[2*i] = t.looks[k]
		}
	}
	return r, nil
}

// matchString reports whether s contains a match. Go's regexp answers
// unless the pattern has an assertion it cannot evaluate the Rust way:
// \b or \B on non-ASCII text (on ASCII text Go's \b and Rust's agree), or
// a special word boundary.
func (r *rustRegex) matchString(s string) bool {
	if r.prog == nil || r.re != nil && isASCII(s) {
		return r.re.MatchString(s)
	}
	return runWordVM(r.prog, r.looks, s)
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
