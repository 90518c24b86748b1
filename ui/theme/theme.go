// Package theme holds every colour and style of the UI. Styles are built
// from a *lipgloss.Renderer so that each SSH session renders for its own
// terminal, and NO_COLOR or a monochrome terminal (the renderer's colour
// profile) removes colour without removing meaning: state is always also
// spelled out in text or symbols.
package theme

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/attune-tui/attune-tui/ui/components/condview"
	"github.com/attune-tui/attune-tui/ui/components/jsonview"
	"github.com/attune-tui/attune-tui/ui/components/table"
)

// Styles is the complete set of styles, grouped per component.
type Styles struct {
	// Renderer is the renderer every style was made from; components that
	// need extra styles derive them from here.
	Renderer *lipgloss.Renderer

	App struct {
		Breadcrumb    lipgloss.Style
		BreadcrumbSep lipgloss.Style
		Title         lipgloss.Style
		Muted         lipgloss.Style
		Overlay       lipgloss.Style
		OverlayTitle  lipgloss.Style
	}
	Status struct {
		Bar          lipgloss.Style
		OK           lipgloss.Style
		Error        lipgloss.Style
		Reconnecting lipgloss.Style
		Demo         lipgloss.Style
		Muted        lipgloss.Style
	}
	Table table.Styles
	Help  help.Styles
	State struct {
		Spinner lipgloss.Style
		Empty   lipgloss.Style
		Error   lipgloss.Style
		Hint    lipgloss.Style
	}
	Filter struct {
		Prompt lipgloss.Style
		Text   lipgloss.Style
		Chip   lipgloss.Style
		Error  lipgloss.Style
	}
	Cmdline struct {
		Prompt lipgloss.Style
		Text   lipgloss.Style
		Info   lipgloss.Style
		Error  lipgloss.Style
	}
	Detail struct {
		Label       lipgloss.Style
		Value       lipgloss.Style
		Redacted    lipgloss.Style
		TabActive   lipgloss.Style
		TabInactive lipgloss.Style
		Pane        lipgloss.Style
	}
	Login struct {
		Box   lipgloss.Style
		Title lipgloss.Style
		Label lipgloss.Style
		Error lipgloss.Style
		Hint  lipgloss.Style
	}
	List struct {
		Header lipgloss.Style
		Chip   lipgloss.Style
	}
	JSON jsonview.Styles
	// Cond styles the conditions component (rule conditions and results).
	Cond condview.Styles
}

