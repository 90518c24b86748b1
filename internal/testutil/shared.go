package testutil

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/attune-tui/attune-tui/internal/devserver"
)

// shared holds the dev servers shared by the read-only tests of this test
// binary, one per seed, started on first use and stopped by
// CloseSharedDevServers. Test-only state: production code keeps none.
var shared = struct {
	mu sync.Mutex
	m  map[devserver.SeedOptions]*sharedDev
}{m: map[devserver.SeedOptions]*sharedDev{}}

// sharedDev is one shared server.
type sharedDev struct {
	once sync.Once
	ds   *DevServer
	dir  string
	stop func() error
	err  error
}

// SharedDevServer returns the dev server of this test binary seeded with
// opts (only Seed, Events, Adversarial and FirstID may be set), starting
// it on first use. It is for tests that only read the seeded data: a test
// that mutates the server, counts its requests, injects faults, uses live
// traffic, opens log streams (limited per identity) or moves its clock
// starts its own with StartDevServer. The package's TestMain must call
// CloseSharedDevServers after m.Run.
func SharedDevServer(tb testing.TB, opts DevOptions) *DevServer {
	tb.Helper()
	rest := opts
	rest.Seed, rest.Events, rest.Adversarial, rest.FirstID = 0, 0, false, 0
	if !reflect.ValueOf(rest).IsZero() {
		tb.Fatalf("testutil: a shared dev server takes only seed options (Seed, Events, Adversarial, FirstID); use StartDevServer")
	}
	so := seedOptions(opts)
	shared.mu.Lock()
	s := shared.m[so]
	if s == nil {
		s = &sharedDev{}
		shared.m[so] = s
	}
	shared.mu.Unlock()
	s.once.Do(func() {
		if s.dir, s.err = os.MkdirTemp("", "attune-testutil-shared-*"); s.err != nil {
			return
		}
		// Live traffic is off (rate 0): there is nothing to report.
		s.ds, s.stop, s.err = startDev(opts, s.dir, func(error) {})
	})
	if s.err != nil {
		tb.Fatalf("testutil: shared dev server: %v", s.err)
	}
	return s.ds
}

// CloseSharedDevServers stops the shared dev servers started by
// SharedDevServer and removes their files. Call it from TestMain after
// m.Run (the servers outlive every single test).
func CloseSharedDevServers() error {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	var errs []error
	for so, s := range shared.m {
		if s.stop != nil {
			if err := s.stop(); err != nil {
				errs = append(errs, fmt.Errorf("shared dev server %+v: %w", so, err))
			}
		}
		if s.dir != "" {
			errs = append(errs, os.RemoveAll(s.dir))
		}
		delete(shared.m, so)
	}
	return errors.Join(errs...)
}
