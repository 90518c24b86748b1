package sshserver

import (
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"sync"
	"time"
)

// DefaultRefusalLogInterval is how often repeated refusals from one address
// are summarised in the log.
const DefaultRefusalLogInterval = 10 * time.Second

// maxRefusalEntries caps the addresses the refusal log itemises per
// interval; refusals from further addresses are summarised in one line.
const maxRefusalEntries = 256

// refusalKey is one address and one kind of refusal.
type refusalKey struct{ addr, what string }

// refusalLog rate-limits the log lines of refusals (rate-limited
// connections, forwarding requests): the first refusal of an address and
// kind is logged in full at once, the following ones are counted and
// written as one line per address and interval ("127.0.9.9: 48,112
// connections refused in the last 10 s"). Its table holds at most max
// entries; refusals from addresses past it are counted per kind and
// summarised, so a flood from many addresses cannot grow memory or the log.
type refusalLog struct {
	log      *slog.Logger
	interval time.Duration
	max      int

	mu       sync.Mutex
	counts   map[refusalKey]int // refusals since the last line
	overflow map[string]int     // per kind, refusals not itemised
}

// newRefusalLog returns a refusal log writing to log every interval.
func newRefusalLog(log *slog.Logger, interval time.Duration, max int) *refusalLog {
	return &refusalLog{log: log, interval: interval, max: max, counts: map[refusalKey]int{}, overflow: map[string]int{}}
}

// note records a refusal of kind what (a plural noun phrase, "connections
// refused") from addr. first writes the full line; it runs only for the
// first refusal of addr and what since their last summary.
func (r *refusalLog) note(addr, what string, first func()) {
	k := refusalKey{addr, what}
	r.mu.Lock()
	if _, ok := r.counts[k]; ok {
		r.counts[k]++
		r.mu.Unlock()
		return
	}
	if len(r.counts) >= r.max {
		r.overflow[what]++
		r.mu.Unlock()
		return
	}
	r.counts[k] = 0
	r.mu.Unlock()
	first()
}

// size returns how many entries the table holds.
func (r *refusalLog) size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.counts)
}

// flush writes one line per address and kind refused again since the last
// flush, and one per kind for the overflow. An entry with nothing new is
// dropped, so the next refusal from it is logged in full again.
func (r *refusalLog) flush() {
	type line struct {
		key refusalKey
		n   int
	}
	var lines []line
	r.mu.Lock()
	for k, n := range r.counts {
		if n == 0 {
			delete(r.counts, k)
			continue
		}
		lines = append(lines, line{k, n})
		r.counts[k] = 0
	}
	over := r.overflow
	r.overflow = map[string]int{}
	r.mu.Unlock()
	sort.Slice(lines, func(i, j int) bool {
		if lines[i].key.addr != lines[j].key.addr {
			return lines[i].key.addr < lines[j].key.addr
		}
		return lines[i].key.what < lines[j].key.what
	})
	every := seconds(r.interval)
	for _, l := range lines {
		r.log.Warn(fmt.Sprintf("%s: %s %s in the last %s", l.key.addr, thousands(l.n), l.key.what, every),
			"remote", l.key.addr, "count", l.n)
	}
	kinds := make([]string, 0, len(over))
	for what := range over {
		kinds = append(kinds, what)
	}
	sort.Strings(kinds)
	for _, what := range kinds {
		r.log.Warn(fmt.Sprintf("%s %s from other addresses in the last %s (not itemised: more than %d addresses)",
			thousands(over[what]), what, every, r.max), "count", over[what])
	}
}

// run flushes every interval until stop is closed, then once more.
func (r *refusalLog) run(stop <-chan struct{}) {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.flush()
		case <-stop:
			r.flush()
			return
		}
	}
}

// seconds renders d as "10 s" or "0.25 s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
}

// thousands renders n with comma separators: 48112 → "48,112".
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
