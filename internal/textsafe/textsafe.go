// Package textsafe turns untrusted strings (anything the Attune API returns)
// into text that is safe to draw in a terminal.
//
// It neutralises without hiding: nothing is dropped silently and nothing that
// a terminal could interpret is passed through raw. Instead every dangerous
// character is shown in a visible, printable-ASCII escaped form:
//
//   - C0 controls and DEL as \x1b, \x07, \x08, \x7f (CR as \r; in Line, LF as \n);
//   - C1 controls (U+0080–U+009F) and Unicode format characters, which include
//     the bidi overrides, isolates and marks and the zero-width characters,
//     as \u0085, \u202e, \u200b (code points above U+FFFF as \U000e0041);
//   - the line and paragraph separators U+2028/U+2029 and the invisible Hangul
//     fillers as \u2028, \u3164;
//   - bytes that are not valid UTF-8 as \xff;
//   - combining marks beyond MaxCombining per base character as \u0301, so a
//     "zalgo storm" cannot blow up a cell.
//
// Escape sequences (CSI, OSC, DCS, APC, PM, SOS, 7-bit or 8-bit, terminated or
// not) are neutralised by escaping their introducer and every control
// character inside them; their printable parameters stay visible, so an
// operator sees e.g. \x1b[2J or \x1b]52;c;aGk=\x07.
//
// Backslashes are not escaped. The escaped forms are printable ASCII, so a
// second pass leaves them unchanged and Line(Line(s)) == Line(s),
// Text(Text(s)) == Text(s). The price is that an input which literally
// contains the text `\x1b` looks the same as one that contained ESC; for a
// viewer that is the right trade (nothing is ever double-escaped).
//
// Printable Unicode, CJK and emoji are kept intact, so widths measured with
// the lipgloss/ansi width functions stay right. Zero-width joiners are escaped
// too, so emoji ZWJ sequences are shown as their parts joined by \u200d.
//
// Clean input is returned unchanged without allocating.
package textsafe

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

const (
	// DefaultLineMax is the default cap, in bytes of output, of Line.
	DefaultLineMax = 4096
	// DefaultTextMax is the default cap, in bytes of output, of Text.
	DefaultTextMax = 1 << 20
	// MinMax is the smallest cap LineN and TextN accept; smaller values are
	// raised to it so that the cut marker always fits.
	MinMax = 40
	// MaxCombining is how many combining marks are kept after one base
	// character; the rest of the run is shown escaped.
	MaxCombining = 4
	// TabWidth is the distance between tab stops used when expanding tabs.
	TabWidth = 8
)

// Line returns s as one display line: control characters, escape sequences,
// bidi and zero-width characters and invalid bytes are shown escaped, newlines
// are shown as \n, tabs are expanded to spaces and the output is capped at
// DefaultLineMax bytes with a visible "…(+N bytes cut)" marker. Line is
// idempotent.
func Line(s string) string { return sanitize(s, DefaultLineMax, false) }

// LineN is Line with an output cap of max bytes instead of DefaultLineMax.
// A max below MinMax is raised to MinMax.
func LineN(s string, max int) string { return sanitize(s, max, false) }

// Text returns s as multi-line text: like Line, but newlines are kept, CRLF
// and lone CR line endings become \n, and the cap is DefaultTextMax bytes.
// Text is idempotent.
func Text(s string) string { return sanitize(s, DefaultTextMax, true) }

// TextN is Text with an output cap of max bytes instead of DefaultTextMax.
// A max below MinMax is raised to MinMax.
func TextN(s string, max int) string { return sanitize(s, max, true) }

// isMark reports whether r is a combining mark.
func isMark(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

// escapeRune reports whether a valid non-ASCII rune must be shown escaped.
func escapeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r == 0x2028, r == 0x2029: // line / paragraph separator
		return true
	case r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0: // invisible Hangul fillers
		return true
	case r == 0xfffe, r == 0xffff:
		return true
	}
	return unicode.Is(unicode.Cf, r) // bidi, zero-width, soft hyphen, tags, ...
}

