package jsonview

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParse checks that any input parses without panicking, agrees with
// encoding/json on validity, copies back exactly, and renders safely. The
// seed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte(goldenDoc))
	f.Add([]byte(foldDoc))
	f.Add([]byte("\x1b[31m{"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 1<<16 {
			t.Skip("bounded input size")
		}
		d, err := Parse(raw)
		if d == nil {
			t.Fatal("nil document")
		}
		// Whitespace-only input is an empty document, not an error.
		valid := json.Valid(raw) || len(bytes.Trim(raw, " \t\r\n")) == 0
		if valid != (err == nil) {
			t.Fatalf("Parse err = %v, json.Valid = %v", err, valid)
		}
		m := New(WithDocument(d), WithSize(40, 8))
		if err == nil && !d.Empty() {
			var want bytes.Buffer
			if cerr := json.Compact(&want, raw); cerr != nil {
				t.Fatalf("compact: %v", cerr)
			}
			var ind bytes.Buffer
			if ierr := json.Indent(&ind, raw, "", "  "); ierr != nil {
				t.Fatalf("indent: %v", ierr)
			}
			if got := d.pretty(0, 1<<30); got != strings.TrimSpace(ind.String()) {
				t.Fatalf("pretty = %q, want %q", got, ind.String())
			}
			_, msg := press(t, m, "y")
			if cm, ok := msg.(CopyMsg); !ok || cm.Text != want.String() {
				t.Fatalf("y = %#v, want %q", msg, want.String())
			}
		}
		for _, k := range []string{"j", "G", "Z", "k", "l", "E", "h", "pgup", " ", "o"} {
			m, _ = press(t, m, k)
			if v := m.View(); strings.Contains(v, "\x1b") {
				t.Fatalf("raw ESC in View after %q: %q", k, v)
			}
		}
		_ = m.SelectedPath()
	})
}
