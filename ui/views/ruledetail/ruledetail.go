// Package ruledetail shows one rule as it is now: ref, label, description,
// enabled, trigger and action; its conditions readably (condview, not
// evaluated) and its action parameters in the JSON viewer (tab switches).
package ruledetail

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/condview"
	"github.com/attune-tui/attune-tui/ui/components/detail"
)

// KeyMap holds the view's own bindings.
type KeyMap struct {
	NextPane key.Binding
	Reload   key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextPane: detail.NextPaneKey("conditions/action params"),
		Reload:   detail.ReloadKey(),
	}
}

// header is the rule's fields, terminal-safe.
type header struct {
	ref, label, desc, trigger, action string
	enabled                           bool
	updated                           time.Time
}

type loadedMsg struct {
	seq  int
	hdr  *header
	rule *client.Rule
	err  error
	at   time.Time
}

// Panes.
const (
	paneConditions = iota
	paneParams
)

// Model is the rule detail view.
type Model struct {
	deps  common.Deps
	api   common.RulesAPI
	keys  KeyMap
	ref   string // raw ref, for the request
	title string // safe ref
	hdr   *header
	rule  *client.Rule // as fetched, for Y
	cond  condview.Model
	d     detail.Model
	init  tea.Cmd
}

// New returns the detail view of rule ref and records its request.
func New(deps common.Deps, ref string) Model {
	deps = deps.WithDefaults()
	m := Model{
		deps:  deps,
		api:   deps.API.Rules,
		keys:  DefaultKeyMap(),
		ref:   ref,
		title: "Rule " + textsafe.Line(ref),
		cond:  condview.New(deps.Styles.Cond),
		// Both tab labels use the active tab style, as this view always has.
		d: detail.New(deps.Styles, "rule", []detail.Pane{{Name: "Conditions"}, {Name: "Action params", JSON: true}},
			detail.WithInactiveTabStyle(deps.Styles.Detail.TabActive)),
	}
	m.cond.Keys = condview.DetailKeyMap()
	var cmd tea.Cmd
	m, cmd = m.load(false)
	m.init = cmd
	return m
}

func (m Model) load(refresh bool) (Model, tea.Cmd) {
	ref, api, now, deps := m.ref, m.api, m.deps.Now, m.deps
	var cmd tea.Cmd
	m.d, cmd = m.d.Load(func(seq int) tea.Cmd {
		return detail.GetCmd(deps, "rule:"+ref, refresh, func(ctx context.Context) (*client.Rule, *client.Response, error) {
			return api.Get(ctx, ref)
		}, func(r *client.Rule, err error) tea.Msg {
			if err != nil {
				return loadedMsg{seq: seq, err: fmt.Errorf("get rule %s: %w", textsafe.Line(ref), err), at: now()}
			}
			return loadedMsg{seq: seq, hdr: toHeader(r), rule: r, at: now()}
		})
	})
	return m, cmd
}

// toHeader is the one place where the rule's fields are made safe.
func toHeader(r *client.Rule) *header {
	h := &header{
		ref: textsafe.Line(r.Ref), label: textsafe.Line(r.Label), desc: "-",
		trigger: textsafe.Line(r.TriggerRef), action: textsafe.Line(r.ActionRef),
		enabled: r.Enabled, updated: r.Updated,
	}
	if r.Description != nil && *r.Description != "" {
		h.desc = textsafe.Line(*r.Description)
	}
	return h
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return m.init }

// Title implements common.View.
func (m Model) Title() string { return m.title }

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return m.d.InputFocused() }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	own := []key.Binding{m.keys.NextPane, m.keys.Reload}
	if m.d.Active() == paneConditions {
		return append(own, m.cond.ShortHelp()...)
	}
	return append(own, m.d.ShortHelp()...)
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	own := [][]key.Binding{{m.keys.NextPane, m.keys.Reload}}
	if m.d.Active() == paneConditions {
		return append(own, m.cond.FullHelp()...)
	}
	return append(own, m.d.FullHelp()...)
}

const headerLines = 5

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.d = m.d.SetSize(width, height, headerLines)
	m.cond = m.cond.SetSize(width, m.d.PaneHeight(headerLines))
	return m
}

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		var cmd tea.Cmd
		var ok bool
		if m.d, cmd, ok = m.d.Done(msg.seq, msg.err, m.Title()); !ok {
			return m, cmd
		}
		m.hdr = msg.hdr
		m.rule = msg.rule
		m.cond = m.cond.SetConditions(msg.rule.Conditions, nil)
		return m, tea.Batch(m.d.ParseCmd(paneParams, msg.rule.ActionParams), common.Synced(msg.at))
	case tea.KeyMsg:
		if !m.InputFocused() {
			switch {
			case key.Matches(msg, m.keys.NextPane):
				m.d = m.d.NextPane(msg)
				return m, nil
			case key.Matches(msg, m.keys.Reload):
				return m.load(true)
			}
		}
		if m.d.Active() == paneConditions {
			var cmd tea.Cmd
			m.cond, cmd = m.cond.Update(msg)
			return m, cmd
		}
	}
	var cmd tea.Cmd
	m.d, cmd = m.d.Update(msg)
	return m, cmd
}

// View implements tea.Model.
func (m Model) View() string {
	return m.d.View(m.hdr != nil, m.headerView, func(int) []string { return []string{m.cond.View()} })
}

func (m Model) headerView() []string {
	d, h := m.d, m.hdr
	enabled := "enabled"
	if !h.enabled {
		enabled = "DISABLED"
	}
	return []string{
		d.Line(d.Title(m.title), d.Value(enabled), d.Field("label", d.Value(h.label))),
		d.Line(d.Field("trigger", d.Value(h.trigger)), d.Field("action", d.Value(h.action))),
		d.Line(d.Field("description", d.Value(h.desc))),
		d.Line(d.Field("updated", d.Value(common.Absolute(h.updated))),
			m.deps.Styles.App.Muted.Render("(the rule as it is now, not when it fired)")),
	}
}

// Subject implements common.Subjecter: the rule, copied by its ref.
func (m Model) Subject() (common.Subject, bool) {
	s := common.Subject{
		Kind: common.KindRule, Ref: m.ref, Copy: m.ref, CopyWhat: "rule ref " + m.ref,
		PaneKeys: m.d.JSONActive(),
		Request: common.Request{Path: "/api/v1/rules/" + url.PathEscape(m.ref),
			GetNote: "`get` has no rules; the curl command reads it"},
	}
	if m.rule != nil {
		s.Value = m.rule
	}
	return s, true
}