// New builds the styles from r. A nil r means lipgloss.DefaultRenderer().
func New(r *lipgloss.Renderer) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	// Adaptive colours: Light is used on light backgrounds, Dark on dark ones.
	var (
		colAccent  = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B4A0FF"}
		colMuted   = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8C8C8C"}
		colText    = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E6E6E6"}
		colOK      = lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#5FD787"}
		colWarn    = lipgloss.AdaptiveColor{Light: "#A15C00", Dark: "#FFB454"}
		colErr     = lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF6B6B"}
		colSelBg   = lipgloss.AdaptiveColor{Light: "#DCD3FF", Dark: "#3B2F6B"}
		colBarBg   = lipgloss.AdaptiveColor{Light: "#E8E8E8", Dark: "#262626"}
		colChipBg  = lipgloss.AdaptiveColor{Light: "#E3DDFB", Dark: "#352A5C"}
		colDemoBg  = lipgloss.AdaptiveColor{Light: "#FFD166", Dark: "#B8860B"}
		colDemoFg  = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#000000"}
		colBorder  = lipgloss.AdaptiveColor{Light: "#B0B0B0", Dark: "#4A4A4A"}
		colKeyText = lipgloss.AdaptiveColor{Light: "#3A3A3A", Dark: "#C8C8C8"}
	)
	s := &Styles{Renderer: r}
	ns := r.NewStyle

	s.App.Breadcrumb = ns().Foreground(colAccent).Bold(true)
	s.App.BreadcrumbSep = ns().Foreground(colMuted)
	s.App.Title = ns().Foreground(colAccent).Bold(true)
	s.App.Muted = ns().Foreground(colMuted)
	s.App.Overlay = ns().Border(lipgloss.RoundedBorder()).BorderForeground(colBorder).Padding(0, 1)
	s.App.OverlayTitle = ns().Foreground(colAccent).Bold(true)

	s.Status.Bar = ns().Background(colBarBg).Foreground(colText)
	s.Status.OK = ns().Background(colBarBg).Foreground(colOK)
	s.Status.Error = ns().Background(colBarBg).Foreground(colErr).Bold(true)
	s.Status.Reconnecting = ns().Background(colBarBg).Foreground(colWarn)
	s.Status.Demo = ns().Background(colDemoBg).Foreground(colDemoFg).Bold(true)
	s.Status.Muted = ns().Background(colBarBg).Foreground(colMuted)

	s.Table = table.Styles{
		Header:   ns().Foreground(colMuted).Bold(true),
		Cell:     ns().Foreground(colText),
		Selected: ns().Background(colSelBg).Foreground(colText).Bold(true),
		Loading:  ns().Foreground(colMuted).Italic(true),
		// The worst outcome of a CAUSED / EXECUTIONS cell (outcome.Cell.Worst).
		Accents: map[string]lipgloss.Style{
			"failed":  ns().Foreground(colErr).Bold(true),
			"running": ns().Foreground(colWarn),
			"ok":      ns().Foreground(colOK),
		},
	}

	s.Help = help.Styles{
		Ellipsis:       ns().Foreground(colMuted),
		ShortKey:       ns().Foreground(colKeyText).Bold(true),
		ShortDesc:      ns().Foreground(colMuted),
		ShortSeparator: ns().Foreground(colBorder),
		FullKey:        ns().Foreground(colKeyText).Bold(true),
		FullDesc:       ns().Foreground(colMuted),
		FullSeparator:  ns().Foreground(colBorder),
	}

	s.State.Spinner = ns().Foreground(colAccent)
	s.State.Empty = ns().Foreground(colMuted)
	s.State.Error = ns().Foreground(colErr).Bold(true)
	s.State.Hint = ns().Foreground(colMuted)

	s.Filter.Prompt = ns().Foreground(colAccent).Bold(true)
	s.Filter.Text = ns().Foreground(colText)
	s.Filter.Chip = ns().Background(colChipBg).Foreground(colText)
	s.Filter.Error = ns().Foreground(colErr)

	s.Cmdline.Prompt = ns().Foreground(colAccent).Bold(true)
	s.Cmdline.Text = ns().Foreground(colText)
	s.Cmdline.Info = ns().Foreground(colMuted)
	s.Cmdline.Error = ns().Foreground(colErr)

	s.Detail.Label = ns().Foreground(colMuted)
	s.Detail.Value = ns().Foreground(colText)
	s.Detail.Redacted = ns().Foreground(colWarn).Italic(true)
	s.Detail.TabActive = ns().Foreground(colAccent).Bold(true).Underline(true)
	s.Detail.TabInactive = ns().Foreground(colMuted)
	s.Detail.Pane = ns()

	s.Login.Box = ns().Border(lipgloss.RoundedBorder()).BorderForeground(colBorder).Padding(1, 2)
	s.Login.Title = ns().Foreground(colAccent).Bold(true)
	s.Login.Label = ns().Foreground(colMuted)
	s.Login.Error = ns().Foreground(colErr)
	s.Login.Hint = ns().Foreground(colMuted)

	s.List.Header = ns().Foreground(colMuted)
	s.List.Chip = ns().Background(colChipBg).Foreground(colText)

	colKey := lipgloss.AdaptiveColor{Light: "#1F5FA8", Dark: "#7FB8FF"}
	colString := lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#9BDB8A"}
	colNumber := lipgloss.AdaptiveColor{Light: "#A15C00", Dark: "#FFB454"}
	s.JSON = jsonview.Styles{
		Key:          ns().Foreground(colKey),
		String:       ns().Foreground(colString),
		Number:       ns().Foreground(colNumber),
		Bool:         ns().Foreground(colAccent),
		Null:         ns().Foreground(colMuted).Italic(true),
		Punct:        ns().Foreground(colMuted),
		LineNumber:   ns().Foreground(colBorder),
		Cursor:       ns().Foreground(colAccent).Bold(true),
		Selected:     ns().Background(colSelBg),
		MatchMark:    ns().Foreground(colWarn).Bold(true),
		Match:        ns().Underline(true),
		CurrentMatch: ns().Reverse(true),
		SearchPrompt: ns().Foreground(colAccent).Bold(true),
		SearchText:   ns().Foreground(colText),
		Path:         ns().Foreground(colMuted),
		Status:       ns().Foreground(colMuted),
		FoldMarker:   ns().Foreground(colMuted),
		Error:        ns().Foreground(colErr),
		Raw:          ns().Foreground(colText),
		Empty:        ns().Foreground(colMuted).Italic(true),
	}
	s.Cond = condview.Styles{
		Title:    ns().Foreground(colAccent).Bold(true),
		Label:    ns().Foreground(colMuted),
		Muted:    ns().Foreground(colMuted).Italic(true),
		Text:     ns().Foreground(colText),
		Operator: ns().Foreground(colAccent),
		Value:    ns().Foreground(colString),
		Pass:     ns().Foreground(colOK).Bold(true),
		Fail:     ns().Foreground(colErr).Bold(true),
		Error:    ns().Foreground(colWarn).Bold(true),
		Skipped:  ns().Foreground(colMuted),
		Pointer:  ns().Foreground(colErr).Bold(true),
		Raw:      ns().Foreground(colText),
	}
	return s
}
