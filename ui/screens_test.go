package ui

import (
	"slices"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestMoreScreens golden-tests screens the chain flow does not reach, at
// 80×24 and 120×40 against the seeded dev server (seed 1, 300 events, the
// fixed clock of uitest.Now): the standalone execution list with F
// (problems only) on, and the trace's Timeline tab of event #299.
func TestMoreScreens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		command string
		// wantOpen is shown once the command's screen has loaded; keys
		// are then typed and want is waited for.
		wantOpen []string
		keys     []string
		want     []string
		// line says want must be on one output line (the header: "20
		// loaded" alone also matched the list before F).
		line  bool
		stack []string
	}{
		{name: "executions_problems", command: "executions",
			wantOpen: []string{"0-9/s/F", "status: all", "20 loaded"}, keys: []string{"F"},
			want: []string{"status: problems", "20 loaded", "34 failed"}, line: true, stack: []string{"Executions"}},
		{name: "trace_timeline", command: "trace 299",
			wantOpen: []string{"2 enforcements: 1 created, 1 processed", "execution #197", "no executions"}, keys: []string{"tab"},
			want: []string{"[Timeline aws.cloudwatch_alarm.299]", "execution   #197"}, stack: []string{"Events", "Trace of #299"}},
	}
	for _, tc := range tests {
		for _, sz := range sizes {
			t.Run(tc.name+"_"+sz.name, func(t *testing.T) {
				t.Parallel()
				api := uitest.SharedDev(t, testutil.DevOptions{})
				tm := start(t, uitest.Deps(api), sz.w, sz.h)
				wait(t, tm, "page 1", "Demo User")
				typeKeys(tm, ":")
				tm.Type(tc.command)
				typeKeys(tm, "enter")
				wait(t, tm, tc.wantOpen...)
				typeKeys(tm, tc.keys...)
				if tc.line {
					waitLine(t, tm, tc.want...)
				} else {
					wait(t, tm, tc.want...)
				}
				a, v := final(t, tm)
				if !slices.Equal(a.Views(), tc.stack) {
					t.Errorf("stack = %q, want %q", a.Views(), tc.stack)
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}
