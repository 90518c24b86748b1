package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/format"
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
	case a.overlay != overlayNone:
		body = a.overlayView()
	case a.top() != nil:
		body = a.top().view.View()
	}
	var b strings.Builder
	b.WriteString(a.topCache.line)
	b.WriteByte('\n')
	b.WriteString(fitBlock(body, a.width, bodyH))
	b.WriteByte('\n')
	if line := a.cmdline.View(); line != "" {
		b.WriteString(format.Fit(line, a.width))
	} else {
		b.WriteString(a.status.View(a.width, relative))
	}
	return b.String()
}

// refreshTopLine draws the top line into topCache: the breadcrumb and,
// right-aligned in the room it leaves, the screen's most useful keys (as
// many as fit, "…" when some do not). Update and Init call it after every
// change; it rarely changes, so it is drawn again only when its inputs did.
func (a *App) refreshTopLine() {
	t := a.top()
	showKeys := t != nil && a.signedIn && a.overlay == overlayNone
	var bindings []key.Binding
	var k strings.Builder
	fmt.Fprintf(&k, "%d|%t|%t|", a.width, a.signedIn, showKeys)
	for _, title := range a.Views() {
		k.WriteString(title)
		k.WriteByte(0)
	}
	if showKeys {
		bindings = t.view.ShortHelp()
		for _, b := range bindings {
			if b.Enabled() {
				k.WriteString(b.Help().Key)
				k.WriteByte(1)
				k.WriteString(b.Help().Desc)
				k.WriteByte(0)
			}
		}
	}
	if k.String() == a.topCache.key {
		return
	}
	// The breadcrumb collapses its middle rather than lose the current
	// screen off the line's end; the keys take the room it leaves.
	crumb := a.breadcrumb(a.width - 1)
	line := format.Fit(crumb, a.width)
	cw := ansi.StringWidth(crumb)
	if room := a.width - cw - 3; showKeys && room >= 12 { // a gap, and a cell at the right edge
		if keys := a.shortKeys(bindings, room); keys != "" {
			line = crumb + strings.Repeat(" ", a.width-cw-ansi.StringWidth(keys)-1) + keys + " "
		}
	}
	a.topCache.key, a.topCache.line = k.String(), line
}

// shortKeys renders the enabled bindings in the help's short style, as many
// as fit in room cells, with "…" when some were left out and it fits.
// (help.Model.ShortHelpView can overflow its width when the ellipsis does
// not fit, so it is not used here.)
func (a *App) shortKeys(bindings []key.Binding, room int) string {
	st := a.help.Styles
	sep := st.ShortSeparator.Render(a.help.ShortSeparator)
	tail := " " + st.Ellipsis.Render(a.help.Ellipsis)
	var b strings.Builder
	used := 0
	for _, kb := range bindings {
		if !kb.Enabled() || kb.Help().Key == "" {
			continue
		}
		item := st.ShortKey.Render(kb.Help().Key) + " " + st.ShortDesc.Render(kb.Help().Desc)
		if used > 0 {
			item = sep + item
		}
		w := ansi.StringWidth(item)
		if used+w > room {
			if used > 0 && used+ansi.StringWidth(tail) <= room {
				b.WriteString(tail)
			}
			break
		}
		b.WriteString(item)
		used += w
	}
	return b.String()
}

// overlayContent returns the open overlay's text, without its frame.
func (a *App) overlayContent() string {
	switch a.overlay {
	case overlayHelp:
		return a.helpContent()
	case overlayError:
		return a.errorContent()
	case overlayWatches:
		return a.watchesContent()
	}
	return ""
}

// overlayRoom returns how many content lines the framed overlay can show
// in the body, and the content's lines.
func (a *App) overlayRoom() (room int, lines []string) {
	frame := a.deps.Styles.App.Overlay.GetVerticalFrameSize()
	return a.bodyHeight() - frame, strings.Split(a.overlayContent(), "\n")
}

// overlayView renders the open overlay in its frame. Content taller than
// the body shows a window from overlayOff and, on its last line, where it
// is and how to scroll.
func (a *App) overlayView() string {
	st := a.deps.Styles
	room, lines := a.overlayRoom()
	if len(lines) <= room || room < 2 {
		return st.App.Overlay.Render(strings.Join(lines, "\n"))
	}
	shown := room - 1
	off := min(max(a.overlayOff, 0), len(lines)-shown)
	hint := fmt.Sprintf("lines %d–%d of %d · j/k pgup/pgdn g/G scroll · other keys close", off+1, off+shown, len(lines))
	window := append(append([]string(nil), lines[off:off+shown]...), st.App.Muted.Render(ansi.Truncate(hint, max(a.width-4, 1), "…")))
	return st.App.Overlay.Render(strings.Join(window, "\n"))
}

// overlayScroll returns the overlay's next offset for a scroll key; ok is
// false for any other key, or when the overlay fits and needs no scrolling.
func (a *App) overlayScroll(msg tea.KeyMsg) (off int, ok bool) {
	room, lines := a.overlayRoom()
	if len(lines) <= room || room < 2 {
		return 0, false
	}
	page := room - 1
	last := len(lines) - page
	off = min(max(a.overlayOff, 0), last)
	k := a.scroll
	switch {
	case key.Matches(msg, k.Up):
		off--
	case key.Matches(msg, k.Down):
		off++
	case key.Matches(msg, k.PageUp):
		off -= page
	case key.Matches(msg, k.PageDown):
		off += page
	case key.Matches(msg, k.Top):
		off = 0
	case key.Matches(msg, k.Bottom):
		off = last
	default:
		return 0, false
	}
	return min(max(off, 0), last), true
}

func (a *App) helpContent() string {
	st := a.deps.Styles
	var parts []string
	if t := a.top(); t != nil {
		parts = append(parts, st.App.OverlayTitle.Render("Keys: "+t.view.Title()), a.fullHelp(t.view.FullHelp()))
		if n, ok := t.view.(common.HelpNoter); ok {
			for _, note := range n.HelpNotes() {
				parts = append(parts, st.App.Muted.Render(ansi.Wordwrap(note, max(a.width-6, 20), "")))
			}
		}
	}
	parts = append(parts, st.App.OverlayTitle.Render("Global"), a.fullHelp(a.offeredKeys().FullHelp()),
		st.App.OverlayTitle.Render("Commands")+st.App.Muted.Render("  (: then tab completes, ↑/↓ history)"),
		a.commandsHelp(), st.App.Muted.Render("any key closes"))
	return strings.Join(parts, "\n")
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
			// A blank line between rows of columns: the next row does not
			// read as the continuation of the columns above it.
			rows = append(rows, h.FullHelpView(batch), "")
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

// errorContent is the "!" overlay: the last error in full, then the
// start-up warnings.
func (a *App) errorContent() string {
	st := a.deps.Styles
	// Wrap long lines to the overlay width; the text is already safe.
	w := max(a.width-6, 10)
	wrap := func(text string) string {
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			lines[i] = ansi.Wrap(l, w, "")
		}
		return strings.Join(lines, "\n")
	}
	var parts []string
	if a.lastErr != "" {
		parts = append(parts, st.App.OverlayTitle.Render("Last error")+"\n\n"+st.State.Error.Render(wrap(a.lastErr)))
	}
	if len(a.warnings) > 0 {
		parts = append(parts, st.App.OverlayTitle.Render("Warnings at start")+"\n\n"+st.State.Error.Render(wrap(strings.Join(a.warnings, "\n"))))
	}
	parts = append(parts, st.App.Muted.Render("press any key to close"))
	return strings.Join(parts, "\n\n")
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
