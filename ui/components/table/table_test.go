package table

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

type numbers int

func (n numbers) Len() int { return int(n) }
func (n numbers) Cells(i int) []string {
	return []string{strconv.Itoa(i), "trigger.ref." + strconv.Itoa(i%7), "日本語のテキスト", "x"}
}

var testCols = []Column{
	{Title: "ID", Min: 6, Right: true},
	{Title: "TRIGGER", Min: 10, Flex: 2},
	{Title: "WIDE", Min: 8, Flex: 1},
	{Title: "P", Min: 1},
}

func newTable(n, w, h int) Model {
	r := lipgloss.NewRenderer(nil)
	st := Styles{Header: r.NewStyle().Bold(true), Cell: r.NewStyle(), Selected: r.NewStyle().Reverse(true), Loading: r.NewStyle()}
	return New(testCols, st).SetSize(w, h).SetSource(numbers(n))
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func TestView(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		n, w, h int
		keys    []string
		loading string
	}{
		{name: "w40", n: 100, w: 40, h: 6},
		{name: "w80_scrolled", n: 100, w: 80, h: 6, keys: []string{"down", "down", "down", "down", "down", "down", "down"}},
		{name: "w120_bottom_loading", n: 10, w: 120, h: 6, keys: []string{"G"}, loading: "loading more…"},
		{name: "empty", n: 0, w: 40, h: 4},
		{name: "narrow_hides_columns", n: 3, w: 20, h: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newTable(tc.n, tc.w, tc.h).SetLoadingMore(tc.loading)
			for _, k := range tc.keys {
				m, _ = m.Update(keyMsg(k))
			}
			out := m.View()
			lines := strings.Split(out, "\n")
			if len(lines) != tc.h {
				t.Errorf("View() has %d lines, want %d", len(lines), tc.h)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > tc.w {
					t.Errorf("line %d is %d wide, max %d: %q", i, w, tc.w, l)
				}
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

func TestCursor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		n          int
		keys       []string
		wantCursor int
		wantOffset int
	}{
		{"down within page", 100, []string{"down", "down"}, 2, 0},
		{"down scrolls", 100, []string{"down", "down", "down", "down", "down", "down"}, 6, 2},
		{"up at top stays", 100, []string{"up"}, 0, 0},
		{"bottom", 100, []string{"G"}, 99, 95},
		{"bottom then top", 100, []string{"G", "g"}, 0, 0},
		{"page down", 100, []string{"pgdown"}, 5, 5},
		{"page down twice then up", 100, []string{"pgdown", "pgdown", "pgup"}, 5, 5},
		{"empty", 0, []string{"down", "G"}, 0, 0},
		{"short list page down", 3, []string{"pgdown"}, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newTable(tc.n, 60, 6) // 5 rows visible
			for _, k := range tc.keys {
				m, _ = m.Update(keyMsg(k))
			}
			if m.Cursor() != tc.wantCursor || m.Offset() != tc.wantOffset {
				t.Errorf("cursor,offset = %d,%d, want %d,%d", m.Cursor(), m.Offset(), tc.wantCursor, tc.wantOffset)
			}
		})
	}
}

func TestShifted(t *testing.T) {
	t.Parallel()
	m := newTable(10, 60, 6)
	m, _ = m.Update(keyMsg("down"))
	m = m.SetSource(numbers(13)).Shifted(3)
	if m.Cursor() != 4 {
		t.Errorf("cursor after 3 rows inserted on top = %d, want 4", m.Cursor())
	}
}

func TestLayout(t *testing.T) {
	t.Parallel()
	// prio: the TRIGGER ref wants 16 cells; WIDE goes first, then P.
	prio := []Column{
		{Title: "ID", Min: 6, Right: true},
		{Title: "TRIGGER", Min: 10, Flex: 2, Want: 16},
		{Title: "WIDE", Min: 8, Flex: 1, Drop: 2},
		{Title: "P", Min: 1, Drop: 1},
	}
	tests := []struct {
		name       string
		cols       []Column
		total      int
		skip       int
		want       []int
		wantHidden int
	}{
		{name: "fits", cols: testCols, total: 28, want: []int{6, 10, 8, 1}},
		{name: "flex", cols: testCols, total: 40, want: []int{6, 18, 12, 1}},
		{name: "narrow", cols: testCols, total: 18, want: []int{6, 11, 0, 0}, wantHidden: 2},
		// Everything's Want fits: the layout is the one without priorities.
		{name: "prio_wide", cols: prio, total: 34, want: []int{6, 16, 8, 1}},
		{name: "prio_wider", cols: prio, total: 37, want: []int{6, 18, 9, 1}},
		// WIDE drops before TRIGGER is cut below its Want; P stays.
		{name: "prio_drop_one", cols: prio, total: 28, want: []int{6, 19, 0, 1}, wantHidden: 1},
		{name: "prio_drop_two", cols: prio, total: 23, want: []int{6, 16, 0, 0}, wantHidden: 2},
		// Nothing left to drop: TRIGGER is cut.
		{name: "prio_cut", cols: prio, total: 18, want: []int{6, 11, 0, 0}, wantHidden: 2},
		// Scrolled one column: TRIGGER is off to the left, WIDE and P show.
		{name: "prio_skip", cols: prio, total: 23, skip: 1, want: []int{6, 0, 14, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, hidden := layout(tc.cols, tc.total, tc.skip)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) || hidden != tc.wantHidden {
				t.Errorf("layout(%d, skip %d) = %v, %d hidden; want %v, %d", tc.total, tc.skip, got, hidden, tc.want, tc.wantHidden)
			}
		})
	}
}

