package logview

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/components/lineinput"
)

// View renders the visible lines and the status line, exactly height rows.
func (m Model) View() string {
	h := m.bodyHeight()
	rows := make([]string, 0, m.height)
	if m.st.total() == 0 {
		rows = append(rows, "")
		for _, l := range strings.Split(ansi.Wordwrap(m.emptyText(), max(m.width-4, 10), " "), "\n") {
			rows = append(rows, "  "+m.styled(l))
		}
	}
	for n := m.top; n <= m.last() && len(rows) < h; n++ {
		for _, r := range m.renderRows(n) {
			if len(rows) == h {
				break
			}
			rows = append(rows, r)
		}
	}
	for len(rows) < h {
		rows = append(rows, "")
	}
	rows = append(rows, m.statusLine())
	return strings.Join(rows, "\n")
}

// emptyText says why there is nothing to show (plain text; styled per
// row by styled).
func (m Model) emptyText() string {
	switch m.state {
	case Loading, Live:
		return "No output yet — waiting for the execution to write to " + m.name
	case Stopped:
		if m.note != "" {
			return "✗ " + m.note
		}
		return "✗ No output: the stream stopped (r retries)"
	}
	return "(empty: the execution wrote nothing to " + m.name + ")"
}

// styled styles one row of the empty text: errors in the error style.
func (m Model) styled(s string) string {
	if m.styles == nil {
		return s
	}
	if m.state == Stopped {
		return m.styles.State.Error.Render(s)
	}
	return m.styles.App.Muted.Render(s)
}

// gutter is the line-number column of absolute line n.
func (m Model) gutter(n int) string {
	w := m.lineNumberWidth()
	num := strconv.Itoa(n + 1)
	pad := strings.Repeat(" ", max(w-len(num), 0))
	mark := " "
	inRange := m.mark >= 0 && n >= min(m.mark, m.cursor) && n <= max(m.mark, m.cursor)
	// While following, the cursor rides the last line; it is not drawn, so
	// a new line changes only itself on screen (fewer bytes per line).
	cur := n == m.cursor && !m.tailing()
	switch {
	case cur:
		mark = ">"
	case inRange:
		mark = "┃"
	}
	g := mark + pad + num + " "
	if m.styles == nil {
		return g
	}
	if cur || inRange {
		g = m.styles.JSON.Cursor.Render(g)
	} else {
		g = m.styles.JSON.LineNumber.Render(g)
	}
	if m.times {
		t := m.st.arrival(n)
		ts := "            "
		if !t.IsZero() {
			ts = t.UTC().Format("15:04:05.000")
		}
		g += m.muted(ts) + " "
	}
	return g
}

// tailing reports whether the viewer follows a live log.
func (m Model) tailing() bool { return m.follow && m.state == Live }

// gutterWidth is the width of the gutter in cells.
func (m Model) gutterWidth() int {
	w := m.lineNumberWidth() + 2
	if m.times {
		w += 13
	}
	return w
}

// renderRows renders absolute line n as one screen row, or several when
// wrapping.
func (m Model) renderRows(n int) []string {
	hl := ""
	if m.isMatch(n) {
		hl = m.query
	}
	text := renderLine(m.st.get(n), m.profile, hl, m.markMatch)
	gw := m.gutterWidth()
	avail := max(m.width-gw, 1)
	if !m.wrap {
		if m.xoff > 0 {
			text = ansi.TruncateLeft(text, m.xoff, "")
		}
		if ansi.StringWidth(text) > avail {
			text = ansi.Truncate(text, avail-1, "") + m.muted("›")
		}
		return []string{m.gutter(n) + text}
	}
	parts := strings.Split(ansi.Hardwrap(text, avail, true), "\n")
	out := make([]string, len(parts))
	blank := strings.Repeat(" ", gw)
	for i, p := range parts {
		if i == 0 {
			out[i] = m.gutter(n) + p
		} else {
			out[i] = blank + p
		}
	}
	return out
}

// rowsOf is how many screen rows line n takes.
func (m Model) rowsOf(n int) int {
	if !m.wrap {
		return 1
	}
	avail := max(m.width-m.gutterWidth(), 1)
	w := ansi.StringWidth(renderLine(m.st.get(n), m.profile, "", nil))
	return max(1, (w+avail-1)/avail)
}

// isMatch reports whether line n is a search match (binary search).
func (m Model) isMatch(n int) bool {
	ms := m.matches
	lo, hi := 0, len(ms)
	for lo < hi {
		mid := (lo + hi) / 2
		if ms[mid] < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo < len(ms) && ms[lo] == n
}

func (m Model) markMatch(s string) string {
	if m.styles == nil {
		return "[" + s + "]"
	}
	return m.styles.JSON.Match.Render(s)
}

func (m Model) muted(s string) string {
	if m.styles == nil {
		return s
	}
	return m.styles.App.Muted.Render(s)
}

// statusLine is the last row: stream, size, state, search and notes.
func (m Model) statusLine() string {
	if m.input.Focused() {
		st := m.styles.JSON
		return m.input.View(lineinput.Styles{Prompt: st.SearchPrompt, Text: st.SearchText, Cursor: st.Cursor}, "/", m.width)
	}
	parts := []string{m.name}
	total := m.st.total()
	if total > 0 && !m.tailing() {
		parts = append(parts, fmt.Sprintf("line %d/%d", m.cursor+1, total))
	}
	switch m.state {
	case Loading:
		parts = append(parts, "◌ waiting")
	case Live:
		if m.follow {
			parts = append(parts, "● following")
		} else {
			parts = append(parts, "⏸ paused (G follows)")
		}
	case Sealed:
		parts = append(parts, "■ sealed")
	case Stopped:
		parts = append(parts, "✗ stopped")
	}
	if m.st.truncated() {
		parts = append(parts, "✂ truncated at 10 MiB")
	}
	if d := m.st.dropped; d > 0 {
		parts = append(parts, fmt.Sprintf("%d older lines dropped (memory cap)", d))
	}
	if m.wrap {
		parts = append(parts, "wrap")
	}
	if m.mark >= 0 {
		parts = append(parts, fmt.Sprintf("marked %d lines (y copies)", abs(m.cursor-m.mark)+1))
	}
	switch {
	case m.searching:
		parts = append(parts, "searching…")
	case m.query != "" && len(m.matches) > 0:
		more := ""
		if len(m.matches) == maxMatches {
			more = "+"
		}
		parts = append(parts, fmt.Sprintf("/%s %d/%d%s", textsafe.LineN(m.query, 64), m.match+1, len(m.matches), more))
	}
	if m.note != "" {
		parts = append(parts, m.note)
	}
	if m.msg != "" {
		parts = append(parts, m.msg)
	}
	line := " " + strings.Join(parts, " · ")
	if ansi.StringWidth(line) > m.width {
		line = ansi.Truncate(line, m.width-1, "") + "…"
	}
	if m.styles == nil {
		return line
	}
	return m.styles.Status.Muted.Render(line + strings.Repeat(" ", max(m.width-ansi.StringWidth(line), 0)))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
