package jsonview

import "github.com/charmbracelet/lipgloss"

// Styles holds the lipgloss styles of the JSON viewer. The zero value is
// valid and renders plain text; ui/theme fills it from a renderer. State
// never depends on colour alone: the selected line carries a ">" marker and
// lines that match the search a "*" marker.
type Styles struct {
	// Token kinds.
	Key    lipgloss.Style
	String lipgloss.Style
	Number lipgloss.Style
	Bool   lipgloss.Style
	Null   lipgloss.Style
	Punct  lipgloss.Style

	// Gutter and selection.
	LineNumber lipgloss.Style
	Cursor     lipgloss.Style // the ">" selection marker
	Selected   lipgloss.Style // the text of the selected line
	MatchMark  lipgloss.Style // the "*" marker of a line that matches

	// Search.
	Match        lipgloss.Style // a token that matches the search
	CurrentMatch lipgloss.Style // the token of the current match
	SearchPrompt lipgloss.Style
	SearchText   lipgloss.Style

	// Other parts.
	Path       lipgloss.Style // the path of the selected node (header)
	Status     lipgloss.Style // the match counter and messages (header)
	FoldMarker lipgloss.Style // "{…}" / "[…]" summaries and the deep-indent marker
	Error      lipgloss.Style // the syntax error line
	Raw        lipgloss.Style // raw text of a document that did not parse
	Empty      lipgloss.Style // "(empty)" and "(no document)"
}
