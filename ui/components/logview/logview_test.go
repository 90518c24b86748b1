package logview

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/ui/components/jsonview"
	"github.com/attune-tui/attune-tui/ui/theme"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func styles(p termenv.Profile) *theme.Styles {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(p)
	r.SetHasDarkBackground(true)
	return theme.New(r)
}

func press(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg(k))
		for _, msg := range run(cmd) {
			if _, ok := msg.(searchDoneMsg); ok {
				m, _ = m.Update(msg)
			}
		}
	}
	return m
}

func TestBuildSplitsLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []string
		partial string
	}{
		{"a\nb\n", []string{"a", "b"}, ""},
		{"a\r\nb", []string{"a"}, "b"},
		{"progress 10%\rprogress 20%\rdone\n", []string{"progress 10%", "progress 20%", "done"}, ""},
		{"x\r", nil, "x\r"},
		{"", nil, ""},
		{"\n\n", []string{"", ""}, ""},
	}
	for _, tc := range tests {
		c := Build(tc.in)
		if !slices.Equal(c.lines, tc.want) || c.partial != tc.partial {
			t.Errorf("Build(%q) = %q + %q, want %q + %q", tc.in, c.lines, c.partial, tc.want, tc.partial)
		}
	}
}

func TestAppendAcrossChunks(t *testing.T) {
	t.Parallel()
	src := "first line\r\nsecond → ✓ 日本語\nprogress 1\rprogress 2\nTraceback (most recent call last):\n  File \"x.py\"\nValueError: bad\n"
	for cut := range len(src) {
		var s store
		s.appendAt(src[:cut], time.Time{})
		s.appendAt(src[cut:], time.Time{})
		want := Build(src)
		if !slices.Equal(s.lines, want.lines) || s.partial != want.partial {
			t.Fatalf("cut %d: lines %q, want %q", cut, s.lines, want.lines)
		}
		if !slices.Equal(s.errs, want.errs) {
			t.Fatalf("cut %d: error lines %v, want %v", cut, s.errs, want.errs)
		}
	}
}

func TestSGRIsReemittedNeverRaw(t *testing.T) {
	t.Parallel()
	line := "\x1b[31mERROR\x1b[0m plain \x1b[1;38;2;255;136;0mtrue\x1b[m \x1b]52;c;aGk=\x07 \x1b[2J \x9b31m"
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		out := renderLine(line, p, "", nil)
		// Our own SGR sequences are the only escapes allowed through.
		for _, seq := range sequences(out) {
			if !strings.HasSuffix(seq, "m") || !strings.HasPrefix(seq, "\x1b[") {
				t.Errorf("profile %v: non-SGR sequence %q in %q", p, seq, out)
			}
		}
		plain := ansi.Strip(out)
		for _, want := range []string{"ERROR", "plain", "true", `\x1b]52;c;aGk=\x07`, `\x1b[2J`, `\x9b31m`} {
			if !strings.Contains(plain, want) {
				t.Errorf("profile %v: %q missing from %q", p, want, plain)
			}
		}
		hasColor := strings.Contains(out, "\x1b[")
		if p == termenv.Ascii && strings.Contains(out, "\x1b[") {
			t.Errorf("NO_COLOR profile kept a colour: %q", out)
		}
		if p == termenv.TrueColor && !strings.Contains(out, "38;2;255;136;0") {
			t.Errorf("true colour lost: %q", out)
		}
		if p != termenv.Ascii && !hasColor {
			t.Errorf("profile %v: colours dropped: %q", p, out)
		}
	}
}

// sequences returns the escape sequences in s.
func sequences(s string) []string {
	var out []string
	p := ansi.GetParser()
	defer ansi.PutParser(p)
	var state byte
	for len(s) > 0 {
		seq, w, n, ns := ansi.DecodeSequence(s, state, p)
		if w == 0 && len(seq) > 0 && (seq[0] == 0x1b || seq[0] == 0x9b) {
			out = append(out, seq)
		}
		state = ns
		s = s[n:]
	}
	return out
}

