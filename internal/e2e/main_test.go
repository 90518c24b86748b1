package e2e

import (
	"fmt"
	"os"
	"testing"
)

// bin is the attune-tui binary TestMain built for this run.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "attune-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	bin, err = buildBinary(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build attune-tui:", err)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