// clean reports whether s needs no change at all for the given mode and cap.
func clean(s string, max int, multiline bool) bool {
	if len(s) > max {
		return false
	}
	marks := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				if !(multiline && c == '\n') {
					return false
				}
			}
			marks = 0
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if escapeRune(r) {
			return false
		}
		if isMark(r) {
			marks++
			if marks > MaxCombining {
				return false
			}
		} else {
			marks = 0
		}
		i += size
	}
	return true
}

const hexDigits = "0123456789abcdef"

// writer accumulates output and remembers the last point at which the cut
// marker would still fit.
type writer struct {
	b        strings.Builder
	max      int
	reserve  int  // bytes kept free for the marker
	safeOut  int  // output length at the last safe checkpoint
	safeIn   int  // input offset at the last safe checkpoint
	overflow bool // output exceeded max
	col      int  // display column at output offset colAt
	colAt    int  // output offset at which col was measured
}

// checkpoint records that the output up to now corresponds to input up to in.
func (w *writer) checkpoint(in int) {
	if w.b.Len() <= w.max-w.reserve {
		w.safeOut, w.safeIn = w.b.Len(), in
	}
	if w.b.Len() > w.max {
		w.overflow = true
	}
}

func (w *writer) byteEsc(c byte) {
	w.b.WriteString(`\x`)
	w.b.WriteByte(hexDigits[c>>4])
	w.b.WriteByte(hexDigits[c&0xf])
}

func (w *writer) runeEsc(r rune) {
	if r > 0xffff {
		w.b.WriteString(`\U`)
		for shift := 28; shift >= 0; shift -= 4 {
			w.b.WriteByte(hexDigits[(r>>shift)&0xf])
		}
		return
	}
	w.b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		w.b.WriteByte(hexDigits[(r>>shift)&0xf])
	}
}

// tab expands a tab to the next tab stop, measuring the current line's width.
func (w *writer) tab() {
	w.col += ansi.StringWidth(w.b.String()[w.colAt:])
	n := TabWidth - w.col%TabWidth
	w.b.WriteString(strings.Repeat(" ", n))
	w.col += n
	w.colAt = w.b.Len()
}

func (w *writer) newline() {
	w.b.WriteByte('\n')
	w.col, w.colAt = 0, w.b.Len()
}

func sanitize(s string, max int, multiline bool) string {
	if max < MinMax {
		max = MinMax
	}
	if clean(s, max, multiline) {
		return s
	}
	w := &writer{max: max}
	w.reserve = len("…(+ bytes cut)") + len(strconv.Itoa(len(s)))
	w.b.Grow(min(len(s)+len(s)/4+16, max+16))
	marks := 0
	i := 0
	for i < len(s) && !w.overflow {
		c := s[i]
		if c < utf8.RuneSelf {
			marks = 0
			switch {
			case c == '\n':
				if multiline {
					w.newline()
				} else {
					w.b.WriteString(`\n`)
				}
			case c == '\r':
				if multiline {
					if i+1 < len(s) && s[i+1] == '\n' {
						i++
					}
					w.newline()
				} else {
					w.b.WriteString(`\r`)
				}
			case c == '\t':
				w.tab()
			case c < 0x20 || c == 0x7f:
				w.byteEsc(c)
			default:
				w.b.WriteByte(c)
			}
			i++
			w.checkpoint(i)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			w.byteEsc(c)
			marks = 0
		case escapeRune(r):
			w.runeEsc(r)
			marks = 0
		case isMark(r):
			marks++
			if marks > MaxCombining {
				w.runeEsc(r)
			} else {
				w.b.WriteString(s[i : i+size])
			}
		default:
			marks = 0
			w.b.WriteString(s[i : i+size])
		}
		i += size
		w.checkpoint(i)
	}
	if !w.overflow {
		return w.b.String()
	}
	out := w.b.String()[:w.safeOut]
	return out + "…(+" + strconv.Itoa(len(s)-w.safeIn) + " bytes cut)"
}
