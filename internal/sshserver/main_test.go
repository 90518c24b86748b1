package sshserver

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves goroutines behind: every
// session, program and connection must end with its server.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
