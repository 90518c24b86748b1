package rules

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/conditions"
)

// load resets the panel, stopping the rule GETs of the last load, and
// fetches the event.
func (m Model) load() (Model, tea.Cmd) {
	m.Close()
	m.ctx, m.cancel = context.WithCancel(m.deps.Lifetime)
	m.seq++
	m.ev, m.evErr, m.unknown, m.timer = nil, nil, "", false
	m.listing, m.listErr, m.enfDone, m.enfErr = false, nil, false, nil
	m.enfByRef = map[string][]int64{}
	m.rows, m.cursor, m.top = nil, 0, 0
	m.cond, m.shown = m.cond.SetConditions(nil, nil), ""
	seq, id, api, now, deps := m.seq, m.id, m.api, m.deps.Now, m.deps
	fetch := func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		ev, _, err := api.Events.Get(ctx, id)
		if err != nil {
			err = fmt.Errorf("get event %d: %w", id, err)
		}
		return eventMsg{seq: seq, ev: ev, err: err, at: now()}
	}
	return m, tea.Batch(fetch, m.spin.Tick)
}

// start decides the candidates of the loaded event and issues the first
// requests (CONTRACT.md "Recipe — candidate rules for an event").
func (m Model) start() (Model, tea.Cmd) {
	ev := m.ev
	if ev.RuleRef != nil || ev.Rule != nil {
		m.timer = true
		ref := ""
		if ev.RuleRef != nil {
			ref = *ev.RuleRef
		}
		if client.IsRedacted(ref) {
			m.unknown = "the event names its rule, but the rule ref is redacted for this token: the candidate rule is unknowable"
			return m, nil
		}
		m.rows = []row{newRow(ref)}
		return m, tea.Batch(m.ruleCmd(ref), m.enfCmd())
	}
	if client.IsRedacted(ev.TriggerRef) {
		m.unknown = "the event's trigger ref is redacted for this token: the candidate rules are unknowable"
		return m, nil
	}
	m.listing = true
	return m, tea.Batch(m.listCmd(1), m.enfCmd())
}

// listCmd fetches one page of the enabled rules of the event's trigger.
func (m Model) listCmd(page int) tea.Cmd {
	seq, api, deps, trig := m.seq, m.api, m.deps, m.ev.TriggerRef
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		enabled := true
		p, _, err := api.Rules.List(ctx, &client.RuleListOptions{PageOptions: client.PageOptions{Page: page, PageSize: RulePageSize}, TriggerRef: trig, Enabled: &enabled})
		if err != nil {
			return listMsg{seq: seq, page: page, err: fmt.Errorf("list rules of trigger: %w", err)}
		}
		return listMsg{seq: seq, page: page, items: p.Items, hasNext: p.Pagination.HasNext}
	}
}

// enfCmd fetches the enforcements of the event (one request).
func (m Model) enfCmd() tea.Cmd {
	seq, api, deps, id := m.seq, m.api, m.deps, m.id
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		p, _, err := api.Enforcements.List(ctx, &client.EnforcementListOptions{ListOptions: client.ListOptions{PerPage: EnforcementPageSize}, Event: id})
		if err != nil {
			return enfMsg{seq: seq, err: fmt.Errorf("list enforcements of event %d: %w", id, err)}
		}
		return enfMsg{seq: seq, items: p.Items}
	}
}

// ruleCmd fetches one rule and evaluates its conditions against the event,
// once one of the panel's MaxInFlight slots is free.
func (m Model) ruleCmd(ref string) tea.Cmd {
	seq, api, deps := m.seq, m.api, m.deps
	deps.Lifetime = m.ctx // the load's requests end with it
	ev := conditions.Event{
		ID:         m.ev.ID,
		TriggerRef: m.ev.TriggerRef,
		Payload:    m.ev.Payload, // read-only, shared
		Created:    m.ev.Created,
	}
	return m.lim.Cmd(m.ctx, func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		r, _, err := api.Rules.Get(ctx, ref)
		if err != nil {
			return ruleMsg{seq: seq, ref: ref, err: fmt.Errorf("get rule: %w", err)}
		}
		return ruleMsg{seq: seq, ref: ref, rule: r, res: conditions.Evaluate(r.Conditions, ev)}
	})
}

// newRow returns a loading row for ref.
func newRow(ref string) row {
	return row{ref: ref, safeRef: safe(ref), state: stateLoading}
}
