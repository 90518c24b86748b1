// Package keys declares the global key bindings of the root model.
package keys

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the bindings the root handles before the active view.
type KeyMap struct {
	Quit      key.Binding
	ForceQuit key.Binding
	Help      key.Binding
	Back      key.Binding
	Command   key.Binding
	ShowError key.Binding
	Live      key.Binding
	// Copy, CopyJSON, Curl and Web act on the active screen's selection
	// (common.Subjecter); a focused JSON or log pane keeps its own y and Y.
	Copy     key.Binding
	CopyJSON key.Binding
	Curl     key.Binding
	Web      key.Binding
	// Export writes the list's loaded rows to a file (":export" for other
	// formats and every page).
	Export key.Binding
}

// DefaultKeyMap returns the global bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Command:   key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
		ShowError: key.NewBinding(key.WithKeys("!"), key.WithHelp("!", "last error")),
		Live:      key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "pause/resume live")),
		Copy:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy id/tag/ref")),
		CopyJSON:  key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy as JSON")),
		Curl:      key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "copy curl + get command")),
		Web:       key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "web UI link")),
		Export:    key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "export to a file")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Back, k.Command, k.Quit}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Help, k.Back, k.Command}, {k.Live, k.ShowError, k.Quit, k.ForceQuit}, {k.Copy, k.CopyJSON, k.Curl, k.Web, k.Export}}
}

// OverlayKeyMap scrolls an overlay (help, the error list) taller than the
// screen; any other key closes it.
type OverlayKeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

// DefaultOverlayKeyMap returns the overlay's scroll bindings.
func DefaultOverlayKeyMap() OverlayKeyMap {
	return OverlayKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " ", "f", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
	}
}

// ShortHelp implements help.KeyMap.
func (k OverlayKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom}
}

// FullHelp implements help.KeyMap.
func (k OverlayKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
