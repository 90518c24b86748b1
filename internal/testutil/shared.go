package testutil

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil/onceper"
)

// shared holds the dev servers shared by the read-only tests of this test
// binary, one per seed, started on first use and stopped by
// CloseSharedDevServers. Test-only state: production code keeps none.
var shared onceper.Map[devserver.SeedOptions, *sharedDev]

// sharedDev is one shared server.
type sharedDev struct {
	so   devserver.SeedOptions
	ds   *DevServer
	dir  string
	stop func() error
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
	s, err := shared.Get(so, func() (*sharedDev, error) {
		s := &sharedDev{so: so}
		var err error
		if s.dir, err = os.MkdirTemp("", "attune-testutil-shared-*"); err != nil {
			return nil, err
		}
		// Live traffic is off (rate 0): there is nothing to report.
		if s.ds, s.stop, err = startDev(opts, s.dir, func(error) {}); err != nil {
			return nil, errors.Join(err, os.RemoveAll(s.dir))
		}
		return s, nil
	})
	if err != nil {
		tb.Fatalf("testutil: shared dev server: %v", err)
	}
	return s.ds
}

// CloseSharedDevServers stops the shared dev servers started by
// SharedDevServer and removes their files. Call it from TestMain after
// m.Run (the servers outlive every single test).
func CloseSharedDevServers() error {
	var errs []error
	for _, s := range shared.Take() {
		if err := s.stop(); err != nil {
			errs = append(errs, fmt.Errorf("shared dev server %+v: %w", s.so, err))
		}
		errs = append(errs, os.RemoveAll(s.dir))
	}
	return errors.Join(errs...)
}
