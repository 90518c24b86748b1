package ui

import (
	"strings"

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
	title := st.App.OverlayTitle.Render("Keys")
	var parts []string
	if t := a.top(); t != nil {
		parts = append(parts, st.App.Muted.Render(t.view.Title()), a.help.FullHelpView(t.view.FullHelp()))
	}
	parts = append(parts, st.App.Muted.Render("Global"), a.help.FullHelpView(a.keys.FullHelp()))
	parts = append(parts, st.App.Muted.Render("Commands: :events [key:value…]  :event ID  :q"),
		st.App.Muted.Render("press any key to close"))
	return st.App.Overlay.Render(title + "\n\n" + strings.Join(parts, "\n\n"))
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