// TestScrollColumns: at a width where a column is hidden, the header ends
// in ›, a footer shows the selected row's hidden and cut cells whole, →
// scrolls (‹ at the start of the header, the hidden column shows) and ←
// scrolls back; at a width where all fit, ←/→ change nothing and there is
// no footer.
func TestScrollColumns(t *testing.T) {
	t.Parallel()
	r0 := lipgloss.NewRenderer(nil)
	st := Styles{Header: r0.NewStyle(), Cell: r0.NewStyle(), Selected: r0.NewStyle(), Loading: r0.NewStyle()}
	prio := []Column{
		{Title: "ID", Min: 6, Right: true},
		{Title: "TRIGGER", Min: 10, Flex: 2, Want: 16},
		{Title: "WIDE", Min: 8, Flex: 1, Drop: 2},
		{Title: "P", Min: 1, Drop: 1},
	}
	m := New(prio, st).SetSize(25, 6).SetSource(numbers(50))
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines, want 6:\n%s", len(lines), m.View())
	}
	if h := ansi.Strip(lines[0]); !strings.HasSuffix(h, "›") || strings.HasPrefix(h, "‹") {
		t.Errorf("header %q: want › at the end only", h)
	}
	// TRIGGER is not cut; the hidden WIDE shows whole (P, after it, is
	// cut off the line).
	if f := ansi.Strip(lines[5]); !strings.HasPrefix(f, "  WIDE 日本語のテキスト ") {
		t.Errorf("footer %q: want the hidden cells of row 0 whole", f)
	}
	r, _ := m.Update(tea.KeyMsg{Type: tea.KeyRight})
	if left, _ := r.Hidden(); left != 1 {
		t.Fatalf("after →, %d columns scrolled off, want 1", left)
	}
	if h := ansi.Strip(strings.Split(r.View(), "\n")[0]); !strings.HasPrefix(h, "‹") || !strings.Contains(h, "WIDE") || strings.Contains(h, "TRIGGER") {
		t.Errorf("header after → %q: want ‹, WIDE shown, TRIGGER off", h)
	}
	l, _ := r.Update(tea.KeyMsg{Type: tea.KeyLeft})
	if l.View() != m.View() {
		t.Errorf("← did not come back:\n%s\nwant\n%s", l.View(), m.View())
	}
	wide := New(prio, st).SetSize(40, 6).SetSource(numbers(50))
	w2, _ := wide.Update(tea.KeyMsg{Type: tea.KeyRight})
	if w2.View() != wide.View() || strings.Contains(wide.View(), "›") || len(strings.Split(wide.View(), "\n")) != 6 {
		t.Errorf("wide table changed on → or shows a marker:\n%s", w2.View())
	}
}

