package jsonview

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/components/lineinput"
	"github.com/attune-tui/attune-tui/ui/format"
)

// spaces is sliced for indentation without allocating.
const spaces = "                                                                                                                                "

// seg is one styled piece of a line.
type seg struct {
	text  string
	style *lipgloss.Style
}

// View renders the header (path of the selection, or the search input, or
// the syntax error) and the visible lines. It only looks at the lines on
// screen, so its cost does not depend on the size of the document.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow((m.width + 16) * m.height)
	rows := 0
	if m.height > 1 {
		b.WriteString(m.headerView())
		rows++
	}
	switch {
	case m.doc == nil:
		b.WriteString("\n")
		b.WriteString(m.Styles.Empty.Render(format.Cut("(no document)", m.width)))
		rows++
	case len(m.doc.nodes) == 0:
		b.WriteString("\n")
		b.WriteString(m.Styles.Empty.Render(format.Cut("(empty)", m.width)))
		rows++
	default:
		rows += m.linesView(&b, rows > 0)
	}
	for ; rows < m.height; rows++ {
		b.WriteString("\n")
	}
	s := b.String()
	if m.height > 1 || m.doc.Empty() {
		return s
	}
	return strings.TrimPrefix(s, "\n")
}

func (m *Model) headerView() string {
	w := m.width
	if m.input.Focused() {
		prompt := "/"
		if m.queryMode {
			prompt = "jq | "
		}
		return format.Cut(m.input.View(lineinput.Styles{Prompt: m.Styles.SearchPrompt, Text: m.Styles.SearchText, Cursor: m.Styles.Cursor}, prompt, w), w)
	}
	if m.querying {
		return m.Styles.Status.Render(format.Cut(textsafe.Line("jq | "+m.expr)+"  running…", w))
	}
	if m.base != nil && m.status == "" && !m.searching && len(m.matches) == 0 {
		return m.Styles.Status.Render(format.Cut(textsafe.Line("jq | "+m.expr)+"  "+m.queryInfo, w))
	}
	if m.doc == nil {
		return ""
	}
	if m.doc.err != nil {
		return m.Styles.Error.Render(format.Cut(textsafe.Line(m.doc.err.Error()), w))
	}
	if len(m.doc.nodes) == 0 {
		return ""
	}
	right := ""
	switch {
	case m.searching:
		right = "searching…"
	case len(m.matches) > 0:
		i := "-"
		if n := m.matchIndex(); n > 0 {
			i = strconv.Itoa(n)
		}
		right = i + "/" + strconv.Itoa(len(m.matches))
	case m.status != "":
		right = m.status
	}
	if right != "" && m.query != "" {
		right = format.Cut(textsafe.Line("/"+m.query), max(w/3, 8)) + " " + right
	}
	avail := w
	if right != "" {
		avail = w - ansi.StringWidth(right) - 1
		if avail < 4 {
			return m.Styles.Status.Render(format.Cut(right, w))
		}
	}
	path := textsafe.Line(m.doc.path(m.cursor.n, 2*w))
	if pw := ansi.StringWidth(path); pw > avail {
		// Keep the end of the path, which names the selection.
		path = ansi.TruncateLeft(path, pw-avail+1, "…")
	}
	out := m.Styles.Path.Render(path)
	if right != "" {
		pad := w - ansi.StringWidth(path) - ansi.StringWidth(right)
		out += spaces[:min(max(pad, 1), len(spaces))] + m.Styles.Status.Render(right)
	}
	return out
}

// linesView writes the visible lines, each preceded by a newline when nl,
// and returns how many it wrote.
func (m *Model) linesView(b *strings.Builder, nl bool) int {
	h := m.contentHeight()
	digits := len(strconv.Itoa(max(m.doc.lines, 1)))
	gutter := 1 + digits + 1
	if m.width < gutter+12 {
		digits, gutter = 0, 2
	}
	cw := max(m.width-gutter, 1)
	p := m.top()
	var segs [10]seg
	for r := 0; r < h; r++ {
		if nl || r > 0 {
			b.WriteByte('\n')
		}
		sel := p == m.cursor
		m.gutterView(b, p, sel, digits)
		line := m.lineSegs(segs[:0], p, cw, sel)
		writeSegs(b, line, cw, sel, &m.Styles.Selected)
		q, ok := m.next(p)
		if !ok {
			return r + 1
		}
		p = q
	}
	return h
}

// gutterView writes the selection marker, the match marker and the line
// number.
func (m *Model) gutterView(b *strings.Builder, p pos, sel bool, digits int) {
	switch {
	case sel:
		b.WriteString(m.Styles.Cursor.Render(">"))
	case !p.close && m.isMatch(p.n):
		b.WriteString(m.Styles.MatchMark.Render("*"))
	default:
		b.WriteByte(' ')
	}
	if digits == 0 {
		b.WriteByte(' ')
		return
	}
	nd := &m.doc.nodes[p.n]
	line := int(nd.line)
	if p.close {
		last := &m.doc.nodes[nd.end-1]
		line = int(last.line + last.depth - nd.depth)
	}
	num := strconv.Itoa(line + 1)
	if nd.flags&flagCont != 0 {
		num = ""
	}
	b.WriteString(spaces[:min(digits-len(num), len(spaces))])
	b.WriteString(m.Styles.LineNumber.Render(num))
	b.WriteByte(' ')
}

