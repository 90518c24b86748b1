// Package lineinput is a minimal one-line text input for search queries:
// type, paste, backspace, ctrl+w (word) and ctrl+u (clear), with the cursor
// at the end. (bubbles/textinput would pull a system clipboard module into
// the build for a feature that cannot work over SSH.)
package lineinput

import (
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Model is a one-line input. The zero value is not ready: use New.
type Model struct {
	value   []rune
	focused bool
	keys    inputKeys
}

// inputKeys are the editing keys.
type inputKeys struct {
	DeleteBack key.Binding
	DeleteWord key.Binding
	Clear      key.Binding
}

// New returns an empty, blurred input.
func New() Model {
	return Model{keys: inputKeys{
		DeleteBack: key.NewBinding(key.WithKeys("backspace", "ctrl+h")),
		DeleteWord: key.NewBinding(key.WithKeys("ctrl+w", "alt+backspace")),
		Clear:      key.NewBinding(key.WithKeys("ctrl+u")),
	}}
}

// MaxRunes caps the value's length in runes.
const MaxRunes = 256

// SetValue replaces the value (cut at MaxRunes).
func (in *Model) SetValue(s string) {
	in.value = []rune(s)
	if len(in.value) > MaxRunes {
		in.value = in.value[:MaxRunes]
	}
}

// Value returns the typed text.
func (in Model) Value() string { return string(in.value) }

// Focus gives the input the keys.
func (in *Model) Focus() { in.focused = true }

// Blur takes the keys away.
func (in *Model) Blur() { in.focused = false }

// Focused reports whether the input has the keys.
func (in Model) Focused() bool { return in.focused }

// Update edits the value with one key.
func (in Model) Update(msg tea.KeyMsg) Model {
	switch {
	case key.Matches(msg, in.keys.DeleteBack):
		if len(in.value) > 0 {
			in.value = in.value[:len(in.value)-1]
		}
	case key.Matches(msg, in.keys.DeleteWord):
		i := len(in.value)
		for i > 0 && unicode.IsSpace(in.value[i-1]) {
			i--
		}
		for i > 0 && !unicode.IsSpace(in.value[i-1]) {
			i--
		}
		in.value = in.value[:i]
	case key.Matches(msg, in.keys.Clear):
		in.value = in.value[:0]
	case msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		v := make([]rune, len(in.value), len(in.value)+len(msg.Runes))
		copy(v, in.value)
		for _, r := range msg.Runes {
			if unicode.IsPrint(r) && len(v) < MaxRunes {
				v = append(v, r)
			}
		}
		in.value = v
	}
	return in
}

// Styles are the styles View draws with.
type Styles struct {
	Prompt, Text, Cursor lipgloss.Style
}

// View renders prompt, the end of the value that fits in w cells and a
// block cursor.
func (in Model) View(st Styles, prompt string, w int) string {
	text := string(in.value)
	avail := w - ansi.StringWidth(prompt) - 1
	if tw := ansi.StringWidth(text); tw > avail && avail > 0 {
		text = ansi.TruncateLeft(text, tw-avail+1, "…")
	}
	return st.Prompt.Render(prompt) + st.Text.Render(text) + st.Cursor.Render("█")
}
