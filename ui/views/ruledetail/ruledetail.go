// Package ruledetail shows one rule as it is now: ref, label, description,
// enabled, trigger and action; its conditions readably (condview, not
// evaluated) and its action parameters in the JSON viewer (tab switches).
package ruledetail

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/condview"
	"github.com/attune-tui/attune-tui/ui/components/jsonview"
)

// Getter is the part of the API the view uses.
type Getter interface {
	GetRule(ctx context.Context, ref string) (*client.Rule, error)
}

// KeyMap holds the view's own bindings.
type KeyMap struct {
	NextPane key.Binding
	Reload   key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextPane: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "conditions/action params")),
		Reload:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
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

// Model is the rule detail view.
type Model struct {
	deps    common.Deps
	api     Getter
	keys    KeyMap
	ref     string // raw ref, for the request
	title   string // safe ref
	seq     int
	loading bool
	err     error
	hdr     *header
	cond    condview.Model
	params  jsonview.Model
	active  int // 0 conditions, 1 action params
	spin    spinner.Model
	width   int
	height  int
	init    tea.Cmd
}

// New returns the detail view of rule ref and records its request.
func New(deps common.Deps, ref string) Model {
	deps = deps.WithDefaults()
	m := Model{
		deps:   deps,
		api:    deps.API,
		keys:   DefaultKeyMap(),
		ref:    ref,
		title:  "Rule " + textsafe.Line(ref),
		cond:   condview.New(deps.Styles.Cond),
		params: jsonview.New(jsonview.WithStyles(deps.Styles.JSON)),
		spin:   spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(deps.Styles.State.Spinner)),
	}
	m.cond.Keys.ToggleRaw = key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "raw/readable conditions"))
	var cmd tea.Cmd
	m, cmd = m.load(false)
	m.init = cmd
	return m
}

func (m Model) load(refresh bool) (Model, tea.Cmd) {
	m.seq++
	m.loading = true
	seq, ref, api, now, timeout, cache := m.seq, m.ref, m.api, m.deps.Now, m.deps.RequestTimeout, m.deps.Cache
	fetch := func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		r, err := common.Cached(cache, "rule:"+ref, refresh, func() (*client.Rule, error) { return api.GetRule(ctx, ref) })
		if err != nil {
			return loadedMsg{seq: seq, err: fmt.Errorf("get rule %s: %w", textsafe.Line(ref), err), at: now()}
		}
		return loadedMsg{seq: seq, hdr: toHeader(r), rule: r, at: now()}
	}
	return m, tea.Batch(fetch, m.spin.Tick)
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
func (m Model) InputFocused() bool { return m.active == 1 && m.params.InputFocused() }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	own := []key.Binding{m.keys.NextPane, m.keys.Reload}
	if m.active == 0 {
		return append(own, m.cond.ShortHelp()...)
	}
	return append(own, m.params.KeyMap.ShortHelp()...)
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	own := [][]key.Binding{{m.keys.NextPane, m.keys.Reload}}
	if m.active == 0 {
		return append(own, m.cond.FullHelp()...)
	}
	return append(own, m.params.KeyMap.FullHelp()...)
}

const headerLines = 5

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.width, m.height = width, height
	h := max(height-headerLines, 1)
	m.cond = m.cond.SetSize(width, h)
	m.params.SetSize(width, h)
	return m
}

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.loading, m.err = false, msg.err
		if msg.err != nil {
			return m, common.ReportError(msg.err, m.Title(), false)
		}
		m.hdr = msg.hdr
		m.cond = m.cond.SetConditions(msg.rule.Conditions, nil)
		return m, tea.Batch(jsonview.ParseCmd(m.seq, msg.rule.ActionParams), common.Synced(msg.at))
	case jsonview.ParsedMsg:
		if msg.ID == m.seq {
			m.params = m.params.SetDocument(msg.Doc)
		}
		return m, nil
	case spinner.TickMsg:
		if !m.loading {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		if !m.InputFocused() {
			switch {
			case key.Matches(msg, m.keys.NextPane):
				m.active = 1 - m.active
				if m.active == 1 {
					m.params.Focus()
				} else {
					m.params.Blur()
				}
				return m, nil
			case key.Matches(msg, m.keys.Reload):
				return m.load(true)
			}
		}
		if m.active == 0 {
			var cmd tea.Cmd
			m.cond, cmd = m.cond.Update(msg)
			return m, cmd
		}
	}
	var cmd tea.Cmd
	m.params, cmd = m.params.Update(msg)
	return m, cmd
}

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	var lines []string
	switch {
	case m.hdr == nil && m.err != nil:
		lines = append(lines, "",
			"  "+st.State.Error.Render("✗ Could not load rule: "+common.ErrorLine(m.err)),
			"  "+st.State.Hint.Render("press r to retry · esc to go back"))
	case m.hdr == nil:
		lines = append(lines, "", "  "+m.spin.View()+" "+st.State.Hint.Render("Loading rule…"))
	default:
		h := m.hdr
		label := func(s string) string { return st.Detail.Label.Render(s) }
		val := func(s string) string { return st.Detail.Value.Render(s) }
		enabled := "enabled"
		if !h.enabled {
			enabled = "DISABLED"
		}
		lines = append(lines,
			m.fit(st.App.Title.Render(m.title)+"  "+val(enabled)+"  "+label("label ")+val(h.label)),
			m.fit(label("trigger ")+val(h.trigger)+"  "+label("action ")+val(h.action)),
			m.fit(label("description ")+val(h.desc)),
			m.fit(label("updated ")+val(common.Absolute(h.updated))+"  "+st.App.Muted.Render("(the rule as it is now, not when it fired)")))
		tabs := []string{" Conditions ", " Action params "}
		tabs[m.active] = "[" + strings.TrimSpace(tabs[m.active]) + "]"
		lines = append(lines, m.fit(st.Detail.TabActive.Render(tabs[0])+" "+st.Detail.TabActive.Render(tabs[1])+
			st.Detail.Label.Render("   tab switches")))
		if m.active == 0 {
			lines = append(lines, m.cond.View())
		} else {
			lines = append(lines, m.params.View())
		}
	}
	out := strings.Join(lines, "\n")
	if n := strings.Count(out, "\n") + 1; n < m.height {
		out += strings.Repeat("\n", m.height-n)
	}
	return out
}

func (m Model) fit(s string) string {
	if ansi.StringWidth(s) > m.width {
		return ansi.Truncate(s, m.width, "…")
	}
	return s
}
