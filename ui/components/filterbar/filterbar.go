// Package filterbar is the "/" filter bar of list views: the user types
// key:value tokens, the bar validates them as they are typed (explaining
// invalid tokens inline) and reports the parsed filter on enter.
package filterbar

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Field is one key the bar accepts.
type Field struct {
	// Name is the canonical key, e.g. "trigger_ref".
	Name string
	// Aliases are other accepted spellings, e.g. "trigger_ref" for "trigger".
	Aliases []string
	// Int requires a positive integer value.
	Int bool
}

// Token is one parsed key:value pair, with the canonical key.
type Token struct {
	Key   string
	Value string
}

// String renders the token as key:value.
func (t Token) String() string { return t.Key + ":" + t.Value }

// ApplyMsg reports the filter to apply (empty = no filter).
type ApplyMsg struct{ Tokens []Token }

// CloseMsg reports that the bar was closed without applying.
type CloseMsg struct{}

// Styles are the bar's styles.
type Styles struct {
	Prompt, Text, Error lipgloss.Style
}

// KeyMap holds the bar's bindings.
type KeyMap struct {
	Apply, Clear, Cancel key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Apply:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Clear:  key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear/close")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Apply, k.Clear, k.Cancel} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Model is the bar state.
type Model struct {
	KeyMap KeyMap
	fields []Field
	input  textinput.Model
	styles Styles
	active bool
	err    string
}

// New returns a closed bar accepting fields.
func New(fields []Field, s Styles) Model {
	in := textinput.New()
	in.Prompt = "/ "
	in.PromptStyle = s.Prompt
	in.TextStyle = s.Text
	in.PlaceholderStyle = s.Error.UnsetForeground()
	in.Cursor.Style = s.Text
	in.Cursor.SetMode(cursor.CursorStatic) // no blinking: an idle screen writes nothing
	in.CharLimit = 512
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.Name+":")
	}
	in.Placeholder = strings.Join(names, " ")
	return Model{KeyMap: DefaultKeyMap(), fields: fields, input: in, styles: s}
}

// Active reports whether the bar is open (and so has focus).
func (m Model) Active() bool { return m.active }

// Open shows the bar prefilled with the current tokens.
func (m Model) Open(current []Token) (Model, tea.Cmd) {
	m.active = true
	parts := make([]string, len(current))
	for i, t := range current {
		parts[i] = t.String()
	}
	m.input.SetValue(strings.Join(parts, " "))
	m.input.CursorEnd()
	m.err = ""
	return m, m.input.Focus()
}

// SetWidth sets the width of the bar.
func (m Model) SetWidth(w int) Model {
	m.input.Width = max(w-3, 1)
	return m
}

// Err returns the current validation error ("" when valid).
func (m Model) Err() string { return m.err }

// Update handles keys while the bar is open.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if !m.active {
		return m, nil
	}
	if km, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(km, m.KeyMap.Apply):
			toks, err := Parse(m.fields, m.input.Value())
			if err != nil {
				m.err = err.Error()
				return m, nil
			}
			m.active = false
			m.input.Blur()
			return m, func() tea.Msg { return ApplyMsg{Tokens: toks} }
		case key.Matches(km, m.KeyMap.Clear):
			m.input.SetValue("")
			m.err = ""
			return m, nil
		case key.Matches(km, m.KeyMap.Cancel):
			if m.input.Value() != "" {
				m.input.SetValue("")
				m.err = ""
				return m, nil
			}
			m.active = false
			m.input.Blur()
			return m, func() tea.Msg { return CloseMsg{} }
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if _, err := Parse(m.fields, m.input.Value()); err != nil {
		m.err = err.Error()
	} else {
		m.err = ""
	}
	return m, cmd
}

// View renders the input line and, when the text is invalid, a second line
// explaining why.
func (m Model) View() string {
	if !m.active {
		return ""
	}
	if m.err == "" {
		return m.input.View()
	}
	return m.input.View() + "\n" + m.styles.Error.Render("✗ "+m.err)
}

// Lines returns how many lines View uses.
func (m Model) Lines() int {
	switch {
	case !m.active:
		return 0
	case m.err != "":
		return 2
	default:
		return 1
	}
}

// Parse splits text into key:value tokens and validates them against
// fields. Keys are case-sensitive; each key may appear once.
func Parse(fields []Field, text string) ([]Token, error) {
	var toks []Token
	seen := map[string]bool{}
	for _, word := range strings.Fields(text) {
		k, v, ok := strings.Cut(word, ":")
		if !ok {
			return nil, fmt.Errorf("%q: want key:value (keys: %s)", word, keyList(fields))
		}
		f, found := lookup(fields, k)
		if !found {
			return nil, fmt.Errorf("unknown key %q (keys: %s)", k, keyList(fields))
		}
		if v == "" {
			return nil, fmt.Errorf("%s: missing value", f.Name)
		}
		if f.Int {
			if n, err := strconv.ParseInt(v, 10, 64); err != nil || n <= 0 {
				return nil, fmt.Errorf("%s: %q is not a positive id", f.Name, v)
			}
		}
		if seen[f.Name] {
			return nil, fmt.Errorf("%s given twice", f.Name)
		}
		seen[f.Name] = true
		toks = append(toks, Token{Key: f.Name, Value: v})
	}
	return toks, nil
}

func lookup(fields []Field, k string) (Field, bool) {
	for _, f := range fields {
		if f.Name == k {
			return f, true
		}
		for _, a := range f.Aliases {
			if a == k {
				return f, true
			}
		}
	}
	return Field{}, false
}

func keyList(fields []Field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}
