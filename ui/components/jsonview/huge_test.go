package jsonview

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// genDoc returns a minified JSON array of mixed alert-like objects of at
// least n bytes, on a single line.
func genDoc(n int) []byte {
	var b bytes.Buffer
	b.Grow(n + 512)
	b.WriteString(`{"items":[`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":`)
		b.WriteString(strconv.Itoa(i))
		b.WriteString(`,"ref":"core.webhook_`)
		b.WriteString(strconv.Itoa(i % 97))
		b.WriteString(`","ok":true,"ratio":0.`)
		b.WriteString(strconv.Itoa(i))
		b.WriteString(`,"labels":{"severity":"warning","host":"host-`)
		b.WriteString(strconv.Itoa(i % 13))
		b.WriteString(`"},"tags":["a","b",null],"msg":"line\nwith \u001b[1m escapes"}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func genArray(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(i))
	}
	b.WriteByte(']')
	return b.Bytes()
}

func genDeep(depth int, object bool) []byte {
	open, close := "[", "]"
	if object {
		open, close = `{"a":`, "}"
	}
	return []byte(strings.Repeat(open, depth) + "1" + strings.Repeat(close, depth))
}

// TestHugeDocuments checks that large and pathological documents open, move,
// fold, search and copy without panicking, and that views stay bounded.
func TestHugeDocuments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		raw   func() []byte
		short bool // also run with -short
	}{
		{name: "1MB minified line", raw: func() []byte { return genDoc(1 << 20) }, short: true},
		{name: "10MB", raw: func() []byte { return genDoc(10 << 20) }},
		{name: "10k deep arrays", raw: func() []byte { return genDeep(10000, false) }, short: true},
		{name: "10k deep objects", raw: func() []byte { return genDeep(10000, true) }, short: true},
		{name: "1M-element array", raw: func() []byte { return genArray(1_000_000) }},
		{name: "1MB string", raw: func() []byte { return []byte(`{"s":"` + strings.Repeat("é", 1<<19) + `"}`) }, short: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() && !tc.short {
				t.Skip("large document skipped in -short mode")
			}
			raw := tc.raw()
			d, err := Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !json.Valid(raw) {
				t.Fatal("generator made invalid JSON")
			}
			m := New(WithDocument(d), WithSize(80, 24))
			check := func(step string) {
				t.Helper()
				v := m.View()
				lines := strings.Split(v, "\n")
				if len(lines) != 24 {
					t.Fatalf("%s: View has %d lines", step, len(lines))
				}
				for i, l := range lines {
					if w := len([]rune(l)); w > 80 {
						t.Fatalf("%s: line %d is %d runes wide", step, i, w)
					}
				}
				if strings.Contains(v, "\x1b") {
					t.Fatalf("%s: raw ESC in View", step)
				}
			}
			check("open")
			for _, k := range []string{"j", "pgdown", "G", "k", "ctrl+u", "g", "Z", "j", "l", "E", "G"} {
				m, _ = press(t, m, k)
				check(k)
			}
			q := "1"
			if strings.HasPrefix(tc.name, "1MB string") {
				q = "s"
			}
			m = typeSearch(t, m, q)
			if m.Matches() == 0 {
				t.Errorf("search for %q found nothing", q)
			}
			m, _ = press(t, m, "N", "n")
			check("search")
			_, msg := press(t, m, "Y")
			if cm, ok := msg.(CopyMsg); !ok || len(cm.Text) == 0 || len(cm.Text) > len(raw) {
				t.Errorf("Y produced %T", msg)
			}
		})
	}
}

func TestDeepPathIsBoundedInHeader(t *testing.T) {
	t.Parallel()
	m := New(WithSize(60, 5))
	d, err := Parse(genDeep(10000, true))
	if err != nil {
		t.Fatal(err)
	}
	m = m.SetDocument(d)
	for range 9999 {
		m, _ = press(t, m, "j")
	}
	header := strings.SplitN(m.View(), "\n", 2)[0]
	if !strings.HasPrefix(header, "…") || !strings.HasSuffix(header, ".a.a") {
		t.Errorf("header %q", header)
	}
	if got := len(m.SelectedPath()); got != 2*9999 {
		t.Errorf("SelectedPath length %d, want %d", got, 2*9999)
	}
}

func TestOpenPagerIsBounded(t *testing.T) {
	t.Parallel()
	// Indenting 20,000 levels would take about 400 MB; the pager text is cut.
	d, err := Parse(genDeep(20000, false))
	if err != nil {
		t.Fatal(err)
	}
	_, msg := press(t, New(WithDocument(d), WithSize(40, 8)), "o")
	pm, ok := msg.(OpenPagerMsg)
	if !ok {
		t.Fatalf("o produced %T", msg)
	}
	if len(pm.Text) > 2<<20 || !strings.Contains(pm.Text, "…") {
		t.Errorf("pager text is %d bytes, want it cut with a marker", len(pm.Text))
	}
}
