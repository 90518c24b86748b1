package jsonview

import (
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// searchInput is a minimal one-line input for the search query: type,
// paste, backspace, ctrl+w (word) and ctrl+u (clear), with the cursor at
// the end. (bubbles/textinput would pull a system clipboard module into the
// build for a feature that cannot work over SSH.)
type searchInput struct {
	value   []rune
	focused bool
	keys    inputKeys
}

type inputKeys struct {
	DeleteBack key.Binding
	DeleteWord key.Binding
	Clear      key.Binding
}

func newSearchInput() searchInput {
	return searchInput{keys: inputKeys{
		DeleteBack: key.NewBinding(key.WithKeys("backspace", "ctrl+h")),
		DeleteWord: key.NewBinding(key.WithKeys("ctrl+w", "alt+backspace")),
		Clear:      key.NewBinding(key.WithKeys("ctrl+u")),
	}}
}

// maxQuery caps the query length in runes.
const maxQuery = 256

func (in *searchInput) SetValue(s string) {
	in.value = []rune(s)
	if len(in.value) > maxQuery {
		in.value = in.value[:maxQuery]
	}
}

func (in searchInput) Value() string { return string(in.value) }
func (in *searchInput) Focus()       { in.focused = true }
func (in *searchInput) Blur()        { in.focused = false }
func (in searchInput) Focused() bool { return in.focused }

func (in searchInput) Update(msg tea.KeyMsg) searchInput {
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
			if unicode.IsPrint(r) && len(v) < maxQuery {
				v = append(v, r)
			}
		}
		in.value = v
	}
	return in
}

// View renders the prompt, the end of the query that fits in w cells and a
// block cursor.
func (in searchInput) View(st *Styles, w int) string {
	prompt := "/"
	text := string(in.value)
	avail := w - ansi.StringWidth(prompt) - 1
	if tw := ansi.StringWidth(text); tw > avail && avail > 0 {
		text = ansi.TruncateLeft(text, tw-avail+1, "…")
	}
	return st.SearchPrompt.Render(prompt) + st.SearchText.Render(text) + st.Cursor.Render("█")
}
