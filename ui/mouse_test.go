package ui

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// click is a left click at screen row y.
func click(y int) tea.MouseMsg {
	return tea.MouseMsg{X: 10, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
}

// wheel is one wheel notch (down or up) at screen row 10.
func wheel(down bool) tea.MouseMsg {
	b := tea.MouseButtonWheelUp
	if down {
		b = tea.MouseButtonWheelDown
	}
	return tea.MouseMsg{X: 10, Y: 10, Button: b, Action: tea.MouseActionPress}
}

// selectedLine returns the line of v that starts with the cursor mark.
func selectedLine(v string) string {
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, ">") {
			return l
		}
	}
	return ""
}

// TestMouse: on the event list the wheel moves the selection, a click
// selects the row under it (screen row 5 is the third row: the top line,
// the list header and the table header are above), motion does nothing,
// and a double click opens the row; on the overview a double click opens
// the row clicked. With NoMouse nothing happens.
func TestMouse(t *testing.T) {
	t.Parallel()
	t.Run("list", func(t *testing.T) {
		t.Parallel()
		api := uitest.SharedDev(t, testutil.DevOptions{})
		tm := start(t, uitest.Deps(api), 120, 40)
		wait(t, tm, "page 1", "Demo User")
		tm.Send(wheel(true))
		tm.Send(wheel(true))
		waitLine(t, tm, ">", "294")
		tm.Send(wheel(false))
		waitLine(t, tm, ">", "297")
		tm.Send(click(5))
		waitLine(t, tm, ">", "298")
		tm.Send(tea.MouseMsg{X: 10, Y: 8, Action: tea.MouseActionMotion})
		tm.Send(click(5)) // the second click on the same row: open it
		wait(t, tm, "Events › #298")
		a, _ := final(t, tm)
		if !slices.Equal(a.Views(), []string{"Events", "#298"}) {
			t.Errorf("stack = %q", a.Views())
		}
	})
	t.Run("overview", func(t *testing.T) {
		t.Parallel()
		api := uitest.SharedDev(t, testutil.DevOptions{})
		deps := uitest.Deps(api)
		deps.Start = "overview"
		tm := start(t, deps, 120, 40)
		wait(t, tm, "Failed by action", "Demo User")
		// Screen row 5 is the body's row 4: the first action group.
		tm.Send(click(5))
		tm.Send(click(5))
		waitLine(t, tm, "status: failed", "action_ref:slack.post_message")
		a, _ := final(t, tm)
		if !slices.Equal(a.Views(), []string{"Overview", "Executions"}) {
			t.Errorf("stack = %q", a.Views())
		}
	})
	t.Run("no_mouse", func(t *testing.T) {
		t.Parallel()
		api := uitest.SharedDev(t, testutil.DevOptions{})
		deps := uitest.Deps(api)
		deps.NoMouse = true
		if len(MouseOptions(deps)) != 0 {
			t.Error("NoMouse still asks for mouse reporting")
		}
		if len(MouseOptions(common.Deps{})) != 1 {
			t.Error("the mouse is not asked for by default")
		}
		tm := start(t, deps, 120, 40)
		wait(t, tm, "page 1", "Demo User")
		tm.Send(wheel(true))
		tm.Send(click(5))
		tm.Send(click(5))
		typeKeys(tm, "T") // a change to wait for after the mouse messages
		wait(t, tm, "2026-06-11")
		a, v := final(t, tm)
		if !slices.Equal(a.Views(), []string{"Events"}) || !strings.Contains(selectedLine(v), "300") {
			t.Errorf("the mouse acted with NoMouse: stack %q, selected %q", a.Views(), selectedLine(v))
		}
	})
}
