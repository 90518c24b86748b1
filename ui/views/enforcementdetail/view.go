package enforcementdetail

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/detail"
	"github.com/attune-tui/attune-tui/ui/format"
)

// View implements tea.Model.
func (m Model) View() string {
	return m.d.View(m.hdr != nil, m.headerView, func(int) []string { return append(m.noteLines(), m.cond.View()) })
}

// noteLines is the note about a missing re-evaluation, wrapped to the width.
func (m Model) noteLines() []string {
	if m.note == "" {
		return nil
	}
	s := m.deps.Styles.State.Error.Render("⚠ " + m.note)
	return strings.Split(ansi.Wrap(s, max(m.w, 10), " "), "\n")
}

func (m Model) headerView() []string {
	d, h := m.d, m.hdr
	val := func(s string) string {
		if strings.HasPrefix(s, client.Redacted) {
			return d.Redacted(s)
		}
		return d.Value(s)
	}
	resolved := "unresolved for " + format.Duration(m.now.Sub(h.created))
	if h.resolved != nil {
		resolved = common.Absolute(*h.resolved) + " (+" + format.Duration(h.resolved.Sub(h.created)) + ")"
	}
	return []string{
		d.Line(d.Title(m.Title()), d.Field("status", val(h.status)), d.Field("condition", val(h.condition))),
		d.Line(d.Field("rule", val(h.rule)), d.Field("trigger", val(h.trigger))),
		d.Line(d.Field("event", val(h.event)), d.Field("trace", val(h.trace))),
		d.Line(d.Field("created", val(detail.When(h.created, m.now))), d.Field("resolved", val(resolved))),
	}
}
