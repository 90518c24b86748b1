package jsonview

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// CopyMsg asks the app to copy Text to the clipboard (OSC 52). Text is exact,
// compact JSON, not sanitised; What describes it for a status message (the
// node path, or "document").
type CopyMsg struct {
	Text string
	What string
}

// OpenPagerMsg asks the app to show Text in a pager. Text has been through
// textsafe.Text (newlines kept, escapes shown escaped, capped in size).
type OpenPagerMsg struct {
	Text string
}

// searchDoneMsg carries the result of a search command.
type searchDoneMsg struct {
	doc     *Document
	seq     int
	query   string
	matches []int32
}

// Update handles keys (when focused) and the results of its own commands.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case searchDoneMsg:
		if msg.doc != m.doc || msg.seq != m.searchSeq || msg.query != m.query {
			return m, nil
		}
		m.searching = false
		m.matches = msg.matches
		if len(m.matches) == 0 {
			m.status = "no match"
		} else {
			m.jumpMatch(true, true)
		}
		m.syncKeys()
		return m, nil
	case queryDoneMsg:
		return m.queryDone(msg), nil
	case tea.KeyMsg:
		if !m.focused {
			return m, nil
		}
		if m.input.Focused() {
			return m.updateInput(msg)
		}
		return m.updateKey(msg)
	}
	return m, nil
}

func (m Model) updateInput(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.KeyMap.AcceptSearch) && m.queryMode:
		return m.runQuery()
	case key.Matches(msg, m.KeyMap.AcceptSearch):
		m.input.Blur()
		m.query = m.input.Value()
		m.matcher = newMatcher(m.query)
		m.matches = nil
		m.status = ""
		m.searchSeq++
		m.syncKeys()
		if m.query == "" || m.doc.Empty() {
			return m, nil
		}
		m.searching = true
		return m, searchCmd(m.doc, m.searchSeq, m.query)
	case key.Matches(msg, m.KeyMap.CancelSearch):
		m.input.Blur()
		m.queryMode = false
		m.syncKeys()
		return m, nil
	}
	m.input = m.input.Update(msg)
	return m, nil
}

func (m Model) updateKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := &m.KeyMap
	h := m.contentHeight()
	m.status = ""
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.PageDown):
		m.scroll(h)
	case key.Matches(msg, k.PageUp):
		m.scroll(-h)
	case key.Matches(msg, k.HalfPageDown):
		m.scroll(max(h/2, 1))
	case key.Matches(msg, k.HalfPageUp):
		m.scroll(-max(h/2, 1))
	case key.Matches(msg, k.Top):
		m.cursor, m.row = pos{}, 0
	case key.Matches(msg, k.Bottom):
		m.cursor, m.row = m.lastPos(), h-1
	case key.Matches(msg, k.Toggle):
		n := m.cursor.n
		if m.container(n) {
			m.setFolded(n, !m.isFolded(n))
			m.cursor = pos{n: n}
		}
	case key.Matches(msg, k.Collapse):
		n := m.cursor.n
		if m.expanded(n) {
			m.setFolded(n, true)
			m.cursor = pos{n: n}
		} else if p := m.doc.nodes[n].parent; p >= 0 {
			m.setCursor(pos{n: p})
		}
	case key.Matches(msg, k.Expand):
		n := m.cursor.n
		if m.container(n) {
			if m.isFolded(n) {
				m.setFolded(n, false)
			} else if !m.cursor.close {
				m.move(1)
			}
		}
	case key.Matches(msg, k.CollapseAll):
		m.collapseAll()
	case key.Matches(msg, k.ExpandAll):
		m.folded = nil
	case key.Matches(msg, k.Search):
		m.input.SetValue("")
		m.queryMode = false
		m.input.Focus()
	case key.Matches(msg, k.Query):
		m.input.SetValue(m.expr) // the last expression, to edit
		m.queryMode = true
		m.input.Focus()
	case key.Matches(msg, k.QueryBack):
		m = m.SetDocument(m.base)
		return m, nil
	case key.Matches(msg, k.NextMatch):
		m.jumpMatch(true, false)
	case key.Matches(msg, k.PrevMatch):
		m.jumpMatch(false, false)
	case key.Matches(msg, k.Copy):
		cmd = copyCmd(m.doc, m.cursor.n, m.SelectedPath())
	case key.Matches(msg, k.CopyAll):
		cmd = copyCmd(m.doc, -1, "document")
	case key.Matches(msg, k.Open):
		n := m.cursor.n
		if m.doc.err != nil {
			n = -1
		}
		cmd = openCmd(m.doc, n)
	default:
		return m, nil
	}
	m.normalize()
	m.syncKeys()
	return m, cmd
}

