package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// View implements tea.Model.
func (a *App) View() string {
	if a.width == 0 || a.height == 0 {
		return ""
	}
	bodyH := a.bodyHeight()
	var body string
	switch {
	case !a.signedIn:
		body = a.login.View(a.width, bodyH)
	case a.overlay == overlayHelp:
		body = a.helpView()
	case a.overlay == overlayError:
		body = a.errorView()
	case a.top() != nil:
		body = a.top().view.View()
	}
	var b strings.Builder
	b.WriteString(fitLine(a.breadcrumb(), a.width))
	b.WriteByte('\n')
	b.WriteString(fitBlock(body, a.width, bodyH))
	b.WriteByte('\n')
	if line := a.cmdline.View(); line != "" {
		b.WriteString(fitLine(line, a.width))
	} else {
		b.WriteString(a.status.View(a.width, relative))
	}
	return b.String()
}

func (a *App) helpView() string {
	st := a.deps.Styles
	var parts []string
	if t := a.top(); t != nil {
		parts = append(parts, st.App.OverlayTitle.Render("Keys: "+t.view.Title()), a.fullHelp(t.view.FullHelp()))
	}
	parts = append(parts, st.App.OverlayTitle.Render("Global"), a.fullHelp(a.keys.FullHelp()),
		st.App.Muted.Render(ansi.Wordwrap("Commands: "+a.commandsHelp()+"  ·  any key closes", max(a.width-6, 20), "")))
	return st.App.Overlay.Render(strings.Join(parts, "\n"))
}

// fullHelp renders help columns side by side, starting a new row of
// columns when the next one would not fit the overlay.
func (a *App) fullHelp(groups [][]key.Binding) string {
	avail := max(a.width-6, 20)
	h := a.help
	h.Width = 0
	var rows []string
	var batch [][]key.Binding
	for _, g := range groups {
		try := append(append([][]key.Binding(nil), batch...), g)
		if len(batch) > 0 && ansi.StringWidth(widestLine(h.FullHelpView(try))) > avail {
			rows = append(rows, h.FullHelpView(batch))
			batch = [][]key.Binding{g}
			continue
		}
		batch = try
	}
	if len(batch) > 0 {
		rows = append(rows, h.FullHelpView(batch))
	}
	return strings.Join(rows, "\n")
}

// widestLine returns the widest line of s.
func widestLine(s string) string {
	widest := ""
	for _, l := range strings.Split(s, "\n") {
		if ansi.StringWidth(l) > ansi.StringWidth(widest) {
			widest = l
		}
	}
	return widest
}

func (a *App) errorView() string {
	st := a.deps.Styles
	text := a.lastErr
	// Wrap long lines to the overlay width; the text is already safe.
	w := max(a.width-6, 10)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = ansi.Hardwrap(l, w, true)
	}
	return st.App.Overlay.Render(st.App.OverlayTitle.Render("Last error") + "\n\n" +
		st.State.Error.Render(strings.Join(lines, "\n")) + "\n\n" + st.App.Muted.Render("press any key to close"))
}

// fitLine cuts or pads s to exactly w cells.
func fitLine(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// fitBlock makes s exactly h lines of at most w cells.
func fitBlock(s string, w, h int) string {
	lines := strings.SplitN(s, "\n", h+1)
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
