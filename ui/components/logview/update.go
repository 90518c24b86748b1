package logview

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/components/jsonview"
)

// searchDoneMsg carries the result of a search command.
type searchDoneMsg struct {
	id, seq int
	query   string
	matches []int
}

// maxMatches caps how many matching lines a search records.
const maxMatches = 100_000

// maxCopy caps what y copies (it goes to the clipboard as OSC 52 through
// the terminal, and over SSH).
const maxCopy = 1 << 20

// Update handles keys and the results of the viewer's own commands. It
// returns jsonview.CopyMsg and jsonview.OpenPagerMsg commands for the root
// to act on (the clipboard and the pager belong to it).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case searchDoneMsg:
		if msg.id != m.id || msg.seq != m.searchSeq || msg.query != m.query {
			return m, nil
		}
		m.searching = false
		m.matches = msg.matches
		m.match = 0
		if len(m.matches) == 0 {
			m.msg = "no match for " + textsafe.Line(msg.query)
			return m, nil
		}
		m.jumpMatch(true, true)
		return m, nil
	case tea.KeyMsg:
		if m.input.Focused() {
			return m.updateInput(msg)
		}
		return m.updateKey(msg)
	}
	return m, nil
}

// updateInput handles a key while the search input has focus.
func (m Model) updateInput(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.KeyMap.Accept):
		m.input.Blur()
		q := strings.ToLower(m.input.Value())
		if q == "" {
			m.query, m.matches = "", nil
			return m, nil
		}
		m.query = q
		m.searchSeq++
		m.searching = true
		m.msg = ""
		return m, m.searchCmd()
	case key.Matches(msg, m.KeyMap.Cancel):
		m.input.Blur()
		return m, nil
	}
	m.input = m.input.Update(msg)
	return m, nil
}

// searchCmd searches a snapshot of the held lines off the UI loop. The
// store only appends or drops from the front, so the snapshot stays valid.
func (m Model) searchCmd() tea.Cmd {
	lines, partial, base := m.st.lines, m.st.partial, m.st.dropped
	id, seq, q := m.id, m.searchSeq, m.query
	return func() tea.Msg {
		return searchDoneMsg{id: id, seq: seq, query: q, matches: search(lines, partial, base, q)}
	}
}

