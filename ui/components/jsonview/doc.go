package jsonview

import (
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
)

// kind is the JSON type of a node.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindObject
	kindArray
	kindRaw // one line of an unparsable document, shown as text
)

// node flags.
const (
	flagKeyEsc uint8 = 1 << iota // the key token contains backslash escapes
	flagValEsc                   // the string value token contains backslash escapes
	flagCont                     // raw line that continues the previous source line
)

// rawChunk is the longest raw line kept in one node when a document does
// not parse; longer source lines are split so that no line is huge.
const rawChunk = 512

// node is one value of the document in pre-order. Offsets point into the
// raw bytes, so numbers and strings keep their exact text and a node costs
// the same whatever the size of its value.
type node struct {
	parent int32 // index of the parent node, -1 for a top-level node
	end    int32 // index one past the last node of this subtree
	line   int32 // 0-based line of the opening line when fully expanded
	depth  int32 // nesting depth, 0 at top level
	key    int32 // object member: raw offset of the key token; array element: index
	keyLen int32 // length of the key token including quotes; 0 if no key
	off    int32 // raw offset of the value token
	size   int32 // raw length of the value (containers: through the closing bracket)
	count  int32 // containers: number of children
	kind   kind
	flags  uint8
}

// Document is a parsed JSON document in a flat, pre-order representation.
// It is immutable once built and safe to share between models and
// goroutines. It keeps a reference to the raw bytes it was parsed from.
type Document struct {
	raw        []byte
	nodes      []node
	lines      int // total lines when fully expanded
	containers int // number of non-empty objects and arrays
	err        *SyntaxError
}

// Err returns the syntax error of a document that did not parse, or nil.
// Such a document shows its raw text line by line.
func (d *Document) Err() error {
	if d == nil || d.err == nil {
		return nil
	}
	return d.err
}

// Lines returns the number of lines of the fully expanded document.
func (d *Document) Lines() int {
	if d == nil {
		return 0
	}
	return d.lines
}

// Size returns the length in bytes of the raw document.
func (d *Document) Size() int {
	if d == nil {
		return 0
	}
	return len(d.raw)
}

// Empty reports whether the document holds no value at all (empty or
// whitespace-only input).
func (d *Document) Empty() bool {
	return d == nil || len(d.nodes) == 0
}

// SyntaxError describes why raw bytes are not valid JSON.
type SyntaxError struct {
	// Offset is the byte offset of the error in the input.
	Offset int
	// Line and Column are 1-based; Column counts bytes.
	Line, Column int
	// Msg describes the problem.
	Msg string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// ParsedMsg is the result of ParseCmd. ID is the id given to ParseCmd, so the
// owner can drop a result that is no longer wanted. Doc is never nil: when
// Err is a syntax error, Doc shows the raw text instead of a tree.
type ParsedMsg struct {
	ID  int
	Doc *Document
	Err error
}

// ParseCmd returns a command that parses raw off the UI loop and reports a
// ParsedMsg tagged with id. raw is retained by the document and must not be
// modified afterwards.
func ParseCmd(id int, raw []byte) tea.Cmd {
	return func() tea.Msg {
		doc, err := Parse(raw)
		return ParsedMsg{ID: id, Doc: doc, Err: err}
	}
}

// Parse parses raw into a Document. It never returns a nil Document: if raw
// is not valid JSON the error is a *SyntaxError (wrapped) and the document
// holds the raw text split into lines, so the bytes can still be seen. Empty
// or whitespace-only input gives an empty document and no error. Parsing is
// iterative, so nesting depth is bounded only by memory. raw is retained and
// must not be modified afterwards. Inputs of 2 GiB or more are rejected.
func Parse(raw []byte) (*Document, error) {
	if len(raw) >= math.MaxInt32 {
		d := &Document{raw: raw[:0], err: &SyntaxError{Line: 1, Column: 1, Msg: "document too large"}}
		return d, fmt.Errorf("parse JSON: %w", d.err)
	}
	p := parser{raw: raw, nodes: make([]node, 0, len(raw)/16+1)}
	if err := p.run(); err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			se = &SyntaxError{Msg: err.Error()}
		}
		d := rawDocument(raw, se)
		return d, fmt.Errorf("parse JSON: %w", se)
	}
	return &Document{raw: raw, nodes: p.nodes, lines: int(p.line), containers: p.containers}, nil
}

// rawDocument builds the fallback document of an input that did not parse:
// one kindRaw node per source line, long lines split into chunks.
func rawDocument(raw []byte, se *SyntaxError) *Document {
	se.Line, se.Column = 1, 1
	for i := 0; i < se.Offset && i < len(raw); i++ {
		if raw[i] == '\n' {
			se.Line++
			se.Column = 1
		} else {
			se.Column++
		}
	}
	d := &Document{raw: raw, err: se}
	line := int32(0)
	start := 0
	cont := false
	for start < len(raw) {
		end := start
		for end < len(raw) && raw[end] != '\n' && end-start < rawChunk {
			end++
		}
		next := end
		switch {
		case end < len(raw) && raw[end] == '\n':
			next = end + 1
		case end < len(raw):
			// Split a long line on a rune boundary.
			for back := 0; back < utf8.UTFMax-1 && end > start+1 && !utf8.RuneStart(raw[end]); back++ {
				end--
			}
			next = end
		}
		n := node{parent: -1, end: int32(len(d.nodes) + 1), line: line, key: -1, off: int32(start), size: int32(end - start), kind: kindRaw}
		if cont {
			n.flags |= flagCont
		}
		d.nodes = append(d.nodes, n)
		cont = next == end && end < len(raw)
		if !cont {
			line++
		}
		start = next
	}
	d.lines = int(line)
	if d.lines == 0 && len(d.nodes) > 0 {
		d.lines = 1
	}
	return d
}

