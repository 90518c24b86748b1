package demoenv

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     time.Time
		set      bool
		err      string
	}{
		{name: "unset", in: ""},
		{name: "utc", in: "2026-06-11T14:05:00Z", want: time.Date(2026, 6, 11, 14, 5, 0, 0, time.UTC), set: true},
		{name: "offset", in: "2026-06-11T16:05:00+02:00", want: time.Date(2026, 6, 11, 14, 5, 0, 0, time.UTC), set: true},
		{name: "bad", in: "yesterday", err: "ATTUNE_DEMO_NOW=\"yesterday\": want an RFC 3339 time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, set, err := parse(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || set != tc.set || !got.Equal(tc.want) {
				t.Fatalf("parse(%q) = %v, %v, %v; want %v, %v", tc.in, got, set, err, tc.want, tc.set)
			}
		})
	}
}

func TestNowReadsEnv(t *testing.T) {
	t.Setenv(NowEnv, "2026-06-11T14:05:00Z")
	got, set, err := Now()
	if err != nil || !set || !got.Equal(time.Date(2026, 6, 11, 14, 5, 0, 0, time.UTC)) {
		t.Fatalf("Now() = %v, %v, %v", got, set, err)
	}
}

func TestParseListen(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want, err string }{
		{in: ""},
		{in: "127.0.0.1:7780", want: "127.0.0.1:7780"},
		{in: "[::1]:7780", want: "[::1]:7780"},
		{in: "0.0.0.0:7780", err: "loopback IP only"},
		{in: "localhost:7780", err: "loopback IP only"},
		{in: "7780", err: "want a loopback address"},
	}
	for _, tc := range cases {
		got, err := parseListen(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), ListenEnv) {
				t.Errorf("parseListen(%q) err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseListen(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
