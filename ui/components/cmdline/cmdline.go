// Package cmdline is the ":" command line: a one-line text input that
// hands the typed command to its parent, and shows one line of feedback.
// `tab` completes the word under the cursor from the parent's Completer
// (several candidates complete to their common prefix and are listed after
// the input); `↑`/`↓` recall the commands run before in the program.
//
// Enter does not answer with a message: the parent reads Submitted right
// after Update and runs the command in the same Update, so keys that follow
// enter in one burst (a paste, tmux send-keys) act on the new screen.
package cmdline

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// CancelMsg reports that the command line was closed with esc.
type CancelMsg struct{}

// Styles are the styles of the command line.
type Styles struct {
	Prompt, Text, Info, Error lipgloss.Style
}

// KeyMap holds the command line's bindings.
type KeyMap struct {
	Submit, Cancel, Complete, Prev, Next key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Submit:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		Prev:     key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "history")),
		Next:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "newer")),
	}
}

// Completer returns the candidates for the last word of the typed line
// (head is the text before that word, word the word so far; word is ""
// after a space). Each candidate is a whole word.
type Completer func(head, word string) []string

// MaxHistory is how many commands the command line remembers.
const MaxHistory = 100

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
	complete  Completer
	// cands are the candidates the last tab listed.
	cands []string
	// history holds the commands run, oldest first; histPos is the one
	// recalled (len(history) = none) and draft the text before the
	// first ↑.
	history []string
	histPos int
	draft   string
}

// SetCompleter sets where tab finds its candidates.
func (m Model) SetCompleter(c Completer) Model {
	m.complete = c
	return m
}

// History returns the commands run, oldest first.
func (m Model) History() []string { return slices.Clone(m.history) }

// New returns an inactive command line.
func New(s Styles) Model {
	in := textinput.New()
	in.Prompt = ":"
	in.PromptStyle = s.Prompt
	in.TextStyle = s.Text
	in.PlaceholderStyle = s.Info
	in.Cursor.Style = s.Text
	in.Placeholder = "help, events, event ID, q — tab completes"
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
	m.cands = nil
	m.histPos, m.draft = len(m.history), ""
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
			m.cands = nil
			m.input.Blur()
			m = m.remember(strings.TrimSpace(m.submitted))
			return m, nil
		case key.Matches(km, m.KeyMap.Complete):
			return m.tab(), nil
		case key.Matches(km, m.KeyMap.Prev):
			return m.recall(-1), nil
		case key.Matches(km, m.KeyMap.Next):
			return m.recall(+1), nil
		case key.Matches(km, m.KeyMap.Cancel):
			m.active = false
			m.input.Blur()
			return m, func() tea.Msg { return CancelMsg{} }
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if _, ok := msg.(tea.KeyMsg); ok {
		m.cands = nil
	}
	return m, cmd
}

// remember records a command run (an earlier copy moves to the end).
func (m Model) remember(text string) Model {
	if text == "" {
		return m
	}
	h := slices.DeleteFunc(slices.Clone(m.history), func(s string) bool { return s == text })
	h = append(h, text)
	if len(h) > MaxHistory {
		h = h[len(h)-MaxHistory:]
	}
	m.history = h
	return m
}

// recall moves through the history: dir -1 is older, +1 newer; past the
// newest the text from before the first ↑ comes back.
func (m Model) recall(dir int) Model {
	if len(m.history) == 0 {
		return m
	}
	if m.histPos == len(m.history) {
		m.draft = m.input.Value()
	}
	m.histPos = min(max(m.histPos+dir, 0), len(m.history))
	if m.histPos < len(m.history) {
		m.input.SetValue(m.history[m.histPos])
	} else {
		m.input.SetValue(m.draft)
	}
	m.input.CursorEnd()
	m.cands = nil
	return m
}

// tab completes the last word: one candidate completes it (and a space
// follows), several complete to their common prefix and are listed.
func (m Model) tab() Model {
	if m.complete == nil {
		return m
	}
	v := m.input.Value()
	word := ""
	if !strings.HasSuffix(v, " ") {
		if i := strings.LastIndexByte(v, ' '); i >= 0 {
			word = v[i+1:]
		} else {
			word = v
		}
	}
	head := strings.TrimSuffix(v, word)
	var cands []string
	for _, c := range m.complete(head, word) {
		if strings.HasPrefix(c, word) && !slices.Contains(cands, c) {
			cands = append(cands, c)
		}
	}
	m.cands = nil
	switch len(cands) {
	case 0:
		return m
	case 1:
		m.input.SetValue(head + cands[0])
		if !strings.HasSuffix(cands[0], ":") { // "key:" waits for its value
			m.input.SetValue(head + cands[0] + " ")
		}
	default:
		p := cands[0]
		for _, c := range cands[1:] {
			for !strings.HasPrefix(c, p) {
				p = p[:len(p)-1]
			}
		}
		m.input.SetValue(head + p)
		m.cands = cands
	}
	m.input.CursorEnd()
	return m
}

// Candidates returns the candidates the last tab listed.
func (m Model) Candidates() []string { return slices.Clone(m.cands) }

// Value returns the typed text.
func (m Model) Value() string { return m.input.Value() }

// View renders the input while active, else the feedback line ("" when
// there is none).
func (m Model) View() string {
	if m.active {
		if len(m.cands) > 0 {
			in := m.input // the input as wide as its text, the candidates after it
			in.Width = ansi.StringWidth(in.Value()) + 1
			return in.View() + "  " + m.styles.Info.Render(strings.Join(m.cands, "  "))
		}
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
