// Package table is a virtualised table: it never holds rows itself, it asks a
// row source for the cells of the rows that are visible, renders only those,
// and caches each rendered row until the width changes. The cost of a cursor
// move is therefore constant in the number of rows.
package table

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Column describes one column. Min is the narrowest width in cells; Flex is
// the share of the remaining width the column takes (0 = fixed at Min).
type Column struct {
	Title string
	Min   int
	Flex  int
	// Right aligns the column's content to the right.
	Right bool
	// Want is the width the column should have before it is cut (a ref, a
	// trace tag); 0 means Min. While the columns' Wants do not fit, the
	// columns with a Drop are hidden, highest Drop first.
	Want int
	// Drop is the column's place in the order columns are hidden at
	// narrow widths: 0 is never hidden that way; a higher Drop goes first.
	Drop int
}

// Source supplies rows on demand. Cells must already be terminal-safe plain
// text (no escape sequences): the table measures and cuts them.
type Source interface {
	Len() int
	Cells(i int) []string
}

// StyledSource is a Source whose cells may carry a style of their own
// (e.g. the colour of an outcome). CellStyle names the accent of cell c of
// row i in Styles.Accents; "" (or a name not there) keeps the row's
// style. The text of a cell must carry its meaning without the accent
// (NO_COLOR); the selected row is drawn in the selection style alone.
type StyledSource interface {
	Source
	CellStyle(i, c int) string
}

// Styles are the styles the table draws with.
type Styles struct {
	Header   lipgloss.Style
	Cell     lipgloss.Style
	Selected lipgloss.Style
	Loading  lipgloss.Style
	// Accents are the cell styles a StyledSource may name.
	Accents map[string]lipgloss.Style
}

// KeyMap holds the table's key bindings.
type KeyMap struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown, Top, Bottom key.Binding
	// Left and Right scroll the columns when some are hidden.
	Left, Right key.Binding
}

// DefaultKeyMap returns the default table bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn", "page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Left:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "scroll columns left")),
		Right:    key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "scroll columns right")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.HalfUp, k.HalfDown, k.Top, k.Bottom}, {k.Left, k.Right}}
}

// gutter is the width of the cursor marker column.
const gutter = 2

// cursorMark marks the selected row, so the selection reads without colour.
const cursorMark = "> "

// cachedRow is one rendered row: the plain text of its cells, and the
// styled line used when it is not selected.
type cachedRow struct {
	plain  string
	styled string
}

// Model is the table state. The zero value is not usable; call New.
type Model struct {
	// KeyMap is the table's bindings.
	KeyMap KeyMap

	cols    []Column
	widths  []int
	styles  Styles
	src     Source
	n       int
	width   int
	height  int // rows area, excluding the header line
	cursor  int
	offset  int
	loading string // text of the trailing "loading more…" row; "" = none
	cache   map[int]cachedRow
	header  string
	// skip is how many columns after the first are scrolled off to the
	// left (←/→); hidden counts the columns not shown to the right of
	// them. While either is set, a footer shows the selected row's hidden
	// and cut cells whole.
	skip, hidden int
	outer        int // the height given to SetSize
}

// New returns a table with the given columns and styles.
func New(cols []Column, s Styles) Model {
	return Model{KeyMap: DefaultKeyMap(), cols: cols, styles: s, cache: map[int]cachedRow{}}
}

// SetSource sets the row source and its current length. Call it again
// whenever rows were added or replaced; cached renderings are dropped.
// The cursor is clamped to the new length.
func (m Model) SetSource(src Source) Model {
	m.src = src
	m.n = 0
	if src != nil {
		m.n = src.Len()
	}
	m.cache = map[int]cachedRow{}
	m = m.clamp()
	return m
}

// Appended tells the table that rows were added at the end of the source;
// cached renderings stay valid.
func (m Model) Appended() Model {
	if m.src != nil {
		m.n = m.src.Len()
	}
	return m.clamp()
}

