// Package demoenv reads the environment settings of the demo that exist for
// reproducible screenshots and recordings, so that neither the command line
// nor the dev server's public options grow a flag for them.
//
// ATTUNE_DEMO_NOW=2026-06-11T14:05:00Z makes the demo (attune-tui --demo and
// attune-tui serve --demo) act as if it were that instant: the seeded data
// counts back from it, the dev server's clock starts there and runs, and
// the TUI's clock stays at it, so relative times ("3m ago") are the same on
// every run. It changes nothing outside the demo.
//
// ATTUNE_DEMO_LISTEN=127.0.0.1:7780 serves the demo's API on that loopback
// address instead of a free port, so the server URL the status bar shows is
// the same on every run.
package demoenv

import (
	"fmt"
	"net"
	"os"
	"time"
)

// NowEnv is the environment variable that fixes the demo's clock.
const NowEnv = "ATTUNE_DEMO_NOW"

// ListenEnv is the environment variable that fixes the demo API's address.
const ListenEnv = "ATTUNE_DEMO_LISTEN"

// Listen returns the loopback address ATTUNE_DEMO_LISTEN names, or "" when
// it is not set. Anything but a loopback IP and a port is an error: the
// demo serves only this machine.
func Listen() (string, error) { return parseListen(os.Getenv(ListenEnv)) }

func parseListen(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	host, _, err := net.SplitHostPort(v)
	if err != nil {
		return "", fmt.Errorf("%s=%q: want a loopback address such as 127.0.0.1:7780: %w", ListenEnv, v, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("%s=%q: the demo listens on a loopback IP only (127.0.0.1 or ::1)", ListenEnv, v)
	}
	return v, nil
}

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
