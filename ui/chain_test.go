package ui

import (
	"slices"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// chainStep is one step of the event → enforcement → execution flow: the
// keys typed and the texts the screen shows afterwards.
type chainStep struct {
	name string
	keys []string
	want []string
}

// chainFlow is the flow the lead's tmux test drives (seed 1, 300 events:
// the newest event has no enforcements, the second, #299, has two, one of
// them processed with one execution).
func chainFlow() []chainStep {
	return []chainStep{
		{name: "enforcements", keys: []string{"down", "e"}, want: []string{"Enforcements of #299", "status: all", "2 loaded", "running"}},
		{name: "processed", keys: []string{"2"}, want: []string{"status: processed", "1 loaded"}},
		{name: "enforcement", keys: []string{"enter"}, want: []string{"Enforcement #188", "[Conditions]", "status processed", "✓ match"}},
		{name: "executions", keys: []string{"x"}, want: []string{"Executions of enf #188", "1 loaded", "34 failed"}},
		{name: "execution", keys: []string{"enter"}, want: []string{"Execution #197", "[Result]", "Children (0)", "(empty)"}},
		{name: "back", keys: []string{"esc", "esc", "esc"}, want: []string{"status: processed", "> "}},
		{name: "trace", keys: []string{"t"}, want: []string{"2 enforcements: 1 created, 1 processed", "execution #197", "no executions", "Timeline aws.cloudwatch_alarm.299"}},
	}
}

// TestChainFlow drives the flow and golden-tests the screen after each
// step at 80×24 and 120×40. Each golden replays the flow up to its step.
func TestChainFlow(t *testing.T) {
	t.Parallel()
	flow := chainFlow()
	for _, sz := range sizes {
		for n := range flow {
			t.Run(flow[n].name+"_"+sz.name, func(t *testing.T) {
				t.Parallel()
				api := uitest.SharedDev(t, testutil.DevOptions{})
				tm := start(t, uitest.Deps(api), sz.w, sz.h)
				wait(t, tm, "page 1", "Demo User")
				for _, st := range flow[:n+1] {
					typeKeys(tm, st.keys...)
					wait(t, tm, st.want...)
				}
				a, v := final(t, tm)
				want := map[string][]string{
					"enforcements": {"Events", "Enforcements of #299"},
					"processed":    {"Events", "Enforcements of #299"},
					"enforcement":  {"Events", "Enforcements of #299", "Enforcement #188"},
					"executions":   {"Events", "Enforcements of #299", "Enforcement #188", "Executions of enf #188"},
					"back":         {"Events", "Enforcements of #299"},
					"trace":        {"Events", "Enforcements of #299", "Trace of #299"},
				}[flow[n].name]
				if want != nil && !slices.Equal(a.Views(), want) {
					t.Errorf("stack = %q, want %q", a.Views(), want)
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}
