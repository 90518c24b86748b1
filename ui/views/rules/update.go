package rules

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/conditions"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case eventMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			m.evErr = msg.err
			return m, common.ReportError(msg.err, m.Title(), false)
		}
		m.ev = msg.ev
		m, cmd := m.start()
		return m.refresh(), tea.Batch(cmd, common.Synced(msg.at))
	case listMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			m.listing, m.listErr = false, msg.err
			return m.refresh(), common.ReportError(msg.err, m.Title(), false)
		}
		cmds := make([]tea.Cmd, 0, len(msg.items)+1)
		for _, it := range msg.items {
			if m.hasRow(it.Ref) {
				continue
			}
			m.rows = append(m.rows, newRow(it.Ref))
			cmds = append(cmds, m.ruleCmd(it.Ref))
		}
		if msg.hasNext && len(msg.items) > 0 {
			cmds = append(cmds, m.listCmd(msg.page+1))
		} else {
			m.listing = false
		}
		return m.refresh(), tea.Batch(cmds...)
	case ruleMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		for i := range m.rows {
			r := &m.rows[i]
			if r.ref != msg.ref || r.state != stateLoading {
				continue
			}
			r.rule, r.res, r.err = msg.rule, msg.res, msg.err
			r.state = verdict(msg.res, msg.err)
		}
		return m.refresh(), nil
	case common.LiveMsg:
		// A rule enabled, disabled or changed, or a gap: evaluate again.
		if msg.Gap || len(msg.Changed["rule_lifecycle"]) > 0 || len(msg.Changed["rule"]) > 0 {
			m, cmd := m.load()
			return m.refresh(), cmd
		}
		// A new enforcement of the event: which rules fired changes.
		if m.ev != nil && msg.TouchesOwner("enforcement", m.id) {
			return m, m.enfCmd()
		}
		return m, nil
	case enfMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.enfDone, m.enfErr = true, msg.err
		if msg.err != nil {
			return m.refresh(), common.ReportError(msg.err, m.Title(), false)
		}
		m.enfByRef = map[string][]int64{}
		for _, e := range msg.items {
			m.enfByRef[e.RuleRef] = append(m.enfByRef[e.RuleRef], e.ID)
		}
		return m.refresh(), nil
	case spinner.TickMsg:
		if !m.busy() {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Reload):
			m, cmd := m.load()
			return m.refresh(), cmd
		case key.Matches(msg, m.keys.Up):
			return m.move(-1), nil
		case key.Matches(msg, m.keys.Down):
			return m.move(1), nil
		case key.Matches(msg, m.keys.Open):
			if r := m.selected(); r != nil && r.enf != 0 {
				return m, common.Open(common.Route{Kind: common.KindEnforcement, ID: r.enf})
			}
			return m, nil
		}
		var cmd tea.Cmd
		m.cond, cmd = m.cond.Update(msg)
		return m, cmd
	}
	return m, nil
}

// verdict classifies an evaluation.
func verdict(res conditions.Result, err error) state {
	switch {
	case err != nil:
		return stateFetchError
	case res.Match:
		return stateMatch
	case res.Shape == conditions.Unsupported:
		return stateEvalError
	case res.Shape == conditions.Expression && res.Expr != nil && res.Expr.Err != "":
		return stateEvalError
	case res.Shape == conditions.Array && firstError(res) != nil:
		return stateEvalError
	}
	return stateNoMatch
}

// firstError returns the check that stopped an array evaluation, or nil.
func firstError(res conditions.Result) *conditions.Check {
	for i := range res.Checks {
		if res.Checks[i].Outcome == conditions.OutcomeError {
			return &res.Checks[i]
		}
	}
	return nil
}

// busy reports whether a request of the panel is outstanding.
func (m Model) busy() bool {
	return (m.ev == nil && m.evErr == nil) || m.listing || m.loadingRules() || (m.ev != nil && m.unknown == "" && !m.enfDone)
}

// loadingRules reports whether a rule GET has not answered yet.
func (m Model) loadingRules() bool {
	for i := range m.rows {
		if m.rows[i].state == stateLoading {
			return true
		}
	}
	return false
}

// hasRow reports whether ref already has a row.
func (m Model) hasRow(ref string) bool {
	for i := range m.rows {
		if m.rows[i].ref == ref {
			return true
		}
	}
	return false
}

// move moves the cursor by d rows.
func (m Model) move(d int) Model {
	if len(m.rows) == 0 {
		return m
	}
	c := min(max(m.cursor+d, 0), len(m.rows)-1)
	if c == m.cursor {
		return m
	}
	m.cursor = c
	m = m.showSelected()
	return m.layout().syncKeys()
}

// refresh recomputes what depends on rows and enforcements: enforcement
// links, rows for enforcements of rules that are no candidate now, the
// selected rule's conditions and the key states.
func (m Model) refresh() Model {
	for i := range m.rows {
		r := &m.rows[i]
		ids := m.enfByRef[r.ref]
		r.enfs = len(ids)
		r.enf = 0
		if len(ids) > 0 {
			r.enf = ids[0]
		}
	}
	// Once every candidate is known, enforcements of other rules become
	// rows of their own (the rule was disabled, deleted or moved since).
	if m.enfDone && !m.listing && m.unknown == "" && m.ev != nil && m.listErr == nil {
		for ref, ids := range m.enfByRef {
			if m.hasRow(ref) {
				continue
			}
			m.rows = append(m.rows, row{ref: ref, safeRef: safe(ref), state: stateOrphan, enf: ids[0], enfs: len(ids)})
		}
		sortOrphans(m.rows)
	}
	m = m.showSelected()
	return m.layout().syncKeys()
}

// showSelected puts the selected rule's conditions and result into the
// conditions component.
func (m Model) showSelected() Model {
	r := m.selected()
	shown := ""
	if r != nil && r.rule != nil {
		shown = r.ref
	}
	if shown == m.shown {
		return m
	}
	m.shown = shown
	if shown == "" {
		m.cond = m.cond.SetConditions(nil, nil)
		return m
	}
	res := r.res
	m.cond = m.cond.SetConditions(r.rule.Conditions, &res)
	return m
}

// safe is the one place where refs from the API are made terminal-safe.
func safe(s string) string { return textsafe.Line(s) }
