package jsonview

import (
	"testing"
)

func benchParse(b *testing.B, raw []byte) {
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse1MB(b *testing.B)  { benchParse(b, genDoc(1<<20)) }
func BenchmarkParse10MB(b *testing.B) { benchParse(b, genDoc(10<<20)) }

// BenchmarkOpen measures raw bytes to first frame: Parse, SetDocument, View.
func BenchmarkOpen(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"1MB", 1 << 20}, {"10MB", 10 << 20}} {
		raw := genDoc(size.n)
		b.Run(size.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, err := Parse(raw)
				if err != nil {
					b.Fatal(err)
				}
				m := New(WithSize(120, 40)).SetDocument(d)
				_ = m.View()
			}
		})
	}
}

// BenchmarkFirstView measures the first View after parse (1 MB).
func BenchmarkFirstView(b *testing.B) {
	d, err := Parse(genDoc(1 << 20))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m := New(WithSize(120, 40)).SetDocument(d)
		_ = m.View()
	}
}

// BenchmarkScrollStep measures one "j" (Update + View) at several sizes,
// scrolling through the middle of the document.
func BenchmarkScrollStep(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"1KB", 1 << 10}, {"1MB", 1 << 20}, {"10MB", 10 << 20}} {
		d, err := Parse(genDoc(size.n))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(size.name, func(b *testing.B) {
			m := New(WithSize(120, 40)).SetDocument(d)
			down, up := keyMsg("j"), keyMsg("k")
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				k := down
				if (i/50)%2 == 1 {
					k = up // stay within small documents
				}
				i++
				m, _ = m.Update(k)
				_ = m.View()
			}
		})
	}
}

// BenchmarkSearch measures a search command over 10 MB.
func BenchmarkSearch10MB(b *testing.B) {
	d, err := Parse(genDoc(10 << 20))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = searchCmd(d, 1, "host-7")()
	}
}
