package conditions

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token of the expression language (§4 lexical
// rules).
type tokKind int

const (
	tokEOF tokKind = iota
	tokInt
	tokFloat
	tokString
	tokIdent
	tokKeyword // true false null and or not in
	tokSymbol  // + - * / % == != < > <= >= ( ) [ ] , .
)

// token is one lexeme with its byte span in the source.
type token struct {
	kind       tokKind
	text       string // identifier, keyword or symbol text; decoded string value
	i          int64
	f          float64
	start, end int
}

// syntaxError is a tokenizer or parser error at a span of the source.
type syntaxError struct {
	msg        string
	start, end int
}

func (e *syntaxError) Error() string { return e.msg }

// isKeyword reports whether s is one of the expression language's keywords.
func isKeyword(s string) bool {
	switch s {
	case "true", "false", "null", "and", "or", "not", "in":
		return true
	}
	return false
}

// tokenize splits src into tokens, ending with a tokEOF token.
func tokenize(src string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(src) {
			r, size := utf8.DecodeRuneInString(src[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += size
		}
		if i >= len(src) {
			toks = append(toks, token{kind: tokEOF, start: i, end: i})
			return toks, nil
		}
		start := i
		c := src[i]
		switch {
		case c >= '0' && c <= '9':
			for i < len(src) && isDigit(src[i]) {
				i++
			}
			if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
				i++
				for i < len(src) && isDigit(src[i]) {
					i++
				}
				f, err := strconv.ParseFloat(src[start:i], 64)
				if err != nil {
					return nil, &syntaxError{fmt.Sprintf("invalid number %q", src[start:i]), start, i}
				}
				toks = append(toks, token{kind: tokFloat, f: f, start: start, end: i})
				continue
			}
			n, err := strconv.ParseInt(src[start:i], 10, 64)
			if err != nil {
				return nil, &syntaxError{fmt.Sprintf("integer %s does not fit in 64 bits", src[start:i]), start, i}
			}
			toks = append(toks, token{kind: tokInt, i: n, start: start, end: i})
		case c == '"' || c == '\'':
			s, end, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			i = end
			toks = append(toks, token{kind: tokString, text: s, start: start, end: i})
		case c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
			for i < len(src) && (src[i] == '_' || isDigit(src[i]) || (src[i]|0x20 >= 'a' && src[i]|0x20 <= 'z')) {
				i++
			}
			word := src[start:i]
			k := tokIdent
			if isKeyword(word) {
				k = tokKeyword
			}
			toks = append(toks, token{kind: k, text: word, start: start, end: i})
		default:
			sym := ""
			if i+1 < len(src) {
				switch two := src[i : i+2]; two {
				case "==", "!=", "<=", ">=":
					sym = two
				}
			}
			if sym == "" && strings.IndexByte("+-*/%<>()[],.", c) >= 0 {
				sym = src[i : i+1]
			}
			if sym == "" {
				r, size := utf8.DecodeRuneInString(src[i:])
				desc := strconv.QuoteRune(r)
				if r == utf8.RuneError && size == 1 {
					desc = fmt.Sprintf("byte 0x%02x", c)
				}
				return nil, &syntaxError{fmt.Sprintf("unexpected character %s", desc), i, i + size}
			}
			i += len(sym)
			toks = append(toks, token{kind: tokSymbol, text: sym, start: start, end: i})
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lexString reads a quoted string starting at src[i] (the quote). Escapes
// \n \t \r \\ and the escaped quote of the same kind are decoded; any other
// backslash pair is kept as is.
func lexString(src string, i int) (string, int, error) {
	q := src[i]
	start := i
	i++
	var b strings.Builder
	for i < len(src) {
		c := src[i]
		switch {
		case c == q:
			return b.String(), i + 1, nil
		case c == '\\' && i+1 < len(src):
			switch n := src[i+1]; n {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\':
				b.WriteByte('\\')
			case q:
				b.WriteByte(q)
			default:
				b.WriteByte('\\')
				i++
				continue
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, &syntaxError{"unterminated string", start, len(src)}
}
