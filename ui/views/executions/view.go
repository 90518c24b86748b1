package executions

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
		b.WriteString(block(bodyH,
			st.State.Error.Render("✗ Could not load executions: "+common.ErrorLine(m.list.Err())),
			st.State.Hint.Render("press r to retry · esc to go back")))
	case !m.list.Loaded():
		b.WriteString(block(bodyH, m.spin.View()+" "+st.State.Hint.Render("Loading executions…")))
	case m.list.Len() == 0:
		b.WriteString(block(bodyH, st.State.Empty.Render(m.emptyText())))
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
	what := "No executions"
	if m.enf > 0 {
		what = fmt.Sprintf("No executions for enforcement #%d", m.enf)
	}
	if m.status > 0 || m.problems {
		what += " with status " + m.statusName()
	}
	if m.chips != "" {
		what += " matching " + m.chips
	}
	return what + " — 0 shows all statuses, / changes the filter"
}

// block renders lines at the top of an area of height h.
func block(h int, lines ...string) string {
	out := make([]string, max(h, len(lines)+1))
	for i, l := range lines {
		out[i+1] = "  " + l
	}
	return strings.Join(out[:max(h, 1)], "\n")
}

// header renders the list header: status filter, position and chips.
func (m Model) header() string {
	st := m.deps.Styles
	parts := []string{st.List.Chip.Render(" status: "+m.statusName()+" ") + st.List.Header.Render(" 0-9/s/F")}
	if m.list.Loaded() && m.list.Len() > 0 {
		per := m.list.PerPage()
		s := fmt.Sprintf("page %d · %d loaded", m.table.Cursor()/per+1, m.list.Len())
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
