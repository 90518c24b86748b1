package enforcements

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/attune-tui/attune-tui/ui/components/listview"
)

// KeyMap holds the enforcement list's bindings: the shared list bindings
// and its own.
type KeyMap struct {
	listview.KeyMap
	Open key.Binding
	listview.StatusKeys
	Executions key.Binding
	Event      key.Binding
	Trace      key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		KeyMap:     listview.DefaultKeyMap(),
		StatusKeys: listview.NewStatusKeys(statuses()),
		Open:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open enforcement")),
		Executions: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "executions")),
		Event:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "open event")),
		Trace:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	cycle := k.Cycle
	cycle.SetHelp("s", "status")
	return []key.Binding{k.Open, k.Executions, k.Trace, cycle, k.Filter, k.Refresh}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Open, k.Executions, k.Event, k.Trace},
		{k.AllStatus, k.Status[0], k.Status[1], k.Status[2], k.Cycle},
		{k.Filter, k.Jump, k.Refresh, k.TimeFormat},
		{k.Table.Up, k.Table.Down, k.Table.PageUp, k.Table.PageDown, k.Table.Top, k.Table.Bottom},
		{k.NextPage, k.PrevPage, k.Table.Left, k.Table.Right},
	}
}
