package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/uitest"
	"github.com/attune-tui/attune-tui/ui/views/eventdetail"
)

// TestCommandRunsInUpdate: the keys after enter in one burst (a paste of
// ":event 7\n?", tmux send-keys) act on the screen the command opened,
// because enter runs the command inside the same Update. No Cmd is run
// between the keys.
func TestCommandRunsInUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		keys []tea.KeyMsg
	}{
		{name: "one key per rune", keys: func() []tea.KeyMsg {
			ks := []tea.KeyMsg{uitest.Key(":")}
			for _, r := range "event 7" {
				ks = append(ks, uitest.Key(string(r)))
			}
			return append(ks, uitest.Key("enter"), uitest.Key("?"))
		}()},
		{name: "rune burst", keys: []tea.KeyMsg{
			{Type: tea.KeyRunes, Runes: []rune(":event 7")}, uitest.Key("enter"), uitest.Key("?"),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := New(uitest.Deps(blockingAPI()))
			_, _ = a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			_ = a.Init() // never run: the list's request would block
			for _, k := range tc.keys {
				_, _ = a.Update(k) // the returned Cmds are deliberately not run
			}
			if got := a.Views(); len(got) != 2 || got[1] != "#7" {
				t.Fatalf("stack = %v, want [Events #7]", got)
			}
			if ed, ok := a.Active().(eventdetail.Model); !ok || ed.ID() != 7 {
				t.Errorf("active view = %T, want the detail of event 7", a.Active())
			}
			if a.overlay != overlayHelp {
				t.Errorf("overlay = %d, want the help overlay on top of event #7", a.overlay)
			}
			if a.cmdline.Active() {
				t.Error("the command line is still open")
			}
		})
	}
}
