package events

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/attune-tui/attune-tui/ui/components/listview"
)

// KeyMap holds the event list's bindings: the shared list bindings and its
// own.
type KeyMap struct {
	listview.KeyMap
	Open         key.Binding
	Enforcements key.Binding
	Trace        key.Binding
	// Why opens the "why did (or didn't) it fire?" panel of the event.
	Why key.Binding
	// Caused cycles the filter on what the loaded events caused: all,
	// caused something, caused a failure.
	Caused key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		KeyMap:       listview.DefaultKeyMap(),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open event")),
		Enforcements: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "enforcements")),
		Trace:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
		Why:          key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "why rules fired")),
		Caused:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "caused: all/some/failed")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Enforcements, k.Trace, k.Filter, k.Refresh}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Open, k.Enforcements, k.Trace, k.Why, k.Filter, k.Jump},
		{k.Refresh, k.TimeFormat, k.Caused},
		{k.Table.Up, k.Table.Down, k.NextPage, k.PrevPage},
		{k.Table.PageUp, k.Table.PageDown, k.Table.Top, k.Table.Bottom},
		{k.Table.Left, k.Table.Right},
	}
}