// Shifted tells the table that k rows were inserted at the top of the source
// (k < 0: removed from the top). The cursor and offset move with their rows.
func (m Model) Shifted(k int) Model {
	if m.src != nil {
		m.n = m.src.Len()
	}
	m.cursor += k
	m.offset += k
	m.cache = map[int]cachedRow{}
	return m.clamp()
}

// Invalidate drops every cached row rendering, e.g. after a change to how
// cells are formatted.
func (m Model) Invalidate() Model {
	m.cache = map[int]cachedRow{}
	m.fill()
	return m
}

// SetColumns replaces the columns (e.g. a column changed its format) and
// re-renders.
func (m Model) SetColumns(cols []Column) Model {
	m.cols = cols
	m = m.relayout()
	m.cache = map[int]cachedRow{}
	return m.clamp()
}

// relayout computes the column widths, the footer and the header for the
// width, the columns and the horizontal scroll.
func (m Model) relayout() Model {
	m.skip = min(m.skip, max(len(m.cols)-2, 0))
	m.widths, m.hidden = layout(m.cols, max(m.width-gutter, 0), m.skip)
	m.height = max(m.outer-1-m.footerLines(), 1)
	m.header = m.renderHeader()
	return m
}

// footerLines is 1 while some columns are not shown (the footer shows the
// selected row's hidden and cut cells), else 0.
func (m Model) footerLines() int {
	if (m.hidden > 0 || m.skip > 0) && m.outer > 3 {
		return 1
	}
	return 0
}

// SetSize sets the outer size of the table, header line included.
func (m Model) SetSize(width, height int) Model {
	if width != m.width {
		m.cache = map[int]cachedRow{}
	}
	m.width = width
	m.outer = height
	m = m.relayout()
	return m.clamp()
}

// scroll moves the horizontal scroll by d columns: right only while
// columns are hidden on the right, left back to the start.
func (m Model) scroll(d int) Model {
	switch {
	case d > 0 && m.hidden == 0, d < 0 && m.skip == 0:
		return m
	}
	m.skip += d
	m = m.relayout()
	m.cache = map[int]cachedRow{}
	return m
}

// Hidden reports how many columns are not shown: scrolled off to the left
// and hidden on the right.
func (m Model) Hidden() (left, right int) { return m.skip, m.hidden }

// SetLoadingMore shows text (e.g. "loading more…") as an extra row after the
// last one, or hides it when text is empty.
func (m Model) SetLoadingMore(text string) Model {
	m.loading = text
	return m.clamp()
}

// Cursor returns the index of the selected row.
func (m Model) Cursor() int { return m.cursor }

// Offset returns the index of the first visible row.
func (m Model) Offset() int { return m.offset }

// Len returns the number of rows.
func (m Model) Len() int { return m.n }

// PageSize returns how many rows are visible at once.
func (m Model) PageSize() int { return m.height }

// SetCursor selects row i, scrolling as little as needed.
func (m Model) SetCursor(i int) Model {
	m.cursor = i
	return m.clamp()
}

// Update handles cursor keys. It implements the usual component contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	switch {
	case key.Matches(km, m.KeyMap.Up):
		m.cursor--
	case key.Matches(km, m.KeyMap.Down):
		m.cursor++
	case key.Matches(km, m.KeyMap.PageUp):
		m.cursor -= m.height
		m.offset -= m.height
	case key.Matches(km, m.KeyMap.PageDown):
		m.cursor += m.height
		m.offset += m.height
	case key.Matches(km, m.KeyMap.HalfUp):
		m.cursor -= m.height / 2
		m.offset -= m.height / 2
	case key.Matches(km, m.KeyMap.HalfDown):
		m.cursor += m.height / 2
		m.offset += m.height / 2
	case key.Matches(km, m.KeyMap.Top):
		m.cursor = 0
	case key.Matches(km, m.KeyMap.Bottom):
		m.cursor = m.n - 1
	case key.Matches(km, m.KeyMap.Left):
		m = m.scroll(-1)
	case key.Matches(km, m.KeyMap.Right):
		m = m.scroll(1)
	}
	return m.clamp(), nil
}

