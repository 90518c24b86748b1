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
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Back, k.Command, k.Quit}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Help, k.Back, k.Command}, {k.Live, k.ShowError, k.Quit, k.ForceQuit}}
}