// display decodes a string token for display: at most enough bytes to fill
// w cells, made terminal-safe, marked with "…" when cut.
func display(tok []byte, esc bool, w int) string {
	s, cut := unquote(tok, esc, 4*w+16)
	s = textsafe.Line(s)
	if cut {
		s += "…"
	}
	return s
}

// lineSegs builds the styled pieces of line p for a content width of cw.
func (m *Model) lineSegs(segs []seg, p pos, cw int, sel bool) []seg {
	st := &m.Styles
	d := m.doc
	nd := &d.nodes[p.n]
	// Indentation, capped at half the width.
	ind := int(nd.depth) * 2
	if limit := cw / 2; ind > limit {
		segs = append(segs, seg{"»", &st.FoldMarker})
		ind = max(limit-1, 0)
	}
	if ind > 0 {
		for ; ind > 0; ind -= len(spaces) {
			segs = append(segs, seg{spaces[:min(ind, len(spaces))], nil})
		}
	}
	isMatch := !p.close && m.isMatch(p.n)
	matchStyle := &st.Match
	if sel {
		matchStyle = &st.CurrentMatch
	}
	if p.close {
		segs = append(segs, seg{closer(nd.kind), &st.Punct})
	} else {
		if nd.keyLen > 0 {
			ks := &st.Key
			if isMatch && m.matcher.key(d, p.n) {
				ks = matchStyle
			}
			k := display(d.raw[nd.key:nd.key+nd.keyLen], nd.flags&flagKeyEsc != 0, cw)
			segs = append(segs, seg{`"` + k + `"`, ks}, seg{": ", &st.Punct})
		}
		valMatch := isMatch && m.matcher.value(d, p.n)
		vs := func(s *lipgloss.Style) *lipgloss.Style {
			if valMatch {
				return matchStyle
			}
			return s
		}
		tok := d.raw[nd.off : nd.off+nd.size]
		switch nd.kind {
		case kindObject, kindArray:
			switch {
			case nd.count == 0:
				segs = append(segs, seg{opener(nd.kind) + closer(nd.kind), &st.Punct})
			case m.isFolded(p.n):
				segs = append(segs, seg{opener(nd.kind) + "…" + closer(nd.kind), &st.FoldMarker},
					seg{" " + summary(nd), &st.FoldMarker})
			default:
				segs = append(segs, seg{opener(nd.kind), &st.Punct})
			}
		case kindString:
			segs = append(segs, seg{`"` + display(tok, nd.flags&flagValEsc != 0, cw) + `"`, vs(&st.String)})
		case kindNumber:
			segs = append(segs, seg{string(tok), vs(&st.Number)})
		case kindBool:
			segs = append(segs, seg{string(tok), vs(&st.Bool)})
		case kindNull:
			segs = append(segs, seg{string(tok), vs(&st.Null)})
		case kindRaw:
			if len(tok) > 0 {
				segs = append(segs, seg{textsafe.Line(string(tok)), vs(&st.Raw)})
			}
		}
	}
	if nd.parent >= 0 && nd.end < d.nodes[nd.parent].end && (p.close || !m.expanded(p.n)) {
		segs = append(segs, seg{",", &st.Punct})
	}
	return segs
}

func opener(k kind) string {
	if k == kindArray {
		return "["
	}
	return "{"
}

func closer(k kind) string {
	if k == kindArray {
		return "]"
	}
	return "}"
}

// summary describes a folded container: "12 keys", "1 item".
func summary(nd *node) string {
	noun := "key"
	if nd.kind == kindArray {
		noun = "item"
	}
	if nd.count != 1 {
		noun += "s"
	}
	return strconv.Itoa(int(nd.count)) + " " + noun
}

// writeSegs writes segs cut to cw cells. The selected line is written as
// plain text in the selected style, so the selection reads the same with or
// without colour.
func writeSegs(b *strings.Builder, segs []seg, cw int, sel bool, selStyle *lipgloss.Style) {
	used := 0
	var plain strings.Builder
	for i, s := range segs {
		w := ansi.StringWidth(s.text)
		text := s.text
		last := false
		if used+w > cw {
			if cw-used <= 0 {
				break
			}
			text = ansi.Truncate(text, cw-used, "…")
			last = true
		}
		used += w
		switch {
		case sel:
			plain.WriteString(text)
		case s.style == nil || text == "":
			b.WriteString(text)
		default:
			b.WriteString(s.style.Render(text))
		}
		if last || i == len(segs)-1 {
			break
		}
	}
	if sel {
		b.WriteString(selStyle.Render(plain.String()))
	}
}