func (m Model) clamp() Model {
	if m.cursor >= m.n {
		m.cursor = m.n - 1
	}
	if m.cursor < 0 {
		m.cursor = 0
	}
	maxOff := max(m.n-m.height, 0)
	if m.loading != "" && m.n >= m.height {
		maxOff++ // room for the loading row
	}
	if m.offset > maxOff {
		m.offset = maxOff
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.height > 0 && m.cursor >= m.offset+m.height {
		m.offset = m.cursor - m.height + 1
	}
	if m.loading != "" && m.n >= m.height && m.cursor == m.n-1 {
		m.offset = m.n - m.height + 1 // show the loading row below the last row
	}
	if m.offset < 0 {
		m.offset = 0
	}
	// Keep the cache bounded: it only needs the rows around the window.
	if len(m.cache) > 8*m.height+64 {
		m.cache = map[int]cachedRow{}
	}
	m.fill()
	return m
}

// fill renders the visible rows that are not cached yet. It runs in Update
// (through clamp) so that View only reads.
func (m Model) fill() {
	if m.src == nil || m.cache == nil {
		return
	}
	end := min(m.offset+m.height, m.n)
	for i := m.offset; i < end; i++ {
		if _, ok := m.cache[i]; ok {
			continue
		}
		m.cache[i] = m.render(i)
	}
}

// View renders the header and the visible rows. Its cost depends on the
// height only.
func (m Model) View() string {
	var b strings.Builder
	b.Grow((m.height + 1) * (m.width + 16))
	b.WriteString(m.header)
	end := min(m.offset+m.height, m.n)
	lines := 0
	for i := m.offset; i < end; i++ {
		b.WriteByte('\n')
		r, ok := m.cache[i]
		if !ok { // not reached after Update; rendered without caching
			r = m.render(i)
		}
		if i == m.cursor {
			b.WriteString(m.styles.Selected.Render(cursorMark + r.plain))
		} else {
			b.WriteString(r.styled)
		}
		lines++
	}
	if m.loading != "" && lines < m.height {
		b.WriteByte('\n')
		b.WriteString(m.styles.Loading.Render(pad(strings.Repeat(" ", gutter)+m.loading, m.width, false)))
		lines++
	}
	for ; lines < m.height; lines++ {
		b.WriteByte('\n')
	}
	if m.footerLines() > 0 {
		b.WriteByte('\n')
		b.WriteString(m.footer())
	}
	return b.String()
}

// footer renders the selected row's cells that are hidden or cut, whole
// ("RULE core.heartbeat_echo · SOURCE …"), on one line.
func (m Model) footer() string {
	var parts []string
	if m.src != nil && m.cursor >= 0 && m.cursor < m.n {
		cells := m.src.Cells(m.cursor)
		for c, col := range m.cols {
			if c >= len(cells) || c >= len(m.widths) {
				break
			}
			if w := m.widths[c]; w > 0 && ansi.StringWidth(cells[c]) <= w {
				continue
			}
			parts = append(parts, col.Title+" "+cells[c])
		}
	}
	text := strings.Join(parts, " · ")
	if text == "" {
		text = "(nothing of this row is cut)"
	}
	return m.styles.Loading.Render(pad(strings.Repeat(" ", gutter)+text, m.width, false))
}

// render renders row i: its plain text, and the line drawn when it is not
// selected. Cells a StyledSource gives an accent are drawn in it, the runs
// between them in the row's style; a row without accents is one styled
// run, as before.
func (m Model) render(i int) cachedRow {
	cells := m.src.Cells(i)
	ss, _ := m.src.(StyledSource)
	if len(m.styles.Accents) == 0 {
		ss = nil
	}
	var b, styled strings.Builder
	b.Grow(m.width)
	b.WriteString(strings.Repeat(" ", gutter))
	run := 0 // start in b of the text not yet styled
	for c, w := range m.widths {
		if w == 0 {
			continue
		}
		cell := ""
		if c < len(cells) {
			cell = cells[c]
		}
		if c > 0 {
			b.WriteByte(' ')
		}
		var accent lipgloss.Style
		var has bool
		if ss != nil {
			if name := ss.CellStyle(i, c); name != "" {
				accent, has = m.styles.Accents[name]
			}
		}
		text := pad(cell, w, m.cols[c].Right)
		if !has {
			b.WriteString(text)
			continue
		}
		if s := b.String()[run:]; s != "" {
			styled.WriteString(m.styles.Cell.Render(s))
		}
		b.WriteString(text)
		styled.WriteString(accent.Render(text))
		run = b.Len()
	}
	line := b.String()
	if run == 0 {
		return cachedRow{plain: line[gutter:], styled: m.styles.Cell.Render(line)}
	}
	if rest := line[run:]; rest != "" {
		styled.WriteString(m.styles.Cell.Render(rest))
	}
	return cachedRow{plain: line[gutter:], styled: styled.String()}
}

func (m Model) renderHeader() string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", gutter))
	for c, w := range m.widths {
		if w == 0 {
			continue
		}
		if c > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(pad(m.cols[c].Title, w, m.cols[c].Right))
	}
	line := pad(b.String(), m.width, false)
	// ‹ and › say columns are scrolled off or hidden (←/→ scroll).
	if m.skip > 0 && m.width > 0 {
		line = "‹" + ansi.Cut(line, 1, m.width)
	}
	if m.hidden > 0 && m.width > 1 {
		line = ansi.Truncate(line, m.width-1, "") + "›"
	}
	return m.styles.Header.Render(line)
}