// move moves the cursor by d visible lines, keeping its screen row where
// possible (the view scrolls once the cursor reaches an edge).
func (m *Model) move(d int) {
	if m.doc.Empty() {
		return
	}
	for ; d > 0; d-- {
		p, ok := m.next(m.cursor)
		if !ok {
			break
		}
		m.cursor = p
		m.row++
	}
	for ; d < 0; d++ {
		p, ok := m.prev(m.cursor)
		if !ok {
			break
		}
		m.cursor = p
		m.row--
	}
}

// scroll moves the cursor by d lines and keeps its screen row, so the
// viewport moves by d lines too.
func (m *Model) scroll(d int) {
	r := m.row
	m.move(d)
	m.row = r
}

// setCursor moves the cursor to p, keeping the viewport when p is on it.
func (m *Model) setCursor(p pos) {
	// Look for p among the lines currently on screen.
	h := m.contentHeight()
	t := m.top()
	for r := 0; r < h; r++ {
		if t == p {
			m.cursor, m.row = p, r
			return
		}
		q, ok := m.next(t)
		if !ok {
			break
		}
		t = q
	}
	m.cursor, m.row = p, h/3
}

// collapseAll folds every non-empty container below the top level.
func (m *Model) collapseAll() {
	nodes := m.doc.nodes
	nf := make([]uint64, (len(nodes)+63)/64)
	for i := range nodes {
		nd := &nodes[i]
		if nd.parent >= 0 && (nd.kind == kindObject || nd.kind == kindArray) && nd.count > 0 {
			nf[i>>6] |= 1 << (uint(i) & 63)
		}
	}
	m.folded = nf
}

// jumpMatch moves to the next (or previous) match after the cursor,
// wrapping, and unfolds its ancestors. With inclusive, a match on the
// cursor line itself counts.
func (m *Model) jumpMatch(forward, inclusive bool) {
	if len(m.matches) == 0 {
		return
	}
	c := m.cursor.n
	var i int
	if forward {
		i = sort.Search(len(m.matches), func(i int) bool {
			return m.matches[i] > c || (inclusive && m.matches[i] == c)
		})
		if i == len(m.matches) {
			i = 0
		}
	} else {
		i = sort.Search(len(m.matches), func(i int) bool { return m.matches[i] >= c }) - 1
		if i < 0 {
			i = len(m.matches) - 1
		}
	}
	n := m.matches[i]
	nodes := m.doc.nodes
	for a := nodes[n].parent; a >= 0; a = nodes[a].parent {
		m.setFolded(a, false)
	}
	m.setCursor(pos{n: n})
}

// matchIndex returns the 1-based index of the cursor's node among the
// matches, or 0.
func (m *Model) matchIndex() int {
	i := sort.Search(len(m.matches), func(i int) bool { return m.matches[i] >= m.cursor.n })
	if i < len(m.matches) && m.matches[i] == m.cursor.n {
		return i + 1
	}
	return 0
}

func (m *Model) isMatch(n int32) bool {
	i := sort.Search(len(m.matches), func(i int) bool { return m.matches[i] >= n })
	return i < len(m.matches) && m.matches[i] == n
}

// syncKeys enables exactly the bindings that apply now, so help never lies.
func (m *Model) syncKeys() {
	k := &m.KeyMap
	if m.input.Focused() {
		for _, b := range k.all() {
			b.SetEnabled(false)
		}
		k.AcceptSearch.SetEnabled(true)
		k.CancelSearch.SetEnabled(true)
		return
	}
	has := !m.doc.Empty()
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.HalfPageUp, &k.HalfPageDown, &k.Top, &k.Bottom, &k.Search, &k.Open} {
		b.SetEnabled(has)
	}
	k.AcceptSearch.SetEnabled(false)
	k.CancelSearch.SetEnabled(false)
	parsed := has && m.doc.err == nil
	cont := parsed && m.container(m.cursor.n)
	k.Toggle.SetEnabled(cont)
	k.Expand.SetEnabled(cont && (m.isFolded(m.cursor.n) || !m.cursor.close))
	k.Collapse.SetEnabled(parsed && (m.expanded(m.cursor.n) || m.doc.nodes[m.cursor.n].parent >= 0))
	k.CollapseAll.SetEnabled(parsed && m.doc.containers > 0)
	k.ExpandAll.SetEnabled(parsed && m.doc.containers > 0)
	k.NextMatch.SetEnabled(len(m.matches) > 0)
	k.PrevMatch.SetEnabled(len(m.matches) > 0)
	k.Copy.SetEnabled(parsed)
	k.CopyAll.SetEnabled(m.doc != nil && len(m.doc.raw) > 0)
	k.Query.SetEnabled(m.base != nil || parsed)
	k.QueryBack.SetEnabled(m.base != nil)
}

// runQuery starts the jq expression typed in the input over the document
// (the one queried before, while a result is shown).
func (m Model) runQuery() (Model, tea.Cmd) {
	m.input.Blur()
	m.queryMode = false
	expr := strings.TrimSpace(m.input.Value())
	m.syncKeys()
	if expr == "" {
		return m, nil
	}
	src := m.doc
	if m.base != nil {
		src = m.base
	}
	if src == nil || src.err != nil || len(src.nodes) == 0 {
		m.status = "jq: no JSON document to query"
		return m, nil
	}
	m.expr = expr
	m.querySeq++
	m.querying = true
	m.status = ""
	return m, queryCmd(src, m.querySeq, expr, m.queryTimeout)
}

