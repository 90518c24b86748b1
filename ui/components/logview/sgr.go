package logview

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// attrs is the graphic state an SGR sequence sets. Colours are kept as the
// text termenv parses ("1", "196", "#ff8800"); "" means the default.
type attrs struct {
	fg, bg                                  string
	bold, faint, italic, under, rev, strike bool
}

// segment is a run of log text drawn with one graphic state.
type segment struct {
	text string
	a    attrs
}

// parseSGR splits a raw log line into segments at SGR ("ESC [ … m")
// sequences and applies them. Only SGR is interpreted: every other escape or
// control sequence stays in the text, where textsafe shows it escaped. The
// result never contains the SGR bytes themselves; they are re-emitted by
// render from the parsed state, so nothing the log says reaches the terminal
// raw.
func parseSGR(s string) []segment {
	if strings.IndexByte(s, 0x1b) < 0 {
		return []segment{{text: s}}
	}
	var out []segment
	var cur attrs
	start := 0
	for i := 0; i < len(s); {
		if s[i] != 0x1b || i+1 >= len(s) || s[i+1] != '[' {
			i++
			continue
		}
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
			j++
		}
		if j >= len(s) || s[j] != 'm' {
			i++ // not SGR: left in the text for textsafe
			continue
		}
		if i > start {
			out = append(out, segment{text: s[start:i], a: cur})
		}
		cur = applySGR(cur, s[i+2:j])
		i = j + 1
		start = i
	}
	if start < len(s) {
		out = append(out, segment{text: s[start:], a: cur})
	}
	return out
}

// StripSGR returns s without its SGR colour sequences (what search
// matches and copy copies); other escapes stay for textsafe to show.
func StripSGR(s string) string {
	if strings.IndexByte(s, 0x1b) < 0 {
		return s
	}
	var b strings.Builder
	for _, seg := range parseSGR(s) {
		b.WriteString(seg.text)
	}
	return b.String()
}

// applySGR applies the parameters of one SGR sequence to a.
func applySGR(a attrs, params string) attrs {
	if params == "" {
		return attrs{}
	}
	ps := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	if len(ps) == 0 {
		return attrs{}
	}
	n := func(i int) int {
		if i >= len(ps) {
			return -1
		}
		v, err := strconv.Atoi(ps[i])
		if err != nil || v > 255 {
			return -1
		}
		return v
	}
	for i := 0; i < len(ps); i++ {
		p := n(i)
		switch {
		case p == 0:
			a = attrs{}
		case p == 1:
			a.bold = true
		case p == 2:
			a.faint = true
		case p == 3:
			a.italic = true
		case p == 4:
			a.under = true
		case p == 7:
			a.rev = true
		case p == 9:
			a.strike = true
		case p == 22:
			a.bold, a.faint = false, false
		case p == 23:
			a.italic = false
		case p == 24:
			a.under = false
		case p == 27:
			a.rev = false
		case p == 29:
			a.strike = false
		case p >= 30 && p <= 37:
			a.fg = strconv.Itoa(p - 30)
		case p >= 90 && p <= 97:
			a.fg = strconv.Itoa(p - 90 + 8)
		case p == 39:
			a.fg = ""
		case p >= 40 && p <= 47:
			a.bg = strconv.Itoa(p - 40)
		case p >= 100 && p <= 107:
			a.bg = strconv.Itoa(p - 100 + 8)
		case p == 49:
			a.bg = ""
		case p == 38 || p == 48:
			c, used := extColor(n, i+1)
			if p == 38 {
				a.fg = c
			} else {
				a.bg = c
			}
			i += used
		}
	}
	return a
}

// extColor reads the colour after 38/48 at index i: "5;n" (256 colours) or
// "2;r;g;b" (true colour). It returns the colour ("" when malformed) and how
// many parameters it used.
func extColor(n func(int) int, i int) (string, int) {
	switch n(i) {
	case 5:
		if v := n(i + 1); v >= 0 {
			return strconv.Itoa(v), 2
		}
		return "", 2
	case 2:
		r, g, b := n(i+1), n(i+2), n(i+3)
		if r < 0 || g < 0 || b < 0 {
			return "", 4
		}
		const hex = "0123456789abcdef"
		return string([]byte{'#', hex[r>>4], hex[r&15], hex[g>>4], hex[g&15], hex[b>>4], hex[b&15]}), 4
	}
	return "", 1
}

// plain reports whether a carries no styling.
func (a attrs) plain() bool { return a == attrs{} }

// style renders text (already terminal-safe) in a under profile. Colours are
// converted to the profile (NO_COLOR and monochrome terminals drop them).
func (a attrs) style(p termenv.Profile, text string) string {
	if a.plain() || text == "" {
		return text
	}
	st := p.String(text)
	if a.fg != "" {
		st = st.Foreground(p.Color(a.fg))
	}
	if a.bg != "" {
		st = st.Background(p.Color(a.bg))
	}
	if a.bold {
		st = st.Bold()
	}
	if a.faint {
		st = st.Faint()
	}
	if a.italic {
		st = st.Italic()
	}
	if a.under {
		st = st.Underline()
	}
	if a.rev {
		st = st.Reverse()
	}
	if a.strike {
		st = st.CrossOut()
	}
	return st.String()
}

// renderLine turns one raw log line into terminal-safe styled text: SGR
// colours parsed and re-emitted for profile p, everything else through
// textsafe. hl, when not empty, is a lower-case search term whose
// occurrences are drawn with mark.
func renderLine(raw string, p termenv.Profile, hl string, mark func(string) string) string {
	segs := parseSGR(cutLine(raw))
	var b strings.Builder
	for _, sg := range segs {
		t := textsafe.LineN(sg.text, maxLineBytes)
		if hl == "" || mark == nil {
			b.WriteString(sg.a.style(p, t))
			continue
		}
		lower := strings.ToLower(t)
		for {
			k := strings.Index(lower, hl)
			if k < 0 || len(lower) != len(t) {
				b.WriteString(sg.a.style(p, t))
				break
			}
			b.WriteString(sg.a.style(p, t[:k]))
			b.WriteString(mark(t[k : k+len(hl)]))
			t, lower = t[k+len(hl):], lower[k+len(hl):]
		}
	}
	return b.String()
}

// cutLine cuts a raw line to maxLineBytes (at a character boundary) before
// it is parsed and drawn: a 10 MiB line costs what 16 KiB cost. The cut is
// marked; y and o still have the whole line.
func cutLine(raw string) string {
	if len(raw) <= maxLineBytes {
		return raw
	}
	i := maxLineBytes
	for i > 0 && !utf8.RuneStart(raw[i]) {
		i--
	}
	return raw[:i] + "\x1b[0m … (line cut at 16 KiB; o shows it whole)"
}