// parser is an iterative JSON scanner that fills the flat node slice.
type parser struct {
	raw        []byte
	nodes      []node
	stack      []int32 // open containers
	line       int32
	containers int
}

func (p *parser) fail(off int, format string, args ...any) error {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) ws(i int) int {
	for i < len(p.raw) {
		switch p.raw[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func describe(raw []byte, i int) string {
	if i >= len(raw) {
		return "unexpected end of input"
	}
	c := raw[i]
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("unexpected character %q", rune(c))
	}
	return fmt.Sprintf("unexpected byte 0x%02x", c)
}

// run parses the whole input.
func (p *parser) run() error {
	raw := p.raw
	i := p.ws(0)
	if i == len(raw) {
		return nil // empty document
	}
	keyOff, keyLen, keyFlags := int32(-1), int32(0), uint8(0)
	for {
		// Here a value is expected at i (after ws).
		if i >= len(raw) {
			return p.fail(i, "unexpected end of input")
		}
		parent := int32(-1)
		if len(p.stack) > 0 {
			parent = p.stack[len(p.stack)-1]
		}
		idx := int32(len(p.nodes))
		if idx == math.MaxInt32 {
			return p.fail(i, "too many values")
		}
		n := node{parent: parent, end: idx + 1, line: p.line, depth: int32(len(p.stack)), key: keyOff, keyLen: keyLen, off: int32(i), flags: keyFlags}
		if parent >= 0 {
			pn := &p.nodes[parent]
			if pn.kind == kindArray {
				n.key = pn.count
			}
			pn.count++
		}
		p.line++
		c := raw[i]
		switch {
		case c == '{' || c == '[':
			n.kind = kindObject
			closer := byte('}')
			if c == '[' {
				n.kind = kindArray
				closer = ']'
			}
			p.nodes = append(p.nodes, n)
			j := p.ws(i + 1)
			if j < len(raw) && raw[j] == closer {
				p.nodes[idx].size = int32(j + 1 - i)
				i = j + 1
				break
			}
			p.stack = append(p.stack, idx)
			i = j
			if n.kind == kindObject {
				var err error
				i, keyOff, keyLen, keyFlags, err = p.key(i)
				if err != nil {
					return err
				}
			} else {
				keyOff, keyLen, keyFlags = -1, 0, 0
			}
			continue
		case c == '"':
			end, esc, err := p.str(i)
			if err != nil {
				return err
			}
			n.kind, n.size = kindString, int32(end-i)
			if esc {
				n.flags |= flagValEsc
			}
			p.nodes = append(p.nodes, n)
			i = end
		case c == '-' || (c >= '0' && c <= '9'):
			end, err := p.num(i)
			if err != nil {
				return err
			}
			n.kind, n.size = kindNumber, int32(end-i)
			p.nodes = append(p.nodes, n)
			i = end
		case c == 't' || c == 'f' || c == 'n':
			lit, k := "null", kindNull
			switch c {
			case 't':
				lit, k = "true", kindBool
			case 'f':
				lit, k = "false", kindBool
			}
			if len(raw)-i < len(lit) || string(raw[i:i+len(lit)]) != lit {
				return p.fail(i, "invalid literal, want %s", lit)
			}
			n.kind, n.size = k, int32(len(lit))
			p.nodes = append(p.nodes, n)
			i += len(lit)
		default:
			return p.fail(i, "%s, want a value", describe(raw, i))
		}
		// A value is complete: close containers or read the next member.
		for {
			i = p.ws(i)
			if len(p.stack) == 0 {
				if i < len(raw) {
					return p.fail(i, "%s after the top-level value", describe(raw, i))
				}
				return nil
			}
			top := p.stack[len(p.stack)-1]
			tn := &p.nodes[top]
			closer := byte('}')
			if tn.kind == kindArray {
				closer = ']'
			}
			if i >= len(raw) {
				return p.fail(i, "unexpected end of input, want ',' or %q", rune(closer))
			}
			if raw[i] == closer {
				tn.end = int32(len(p.nodes))
				tn.size = int32(i+1) - tn.off
				p.line++ // closing line of a non-empty container
				p.containers++
				p.stack = p.stack[:len(p.stack)-1]
				i++
				continue
			}
			if raw[i] != ',' {
				return p.fail(i, "%s, want ',' or %q", describe(raw, i), rune(closer))
			}
			i = p.ws(i + 1)
			if tn.kind == kindObject {
				var err error
				i, keyOff, keyLen, keyFlags, err = p.key(i)
				if err != nil {
					return err
				}
			} else {
				keyOff, keyLen, keyFlags = -1, 0, 0
			}
			break
		}
	}
}

// key reads `"name" :` at i and returns the position of the value after it.
func (p *parser) key(i int) (next int, off, length int32, flags uint8, err error) {
	if i >= len(p.raw) || p.raw[i] != '"' {
		return 0, 0, 0, 0, p.fail(i, "%s, want an object key", describe(p.raw, i))
	}
	end, esc, err := p.str(i)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if esc {
		flags = flagKeyEsc
	}
	j := p.ws(end)
	if j >= len(p.raw) || p.raw[j] != ':' {
		return 0, 0, 0, 0, p.fail(j, "%s, want ':'", describe(p.raw, j))
	}
	return p.ws(j + 1), int32(i), int32(end - i), flags, nil
}

// str scans the string token starting at the quote at i and returns the
// offset just past its closing quote.
func (p *parser) str(i int) (end int, esc bool, err error) {
	raw := p.raw
	j := i + 1
	for j < len(raw) {
		c := raw[j]
		switch {
		case c == '"':
			return j + 1, esc, nil
		case c == '\\':
			esc = true
			if j+1 >= len(raw) {
				return 0, false, p.fail(j, "unterminated string")
			}
			switch raw[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if j+6 > len(raw) {
					return 0, false, p.fail(j, "invalid \\u escape")
				}
				for k := j + 2; k < j+6; k++ {
					if hexVal(raw[k]) < 0 {
						return 0, false, p.fail(k, "invalid \\u escape")
					}
				}
				j += 6
			default:
				return 0, false, p.fail(j, "invalid escape in string")
			}
		case c < 0x20:
			return 0, false, p.fail(j, "control character 0x%02x in string", c)
		default:
			j++
		}
	}
	return 0, false, p.fail(i, "unterminated string")
}

// num scans a number token at i following the JSON grammar.
func (p *parser) num(i int) (int, error) {
	raw := p.raw
	j := i
	if raw[j] == '-' {
		j++
	}
	digits := func() int {
		k := j
		for j < len(raw) && raw[j] >= '0' && raw[j] <= '9' {
			j++
		}
		return j - k
	}
	if j < len(raw) && raw[j] == '0' {
		j++
	} else if digits() == 0 {
		return 0, p.fail(j, "%s in number", describe(raw, j))
	}
	if j < len(raw) && raw[j] == '.' {
		j++
		if digits() == 0 {
			return 0, p.fail(j, "%s in number, want a digit", describe(raw, j))
		}
	}
	if j < len(raw) && (raw[j] == 'e' || raw[j] == 'E') {
		j++
		if j < len(raw) && (raw[j] == '+' || raw[j] == '-') {
			j++
		}
		if digits() == 0 {
			return 0, p.fail(j, "%s in exponent, want a digit", describe(raw, j))
		}
	}
	return j, nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unquote decodes the string token tok (with its quotes, already validated)
// into at most max bytes of output, cut on a rune boundary. It reports
// whether the output was cut. max <= 0 means no limit.
func unquote(tok []byte, esc bool, max int) (string, bool) {
	if len(tok) >= 2 {
		tok = tok[1 : len(tok)-1]
	}
	if !esc {
		if max > 0 && len(tok) > max {
			cut := max
			for cut > 0 && !utf8.RuneStart(tok[cut]) {
				cut--
			}
			return string(tok[:cut]), true
		}
		return string(tok), false
	}
	out := make([]byte, 0, min(len(tok), max+utf8.UTFMax))
	for i := 0; i < len(tok); {
		if max > 0 && len(out) >= max {
			return string(out), true
		}
		c := tok[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(tok) {
			break
		}
		switch tok[i+1] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n := decodeU(tok[i:])
			out = utf8.AppendRune(out, r)
			i += n
			continue
		default: // '"', '\\', '/'
			out = append(out, tok[i+1])
		}
		i += 2
	}
	return string(out), false
}

// decodeU decodes a \uXXXX escape (and a following low surrogate) at the
// start of b; lone surrogates become U+FFFD like encoding/json.
func decodeU(b []byte) (rune, int) {
	hex4 := func(b []byte) rune {
		if len(b) < 4 {
			return -1
		}
		var r rune
		for _, c := range b[:4] {
			v := hexVal(c)
			if v < 0 {
				return -1
			}
			r = r<<4 | rune(v)
		}
		return r
	}
	if len(b) < 6 {
		return utf8.RuneError, len(b)
	}
	r := hex4(b[2:])
	if r < 0 {
		return utf8.RuneError, 6
	}
	if r >= 0xd800 && r < 0xdc00 {
		if len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
			if lo := hex4(b[8:]); lo >= 0xdc00 && lo < 0xe000 {
				return (r-0xd800)<<10 | (lo - 0xdc00) + 0x10000, 12
			}
		}
		return utf8.RuneError, 6
	}
	if r >= 0xdc00 && r < 0xe000 {
		return utf8.RuneError, 6
	}
	return r, 6
}
