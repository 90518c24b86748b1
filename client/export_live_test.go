package client

import "time"

// SetExecutionStreamIdle sets the idle timeout of streams started with o,
// for tests.
func SetExecutionStreamIdle(o *ExecutionStreamOptions, idle time.Duration) { o.idle = idle }
