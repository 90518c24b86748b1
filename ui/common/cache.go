package common

import (
	"net/url"
	"sync"
	"time"

	"github.com/attune-tui/attune-tui/client"
)

// DefaultCacheTTL is how long Cache keeps an answer.
const DefaultCacheTTL = 10 * time.Second

// Cache is a short-lived, per-program cache of API answers keyed by request,
// so that repeating a navigation within a few seconds (leaving a screen and
// opening it again, opening a trace twice) costs no requests. Views bypass
// it on an explicit refresh. One Cache belongs to one program (one SSH
// session); it is safe for the concurrent commands of that program.
type Cache struct {
	ttl time.Duration
	now func() time.Time
	max int

	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	val any
	at  time.Time
}

// NewCache returns a cache that keeps answers for ttl (DefaultCacheTTL when
// ttl ≤ 0), measured with the wall clock, and at most 512 entries.
func NewCache(ttl time.Duration) *Cache {
	if ttl <= 0 {
		ttl = DefaultCacheTTL
	}
	return &Cache{ttl: ttl, now: time.Now, max: 512, entries: map[string]cacheEntry{}}
}

// get returns the live entry for key.
func (c *Cache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	if c.now().Sub(e.at) > c.ttl {
		delete(c.entries, key)
		return nil, false
	}
	return e.val, true
}

// put stores val under key, dropping expired entries when full.
func (c *Cache) put(key string, val any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= c.max {
		for k, e := range c.entries {
			if now.Sub(e.at) > c.ttl {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[key] = cacheEntry{val: val, at: now}
}

// Cached returns the cached answer for key when c holds a fresh one and
// refresh is false; otherwise it calls fetch and caches a successful answer.
// A nil c always fetches. Cached values must be treated as immutable.
func Cached[T any](c *Cache, key string, refresh bool, fetch func() (T, *client.Response, error)) (T, error) {
	if c == nil {
		v, _, err := fetch()
		return v, err
	}
	if !refresh {
		if v, ok := c.get(key); ok {
			if t, ok := v.(T); ok {
				return t, nil
			}
		}
	}
	v, _, err := fetch()
	if err != nil {
		return v, err
	}
	c.put(key, v)
	return v, nil
}

// ListKey is the cache key of a list request: noun ("enforcements") and
// its query (the client options' Query).
func ListKey(noun string, q url.Values) string { return noun + "?" + q.Encode() }

// Clear forgets every answer (a live change made them stale).
func (c *Cache) Clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}
