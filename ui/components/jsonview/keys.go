package jsonview

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the key bindings of the JSON viewer. Bindings that do not
// apply to the current selection are disabled, which also hides them from
// help.
type KeyMap struct {
	Up           key.Binding
	Down         key.Binding
	PageUp       key.Binding
	PageDown     key.Binding
	HalfPageUp   key.Binding
	HalfPageDown key.Binding
	Top          key.Binding
	Bottom       key.Binding

	Toggle      key.Binding
	Collapse    key.Binding
	Expand      key.Binding
	CollapseAll key.Binding
	ExpandAll   key.Binding

	Search       key.Binding
	NextMatch    key.Binding
	PrevMatch    key.Binding
	AcceptSearch key.Binding
	CancelSearch key.Binding

	Copy    key.Binding
	CopyAll key.Binding
	Open    key.Binding

	// Query opens a jq expression; QueryBack leaves its result.
	Query     key.Binding
	QueryBack key.Binding
}

// DefaultKeyMap returns a fresh set of the default key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "f"), key.WithHelp("pgdn/f", "page down")),
		HalfPageUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfPageDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down")),
		Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),

		Toggle:      key.NewBinding(key.WithKeys(" ", "enter"), key.WithHelp("space", "fold/unfold")),
		Collapse:    key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "collapse/parent")),
		Expand:      key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "expand")),
		CollapseAll: key.NewBinding(key.WithKeys("Z"), key.WithHelp("Z", "collapse all")),
		ExpandAll:   key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "expand all")),

		Search:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		NextMatch:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch:    key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "prev match")),
		AcceptSearch: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search")),
		CancelSearch: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy node")),
		CopyAll: key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy all")),
		Open:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in pager")),

		Query:     key.NewBinding(key.WithKeys("|"), key.WithHelp("|", "jq query")),
		QueryBack: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the document")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.AcceptSearch, k.CancelSearch, k.QueryBack, k.Down, k.Up, k.Toggle, k.Search, k.NextMatch, k.Copy}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfPageUp, k.HalfPageDown, k.Top, k.Bottom},
		{k.Toggle, k.Collapse, k.Expand, k.CollapseAll, k.ExpandAll},
		{k.Search, k.NextMatch, k.PrevMatch, k.AcceptSearch, k.CancelSearch},
		{k.Copy, k.CopyAll, k.Open, k.Query, k.QueryBack},
	}
}

// all returns pointers to every binding, for bulk enabling.
func (k *KeyMap) all() []*key.Binding {
	return []*key.Binding{
		&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.HalfPageUp, &k.HalfPageDown, &k.Top, &k.Bottom,
		&k.Toggle, &k.Collapse, &k.Expand, &k.CollapseAll, &k.ExpandAll,
		&k.Search, &k.NextMatch, &k.PrevMatch, &k.AcceptSearch, &k.CancelSearch,
		&k.Copy, &k.CopyAll, &k.Open, &k.Query, &k.QueryBack,
	}
}
