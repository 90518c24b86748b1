package cmdline

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// TestSubmitted checks that Submitted reports the command only right after
// the enter that closed the line.
func TestSubmitted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		keys       []string
		wantText   string
		wantOK     bool
		wantActive bool
	}{
		{name: "enter", keys: []string{"e", "v", " ", "7", "enter"}, wantText: "ev 7", wantOK: true},
		{name: "empty enter", keys: []string{"enter"}, wantText: "", wantOK: true},
		{name: "typing", keys: []string{"e", "v"}, wantActive: true},
		{name: "esc", keys: []string{"e", "esc"}},
		{name: "key after enter", keys: []string{"q", "enter", "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _ := New(Styles{}).Open()
			var cmd tea.Cmd
			for _, k := range tc.keys {
				m, cmd = m.Update(keyMsg(k))
			}
			text, ok := m.Submitted()
			if text != tc.wantText || ok != tc.wantOK {
				t.Errorf("Submitted() = %q, %v; want %q, %v", text, ok, tc.wantText, tc.wantOK)
			}
			if m.Active() != tc.wantActive {
				t.Errorf("Active() = %v, want %v", m.Active(), tc.wantActive)
			}
			if ok && cmd != nil {
				t.Error("enter returned a command; the parent runs the text itself")
			}
		})
	}
}

// TestOpenClearsSubmitted: reopening forgets the previous command.
func TestOpenClearsSubmitted(t *testing.T) {
	t.Parallel()
	m, _ := New(Styles{}).Open()
	m, _ = m.Update(keyMsg("q"))
	m, _ = m.Update(keyMsg("enter"))
	m, _ = m.Open()
	if text, ok := m.Submitted(); ok {
		t.Errorf("Submitted() after Open = %q, true", text)
	}
}
