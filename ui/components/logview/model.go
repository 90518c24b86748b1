// Package logview is a Bubble Tea component that shows an execution's output:
// a complete log, or one that grows while it is followed.
//
// It is virtualised: only the visible lines are rendered, so a scroll step
// costs the same for a 10 MiB log as for ten lines. Lines are split on "\n",
// "\r\n" and a lone "\r". SGR colour sequences in the log are parsed and
// re-emitted by the component for the terminal's colour profile (NO_COLOR
// drops them); every other control or escape sequence is shown escaped by
// textsafe. Search runs off the UI loop.
//
// Following: while the log grows and the cursor is on the last line, new
// lines keep it in view. Moving up pauses following; G resumes it. When new
// lines overflow the screen it jump-scrolls by half a screen, as xterm's jump
// scroll does, so that a fast log costs the terminal a redraw per half
// screen rather than one per line.
package logview

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/components/jsonview"
	"github.com/attune-tui/attune-tui/ui/components/lineinput"
	"github.com/attune-tui/attune-tui/ui/theme"
)

// KeyMap holds the viewer's bindings.
type KeyMap struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown key.Binding
	Top, Bottom, Left, Right                     key.Binding
	Wrap, Times                                  key.Binding
	Search, NextMatch, PrevMatch                 key.Binding
	NextError, PrevError                         key.Binding
	Mark, Copy, Open                             key.Binding
	Accept, Cancel                               key.Binding
}

// DefaultKeyMap returns the default bindings. They follow the JSON viewer
// and less where those have a meaning (j/k, g/G, /, n/N, y, o), k9s's log
// view for w (wrap), and the lists for T (time display).
func DefaultKeyMap() KeyMap {
	// Movement is the JSON viewer's, binding for binding.
	j := jsonview.DefaultKeyMap()
	top, bottom := j.Top, j.Bottom
	bottom.SetHelp("G", "bottom, follow")
	return KeyMap{
		Up: j.Up, Down: j.Down, PageUp: j.PageUp, PageDown: j.PageDown,
		HalfUp: j.HalfPageUp, HalfDown: j.HalfPageDown, Top: top, Bottom: bottom,
		Left:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "scroll left")),
		Right:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "scroll right")),
		Wrap:      key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wrap")),
		Times:     key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "arrival times")),
		Search:    j.Search,
		NextMatch: j.NextMatch,
		PrevMatch: j.PrevMatch,
		NextError: key.NewBinding(key.WithKeys("}"), key.WithHelp("}", "next error line")),
		PrevError: key.NewBinding(key.WithKeys("{"), key.WithHelp("{", "prev error line")),
		Mark:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark range")),
		Copy:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy line/range")),
		Open:      j.Open,
		Accept:    j.AcceptSearch,
		Cancel:    j.CancelSearch,
	}
}

// State says where the log stands; the status line shows it.
type State int

// States of the log.
const (
	// Loading: nothing has arrived yet.
	Loading State = iota
	// Live: the log is being followed and may grow.
	Live
	// Sealed: the log is complete (downloaded, or its stream said done).
	Sealed
	// Stopped: following ended without the log being sealed (an error).
	Stopped
)

// Model is the log viewer. It is a value type; Update returns the new model.
type Model struct {
	// KeyMap is the key bindings.
	KeyMap KeyMap

	id      int // tells this viewer's messages from another's
	name    string
	styles  *theme.Styles
	profile termenv.Profile

	st    store
	state State
	note  string // status note: "waiting for output", "reconnecting: …"

	width, height int
	top           int // absolute line at the top of the screen
	cursor        int // absolute selected line
	mark          int // absolute start of a marked range, -1 when none
	xoff          int // horizontal scroll in cells (no wrap)
	wrap          bool
	times         bool
	follow        bool

	input     lineinput.Model
	query     string // lower-case search term
	matches   []int  // absolute lines that match query
	match     int    // index into matches of the current match
	searchSeq int
	searching bool
	msg       string // one-off message ("no match", "no error lines")
}

// New returns an empty viewer. id tells its messages apart from other
// viewers' (use a different one per viewer on a screen); name is the stream
// shown in the status line ("stdout").
func New(styles *theme.Styles, id int, name string) Model {
	m := Model{
		KeyMap: DefaultKeyMap(),
		id:     id,
		name:   name,
		styles: styles,
		mark:   -1,
		follow: true,
		input:  lineinput.New(),
	}
	if styles != nil && styles.Renderer != nil {
		m.profile = styles.Renderer.ColorProfile()
	} else {
		m.profile = termenv.Ascii
	}
	return m
}

// SetSize sets the area the viewer draws in (the status line included).
func (m Model) SetSize(w, h int) Model {
	m.width, m.height = max(w, 1), max(h, 2)
	m.clamp()
	return m
}

// SetContent replaces the text with a complete log (see Build) and marks it
// sealed. The cursor goes to the first line.
func (m Model) SetContent(c Content) Model {
	m.st = store{Content: c}
	m.st.enforce()
	m.state = Sealed
	m.follow = false
	m.top, m.cursor, m.mark = 0, 0, -1
	m.matches, m.query = nil, ""
	return m
}

