// Package jsonview is a Bubble Tea component that shows a JSON document as a
// navigable, foldable, searchable tree.
//
// Parsing happens once, off the UI loop (ParseCmd), into a flat pre-order
// node slice that points into the raw bytes, so numbers and strings keep
// their exact text. Rendering touches only the visible lines: the cost of
// View and of a scroll step does not depend on the size of the document, and
// nothing is folded by default, whatever the size.
//
// Display choices: lines are never wrapped and there is no horizontal
// scrolling. A line longer than the width is cut with "…"; the full value is
// available with y (copy) and o (pager). Indentation deeper than half the
// width is capped and marked with "»". Every key and string goes through
// internal/textsafe before it is drawn.
//
// Search (/) matches keys and values, including inside folded nodes
// (jumping to a match unfolds its ancestors). It is smart-case: a query with
// an upper-case letter is case-sensitive, otherwise ASCII letters match
// either case. It runs in a command; the owner must forward unknown
// messages to Update.
package jsonview

import (
	"time"

	"github.com/attune-tui/attune-tui/ui/components/lineinput"
)

// pos is one visible line: the opening line of a node, or the closing
// bracket line of an expanded container.
type pos struct {
	n     int32
	close bool
}

// Model is the JSON viewer. It is a value type; Update returns the new model.
type Model struct {
	// KeyMap is the key bindings; their enabled state follows the selection.
	KeyMap KeyMap
	// Styles is the styles; the zero value renders plain text.
	Styles Styles

	doc    *Document
	folded []uint64 // one bit per node; copied on write so model copies stay independent

	width, height int
	focused       bool

	cursor pos
	row    int // screen row of the cursor within the content area

	input     lineinput.Model
	query     string  // last query run
	matcher   matcher // of query
	matches   []int32 // nodes matching query, in document order
	searching bool    // a search command is running
	searchSeq int
	status    string // transient message shown in the header

	// The jq query (`|`): queryMode says the input holds a jq expression;
	// base is the document queried while its result is shown (nil
	// otherwise); querying is set while a query runs, querySeq drops the
	// answers of older ones; expr is the last expression run and
	// queryInfo what the header says about its result.
	queryMode bool
	base      *Document
	querying  bool
	querySeq  int
	expr      string
	queryInfo string
	// QueryTimeout bounds a query (QueryTimeout by default).
	queryTimeout time.Duration
}

// Option configures a Model in New.
type Option func(*Model)

// WithKeyMap sets the key bindings.
func WithKeyMap(k KeyMap) Option { return func(m *Model) { m.KeyMap = k } }

// WithStyles sets the styles.
func WithStyles(s Styles) Option { return func(m *Model) { m.Styles = s } }

// WithSize sets the width and height.
func WithSize(w, h int) Option { return func(m *Model) { m.width, m.height = w, h } }

// WithFocused sets whether the model starts focused (the default is true).
func WithFocused(f bool) Option { return func(m *Model) { m.focused = f } }

// WithQueryTimeout sets how long a jq query may run (default QueryTimeout).
func WithQueryTimeout(d time.Duration) Option { return func(m *Model) { m.queryTimeout = d } }

// WithDocument sets the initial document.
func WithDocument(d *Document) Option { return func(m *Model) { m.doc = d } }

// New returns a focused viewer with no document.
func New(opts ...Option) Model {
	m := Model{KeyMap: DefaultKeyMap(), focused: true, queryTimeout: QueryTimeout}
	for _, o := range opts {
		o(&m)
	}
	m.input = lineinput.New()
	m = m.SetDocument(m.doc)
	m.SetSize(m.width, m.height)
	return m
}

// SetStyles replaces the styles.
func (m *Model) SetStyles(s Styles) { m.Styles = s }

// SetDocument shows doc (nil shows nothing) with everything expanded, the
// cursor on the first line, or on the error line of a document that did not
// parse, and the search cleared.
func (m Model) SetDocument(doc *Document) Model {
	m.doc = doc
	m.folded = nil
	m.cursor, m.row = pos{}, 0
	m.query, m.matches, m.searching, m.status = "", nil, false, ""
	m.searchSeq++
	m.base, m.querying, m.queryInfo = nil, false, ""
	m.querySeq++
	if doc != nil && doc.err != nil && len(doc.nodes) > 0 {
		m.cursor.n = doc.rawNodeAt(doc.err.Offset)
		m.row = m.contentHeight() / 2
	}
	m.normalize()
	m.syncKeys()
	return m
}

// rawNodeAt returns the raw line node containing byte offset off.
func (d *Document) rawNodeAt(off int) int32 {
	lo, hi := 0, len(d.nodes)
	for lo < hi {
		mid := (lo + hi) / 2
		if int(d.nodes[mid].off) <= off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return int32(max(lo-1, 0))
}

// Document returns the document shown, or nil.
func (m Model) Document() *Document { return m.doc }

// SetSize sets the width and height of the whole component, header included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	m.normalize()
}

// Width returns the width.
func (m Model) Width() int { return m.width }

// Height returns the height.
func (m Model) Height() int { return m.height }

// Focus gives the viewer keyboard focus.
func (m *Model) Focus() { m.focused = true }

// Blur removes keyboard focus; keys are ignored until Focus.
func (m *Model) Blur() { m.focused = false }

// Focused reports whether the viewer has keyboard focus.
func (m Model) Focused() bool { return m.focused }

