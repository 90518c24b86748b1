package listview

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/attune-tui/attune-tui/ui/components/table"
)

// KeyMap holds the bindings every list shares. Screens embed it in their
// own KeyMap and list its bindings in their help.
type KeyMap struct {
	Table      table.KeyMap
	Filter     key.Binding
	Refresh    key.Binding
	TimeFormat key.Binding
	NextPage   key.Binding
	PrevPage   key.Binding
	// Jump opens the jump to a time; JumpGo and JumpCancel are its input's
	// enter and esc (esc also stops a jump that runs).
	Jump       key.Binding
	JumpGo     key.Binding
	JumpCancel key.Binding
}

// DefaultKeyMap returns the shared default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Table:      table.DefaultKeyMap(),
		Filter:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Refresh:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		TimeFormat: key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "absolute/relative time")),
		NextPage:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next page")),
		PrevPage:   key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous page")),
		Jump:       key.NewBinding(key.WithKeys("@"), key.WithHelp("@", "jump to a time")),
		JumpGo:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "jump")),
		JumpCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}