// pad cuts s to w cells (with an ellipsis) or pads it with spaces.
func pad(s string, w int, right bool) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw == w {
		return s
	}
	if right {
		return strings.Repeat(" ", w-sw) + s
	}
	return s + strings.Repeat(" ", w-sw)
}

// layout computes column widths for a total width. The first column and
// the columns after the first skip ones take part. While their Wants do not
// fit, the columns with a Drop are hidden, highest Drop first (the
// rightmost of equals first); then every column gets its minimum — its
// Want when the Wants fit, so the kept refs are not cut — and
// flexible columns share what is left by weight. Columns that still do not
// fit at their minimum get width 0 from the right. hidden counts the
// columns after skip that are not shown.
func layout(cols []Column, total, skip int) (widths []int, hidden int) {
	widths = make([]int, len(cols))
	on := make([]bool, len(cols))
	for i := range cols {
		on[i] = i == 0 || i > skip
	}
	want := func(c Column) int { return max(c.Want, c.Min) }
	need := func() int {
		n, k := 0, 0
		for i, c := range cols {
			if on[i] {
				n += want(c)
				k++
			}
		}
		return n + max(k-1, 0)
	}
	for need() > total {
		j := -1
		for i, c := range cols {
			if on[i] && c.Drop > 0 && (j < 0 || c.Drop >= cols[j].Drop) {
				j = i
			}
		}
		if j < 0 {
			break
		}
		on[j] = false
	}
	wantsFit := need() <= total
	base := func(c Column) int {
		if wantsFit {
			return want(c)
		}
		return c.Min
	}
	used := 0
	var shown []int
	for i, c := range cols {
		if !on[i] {
			continue
		}
		need := base(c)
		if len(shown) > 0 {
			need++ // separator
		}
		if used+need > total {
			break
		}
		widths[i] = base(c)
		used += need
		shown = append(shown, i)
	}
	for i := range cols {
		if i > skip && widths[i] == 0 {
			hidden++
		}
	}
	rest := total - used
	flex := 0
	for _, i := range shown {
		flex += cols[i].Flex
	}
	if flex == 0 || rest <= 0 {
		return widths, hidden
	}
	given := 0
	last := -1
	for _, i := range shown {
		if cols[i].Flex == 0 {
			continue
		}
		add := rest * cols[i].Flex / flex
		widths[i] += add
		given += add
		last = i
	}
	if last >= 0 {
		widths[last] += rest - given
	}
	return widths, hidden
}