func TestStripSGRAndSearch(t *testing.T) {
	t.Parallel()
	lines := []string{"ok", "\x1b[31mERR\x1b[0mOR here", "Traceback (most", "nothing", "error: é"}
	got := search(lines, "tail ERROR", 10, "error")
	if want := []int{11, 14, 15}; !slices.Equal(got, want) {
		t.Errorf("search = %v, want %v", got, want)
	}
	if got := search(lines, "", 0, "é"); !slices.Equal(got, []int{4}) {
		t.Errorf("non-ASCII search = %v", got)
	}
	if got := search([]string{"ÉTAT → OK", "etat", "état → ok"}, "", 0, "état → ok"); !slices.Equal(got, []int{0, 2}) {
		t.Errorf("case-folded non-ASCII search = %v", got)
	}
}

func TestFollowPauseResume(t *testing.T) {
	t.Parallel()
	m := New(styles(termenv.Ascii), 1, "stdout").SetSize(80, 11) // 10 rows of lines
	at := time.Date(2026, 12, 4, 3, 12, 0, 0, time.UTC)
	for i := range 25 {
		m = m.Append(fmt.Sprintf("line %d\n", i+1), at)
	}
	if !m.Following() || m.cursor != 24 {
		t.Fatalf("following %v cursor %d, want following at 24", m.Following(), m.cursor)
	}
	if !strings.Contains(m.View(), "line 25") {
		t.Fatalf("last line not on screen:\n%s", m.View())
	}
	m = press(t, m, "k")
	if m.Following() {
		t.Fatal("moving up did not pause following")
	}
	top := m.top
	m = m.Append("line 26\n", at)
	if m.top != top || m.cursor != 23 {
		t.Fatalf("paused view moved: top %d→%d cursor %d", top, m.top, m.cursor)
	}
	if !strings.Contains(m.View(), "paused (G follows)") {
		t.Errorf("status does not say paused:\n%s", m.View())
	}
	m = press(t, m, "G")
	if !m.Following() || m.cursor != 25 {
		t.Fatalf("G: following %v cursor %d", m.Following(), m.cursor)
	}
	m = m.SetState(Sealed, "")
	if !strings.Contains(m.View(), "sealed") {
		t.Errorf("status does not say sealed:\n%s", m.View())
	}
}

func TestJumpScrollKeepsLastLineVisible(t *testing.T) {
	t.Parallel()
	m := New(styles(termenv.Ascii), 1, "stdout").SetSize(80, 21)
	tops := map[int]bool{}
	for i := range 200 {
		m = m.Append(fmt.Sprintf("line %d\n", i+1), time.Time{})
		if m.cursor < m.top || m.cursor >= m.top+m.bodyHeight() {
			t.Fatalf("after %d lines the last line %d is off screen (top %d)", i+1, m.cursor, m.top)
		}
		tops[m.top] = true
	}
	// 200 lines at 20 rows: the screen moves about every 10 lines, not
	// every line.
	if len(tops) > 25 {
		t.Errorf("screen moved %d times for 200 lines; want jump scroll (≤ 25)", len(tops))
	}
}

func TestErrorJumpsSearchCopy(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 100 {
		switch i {
		case 40:
			b.WriteString("Traceback (most recent call last):\n")
		case 70:
			b.WriteString("\x1b[31mERROR\x1b[0m disk full\n")
		default:
			fmt.Fprintf(&b, "info %d\n", i)
		}
	}
	m := New(styles(termenv.Ascii), 1, "stderr").SetSize(80, 12).SetContent(Build(b.String()))
	m = press(t, m, "}")
	if m.cursor != 40 {
		t.Fatalf("} went to %d, want 40", m.cursor)
	}
	m = press(t, m, "}")
	if m.cursor != 70 {
		t.Fatalf("} went to %d, want 70", m.cursor)
	}
	m = press(t, m, "{")
	if m.cursor != 40 {
		t.Fatalf("{ went to %d, want 40", m.cursor)
	}
	m = press(t, m, "/", "d", "i", "s", "k", "enter")
	if m.cursor != 70 || len(m.matches) != 1 {
		t.Fatalf("search: cursor %d matches %v", m.cursor, m.matches)
	}
	if v := m.View(); !strings.Contains(v, "/disk 1/1") {
		t.Errorf("match count not shown:\n%s", v)
	}
	m = press(t, m, "m", "j", "j")
	_, cmd := m.Update(keyMsg("y"))
	msgs := run(cmd)
	if len(msgs) != 1 {
		t.Fatalf("y sent %v", msgs)
	}
	cp, ok := msgs[0].(jsonview.CopyMsg)
	if !ok || cp.Text != "ERROR disk full\ninfo 71\ninfo 72" || cp.What != "lines 71–73" {
		t.Fatalf("copy = %#v", msgs[0])
	}
}

