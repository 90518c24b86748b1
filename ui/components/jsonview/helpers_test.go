package jsonview

import (
	"os"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// keyMsg builds the key message for a key name as key.Binding spells it.
func keyMsg(k string) tea.KeyMsg {
	special := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, " ": tea.KeySpace, "space": tea.KeySpace,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"ctrl+d": tea.KeyCtrlD, "ctrl+u": tea.KeyCtrlU, "ctrl+w": tea.KeyCtrlW, "backspace": tea.KeyBackspace,
	}
	if t, ok := special[k]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// newModel parses raw (which must be valid unless invalid is set) into a
// model of the given size.
func newModel(tb testing.TB, raw string, w, h int) Model {
	tb.Helper()
	d, err := Parse([]byte(raw))
	if err != nil && d.Err() == nil {
		tb.Fatalf("Parse: %v", err)
	}
	return New(WithDocument(d), WithSize(w, h))
}

// press sends keys one by one, running every returned command and feeding
// its message back (search results), and returns the last non-internal
// message produced by a command.
func press(tb testing.TB, m Model, keys ...string) (Model, tea.Msg) {
	tb.Helper()
	var out tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg(k))
		for cmd != nil {
			msg := cmd()
			cmd = nil
			switch msg.(type) {
			case searchDoneMsg, queryDoneMsg:
				m, cmd = m.Update(msg)
				continue
			}
			out = msg
		}
	}
	return m, out
}

// typeSearch opens the search input, types q and runs it.
func typeSearch(tb testing.TB, m Model, q string) Model {
	tb.Helper()
	m, _ = press(tb, m, "/")
	if !m.InputFocused() {
		tb.Fatal("search input did not open")
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(q)})
	m, _ = press(tb, m, "enter")
	if m.InputFocused() {
		tb.Fatal("search input still open after enter")
	}
	return m
}