// queryDone shows a query's result in place of the document (esc comes
// back), or its error in the header.
func (m Model) queryDone(msg queryDoneMsg) Model {
	src := m.doc
	if m.base != nil {
		src = m.base
	}
	if msg.seq != m.querySeq || msg.doc != src || !m.querying {
		return m // an older query, or the document changed
	}
	m.querying = false
	if msg.err != nil {
		m.status = textsafe.Line(msg.err.Error())
		return m
	}
	m = m.SetDocument(msg.res)
	m.base = src
	m.expr = msg.expr
	info := strconv.Itoa(msg.n) + " results"
	switch msg.n {
	case 0:
		info = "no result"
	case 1:
		info = "1 result"
	default:
		info += " (as an array)"
	}
	if msg.cut != "" {
		info += ", " + msg.cut
	}
	m.queryInfo = info + " · esc back"
	m.syncKeys()
	return m
}

// ShortHelp implements help.KeyMap; disabled bindings are left out by the
// help component.
func (m Model) ShortHelp() []key.Binding { return m.KeyMap.ShortHelp() }

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding { return m.KeyMap.FullHelp() }

// copyCmd compacts node n (or the whole document when n < 0) off the UI
// loop. The document is immutable, so sharing it with the command is safe.
func copyCmd(doc *Document, n int32, what string) tea.Cmd {
	return func() tea.Msg {
		src := doc.raw
		if n >= 0 {
			nd := &doc.nodes[n]
			src = doc.raw[nd.off : nd.off+nd.size]
		}
		if doc.err != nil {
			return CopyMsg{Text: string(src), What: what}
		}
		var b bytes.Buffer
		if err := json.Compact(&b, src); err != nil {
			// Cannot happen for a parsed document; copy the bytes as they are.
			return CopyMsg{Text: string(src), What: what}
		}
		return CopyMsg{Text: b.String(), What: what}
	}
}

// openCmd renders node n (or the whole document when n < 0) for a pager:
// strings decoded, containers indented by two spaces with exact tokens. The
// text is cut at textsafe.DefaultTextMax bytes, so a pathological document
// (deep nesting makes indentation quadratic) stays cheap.
func openCmd(doc *Document, n int32) tea.Cmd {
	return func() tea.Msg {
		if doc.err != nil || n < 0 && len(doc.nodes) == 0 {
			return OpenPagerMsg{Text: textsafe.Text(string(doc.raw))}
		}
		n = max(n, 0)
		nd := &doc.nodes[n]
		if nd.kind == kindString {
			s, _ := unquote(doc.raw[nd.off:nd.off+nd.size], nd.flags&flagValEsc != 0, textsafe.DefaultTextMax)
			return OpenPagerMsg{Text: textsafe.Text(s)}
		}
		return OpenPagerMsg{Text: textsafe.Text(doc.pretty(n, textsafe.DefaultTextMax))}
	}
}

// pretty returns the subtree of node n fully expanded, with two-space
// indentation and the exact key and value tokens, cut after about limit
// bytes with a visible marker.
func (d *Document) pretty(n int32, limit int) string {
	var b strings.Builder
	base := d.nodes[n].depth
	root := n
	p := pos{n: n}
	for {
		nd := &d.nodes[p.n]
		for i := int32(0); i < nd.depth-base; i++ {
			b.WriteString("  ")
		}
		full := (nd.kind == kindObject || nd.kind == kindArray) && nd.count > 0
		switch {
		case p.close:
			b.WriteString(closer(nd.kind))
		default:
			if nd.keyLen > 0 && p.n != root {
				b.Write(d.raw[nd.key : nd.key+nd.keyLen])
				b.WriteString(": ")
			}
			switch {
			case full:
				b.WriteString(opener(nd.kind))
			case nd.kind == kindObject || nd.kind == kindArray:
				b.WriteString(opener(nd.kind) + closer(nd.kind))
			default:
				b.Write(d.raw[nd.off : nd.off+nd.size])
			}
		}
		if p.n != root && (p.close || !full) && nd.end < d.nodes[nd.parent].end {
			b.WriteByte(',')
		}
		if (p.n == root && (p.close || !full)) || b.Len() > limit {
			if b.Len() > limit {
				b.WriteString("\n…(cut)")
			}
			return b.String()
		}
		b.WriteByte('\n')
		switch {
		case !p.close && full:
			p = pos{n: p.n + 1}
		case d.nodes[p.n].end < d.nodes[nd.parent].end:
			p = pos{n: nd.end}
		default:
			p = pos{n: nd.parent, close: true}
		}
	}
}
