package listview

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/lineinput"
)

// Frame holds a screen's own parts of one frame.
type Frame struct {
	// Lead opens the header (e.g. the status filter chip); "" for none.
	Lead string
	// Badge follows the position in the header (e.g. "● LIVE"); "" for
	// none.
	Badge string
	// Empty is the text of the empty state (needed only in StateEmpty).
	Empty string
	// NoneKept is the text shown when a SetKeep filter hides every loaded
	// row.
	NoneKept string
}

// View renders the header, the body in its current state, and the filter
// bar while it is open.
func (m Model[R]) View(f Frame) string {
	st := m.styles
	var b strings.Builder
	b.WriteString(m.header(f))
	b.WriteByte('\n')
	bodyH := m.height - 1 - m.filter.Lines() - m.jumpLines()
	switch m.State() {
	case StateError:
		b.WriteString(block(bodyH,
			st.State.Error.Render("✗ Could not load "+m.spec.Noun+": "+common.ErrorLine(m.list.Err())),
			st.State.Hint.Render(m.spec.RetryHint)))
	case StateLoading:
		b.WriteString(block(bodyH, m.spin.View()+" "+st.State.Hint.Render("Loading "+m.spec.Noun+"…")))
	case StateEmpty:
		b.WriteString(block(bodyH, st.State.Empty.Render(f.Empty)))
	case StateReady:
		if on, n := m.Filtered(); on && n == 0 {
			text := f.NoneKept
			switch {
			case m.whereRunning():
				text = "No match yet — checking the " + m.spec.Noun + "…"
			case m.where != nil:
				text = "No loaded " + m.spec.Noun + " match the :where — :where alone clears it"
			}
			b.WriteString(block(bodyH, st.State.Empty.Render(text)))
			break
		}
		b.WriteString(m.table.View())
	}
	if m.filter.Active() {
		b.WriteByte('\n')
		b.WriteString(m.filter.View())
	}
	if m.jumpIn.Focused() {
		b.WriteByte('\n')
		b.WriteString(m.jumpIn.View(lineinput.Styles{Prompt: st.Filter.Prompt, Text: st.Filter.Text, Cursor: st.Filter.Text},
			"@ time (03:12, 2026-12-03 03:12, -2h, yesterday 17:00): ", m.width))
		if m.jumpErr != "" {
			b.WriteByte('\n')
			b.WriteString(st.Filter.Error.Render(ansi.Truncate("✗ "+textsafe.Line(m.jumpErr), m.width, "…")))
		}
	}
	return b.String()
}

// block renders lines at the top of an area of height h, after one blank
// line.
func block(h int, lines ...string) string {
	out := make([]string, max(h, len(lines)+1))
	for i, l := range lines {
		out[i+1] = "  " + l
	}
	return strings.Join(out[:max(h, 1)], "\n")
}

// header renders the one-line list header: the lead, position and paging
// state, the badge, refresh state and filter chips, cut or padded to the
// width.
func (m Model[R]) header(f Frame) string {
	st := m.styles
	var parts []string
	if f.Lead != "" {
		parts = append(parts, f.Lead)
	}
	if m.list.Loaded() && m.list.Len() > 0 {
		per := m.list.PerPage()
		page := m.list.Start() + m.table.Cursor()/per
		var s string
		if m.spec.ShowPerPage {
			s = fmt.Sprintf("page %d · %d/page · %d loaded", page, per, m.list.Len())
		} else {
			s = fmt.Sprintf("page %d · %d loaded", page, m.list.Len())
		}
		switch {
		case m.list.Total() != nil:
			s += fmt.Sprintf(" of %d", *m.list.Total())
		case m.list.HasNext():
			s += " · more…"
		default:
			s += " · end"
		}
		if on, n := m.Filtered(); on {
			s += fmt.Sprintf(" · %d shown", n)
		}
		if sent, kept := m.list.Cut(); sent > 0 {
			s += fmt.Sprintf(" · the server sent %s rows in one page; kept %s (row limit)", thousands(sent), thousands(kept))
		}
		parts = append(parts, st.List.Header.Render(s))
	}
	if jh := m.jumpHeader(); jh != "" {
		parts = append(parts, st.List.Chip.Render(" "+jh+" "))
	}
	if wh := m.whereHeader(); wh != "" {
		parts = append(parts, st.List.Chip.Render(" "+wh+" "))
	}
	if m.fresh > 0 {
		parts = append(parts, st.List.Chip.Render(fmt.Sprintf(" ↑ %d new · g ", m.fresh)))
	}
	if f.Badge != "" {
		parts = append(parts, f.Badge)
	}
	if m.list.Loaded() && m.list.Loading() && !m.quiet {
		parts = append(parts, st.List.Header.Render("↻ refreshing"))
	}
	if m.list.Loaded() && m.list.Err() != nil {
		parts = append(parts, st.State.Error.Render("✗ refresh failed — r to retry"))
	}
	if m.chips != "" {
		parts = append(parts, st.List.Chip.Render(" "+m.chips+" "))
	}
	line := strings.Join(parts, "  ")
	w := ansi.StringWidth(line)
	if w > m.width {
		return ansi.Truncate(line, m.width, "…")
	}
	return line + strings.Repeat(" ", m.width-w)
}
