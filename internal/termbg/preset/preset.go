// Package preset settles the background of lipgloss's default renderer
// (imported for this side effect by the program's main package only) from
// the environment (termbg.Dark) before bubbletea's package initialiser
// asks: bubbletea v1 calls lipgloss.HasDarkBackground in its init, which
// without a preset writes OSC 11 and a cursor-position request to the
// terminal and waits up to 5 s for each answer.
//
// It works because Go initialises packages in import-path order among
// those whose imports are ready: this path sorts before
// github.com/charmbracelet/bubbletea and imports only lipgloss, which
// bubbletea imports too. The end-to-end test TestStartupSilentTerminal
// (internal/e2e) fails if a query is ever written again.
//
// The default renderer is process-wide, but nothing of ours draws with it:
// every style comes from a renderer made per program or per SSH session.
package preset

import (
	"os"

	"github.com/charmbracelet/lipgloss"

	"github.com/attune-tui/attune-tui/internal/termbg"
)

func init() {
	dark, _ := termbg.Dark(os.Getenv) // a bad value is reported by the command that reads it again
	lipgloss.SetHasDarkBackground(dark)
}