func TestCapDropsOldest(t *testing.T) {
	t.Parallel()
	m := New(styles(termenv.Ascii), 1, "stdout").SetSize(120, 10)
	chunk := strings.Repeat(strings.Repeat("x", 1023)+"\n", 1024) // 1 MiB
	for range 20 {
		m = m.Append(chunk, time.Time{})
	}
	if m.st.bytes > MaxBytes {
		t.Fatalf("held %d bytes, cap %d", m.st.bytes, MaxBytes)
	}
	if m.Dropped() == 0 || m.Lines() != 20*1024 {
		t.Fatalf("dropped %d lines of %d", m.Dropped(), m.Lines())
	}
	m = press(t, m, "g")
	if !strings.Contains(m.View(), "older lines dropped (memory cap)") {
		t.Errorf("no dropped marker:\n%s", m.View())
	}
}

func TestWrapAndTruncatedMarker(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("abcdefghij", 20)
	m := New(styles(termenv.Ascii), 1, "stdout").SetSize(40, 8).
		SetContent(Build(long + "\n\n\n[OUTPUT TRUNCATED: stdout exceeded size limit]\n"))
	v := m.SetSize(70, 8).View()
	if !strings.Contains(v, "truncated at 10 MiB") || !strings.Contains(v, "›") {
		t.Fatalf("no truncation marker or cut marker:\n%s", v)
	}
	m = press(t, m, "w")
	v = m.View()
	if strings.Count(v, "abcdefghij") < 5 {
		t.Fatalf("wrap shows the long line on several rows:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(l); w > 40 {
			t.Errorf("row wider than 40 (%d): %q", w, l)
		}
	}
}

func keyMsg(s string) tea.KeyMsg { return uitest.Key(s) }

func run(cmd tea.Cmd) []tea.Msg { return uitest.Run(cmd) }

// TestHostileLongLine: a 10 MiB line that is nearly all colour codes is
// drawn cut at 16 KiB, fast, with or without wrap (review finding: 1.2 s per
// key before).
func TestHostileLongLine(t *testing.T) {
	t.Parallel()
	line := strings.Repeat("\x1b[31mx\x1b[0m", (10<<20)/10)
	m := New(styles(termenv.TrueColor), 1, "stdout").SetSize(120, 20).SetContent(Build(line + "\nafter\n"))
	start := time.Now()
	v := m.View()
	m = press(t, m, "w", "j", "k")
	v2 := m.View()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("drawing a 10 MiB coloured line took %v", d)
	}
	if len(v) > 64<<10 || len(v2) > 256<<10 {
		t.Errorf("frames of %d and %d bytes for one long line", len(v), len(v2))
	}
}

// TestPagerTextWhole: o hands the pager every line (no 1 MiB cap), without
// colour codes, other controls escaped.
func TestPagerTextWhole(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 40_000 {
		fmt.Fprintf(&b, "\x1b[32mline\x1b[0m %d \x1b]52;c;aGk=\x07 of the log\n", i)
	}
	m := New(styles(termenv.Ascii), 1, "stdout").SetSize(80, 10).SetContent(Build(b.String()))
	_, cmd := m.Update(keyMsg("o"))
	msgs := run(cmd)
	if len(msgs) != 1 {
		t.Fatalf("o sent %v", msgs)
	}
	p, ok := msgs[0].(jsonview.OpenPagerMsg)
	if !ok {
		t.Fatalf("o sent %T", msgs[0])
	}
	if n := strings.Count(p.Text, "\n"); n != 40_000 {
		t.Errorf("pager got %d lines, want 40000", n)
	}
	if strings.Contains(p.Text, "\x1b") || !strings.Contains(p.Text, `line 39999 \x1b]52;c;aGk=\x07 of the log`) {
		t.Errorf("pager text not clean or not whole: ...%q", p.Text[len(p.Text)-80:])
	}
}
