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
	Live         key.Binding
	Enforcements key.Binding
	Trace        key.Binding
	// Caused cycles the filter on what the loaded events caused: all,
	// caused something, caused a failure.
	Caused key.Binding
}

// DefaultKeyMap returns the default bindings. Enforcements and Trace start
// disabled; the view enables them when their screens exist.
func DefaultKeyMap() KeyMap {
	k := KeyMap{
		KeyMap:       listview.DefaultKeyMap(),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open event")),
		Live:         key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "auto-refresh")),
		Enforcements: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "enforcements")),
		Trace:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
		Caused:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "caused: all/some/failed")),
	}
	k.Enforcements.SetEnabled(false)
	k.Trace.SetEnabled(false)
	return k
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Enforcements, k.Trace, k.Filter, k.Live, k.Refresh}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Open, k.Enforcements, k.Trace, k.Filter},
		{k.Refresh, k.Live, k.TimeFormat, k.Caused},
		{k.Table.Up, k.Table.Down, k.NextPage, k.PrevPage},
		{k.Table.PageUp, k.Table.PageDown, k.Table.Top, k.Table.Bottom},
	}
}
