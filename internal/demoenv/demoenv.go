// Package demoenv reads the environment settings of the demo that exist for
// reproducible screenshots and recordings, so that neither the command line
// nor the dev server's public options grow a flag for them.
//
// ATTUNE_DEMO_NOW=2026-06-11T14:05:00Z makes the demo (attune-tui --demo and
// attune-tui serve --demo) act as if it were that instant: the seeded data
// counts back from it, the dev server's clock starts there and runs, and
// the TUI's clock stays at it, so relative times ("3m ago") are the same on
// every run. It changes nothing outside the demo.
package demoenv

import (
	"fmt"
	"os"
	"time"
)

// NowEnv is the environment variable that fixes the demo's clock.
const NowEnv = "ATTUNE_DEMO_NOW"

// Now returns the instant ATTUNE_DEMO_NOW fixes, and whether it is set. A
// value that is not an RFC 3339 time is an error naming the variable.
func Now() (time.Time, bool, error) { return parse(os.Getenv(NowEnv)) }

func parse(v string) (time.Time, bool, error) {
	if v == "" {
		return time.Time{}, false, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%s=%q: want an RFC 3339 time such as 2026-06-11T14:05:00Z: %w", NowEnv, v, err)
	}
	return t.UTC(), true, nil
}
