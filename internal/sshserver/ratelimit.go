package sshserver

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate is a per-client-address connection rate limit: Burst connections at
// once, refilled at PerSecond connections per second. The zero Rate disables
// the limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// String formats r the way ParseRate reads it.
func (r Rate) String() string {
	if r.Disabled() {
		return "0"
	}
	return strconv.FormatFloat(r.PerSecond, 'g', -1, 64) + ":" + strconv.Itoa(r.Burst)
}

// Disabled reports whether r imposes no limit.
func (r Rate) Disabled() bool { return r.PerSecond <= 0 }

// ParseRate reads a rate written as "PER_SECOND[:BURST]", for example "1:5"
// (one new connection per second, five at once) or "0.2" (burst 1). "0"
// disables the limit.
func ParseRate(s string) (Rate, error) {
	perText, burstText, hasBurst := strings.Cut(strings.TrimSpace(s), ":")
	per, err := strconv.ParseFloat(perText, 64)
	if err != nil || math.IsNaN(per) || math.IsInf(per, 0) || per < 0 {
		return Rate{}, fmt.Errorf("rate %q: want PER_SECOND[:BURST], e.g. 1:5", s)
	}
	if per == 0 {
		return Rate{}, nil
	}
	burst := 1
	if hasBurst {
		burst, err = strconv.Atoi(burstText)
		if err != nil || burst < 1 {
			return Rate{}, fmt.Errorf("rate %q: burst must be a positive integer", s)
		}
	}
	return Rate{PerSecond: per, Burst: burst}, nil
}

// maxLimiterEntries bounds the per-address table. When it is full and no
// entry can be dropped, new addresses are refused until buckets refill.
const maxLimiterEntries = 16384

// bucket is one address's token bucket.
type bucket struct {
	tokens float64
	last   time.Time
}

// ipLimiter is a token bucket per client address (per /64 for IPv6), checked
// when a TCP connection is accepted, before any SSH handshake or
// authentication happens.
type ipLimiter struct {
	rate Rate
	now  func() time.Time

	mu      sync.Mutex
	buckets map[netip.Addr]*bucket
}

// newIPLimiter returns a limiter for r using now as its clock.
func newIPLimiter(r Rate, now func() time.Time) *ipLimiter {
	return &ipLimiter{rate: r, now: now, buckets: map[netip.Addr]*bucket{}}
}

// limiterKey maps a remote address to its bucket key: the IPv4 address, or
// the /64 prefix of an IPv6 address (one host usually owns a whole /64).
func limiterKey(addr net.Addr) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return netip.Addr{}, false
	}
	ip := ap.Addr().Unmap()
	if ip.Is6() {
		p, err := ip.Prefix(64)
		if err != nil {
			return netip.Addr{}, false
		}
		ip = p.Addr()
	}
	return ip, true
}

// allow takes a token for addr and reports whether the connection may
// proceed.
func (l *ipLimiter) allow(addr net.Addr) bool {
	if l.rate.Disabled() {
		return true
	}
	key, ok := limiterKey(addr)
	if !ok {
		return false
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxLimiterEntries {
			l.pruneLocked(now)
			if len(l.buckets) >= maxLimiterEntries {
				return false
			}
		}
		b = &bucket{tokens: float64(l.rate.Burst), last: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// refill adds the tokens earned since b.last.
func (l *ipLimiter) refill(b *bucket, now time.Time) {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(float64(l.rate.Burst), b.tokens+elapsed*l.rate.PerSecond)
		b.last = now
	}
}

// pruneLocked drops buckets that are full again: they carry no information.
func (l *ipLimiter) pruneLocked(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= float64(l.rate.Burst) {
			delete(l.buckets, k)
		}
	}
}

// graceConn is the server side of a TCP connection until the client opens
// its first session: every deadline set on it is capped at the login grace
// deadline, so a client that connects and stalls (before or after
// authentication) is dropped after the grace period.
type graceConn struct {
	net.Conn

	// after is the deadline distance set when the grace period ends (the
	// server's connection backstop); 0 means none.
	after time.Duration

	mu       sync.Mutex
	deadline time.Time // zero once a session has started
}

// SetDeadline caps d at the grace deadline while the grace period runs.
func (c *graceConn) SetDeadline(d time.Time) error {
	return c.Conn.SetDeadline(c.cap(d))
}

// SetReadDeadline caps d at the grace deadline while the grace period runs.
func (c *graceConn) SetReadDeadline(d time.Time) error {
	return c.Conn.SetReadDeadline(c.cap(d))
}

// SetWriteDeadline caps d at the grace deadline while the grace period runs.
func (c *graceConn) SetWriteDeadline(d time.Time) error {
	return c.Conn.SetWriteDeadline(c.cap(d))
}

// cap returns the earlier of d and the grace deadline.
func (c *graceConn) cap(d time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.deadline.IsZero() {
		return d
	}
	if d.IsZero() || c.deadline.Before(d) {
		return c.deadline
	}
	return d
}

// endGrace lifts the grace deadline; the server's idle and maximum timeouts
// apply from the next read or write on.
func (c *graceConn) endGrace() {
	c.mu.Lock()
	wasSet := !c.deadline.IsZero()
	c.deadline = time.Time{}
	c.mu.Unlock()
	if !wasSet {
		return
	}
	var d time.Time
	if c.after > 0 {
		d = time.Now().Add(c.after)
	}
	_ = c.Conn.SetDeadline(d)
}