// search returns the absolute numbers of the lines that contain q (lower
// case), ignoring case and SGR sequences.
func search(lines []string, partial string, base int, q string) []int {
	var out []int
	ascii := isASCII(q)
	qr := []rune(q)
	check := func(n int, s string) {
		if len(out) < maxMatches && containsFold(StripSGR(s), q, qr, ascii) {
			out = append(out, n)
		}
	}
	for i, s := range lines {
		check(base+i, s)
	}
	if partial != "" {
		check(base+len(lines), partial)
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains q (lower case; qr its runes)
// ignoring case, without allocating. An ASCII q is compared byte by byte.
func containsFold(s, q string, qr []rune, ascii bool) bool {
	if !ascii {
		return containsFoldRunes(s, qr)
	}
	n := len(q)
	if n == 0 {
		return true
	}
	c0 := q[0]
	up := c0
	if c0 >= 'a' && c0 <= 'z' {
		up = c0 - 'a' + 'A'
	}
	for i := 0; i+n <= len(s); i++ {
		c := s[i]
		if c != c0 && c != up {
			continue
		}
		j := 1
		for ; j < n; j++ {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != q[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// containsFoldRunes is containsFold for a non-ASCII query: rune by rune,
// each rune of s lowered as strings.ToLower would.
func containsFoldRunes(s string, q []rune) bool {
	if len(q) == 0 {
		return true
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if lower(r) == q[0] && prefixFold(s[i+size:], q[1:]) {
			return true
		}
		i += size
	}
	return false
}

// prefixFold reports whether s starts with q ignoring case.
func prefixFold(s string, q []rune) bool {
	for _, want := range q {
		if s == "" {
			return false
		}
		r, size := utf8.DecodeRuneInString(s)
		if lower(r) != want {
			return false
		}
		s = s[size:]
	}
	return true
}

func lower(r rune) rune {
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// jumpMatch moves to the next (or previous) match from the cursor; with
// here set a match on the cursor's line counts.
func (m *Model) jumpMatch(fwd, here bool) {
	if len(m.matches) == 0 {
		return
	}
	k := -1
	if fwd {
		for i, n := range m.matches {
			if n > m.cursor || here && n == m.cursor {
				k = i
				break
			}
		}
		if k < 0 {
			k = 0 // wrap around
		}
	} else {
		for i := len(m.matches) - 1; i >= 0; i-- {
			if m.matches[i] < m.cursor {
				k = i
				break
			}
		}
		if k < 0 {
			k = len(m.matches) - 1
		}
	}
	m.match = k
	m.goTo(m.matches[k])
}

// goTo moves the cursor to absolute line n, pausing following unless n is
// the last line, and centres it when it was off screen.
func (m *Model) goTo(n int) {
	if n < m.first() {
		m.msg = "that line was dropped from view (memory cap); o opens what is held"
		n = m.first()
	}
	m.cursor = n
	m.follow = n == m.last() && m.state == Live
	h := m.bodyHeight()
	if n < m.top || n >= m.top+h {
		m.top = max(n-h/2, m.first())
	}
	m.clamp()
}

// updateKey handles a key in the viewer.
func (m Model) updateKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.KeyMap
	h := m.bodyHeight()
	m.msg = ""
	move := func(d int) {
		m.cursor += d
		m.clamp()
		m.follow = (m.state == Live || m.state == Loading) && m.cursor >= m.last()
	}
	switch {
	case key.Matches(msg, k.Up):
		move(-1)
	case key.Matches(msg, k.Down):
		move(1)
	case key.Matches(msg, k.PageUp):
		m.top = max(m.top-h, m.first())
		move(-h)
	case key.Matches(msg, k.PageDown):
		m.top += h
		move(h)
	case key.Matches(msg, k.HalfUp):
		m.top = max(m.top-h/2, m.first())
		move(-h / 2)
	case key.Matches(msg, k.HalfDown):
		m.top += h / 2
		move(h / 2)
	case key.Matches(msg, k.Top):
		m.cursor, m.top = m.first(), m.first()
		m.follow = false
		m.clamp()
	case key.Matches(msg, k.Bottom):
		m.follow = m.state == Live || m.state == Loading
		m.toEnd(false)
	case key.Matches(msg, k.Left):
		m.xoff = max(m.xoff-8, 0)
	case key.Matches(msg, k.Right):
		if !m.wrap {
			m.xoff += 8
		}
	case key.Matches(msg, k.Wrap):
		m.wrap = !m.wrap
		m.xoff = 0
		m.clamp()
	case key.Matches(msg, k.Times):
		if len(m.st.at) == 0 && !m.times {
			m.msg = "arrival times exist only for lines that arrived while followed"
			break
		}
		m.times = !m.times
	case key.Matches(msg, k.Search):
		m.input.SetValue("")
		m.input.Focus()
	case key.Matches(msg, k.NextMatch), key.Matches(msg, k.PrevMatch):
		if len(m.matches) == 0 {
			if m.query != "" {
				m.msg = "no match for " + textsafe.Line(m.query)
			} else {
				m.msg = "no search: press / to search"
			}
			break
		}
		m.jumpMatch(key.Matches(msg, k.NextMatch), false)
	case key.Matches(msg, k.NextError), key.Matches(msg, k.PrevError):
		n := m.st.nextError(m.cursor, key.Matches(msg, k.PrevError))
		if n < 0 {
			m.msg = "no more error-looking lines (Traceback, ERROR, panic, …)"
			break
		}
		m.goTo(n)
	case key.Matches(msg, k.Mark):
		if m.mark >= 0 {
			m.mark = -1
		} else {
			m.mark = m.cursor
		}
	case key.Matches(msg, k.Copy):
		cmd := m.copyCmd() // sets m.msg: call it before m is returned
		return m, cmd
	case key.Matches(msg, k.Open):
		text := m.Text()
		if d := m.st.dropped; d > 0 {
			text = fmt.Sprintf("[attune-tui: the first %d lines were dropped from view (memory cap)]\n", d) + text
		}
		return m, func() tea.Msg { return jsonview.OpenPagerMsg{Text: text} }
	}
	return m, nil
}

// copyCmd copies the marked range, or the cursor's line, as the log wrote
// it without SGR sequences.
func (m *Model) copyCmd() tea.Cmd {
	if m.st.total() == 0 {
		m.msg = "nothing to copy: the log is empty"
		return nil
	}
	a, b := m.cursor, m.cursor
	if m.mark >= 0 {
		a, b = min(m.mark, m.cursor), max(m.mark, m.cursor)
	}
	var sb strings.Builder
	for n := a; n <= b && sb.Len() < maxCopy; n++ {
		if n > a {
			sb.WriteByte('\n')
		}
		sb.WriteString(StripSGR(m.st.get(n)))
	}
	what := fmt.Sprintf("line %d", a+1)
	if b > a {
		what = fmt.Sprintf("lines %d–%d", a+1, b+1)
	}
	if sb.Len() > maxCopy {
		// OSC 52 travels through the terminal (and SSH): keep it sane.
		m.mark = -1
		m.msg = fmt.Sprintf("%s is %d KiB; the clipboard takes at most %d KiB — mark fewer lines, or o for the pager", what, sb.Len()>>10, maxCopy>>10)
		return nil
	}
	m.mark = -1
	text := sb.String()
	return func() tea.Msg { return jsonview.CopyMsg{Text: text, What: what} }
}
