// Package cmdline is the ":" command line: a one-line text input that
// hands the typed command to its parent, and shows one line of feedback.
//
// Enter does not answer with a message: the parent reads Submitted right
// after Update and runs the command in the same Update, so keys that follow
// enter in one burst (a paste, tmux send-keys) act on the new screen.
package cmdline

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// CancelMsg reports that the command line was closed with esc.
type CancelMsg struct{}

// Styles are the styles of the command line.
type Styles struct {
	Prompt, Text, Info, Error lipgloss.Style
}

// KeyMap holds the command line's bindings.
type KeyMap struct {
	Submit, Cancel key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// Model is the command line state.
type Model struct {
	KeyMap KeyMap
	input  textinput.Model
	styles Styles
	active bool
	msg    string
	isErr  bool
	// submitted is the text of the command entered by the latest Update
	// (valid only while done is true).
	submitted string
	done      bool
}

// New returns an inactive command line.
func New(s Styles) Model {
	in := textinput.New()
	in.Prompt = ":"
	in.PromptStyle = s.Prompt
	in.TextStyle = s.Text
	in.PlaceholderStyle = s.Info
	in.Cursor.Style = s.Text
	in.Placeholder = "events, event ID, q"
	in.Cursor.SetMode(cursor.CursorStatic) // no blinking: an idle screen writes nothing
	in.CharLimit = 256
	return Model{KeyMap: DefaultKeyMap(), input: in, styles: s}
}

// Active reports whether the command line has focus.
func (m Model) Active() bool { return m.active }

// Open focuses an empty command line and clears the feedback line.
func (m Model) Open() (Model, tea.Cmd) {
	m.active = true
	m.submitted, m.done = "", false
	m.msg = ""
	m.input.SetValue("")
	return m, m.input.Focus()
}

// SetMessage sets the feedback line shown while the command line is closed.
func (m Model) SetMessage(text string, isErr bool) Model {
	m.msg, m.isErr = text, isErr
	return m
}

// Message returns the feedback line.
func (m Model) Message() string { return m.msg }

// ClearMessage removes the feedback line.
func (m Model) ClearMessage() Model {
	m.msg = ""
	return m
}

// SetWidth sets the input width.
func (m Model) SetWidth(w int) Model {
	m.input.Width = max(w-2, 1)
	return m
}

// Submitted returns the command text (without the colon) and true when the
// latest Update was the enter that closed the command line; otherwise it
// returns "" and false. The parent runs the command right away.
func (m Model) Submitted() (string, bool) {
	if !m.done {
		return "", false
	}
	return m.submitted, true
}

// Update handles keys while active. After enter, Submitted reports the
// command.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.submitted, m.done = "", false
	if !m.active {
		return m, nil
	}
	if km, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(km, m.KeyMap.Submit):
			m.submitted, m.done = m.input.Value(), true
			m.active = false
			m.input.Blur()
			return m, nil
		case key.Matches(km, m.KeyMap.Cancel):
			m.active = false
			m.input.Blur()
			return m, func() tea.Msg { return CancelMsg{} }
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// View renders the input while active, else the feedback line ("" when
// there is none).
func (m Model) View() string {
	if m.active {
		return m.input.View()
	}
	if m.msg == "" {
		return ""
	}
	if m.isErr {
		return m.styles.Error.Render(m.msg)
	}
	return m.styles.Info.Render(m.msg)
}
