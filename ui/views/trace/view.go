package trace

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/format"
)

func safeStatus(s string) string { return textsafe.Line(s) }

// headerLines is the summary line plus the tab line.
const headerLines = 2

func (m Model) treeHeight() int { return max(m.height-headerLines, 1) }

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	out := make([]string, 0, m.height)
	summary := m.summary
	if summary == "" {
		summary = m.spin.View() + " loading trace…"
	}
	out = append(out, format.Cut(st.List.Header.Render(summary), m.width))
	tabs := st.Detail.TabActive.Render("[Tree]")
	if m.event.tag != "" || m.tab == 1 {
		tag := m.event.tagText
		if tag == "" {
			tag = "…" // asked for before the event arrived
		}
		tl := st.Detail.TabInactive.Render(" Timeline " + tag + " ")
		if m.tab == 1 {
			tabs = st.Detail.TabInactive.Render(" Tree ")
			tl = st.Detail.TabActive.Render("[Timeline " + tag + "]")
		}
		tabs += " " + tl + st.Detail.Label.Render("   tab switches")
	} else if m.event.hasEvent {
		tabs += st.Detail.Label.Render("   no trace tag: no timeline")
	}
	out = append(out, format.Cut(tabs, m.width))
	h := m.treeHeight()
	if m.tab == 1 {
		out = append(out, m.timelineView(h)...)
	} else {
		for i := m.offset; i < len(m.lines) && i < m.offset+h; i++ {
			out = append(out, m.lineView(i))
		}
	}
	for len(out) < m.height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

func (m Model) lineView(i int) string {
	st := m.deps.Styles
	l := m.lines[i]
	text := strings.Repeat("  ", l.depth) + l.marker + " " + l.text
	if i == m.cursor {
		return st.Table.Selected.Render(format.Fit("> "+text, m.width))
	}
	text = format.Cut("  "+text, m.width)
	switch l.kind {
	case lineNote:
		return st.State.Hint.Render(text)
	case lineError, lineProblem:
		return st.State.Error.Render(text)
	}
	return text
}

func (m Model) timelineView(h int) []string {
	st := m.deps.Styles
	switch {
	case m.event.tag == "":
		return []string{"", "  " + m.spin.View() + " " + st.State.Hint.Render("Waiting for the event: the timeline is read by its trace tag…")}
	case m.tlSt.err != nil:
		return []string{"", "  " + st.State.Error.Render("✗ "+common.ErrorLine(m.tlSt.err)), "  " + st.State.Hint.Render("press r to retry")}
	case !m.tlSt.done:
		return []string{"", "  " + m.spin.View() + " " + st.State.Hint.Render("Loading trace timeline…")}
	case len(m.timeline) == 0:
		return []string{"", "  " + st.State.Empty.Render("Nothing under this trace tag")}
	}
	base := m.timeline[0].at
	var out []string
	for i := m.tlOffset; i < len(m.timeline) && len(out) < h; i++ {
		it := m.timeline[i]
		out = append(out, format.Cut(fmt.Sprintf("  %s  %+8.1fs  %-11s %-8s %s", common.Absolute(it.at),
			it.at.Sub(base).Seconds(), it.kind, "#"+strconv.FormatInt(it.id, 10), it.text), m.width))
	}
	return out
}
