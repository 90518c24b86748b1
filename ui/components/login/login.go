// Package login is the sign-in form shown when the program starts without a
// token or password. The password input is masked, and the password is
// handed to the parent once, in SubmitMsg, then cleared from the form.
package login

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// SubmitMsg carries the credentials typed into the form. The receiver must
// use the password for one sign-in call and drop it.
type SubmitMsg struct {
	Login    string
	Password string
}

// Styles are the form's styles.
type Styles struct {
	Box, Title, Label, Error, Hint, Text lipgloss.Style
}

// KeyMap holds the form's bindings.
type KeyMap struct {
	Next, Prev, Submit key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "sign in")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Submit, k.Next} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Submit, k.Next, k.Prev}} }

// Model is the form state.
type Model struct {
	KeyMap   KeyMap
	styles   Styles
	server   string
	login    textinput.Model
	password textinput.Model
	focus    int // 0 login, 1 password
	busy     bool
	err      string
}

// New returns a form for server (shown in the title, must be terminal-safe)
// with the login prefilled. Focus starts on the password when a login is
// given.
func New(loginName, server string, s Styles) Model {
	mk := func(prompt string) textinput.Model {
		in := textinput.New()
		in.Prompt = prompt
		in.PromptStyle = s.Label
		in.TextStyle = s.Text
		in.Cursor.Style = s.Text
		in.Cursor.SetMode(cursor.CursorStatic) // no blinking: an idle screen writes nothing
		in.CharLimit = 255
		in.Width = 32
		return in
	}
	m := Model{KeyMap: DefaultKeyMap(), styles: s, server: server}
	m.login = mk("Login:    ")
	m.login.SetValue(loginName)
	m.password = mk("Password: ")
	m.password.EchoMode = textinput.EchoPassword
	m.password.EchoCharacter = '•'
	if loginName != "" {
		m.focus = 1
		m.password.Focus()
	} else {
		m.login.Focus()
	}
	return m
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// SetError shows a sign-in failure (one terminal-safe line) and re-enables
// the form.
func (m Model) SetError(msg string) Model {
	m.err = msg
	m.busy = false
	return m
}

// Busy reports whether a sign-in is in flight.
func (m Model) Busy() bool { return m.busy }

// Update handles keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		if m.busy {
			return m, nil
		}
		switch {
		case key.Matches(km, m.KeyMap.Submit):
			if m.focus == 0 {
				return m.setFocus(1)
			}
			login := strings.TrimSpace(m.login.Value())
			pw := m.password.Value()
			if login == "" || pw == "" {
				m.err = "login and password are required"
				return m, nil
			}
			m.password.SetValue("") // the password is not kept in the form
			m.busy = true
			m.err = ""
			return m, func() tea.Msg { return SubmitMsg{Login: login, Password: pw} }
		case key.Matches(km, m.KeyMap.Next):
			return m.setFocus(1 - m.focus)
		case key.Matches(km, m.KeyMap.Prev):
			return m.setFocus(1 - m.focus)
		}
	}
	var cmd tea.Cmd
	if m.focus == 0 {
		m.login, cmd = m.login.Update(msg)
	} else {
		m.password, cmd = m.password.Update(msg)
	}
	return m, cmd
}

func (m Model) setFocus(i int) (Model, tea.Cmd) {
	m.focus = i
	if i == 0 {
		m.password.Blur()
		return m, m.login.Focus()
	}
	m.login.Blur()
	return m, m.password.Focus()
}

// View renders the form centred in width × height.
func (m Model) View(width, height int) string {
	var b strings.Builder
	b.WriteString(m.styles.Title.Render("Sign in to Attune"))
	if m.server != "" {
		b.WriteString("\n" + m.styles.Hint.Render(m.server))
	}
	b.WriteString("\n\n" + m.login.View())
	b.WriteString("\n" + m.password.View())
	b.WriteString("\n\n")
	switch {
	case m.busy:
		b.WriteString(m.styles.Hint.Render("Signing in…"))
	case m.err != "":
		// Wrap long errors so the box fits an 80-column terminal.
		inner := max(min(width-10, 60), 20)
		b.WriteString(m.styles.Error.Render(ansi.Wordwrap("✗ "+m.err, inner, " /")))
	default:
		b.WriteString(m.styles.Hint.Render("enter: sign in · tab: next field · ctrl+c: quit"))
	}
	box := m.styles.Box.Render(b.String())
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}
