package events

import (
	"github.com/attune-tui/attune-tui/ui/components/listview"
)

// View implements tea.Model.
func (m Model) View() string {
	f := listview.Frame{}
	if name := m.causedFilterName(); name != "" {
		f.Lead = m.deps.Styles.List.Chip.Render(" " + name + " ")
		f.NoneKept = "No loaded event " + name + " (yet) — c shows all"
	}
	if m.lv.State() == listview.StateEmpty {
		f.Empty = m.emptyText()
	}
	return m.lv.View(f)
}

func (m Model) emptyText() string {
	chips := m.lv.Chips()
	if chips == "" {
		return "No events yet — press r to refresh"
	}
	return "No events match " + chips + " — press / to change the filter"
}
