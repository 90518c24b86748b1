package ui

import (
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/demoenv"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestDemoNowEnv: ATTUNE_DEMO_NOW stops the clock of a demo session at that
// instant, and changes nothing outside the demo.
func TestDemoNowEnv(t *testing.T) {
	fixed := time.Date(2026, 6, 11, 14, 5, 0, 0, time.UTC)
	t.Setenv(demoenv.NowEnv, fixed.Format(time.RFC3339))
	for _, demo := range []bool{true, false} {
		deps := uitest.Deps(nil)
		deps.Demo = demo
		a := New(deps)
		got := a.deps.Now()
		a.stop()
		want := uitest.Now()
		if demo {
			want = fixed
		}
		if !got.Equal(want) {
			t.Errorf("demo=%v: clock %v, want %v", demo, got, want)
		}
	}
}
