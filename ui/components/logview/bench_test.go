package logview

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"
)

// bigLog is a ~10 MiB log in the shape of a real one: mostly info lines,
// some coloured, a traceback now and then.
func bigLog(size int) string {
	var b strings.Builder
	b.Grow(size + 256)
	for i := 0; b.Len() < size; i++ {
		switch {
		case i%500 == 0:
			b.WriteString("Traceback (most recent call last):\n  File \"/opt/pack/actions/sync.py\", line 42, in run\nValueError: upstream said no\n")
		case i%7 == 0:
			fmt.Fprintf(&b, "\x1b[32mINFO\x1b[0m 2026-12-04T03:12:%02d step %d done in %d ms\n", i%60, i, i%997)
		default:
			fmt.Fprintf(&b, "2026-12-04T03:12:%02d worker-3 processed item %d of the batch → ok ✓\n", i%60, i)
		}
	}
	return b.String()
}

// BenchmarkOpen10MiB measures a finished 10 MiB log from text to its first
// frame: split into lines (off the UI loop, in a command), handed to the
// viewer, first View.
func BenchmarkOpen10MiB(b *testing.B) {
	text := bigLog(10 << 20)
	st := styles(termenv.TrueColor)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		m := New(st, 1, "stdout").SetSize(120, 38).SetContent(Build(text))
		_ = m.View()
	}
}

// BenchmarkScrollStep measures one key (j) and the frame after it on a
// 10 MiB log, no wrap and wrapped.
func BenchmarkScrollStep(b *testing.B) {
	text := bigLog(10 << 20)
	for _, wrap := range []bool{false, true} {
		b.Run(fmt.Sprintf("wrap=%v", wrap), func(b *testing.B) {
			m := New(styles(termenv.TrueColor), 1, "stdout").SetSize(120, 38).SetContent(Build(text))
			m.wrap = wrap
			m.cursor, m.top = 100_000, 100_000-20
			down, up := keyMsg("j"), keyMsg("k")
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				k := down
				if i%64 >= 32 {
					k = up
				}
				m, _ = m.Update(k)
				_ = m.View()
			}
		})
	}
}

// BenchmarkSearch10MiB measures a search over a 10 MiB log (the command's
// work, which runs off the UI loop).
func BenchmarkSearch10MiB(b *testing.B) {
	m := New(styles(termenv.TrueColor), 1, "stdout").SetContent(Build(bigLog(10 << 20)))
	b.SetBytes(int64(m.st.bytes))
	for _, q := range []string{"traceback", "→ ok"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				_ = search(m.st.lines, m.st.partial, 0, q)
			}
		})
	}
}

// BenchmarkFollowAppend measures appending one streamed line while
// following and drawing the frame after it.
func BenchmarkFollowAppend(b *testing.B) {
	m := New(styles(termenv.TrueColor), 1, "stdout").SetSize(120, 38)
	m = m.Append(bigLog(1<<20), time.Time{})
	line := "2026-12-04T03:12:00 worker-3 processed item 1 of the batch → ok ✓\n"
	b.ResetTimer()
	for b.Loop() {
		m = m.Append(line, time.Time{})
		_ = m.View()
	}
}
