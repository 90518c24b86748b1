package jqeval

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestTruthy(t *testing.T) {
	t.Parallel()
	b := Bounds{Timeout: time.Second, MaxBytes: 1 << 20}
	doc := []byte(`{"payload":{"n":12345678901234567890,"tags":["a","b"],"x":null,"ok":false}}`)
	tests := []struct {
		expr    string
		want    bool
		wantErr string
	}{
		{expr: `.payload.n == 12345678901234567890`, want: true},
		{expr: `.payload.tags | index("b") != null`, want: true},
		{expr: `.payload.x`, want: false},
		{expr: `.payload.ok`, want: false},
		{expr: `.payload.missing`, want: false},
		{expr: `empty`, want: false},
		{expr: `.payload.tags[]`, want: true}, // the first result decides
		{expr: `.payload.n | length > 1`, want: true},
		{expr: `[`, wantErr: "jq:"},
		{expr: `.payload.tags + 1`, wantErr: "jq:"},
		{expr: `def f: f; f`, wantErr: "does it loop?"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			q, err := Compile(tc.expr)
			var got bool
			if err == nil {
				bb := b
				if strings.HasPrefix(tc.expr, "def f") {
					bb.Timeout = 50 * time.Millisecond
				}
				got, err = q.Truthy(context.Background(), doc, bb)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Truthy = %t, %v; want %t", got, err, tc.want)
			}
		})
	}
}
