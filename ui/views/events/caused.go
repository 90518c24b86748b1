package events

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/outcome"
)

// causedCol is the index of the CAUSED column.
const causedCol = 3

// caused is the state of the CAUSED column: the join shown, and the one
// being built after a refresh (shown once its first step answered, so
// that cells do not blink back to "…" on every auto-refresh).
type caused struct {
	api      outcome.API // nil when the API cannot list enforcements
	gen      int
	join     outcome.Join
	next     outcome.Join
	swapping bool
	// fresh makes lookups bypass the answer cache (after a refresh).
	fresh bool
	// recompute asks for a new join when the rows next change.
	recompute bool
	// version is the list version the column was last synced with.
	version int
	short   bool
	dirty   bool
}

func newCaused(api common.API) caused {
	c := caused{gen: 1, join: outcome.NewJoin(1, true), dirty: true}
	if a, ok := api.(outcome.API); ok {
		c.api = a
	}
	return c
}

// causedWidth is the CAUSED column's width: "2 → 3 ✓2 ✗1" fits 14
// cells; below 100 columns the short form ("2 ✗1") fits 7.
func causedWidth(short bool) int {
	if short {
		return 7
	}
	return 14
}

// cell returns what event r caused, as far as it is known.
func (m Model) cell(r row) outcome.Cell { return m.caused.join.EventCell(r.id, r.created) }

// syncCaused runs after every Update: it starts a new join when the rows
// were refreshed, the next step of the join while the loaded window is
// not covered (within the budget), lookups for the rows on screen that
// the join did not reach, and re-renders the column when it changed.
func (m Model) syncCaused() (Model, tea.Cmd) {
	c := &m.caused
	if c.api == nil {
		return m, nil
	}
	var cmds []tea.Cmd
	if v := m.lv.Version(); v != c.version {
		c.version = v
		c.dirty = true
		if c.recompute {
			c.recompute = false
			c.gen++
			c.next, c.swapping, c.fresh = outcome.NewJoin(c.gen, true), true, true
		}
	}
	items := m.lv.Items()
	if len(items) > 0 {
		until := items[len(items)-1].created
		j := &c.join
		if c.swapping {
			j = &c.next
		}
		if req, ok := j.Plan(len(items), until); ok {
			*j = j.Started()
			cmds = append(cmds, outcome.StepCmd(m.deps.RequestContext, c.api, req))
		}
	}
	if !c.swapping && !c.join.Inflight() {
		for _, r := range m.lv.Visible() {
			if c.join.NeedsLookup(m.cell(r), r.id) {
				c.join = c.join.Asked(r.id)
				cmds = append(cmds, outcome.EventLookupCmd(m.deps.RequestContext, c.api, m.deps.Cache, c.gen, r.id, c.fresh))
			}
		}
	}
	return m.renderCaused(), tea.Batch(cmds...)
}

// renderCaused re-renders the column when what it shows changed.
func (m Model) renderCaused() Model {
	c := &m.caused
	if !c.dirty {
		return m
	}
	c.dirty = false
	j, short := c.join, c.short
	m.lv = m.lv.SetNote(func(r row) string {
		cell := j.EventCell(r.id, r.created)
		if short {
			return outcome.EventShort(cell)
		}
		return outcome.EventText(cell)
	}, causedWidth(short))
	return m
}

// updateCaused handles the column's answers; ok is false for other
// messages.
func (m Model) updateCaused(msg tea.Msg) (Model, tea.Cmd, bool) {
	c := &m.caused
	switch msg := msg.(type) {
	case outcome.StepMsg:
		var ok bool
		if c.swapping {
			if c.next, ok = c.next.Apply(msg); ok {
				c.join, c.swapping = c.next, false
			}
		} else {
			c.join, ok = c.join.Apply(msg)
		}
		if !ok {
			return m, nil, true
		}
		c.dirty = true
		if msg.Err != nil {
			return m, common.ReportError(msg.Err, "events", false), true
		}
		return m, nil, true
	case outcome.LookupMsg:
		var ok bool
		if c.join, ok = c.join.Answered(msg); !ok {
			return m, nil, true
		}
		c.dirty = true
		if msg.Err != nil {
			return m, common.ReportError(msg.Err, "events", false), true
		}
		return m, nil, true
	}
	return m, nil, false
}
