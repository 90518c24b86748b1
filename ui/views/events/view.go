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

// HelpNotes implements common.HelpNoter: what the CAUSED and RULE columns
// mean.
func (m Model) HelpNotes() []string {
	return []string{
		"CAUSED: enforcements → their executions (✓ completed, ✗ failed, timed out, abandoned or cancelled, " +
			"↻ still running); 0 nothing; … not known yet; ? the lookup failed (! shows why). Below 100 columns: " +
			"the enforcements and the worst outcome (2 ✗1).",
		"RULE: the event's own rule. Attune sets it only for rule-specific triggers, so - means the event has " +
			"no rule of its own, not that no rule matched: CAUSED says what happened.",
	}
}
