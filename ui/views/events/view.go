package events

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/ui/common"
)

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	var b strings.Builder
	b.WriteString(m.header())
	b.WriteByte('\n')
	bodyH := m.height - 1 - m.filter.Lines()
	switch {
	case !m.list.Loaded() && m.list.Err() != nil && !m.list.Loading():
		b.WriteString(m.block(bodyH,
			st.State.Error.Render("✗ Could not load events: "+common.ErrorLine(m.list.Err())),
			st.State.Hint.Render("press r to retry")))
	case !m.list.Loaded():
		b.WriteString(m.block(bodyH, m.spin.View()+" "+st.State.Hint.Render("Loading events…")))
	case m.list.Len() == 0:
		b.WriteString(m.block(bodyH, st.State.Empty.Render(m.emptyText())))
	default:
		b.WriteString(m.table.View())
	}
	if m.filter.Active() {
		b.WriteByte('\n')
		b.WriteString(m.filter.View())
	}
	return b.String()
}

func (m Model) emptyText() string {
	if m.chips == "" {
		return "No events yet — press r to refresh"
	}
	return "No events match " + m.chips + " — press / to change the filter"
}

// block renders lines at the top of an area of height h.
func (m Model) block(h int, lines ...string) string {
	out := make([]string, max(h, len(lines)+1))
	out[0] = ""
	for i, l := range lines {
		out[i+1] = "  " + l
	}
	return strings.Join(out[:max(h, 1)], "\n")
}

// header renders the one-line list header: position, page size, paging
// state, live flag and filter chips.
func (m Model) header() string {
	st := m.deps.Styles
	var parts []string
	if m.list.Loaded() && m.list.Len() > 0 {
		per := m.list.PerPage()
		page := m.table.Cursor()/per + 1
		s := fmt.Sprintf("page %d · %d/page · %d loaded", page, per, m.list.Len())
		switch {
		case m.list.Total() != nil:
			s += fmt.Sprintf(" of %d", *m.list.Total())
		case m.list.HasNext():
			s += " · more…"
		default:
			s += " · end"
		}
		parts = append(parts, st.List.Header.Render(s))
	}
	if m.live {
		parts = append(parts, st.Status.OK.UnsetBackground().Render("● LIVE"))
	}
	if m.list.Loaded() && m.list.Loading() {
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
