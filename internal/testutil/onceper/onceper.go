// Package onceper computes a value once per key, for test fixtures that a
// test binary builds once and shares (a seeded database, a shared dev
// server). It imports nothing of the project, so every package's tests can
// use it, the dev server's own included.
package onceper

import "sync"

// Map holds one value per key, each computed by the first Get of its key;
// concurrent Gets of that key wait for it. The zero Map is ready to use.
type Map[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*entry[V]
}

type entry[V any] struct {
	once sync.Once
	v    V
	err  error
}

// Get returns the value of k, computing it with make on the first call for
// k. A failure is kept too: later calls get the same error.
func (p *Map[K, V]) Get(k K, make func() (V, error)) (V, error) {
	p.mu.Lock()
	if p.m == nil {
		p.m = map[K]*entry[V]{}
	}
	e := p.m[k]
	if e == nil {
		e = &entry[V]{}
		p.m[k] = e
	}
	p.mu.Unlock()
	e.once.Do(func() { e.v, e.err = make() })
	return e.v, e.err
}

// Take empties the map and returns the values computed without error (to
// release them: a fixture's TestMain stops its servers), in no particular
// order. A Get after Take computes its key again.
func (p *Map[K, V]) Take() []V {
	p.mu.Lock()
	m := p.m
	p.m = nil
	p.mu.Unlock()
	var out []V
	for _, e := range m {
		e.once.Do(func() {}) // waits for a computation in flight
		if e.err == nil {
			out = append(out, e.v)
		}
	}
	return out
}
