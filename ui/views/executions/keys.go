package executions

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/attune-tui/attune-tui/ui/components/listview"
	"github.com/attune-tui/attune-tui/ui/views/logs"
)

// KeyMap holds the execution list's bindings: the shared list bindings and
// its own.
type KeyMap struct {
	listview.KeyMap
	Open key.Binding
	listview.StatusKeys
	Problems    key.Binding
	Enforcement key.Binding
	Trace       key.Binding
	Output      key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		KeyMap:      listview.DefaultKeyMap(),
		StatusKeys:  listview.NewStatusKeys(statuses()),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open execution")),
		Problems:    key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "problems: failed, timeout, abandoned, cancelled")),
		Enforcement: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "open enforcement")),
		Trace:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
		Output:      logs.OpenKey(),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	// Short descriptions: the full ones are in the help overlay.
	cycle, problems := k.Cycle, k.Problems
	cycle.SetHelp("s", "status")
	problems.SetHelp("F", "problems")
	return []key.Binding{k.Open, k.Output, problems, cycle, k.Trace, k.Filter, k.Refresh}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Open, k.Output, k.Enforcement, k.Trace, k.Filter, k.Jump, k.Refresh, k.TimeFormat},
		{k.AllStatus, k.Status[0], k.Status[1], k.Status[2], k.Status[3], k.Status[4]},
		{k.Status[5], k.Status[6], k.Status[7], k.Status[8], k.Cycle, k.Problems},
		{k.Table.Up, k.Table.Down, k.Table.PageUp, k.Table.PageDown, k.Table.Top, k.Table.Bottom},
		{k.NextPage, k.PrevPage, k.Table.Left, k.Table.Right},
	}
}
