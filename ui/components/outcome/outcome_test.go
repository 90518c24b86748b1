package outcome

import (
	"testing"

	"github.com/attune-tui/attune-tui/client"
)

func TestTexts(t *testing.T) {
	t.Parallel()
	tally := func(st ...client.ExecutionStatus) Tally {
		var t Tally
		for _, s := range st {
			t.Add(s)
		}
		return t
	}
	tests := []struct {
		name              string
		cell              Cell
		long, short, enfs string
		worst             string
	}{
		{name: "unknown", cell: Cell{}, long: "…", short: "…", enfs: "…"},
		{name: "failed lookup", cell: Cell{State: Failed}, long: "?", short: "?", enfs: "?"},
		{name: "nothing", cell: Cell{State: Known}, long: "0", short: "0", enfs: "0"},
		{name: "no executions", cell: Cell{State: Known, Enforcements: 1}, long: "1 → 0", short: "1", enfs: "0"},
		{name: "mixed", cell: Cell{State: Known, Enforcements: 2, Executions: tally(client.ExecutionCompleted, client.ExecutionCompleted, client.ExecutionFailed)},
			long: "2 → 3 ✓2 ✗1", short: "2 ✗1", enfs: "3 ✓2 ✗1", worst: "failed"},
		{name: "one running", cell: Cell{State: Known, Enforcements: 1, Executions: tally(client.ExecutionScheduled)},
			long: "1 → running", short: "1 ↻1", enfs: "running", worst: "running"},
		{name: "two running", cell: Cell{State: Known, Enforcements: 1, Executions: tally(client.ExecutionRunning, client.ExecutionRequested)},
			long: "1 → 2 running", short: "1 ↻2", enfs: "2 running", worst: "running"},
		{name: "ok and running", cell: Cell{State: Known, Enforcements: 2, Executions: tally(client.ExecutionCompleted, client.ExecutionRunning)},
			long: "2 → 2 ✓1 ↻1", short: "2 ↻1", enfs: "2 ✓1 ↻1", worst: "running"},
		{name: "timeout is a failure", cell: Cell{State: Known, Enforcements: 1, Executions: tally(client.ExecutionTimeout)},
			long: "1 → 1 ✗1", short: "1 ✗1", enfs: "1 ✗1", worst: "failed"},
		{name: "all ok", cell: Cell{State: Known, Enforcements: 1, Executions: tally(client.ExecutionCompleted)},
			long: "1 → 1 ✓1", short: "1 ✓1", enfs: "1 ✓1", worst: "ok"},
		{name: "partial", cell: Cell{State: Partial, Enforcements: 2}, long: "2 → …", short: "2 …", enfs: "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := EventText(tc.cell); got != tc.long {
				t.Errorf("EventText = %q, want %q", got, tc.long)
			}
			if got := EventShort(tc.cell); got != tc.short {
				t.Errorf("EventShort = %q, want %q", got, tc.short)
			}
			if got := EnforcementText(tc.cell); got != tc.enfs {
				t.Errorf("EnforcementText = %q, want %q", got, tc.enfs)
			}
			if got := tc.cell.Worst(); got != tc.worst {
				t.Errorf("Worst = %q, want %q", got, tc.worst)
			}
		})
	}
}
