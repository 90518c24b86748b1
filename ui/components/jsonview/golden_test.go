package jsonview

import (
	"strconv"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

const goldenDoc = `{
  "receiver": "attune",
  "status": "firing",
  "alerts": [
    {
      "labels": {"alertname": "DiskFull", "severity": "critical", "a.b": "dotted", "": "empty key"},
      "annotations": {"summary": "Disk /var is 97% full on host-01 in the eu-west-1 production cluster, please act now"},
      "startsAt": "2024-05-01T12:00:00Z",
      "value": 12345678901234567890, "ratio": 1.0, "huge": 1e400, "ok": false, "silenced": null, "tags": []
    }
  ],
  "evil": "\u001b]52;c;aGk=\u0007 \u202egnp.exe",
  "\u001b[2Jkey": 1
}`

// TestView golden-tests View at widths 40, 80 and 120 (ASCII profile, zero
// styles). Regenerate with: go test ./ui/components/jsonview -run TestView -update
func TestView(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		keys []string
		msgs []tea.Msg
		nilD bool
	}{
		{name: "expanded", raw: goldenDoc},
		{name: "cursor_scrolled", raw: goldenDoc, keys: []string{"ctrl+d", "j", "j", "j"}},
		{name: "collapse_all", raw: goldenDoc, keys: []string{"Z", "j", "j", "j"}},
		{name: "folded_node", raw: goldenDoc, keys: []string{"j", "j", "j", " ", "G"}},
		{name: "search", raw: goldenDoc, keys: []string{"Z", "/", "s", "e", "v", "enter", "n"}},
		{name: "search_input", raw: goldenDoc, keys: []string{"/", "d", "i", "s", "k"}},
		{name: "bottom", raw: goldenDoc, keys: []string{"G"}},
		{name: "invalid", raw: "{\"a\": 1,\n \"b\": \x1b[31mred\n}"},
		{name: "empty", raw: ""},
		{name: "scalar", raw: `"just a string"`},
		{name: "no_document", nilD: true},
	}
	for _, tc := range tests {
		for _, w := range []int{40, 80, 120} {
			t.Run(tc.name+"/"+strconv.Itoa(w), func(t *testing.T) {
				t.Parallel()
				var m Model
				if tc.nilD {
					m = New(WithSize(w, 12))
				} else {
					m = newModel(t, tc.raw, w, 12)
				}
				m, _ = press(t, m, tc.keys...)
				golden.RequireEqual(t, []byte(m.View()))
			})
		}
	}
}
