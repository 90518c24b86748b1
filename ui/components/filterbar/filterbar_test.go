package filterbar

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	fields := []Field{{Name: "trigger_ref"}, {Name: "source", Int: true}, {Name: "trace_tag", Aliases: []string{"trace"}}}
	tests := []struct {
		name    string
		text    string
		want    []Token
		wantErr string
	}{
		{name: "empty", text: "  "},
		{name: "two tokens", text: "trigger_ref:core.webhook source:4", want: []Token{{"trigger_ref", "core.webhook"}, {"source", "4"}}},
		{name: "alias", text: "trace:a.b.1", want: []Token{{"trace_tag", "a.b.1"}}},
		{name: "value with colon", text: "trigger_ref:a:b", want: []Token{{"trigger_ref", "a:b"}}},
		{name: "no colon", text: "webhook", wantErr: `"webhook": want key:value (keys: trigger_ref, source, trace_tag)`},
		{name: "unknown key", text: "rule:x", wantErr: `unknown key "rule" (keys: trigger_ref, source, trace_tag)`},
		{name: "missing value", text: "trigger_ref:", wantErr: "trigger_ref: missing value"},
		{name: "not an id", text: "source:abc", wantErr: `source: "abc" is not a positive id`},
		{name: "zero id", text: "source:0", wantErr: `source: "0" is not a positive id`},
		{name: "twice", text: "source:1 source:2", wantErr: "source given twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(fields, tc.text)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("Parse(%q) error = %v, want %q", tc.text, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tc.text, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}
