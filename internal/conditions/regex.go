package conditions

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Rust's regex crate (which Attune uses for match()) makes the Perl classes
// Unicode-aware by default; Go's regexp makes them ASCII-only. translateRegex
// rewrites a Rust pattern into a Go pattern with Rust's meaning:
//
//	\d  -> \p{Nd}                      \D -> \P{Nd}
//	\w  -> letters, marks, Nd, Nl, Pc and the joiners U+200C/U+200D
//	\s  -> the Unicode White_Space set  \W, \S -> their complements
//
// \W and \S inside a negated class ([^\W]) cannot be written in Go's syntax
// and are reported as errors. \b and \B are Unicode-aware in Rust and ASCII
// in Go; the two agree on ASCII text, so matchRegex reports an error instead
// of a possibly wrong answer when a pattern using them is run on non-ASCII
// text. Other syntax Go lacks (look-around, backreferences: also absent in
// Rust; class set operations, the x flag) fails to compile and is an error.

const (
	wordSet  = `\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\x{200C}\x{200D}`
	spaceSet = `\t\n\x{0B}\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`
)

// translateRegex converts a Rust regex pattern to Go syntax. It reports
// whether the pattern uses \b or \B.
func translateRegex(p string) (string, bool, error) {
	var b strings.Builder
	usesBoundary := false
	inClass, negated := false, false
	classStart := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
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
					return "", false, fmt.Errorf("\\%c inside a negated class is not supported by attune-tui's regex translation", e)
				}
				// [a\W] == (?:[a]|[^word]); close the class, add the
				// complement as an alternative after it.
				return translateClassUnion(p, classStart)
			case 'b', 'B':
				if inClass {
					b.WriteString(`\` + string(e))
				} else {
					usesBoundary = true
					b.WriteString(`\` + string(e))
				}
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
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
		case c == '[' && inClass && strings.HasPrefix(p[i:], "[:"):
			end := strings.Index(p[i:], ":]")
			if end < 0 {
				b.WriteByte(c)
				break
			}
			b.WriteString(p[i : i+end+2])
			i += end + 1
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), usesBoundary, nil
}

// translateClassUnion handles the rare class that contains \W or \S: it
// rewrites the class starting at start into an alternation and translates
// the rest of the pattern.
func translateClassUnion(p string, start int) (string, bool, error) {
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
		plain.WriteByte(p[i])
	}
	if i >= len(p) {
		return "", false, errors.New("unterminated character class")
	}
	head, hb, err := translateRegex(p[:start])
	if err != nil {
		return "", false, err
	}
	if plain.Len() > 0 {
		inner, _, err := translateRegex("[" + plain.String() + "]")
		if err != nil {
			return "", false, err
		}
		parts = append([]string{inner}, parts...)
	}
	tail, tb, err := translateRegex(p[i+1:])
	if err != nil {
		return "", false, err
	}
	return head + "(?:" + strings.Join(parts, "|") + ")" + tail, hb || tb, nil
}

// compileRegex translates and compiles a Rust pattern.
func compileRegex(pattern string) (*regexp.Regexp, bool, error) {
	goPat, boundary, err := translateRegex(pattern)
	if err != nil {
		return nil, false, err
	}
	re, err := regexp.Compile(goPat)
	if err != nil {
		return nil, false, fmt.Errorf("invalid regex: %w", err)
	}
	return re, boundary, nil
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
