package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/ui/common"
)

// doubleClick is how close two clicks on the same line must be to open it.
const doubleClick = 400 * time.Millisecond

// MouseOptions returns the program options for the mouse: cell-motion
// reporting (clicks and the wheel; motion only while a button is held,
// and the root drops it), or none with deps.NoMouse, so the terminal's
// own text selection works.
func MouseOptions(deps common.Deps) []tea.ProgramOption {
	if deps.NoMouse {
		return nil
	}
	return []tea.ProgramOption{tea.WithMouseCellMotion()}
}

// lastClick is the last left click on the body: where and when.
type lastClick struct {
	y  int
	at time.Time
}

// onMouse routes a mouse message to the active view: the wheel scrolls,
// a click selects, a double click opens (the enter key). Nothing happens
// over an overlay, the command line, the sign-in form or a focused input,
// or with the mouse off.
func (a *App) onMouse(msg tea.MouseMsg) tea.Cmd {
	t := a.top()
	if a.deps.NoMouse || t == nil || !a.signedIn || a.overlay != overlayNone || a.cmdline.Active() || t.view.InputFocused() {
		return nil
	}
	if msg.Action == tea.MouseActionMotion {
		return nil
	}
	msg.Y-- // the top line
	if msg.Y < 0 || msg.Y >= a.bodyHeight() {
		return nil
	}
	wheel := msg.Button == tea.MouseButtonWheelUp || msg.Button == tea.MouseButtonWheelDown
	if mv, ok := t.view.(common.MouseView); !ok || !mv.HandlesMouse() {
		if !wheel {
			return nil
		}
		k := tea.KeyMsg{Type: tea.KeyDown}
		if msg.Button == tea.MouseButtonWheelUp {
			k.Type = tea.KeyUp
		}
		return a.updateView(len(a.stack)-1, k)
	}
	cmd := a.updateView(len(a.stack)-1, msg)
	if msg.Button != tea.MouseButtonLeft || msg.Action != tea.MouseActionPress {
		return cmd
	}
	now := a.deps.Now()
	if a.click.y == msg.Y && !a.click.at.IsZero() && now.Sub(a.click.at) <= doubleClick {
		a.click = lastClick{}
		return tea.Batch(cmd, a.updateView(len(a.stack)-1, tea.KeyMsg{Type: tea.KeyEnter}))
	}
	a.click = lastClick{y: msg.Y, at: now}
	return cmd
}
