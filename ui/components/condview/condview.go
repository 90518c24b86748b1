// Package condview renders an Attune rule's conditions readably — the array
// form as one line per check, the expression form as wrapped source — and,
// when given a conditions.Result, marks every check or top-level clause with
// ✓ (pass), ✗ (fail), ! (error) or · (skipped or not evaluated), together with
// the actual value that was read. The symbols carry the meaning on their own,
// so the view reads the same without colour (NO_COLOR).
//
// Results are always labelled as a local re-evaluation: Attune stores no
// per-condition results. Every string that comes from data goes through
// internal/textsafe before it is drawn. The raw conditions JSON is one key
// (ToggleRaw, default "v") away.
package condview

import (
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/attune-tui/attune-tui/internal/conditions"
)

// Label is the note shown above every result: the verdicts are computed by
// attune-tui, not read from Attune.
const Label = "re-evaluated by attune-tui against the stored payload"

// Symbols shown in front of a check or clause.
const (
	SymbolPass    = "✓"
	SymbolFail    = "✗"
	SymbolError   = "!"
	SymbolSkipped = "·"
)

// Styles are the styles of the component. The zero value renders plain text;
// ui/theme builds the real ones.
type Styles struct {
	// Title styles the heading line ("Conditions · array form").
	Title lipgloss.Style
	// Label styles labels such as "actual" and "value".
	Label lipgloss.Style
	// Muted styles notes, the re-evaluation label and not-evaluated items.
	Muted lipgloss.Style
	// Text styles ordinary text (fields, expression source).
	Text lipgloss.Style
	// Operator styles the operator of an array check.
	Operator lipgloss.Style
	// Value styles JSON values (expected and actual).
	Value lipgloss.Style
	// Pass styles the ✓ symbol and matching verdicts.
	Pass lipgloss.Style
	// Fail styles the ✗ symbol and non-matching verdicts.
	Fail lipgloss.Style
	// Error styles the ! symbol and error texts.
	Error lipgloss.Style
	// Skipped styles the · symbol.
	Skipped lipgloss.Style
	// Pointer styles the "← fails here" marker at the failing clause.
	Pointer lipgloss.Style
	// Raw styles the raw JSON text.
	Raw lipgloss.Style
}

// KeyMap holds the component's bindings. A parent that uses some of these
// keys itself can disable them with SetEnabled(false).
type KeyMap struct {
	// ToggleRaw switches between the readable and the raw JSON view.
	ToggleRaw key.Binding
	// Up and Down scroll one line.
	Up, Down key.Binding
	// PageUp and PageDown scroll one page.
	PageUp, PageDown key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ToggleRaw: key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "raw/readable conditions")),
		Up:        key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
	}
}

// DetailKeyMap returns the bindings of the enforcement and rule details:
// the same as everywhere (J raw/readable, as J is raw JSON elsewhere).
func DetailKeyMap() KeyMap { return DefaultKeyMap() }

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.ToggleRaw} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.ToggleRaw, k.Up, k.Down, k.PageUp, k.PageDown}}
}

// Model is the conditions component. It is a value: every method returns
// the updated copy.
type Model struct {
	styles Styles
	// Keys are the bindings; a parent may change or disable them.
	Keys KeyMap

	raw     json.RawMessage
	res     *conditions.Result
	hasData bool
	showRaw bool
	width   int
	height  int
	offset  int

	// lines is the rendered content at width, rebuilt whenever an input
	// changes so that View only slices it.
	lines []string
}

// New returns an empty component (it shows "no conditions loaded" until
// SetConditions is called).
func New(styles Styles) Model {
	m := Model{styles: styles, Keys: DefaultKeyMap(), width: 80}
	m.lines = m.render()
	return m
}

// SetConditions sets the rule's conditions and, when res is not nil, the
// result of evaluating them against an event. With a nil res the conditions
// are only rendered readably, marked "not evaluated". The scroll position is
// reset.
func (m Model) SetConditions(raw json.RawMessage, res *conditions.Result) Model {
	m.raw = append(json.RawMessage(nil), raw...)
	if res != nil {
		r := *res
		m.res = &r
	} else {
		m.res = nil
	}
	m.hasData = true
	m.offset = 0
	m.lines = m.render()
	return m
}

// SetSize sets the width and height the component may draw in. A height of
// 0 or less means "unbounded": View returns every line.
func (m Model) SetSize(width, height int) Model {
	if width < 1 {
		width = 1
	}
	m.width, m.height = width, height
	m.lines = m.render()
	m.offset = m.clampOffset(m.offset)
	return m
}

// ToggleRaw switches between the readable view and the raw JSON.
func (m Model) ToggleRaw() Model {
	m.showRaw = !m.showRaw
	m.offset = 0
	m.lines = m.render()
	return m
}

// ShowingRaw reports whether the raw JSON view is shown.
func (m Model) ShowingRaw() bool { return m.showRaw }

// Lines returns the number of lines of the whole content at the current
// width (the height the component would need to show everything).
func (m Model) Lines() int { return len(m.lines) }

// Offset returns the index of the first visible line.
func (m Model) Offset() int { return m.offset }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding { return m.Keys.ShortHelp() }

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding { return m.Keys.FullHelp() }

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// Update handles the component's keys: raw toggle and scrolling.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	page := m.height
	if page < 1 {
		page = 1
	}
	switch {
	case key.Matches(km, m.Keys.ToggleRaw):
		return m.ToggleRaw(), nil
	case key.Matches(km, m.Keys.Up):
		m.offset = m.clampOffset(m.offset - 1)
	case key.Matches(km, m.Keys.Down):
		m.offset = m.clampOffset(m.offset + 1)
	case key.Matches(km, m.Keys.PageUp):
		m.offset = m.clampOffset(m.offset - page)
	case key.Matches(km, m.Keys.PageDown):
		m.offset = m.clampOffset(m.offset + page)
	}
	return m, nil
}

// clampOffset keeps a scroll offset within the content.
func (m Model) clampOffset(o int) int {
	if m.height <= 0 {
		return 0
	}
	if maxOff := len(m.lines) - m.height; o > maxOff {
		o = maxOff
	}
	if o < 0 {
		o = 0
	}
	return o
}

// View renders the visible lines (all of them when the height is unbounded).
func (m Model) View() string {
	lines := m.lines
	if m.height > 0 {
		end := m.offset + m.height
		if end > len(lines) {
			end = len(lines)
		}
		lines = lines[m.offset:end]
	}
	return strings.Join(lines, "\n")
}