// InputFocused reports whether the search or query input is open, or a
// query's result is shown (esc goes back to the document), in which case
// the app's global keys should yield to the viewer.
func (m Model) InputFocused() bool { return m.input.Focused() || m.base != nil }

// QueryResult reports whether a jq query's result is shown, and its
// expression.
func (m Model) QueryResult() (expr string, ok bool) { return m.expr, m.base != nil }

// Matches returns the number of search matches.
func (m Model) Matches() int { return len(m.matches) }

// contentHeight is the number of tree lines shown (below the header).
func (m *Model) contentHeight() int {
	if m.height <= 1 {
		return max(m.height, 1)
	}
	return m.height - 1
}

func (m *Model) nodes() []node {
	if m.doc == nil {
		return nil
	}
	return m.doc.nodes
}

func (m *Model) isFolded(n int32) bool {
	w := int(n >> 6)
	return w < len(m.folded) && m.folded[w]&(1<<(uint(n)&63)) != 0
}

// setFolded changes the fold bit of n, copying the bit set first so that
// earlier copies of the model are unaffected.
func (m *Model) setFolded(n int32, v bool) {
	if m.isFolded(n) == v {
		return
	}
	words := (len(m.doc.nodes) + 63) / 64
	nf := make([]uint64, words)
	copy(nf, m.folded)
	if v {
		nf[n>>6] |= 1 << (uint(n) & 63)
	} else {
		nf[n>>6] &^= 1 << (uint(n) & 63)
	}
	m.folded = nf
}

// container reports whether n is a non-empty object or array.
func (m *Model) container(n int32) bool {
	nd := &m.doc.nodes[n]
	return (nd.kind == kindObject || nd.kind == kindArray) && nd.count > 0
}

func (m *Model) expanded(n int32) bool { return m.container(n) && !m.isFolded(n) }

// after returns the line after the last line of node n.
func (m *Model) after(n int32) (pos, bool) {
	nodes := m.doc.nodes
	nd := &nodes[n]
	if nd.parent < 0 {
		if int(nd.end) < len(nodes) {
			return pos{n: nd.end}, true
		}
		return pos{}, false
	}
	if nd.end < nodes[nd.parent].end {
		return pos{n: nd.end}, true
	}
	return pos{n: nd.parent, close: true}, true
}

// next returns the visible line after p.
func (m *Model) next(p pos) (pos, bool) {
	if !p.close && m.expanded(p.n) {
		return pos{n: p.n + 1}, true
	}
	return m.after(p.n)
}

// lastLine returns the last visible line of node n.
func (m *Model) lastLine(n int32) pos {
	if m.expanded(n) {
		return pos{n: n, close: true}
	}
	return pos{n: n}
}

// prev returns the visible line before p.
func (m *Model) prev(p pos) (pos, bool) {
	nodes := m.doc.nodes
	if p.close {
		// The last line of the last child.
		s := nodes[p.n].end - 1
		for nodes[s].parent != p.n {
			s = nodes[s].parent
		}
		return m.lastLine(s), true
	}
	if p.n == 0 {
		return pos{}, false
	}
	parent := nodes[p.n].parent
	if parent == p.n-1 {
		return pos{n: parent}, true
	}
	s := p.n - 1
	for nodes[s].parent != parent {
		s = nodes[s].parent
	}
	return m.lastLine(s), true
}

// lastPos returns the last visible line of the document.
func (m *Model) lastPos() pos {
	nodes := m.doc.nodes
	s := int32(len(nodes) - 1)
	for nodes[s].parent >= 0 {
		s = nodes[s].parent
	}
	return m.lastLine(s)
}

// visible returns p, or the line of its outermost folded ancestor if p is
// hidden inside a folded node.
func (m *Model) visible(p pos) pos {
	nodes := m.doc.nodes
	if p.close && !m.expanded(p.n) {
		p.close = false
	}
	for a := nodes[p.n].parent; a >= 0; a = nodes[a].parent {
		if m.isFolded(a) {
			p = pos{n: a}
		}
	}
	return p
}

// top returns the first visible line shown, walking back from the cursor.
func (m *Model) top() pos {
	p := m.cursor
	for r := 0; r < m.row; r++ {
		q, ok := m.prev(p)
		if !ok {
			break
		}
		p = q
	}
	return p
}

// normalize makes the cursor visible and keeps it on screen, with the
// viewport filled when there are enough lines: O(height) steps.
func (m *Model) normalize() {
	if len(m.nodes()) == 0 {
		m.cursor, m.row = pos{}, 0
		return
	}
	if int(m.cursor.n) >= len(m.doc.nodes) {
		m.cursor = pos{}
	}
	m.cursor = m.visible(m.cursor)
	h := m.contentHeight()
	m.row = min(max(m.row, 0), h-1)
	// How many lines exist above the cursor (up to row)?
	p, above := m.cursor, 0
	for above < m.row {
		q, ok := m.prev(p)
		if !ok {
			break
		}
		p, above = q, above+1
	}
	// Lines below the cursor, to fill the rest of the screen.
	q, below := m.cursor, 0
	for below < h-1-above {
		r, ok := m.next(q)
		if !ok {
			break
		}
		q, below = r, below+1
	}
	// If the bottom is short, show more lines above.
	for above+below < h-1 {
		r, ok := m.prev(p)
		if !ok {
			break
		}
		p, above = r, above+1
	}
	m.row = above
}
