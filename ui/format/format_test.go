package format

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	t.Parallel()
	cases := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0ms"},
		{850 * time.Millisecond, "850ms"},
		{2400 * time.Millisecond, "2.4s"},
		{3*time.Minute + 12*time.Second, "3m12s"},
		{5*time.Hour + 2*time.Minute + 30*time.Second, "5h02m"},
	}
	for _, tc := range cases {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestDash(t *testing.T) {
	t.Parallel()
	if Dash("") != "-" || Dash("x") != "x" {
		t.Fatalf("Dash: %q %q", Dash(""), Dash("x"))
	}
}

func TestCutAndFit(t *testing.T) {
	t.Parallel()
	const styled = "\x1b[1mabcdef\x1b[0m"
	cases := []struct {
		name, s  string
		w        int
		cut, fit string
	}{
		{name: "shorter", s: "ab", w: 4, cut: "ab", fit: "ab  "},
		{name: "exact", s: "abcd", w: 4, cut: "abcd", fit: "abcd"},
		{name: "longer", s: "abcdef", w: 4, cut: "abc…", fit: "abc…"},
		{name: "wide runes", s: "日本語", w: 4, cut: "日…", fit: "日…"},
		{name: "styled longer", s: styled, w: 4, cut: "\x1b[1mabc…\x1b[0m", fit: "\x1b[1mabc…\x1b[0m"},
		{name: "styled shorter", s: "\x1b[1mab\x1b[0m", w: 3, cut: "\x1b[1mab\x1b[0m", fit: "\x1b[1mab\x1b[0m "},
		{name: "zero width", s: "ab", w: 0, cut: "", fit: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Cut(tc.s, tc.w); got != tc.cut {
				t.Errorf("Cut(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.cut)
			}
			if got := Fit(tc.s, tc.w); got != tc.fit {
				t.Errorf("Fit(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.fit)
			}
		})
	}
}
