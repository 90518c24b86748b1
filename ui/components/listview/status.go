package listview

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// StatusKeys are the one-key status filters of a list: 0 for all statuses,
// 1–9 for the first nine statuses in contract order, s to cycle through all.
type StatusKeys struct {
	AllStatus key.Binding
	Status    []key.Binding
	Cycle     key.Binding
	n         int // number of statuses, for the cycle
}

// NewStatusKeys returns the status bindings for statuses in contract order.
func NewStatusKeys[S ~string](statuses []S) StatusKeys {
	k := StatusKeys{
		AllStatus: key.NewBinding(key.WithKeys("0"), key.WithHelp("0", "all statuses")),
		Cycle:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "cycle status")),
		n:         len(statuses),
	}
	for i, s := range statuses[:min(len(statuses), 9)] {
		d := strconv.Itoa(i + 1)
		k.Status = append(k.Status, key.NewBinding(key.WithKeys(d), key.WithHelp(d, string(s))))
	}
	return k
}

// Pick returns the status filter msg selects given the current one (0 =
// all, i = the i-th status); ok is false when msg is not a status key.
func (k StatusKeys) Pick(msg tea.KeyMsg, current int) (next int, ok bool) {
	switch {
	case key.Matches(msg, k.AllStatus):
		return 0, true
	case key.Matches(msg, k.Cycle):
		return (current + 1) % (k.n + 1), true
	}
	for i, b := range k.Status {
		if key.Matches(msg, b) {
			return i + 1, true
		}
	}
	return current, false
}
