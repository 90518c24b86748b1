package listview

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestStatusKeysPick(t *testing.T) {
	t.Parallel()
	ten := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	k := NewStatusKeys(ten)
	if len(k.Status) != 9 {
		t.Fatalf("%d digit keys, want 9 (1–9)", len(k.Status))
	}
	r := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	cases := []struct {
		name     string
		key      string
		current  int
		want     int
		wantPick bool
	}{
		{"0 shows all", "0", 4, 0, true},
		{"a digit picks its status", "3", 0, 3, true},
		{"s cycles on", "s", 2, 3, true},
		{"s reaches the tenth status", "s", 9, 10, true},
		{"s wraps to all", "s", 10, 0, true},
		{"other keys are not status keys", "x", 5, 5, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := k.Pick(r(tc.key), tc.current)
			if got != tc.want || ok != tc.wantPick {
				t.Errorf("Pick(%q, %d) = %d, %v; want %d, %v", tc.key, tc.current, got, ok, tc.want, tc.wantPick)
			}
		})
	}
}