func benchMove(b *testing.B, n int) {
	m := newTable(n, 120, 38)
	m = m.SetCursor(n / 2)
	down, up := keyMsg("down"), keyMsg("up")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := down
		if i%64 >= 32 {
			k = up
		}
		m, _ = m.Update(k)
		_ = m.View()
	}
}

func BenchmarkMove1k(b *testing.B)   { benchMove(b, 1_000) }
func BenchmarkMove100k(b *testing.B) { benchMove(b, 100_000) }

// accented colours the TRIGGER cell of every third row.
type accented struct{ numbers }

func (a accented) CellStyle(i, c int) string {
	if c == 1 && i%3 == 0 {
		return "failed"
	}
	return ""
}

func newStyledTable(n, w, h int, p termenv.Profile) Model {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(p)
	st := Styles{
		Header: r.NewStyle().Bold(true), Cell: r.NewStyle().Foreground(lipgloss.Color("7")),
		Selected: r.NewStyle().Reverse(true), Loading: r.NewStyle(),
		Accents: map[string]lipgloss.Style{"failed": r.NewStyle().Foreground(lipgloss.Color("1"))},
	}
	return New(testCols, st).SetSize(w, h).SetSource(accented{numbers(n)})
}

// TestCellStyles: a StyledSource's accent colours its cell alone (the
// runs before and after it keep the row's style); the plain text is the
// same as without accents; the selected row is drawn in the selection
// style only; without colour (NO_COLOR) the output equals the unstyled
// table's.
func TestCellStyles(t *testing.T) {
	t.Parallel()
	m := newStyledTable(10, 60, 6, termenv.ANSI)
	m = m.SetCursor(1)
	lines := strings.Split(m.View(), "\n")
	row0, row1, row3 := lines[1], lines[2], lines[4]
	red, grey := "\x1b[31m", "\x1b[37m"
	if !strings.Contains(row0, red+"trigger.ref.0") {
		t.Errorf("row 0's TRIGGER cell is not red: %q", row0)
	}
	_, afterRed, _ := strings.Cut(row0, red)
	if strings.Count(row0, red) != 1 || !strings.HasPrefix(row0, grey) || !strings.Contains(afterRed, grey) {
		t.Errorf("row 0: the accent does not cover exactly its cell: %q", row0)
	}
	if strings.Contains(row1, red) {
		t.Errorf("the selected row carries an accent: %q", row1)
	}
	if !strings.Contains(row3, red+"trigger.ref.3") {
		t.Errorf("row 3's TRIGGER cell is not red: %q", row3)
	}
	plain := newTable(10, 60, 6).SetCursor(1).View()
	if got := ansi.Strip(m.View()); got != ansi.Strip(plain) {
		t.Errorf("text differs with accents:\n%s\nwant\n%s", got, ansi.Strip(plain))
	}
	if got := newStyledTable(10, 60, 6, termenv.Ascii).SetCursor(1).View(); got != plain {
		t.Errorf("NO_COLOR output differs from the unstyled table:\n%q\nwant\n%q", got, plain)
	}
}

func benchStyledMove(b *testing.B, n int) {
	m := newStyledTable(n, 120, 38, termenv.TrueColor)
	m = m.SetCursor(n / 2)
	down, up := keyMsg("pgdown"), keyMsg("pgup")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := down
		if i%64 >= 32 {
			k = up
		}
		m, _ = m.Update(k)
		_ = m.View()
	}
}

// BenchmarkPageStyled1k pages through a table whose every third row has an
// accented cell (true colour), so that each step renders a screen of rows
// that are not cached; BenchmarkPage1k is the same without accents.
func BenchmarkPageStyled1k(b *testing.B) { benchStyledMove(b, 1_000) }

func BenchmarkPage1k(b *testing.B) {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.TrueColor)
	st := Styles{Header: r.NewStyle().Bold(true), Cell: r.NewStyle().Foreground(lipgloss.Color("7")),
		Selected: r.NewStyle().Reverse(true), Loading: r.NewStyle()}
	m := New(testCols, st).SetSize(120, 38).SetSource(numbers(1_000)).SetCursor(500)
	down, up := keyMsg("pgdown"), keyMsg("pgup")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := down
		if i%64 >= 32 {
			k = up
		}
		m, _ = m.Update(k)
		_ = m.View()
	}
}
