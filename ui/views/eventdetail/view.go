package eventdetail

import (
	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/components/detail"
)

// View implements tea.Model.
func (m Model) View() string {
	return m.d.View(m.hdr != nil, m.headerView, nil)
}

func (m Model) headerView() []string {
	d, h := m.d, m.hdr
	val := func(s string) string {
		if s == client.Redacted {
			return d.Redacted(s)
		}
		return d.Value(s)
	}
	trigger := val(h.trigger)
	if h.triggerRedacted && h.trigger != client.Redacted {
		trigger = d.Redacted(h.trigger)
	}
	return []string{
		d.Line(d.Title(m.Title()), d.Field("trigger", trigger)),
		d.Line(d.Field("created", val(detail.When(h.created, m.now))), d.Field("source", val(h.source))),
		d.Line(d.Field("rule", val(h.rule)), d.Field("trace", val(h.trace))),
	}
}
