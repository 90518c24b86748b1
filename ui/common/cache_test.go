package common

import (
	"errors"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
)

func TestCached(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cache     bool
		advance   time.Duration
		refresh   bool
		failFirst bool
		wantCalls int
	}{
		{name: "repeat is served", cache: true, wantCalls: 1},
		{name: "nil cache always fetches", wantCalls: 2},
		{name: "refresh bypasses", cache: true, refresh: true, wantCalls: 2},
		{name: "expired entry refetches", cache: true, advance: DefaultCacheTTL + time.Second, wantCalls: 2},
		{name: "errors are not cached", cache: true, failFirst: true, wantCalls: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := time.Unix(1000, 0)
			var c *Cache
			if tc.cache {
				c = NewCache(0)
				c.now = func() time.Time { return now }
			}
			calls := 0
			fetch := func() (int, *client.Response, error) {
				calls++
				if tc.failFirst && calls == 1 {
					return 0, nil, errors.New("boom")
				}
				return 42, nil, nil
			}
			_, _ = Cached(c, "k", false, fetch)
			now = now.Add(tc.advance)
			v, err := Cached(c, "k", tc.refresh, fetch)
			if err != nil || v != 42 || calls != tc.wantCalls {
				t.Errorf("v=%d err=%v calls=%d, want 42, nil, %d", v, err, calls, tc.wantCalls)
			}
		})
	}
}