// Reset empties the viewer for a new stream; following is on.
func (m Model) Reset() Model {
	m.st = store{}
	m.state = Loading
	m.follow = true
	m.top, m.cursor, m.mark, m.xoff = 0, 0, -1, 0
	m.matches, m.query, m.note, m.msg = nil, "", "", ""
	return m
}

// Append adds streamed text that arrived at t and keeps the last line in
// view while following.
func (m Model) Append(text string, t time.Time) Model {
	if m.state == Loading {
		m.state = Live
	}
	m.st.appendAt(text, t)
	if m.follow {
		m.toEnd(true)
	}
	m.clamp()
	return m
}

// SetState sets the log's state and a status note (such as "reconnecting:
// connection reset"; "" for none). Sealed and Stopped end following.
func (m Model) SetState(s State, note string) Model {
	m.state, m.note = s, textsafe.Line(note)
	if s == Sealed || s == Stopped {
		if m.follow {
			m.toEnd(false)
		}
	}
	return m
}

// State returns the log's state.
func (m Model) State() State { return m.state }

// Following reports whether new lines keep the end in view.
func (m Model) Following() bool { return m.follow }

// Lines returns the number of lines, dropped ones included.
func (m Model) Lines() int { return m.st.total() }

// Dropped returns how many old lines were dropped to stay within the caps.
func (m Model) Dropped() int { return m.st.dropped }

// Truncated reports whether the log ends with the worker's truncation
// notice (the stream hit its 10 MiB cap).
func (m Model) Truncated() bool { return m.st.truncated() }

// Text returns the text held, one line per line, for the pager: SGR
// colours removed, every other control shown escaped (textsafe), each line
// whole up to 1 MiB, no cap on the total.
func (m Model) Text() string {
	n := m.st.Lines()
	var b strings.Builder
	b.Grow(m.st.bytes + n)
	for i := range n {
		b.WriteString(textsafe.LineN(StripSGR(m.st.line(i)), 1<<20))
		b.WriteByte('\n')
	}
	return b.String()
}

// InputFocused reports whether the search input has the keys.
func (m Model) InputFocused() bool { return m.input.Focused() }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	k := m.KeyMap
	if m.input.Focused() {
		return []key.Binding{k.Accept, k.Cancel}
	}
	return []key.Binding{k.Search, k.NextError, k.Bottom, k.Wrap, k.Copy, k.Open}
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	k := m.KeyMap
	if m.input.Focused() {
		return [][]key.Binding{{k.Accept, k.Cancel}}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom},
		{k.Left, k.Right, k.Wrap, k.Times},
		{k.Search, k.NextMatch, k.PrevMatch, k.NextError, k.PrevError},
		{k.Mark, k.Copy, k.Open},
	}
}

// bodyHeight is the number of screen rows for log lines.
func (m Model) bodyHeight() int { return max(m.height-1, 1) }

// last is the absolute number of the last line (-1 when empty).
func (m Model) last() int { return m.st.total() - 1 }

// first is the absolute number of the first line held.
func (m Model) first() int { return m.st.dropped }

// clamp keeps cursor and top within the lines held and the cursor on
// screen.
func (m *Model) clamp() {
	lo, hi := m.first(), max(m.last(), m.first())
	m.cursor = min(max(m.cursor, lo), hi)
	m.top = min(max(m.top, lo), hi)
	if m.mark >= 0 && m.mark < lo {
		m.mark = lo
	}
	m.ensureVisible()
}

// ensureVisible scrolls so that the cursor's line is on screen.
func (m *Model) ensureVisible() {
	h := m.bodyHeight()
	if m.cursor < m.top {
		m.top = m.cursor
		return
	}
	if !m.wrap {
		if m.cursor >= m.top+h {
			m.top = m.cursor - h + 1
		}
		return
	}
	// Every line takes at least one row: lines above cursor-h+1 cannot be
	// on screen, so start there rather than walking from far above.
	m.top = max(m.top, m.cursor-h+1)
	for m.top < m.cursor && m.rowsBetween(m.top, m.cursor) > h {
		m.top++
	}
}

// rowsBetween counts the screen rows lines a..b (inclusive) take when
// wrapped. It stops counting past the screen height.
func (m Model) rowsBetween(a, b int) int {
	rows, h := 0, m.bodyHeight()
	for n := a; n <= b && rows <= h; n++ {
		rows += m.rowsOf(n)
	}
	return rows
}

// toEnd puts the cursor on the last line. With jump set, and the last line
// below the screen, the screen moves by half a screen at least (jump
// scroll); otherwise it moves just enough.
func (m *Model) toEnd(jump bool) {
	m.cursor = max(m.last(), m.first())
	h := m.bodyHeight()
	if jump && !m.wrap && m.cursor >= m.top+h {
		step := max(h/2, 1)
		m.top = max(m.cursor-h+1, m.top+step)
		if m.top > m.cursor {
			m.top = m.cursor
		}
		m.top = max(min(m.top, m.cursor), m.first())
		return
	}
	m.ensureVisible()
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// lineNumberWidth is the width of the gutter's numbers.
func (m Model) lineNumberWidth() int { return len(strconv.Itoa(max(m.st.total(), 1))) }
