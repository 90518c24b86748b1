package client

import "time"

// SetLogTailTimeouts shortens a LogTail's idle timeout and header timeout
// for tests; call it before the first Next.
func SetLogTailTimeouts(t *LogTail, idle, header time.Duration) {
	t.idle, t.headerTimeout = idle, header
}
