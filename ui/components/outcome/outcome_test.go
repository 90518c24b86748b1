package outcome

import (
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
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

// TestJoinLive: live notices patch a join in place: a new enforcement of
// a scanned event joins its cell, its execution counts as running, a
// status change moves it to failed, and a compact notice or a gap is
// refused (the column then starts a new join).
func TestJoinLive(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ev := int64(7)
	j := NewJoin(1, true, "")
	j, _ = j.Apply(StepMsg{Gen: 1, Requests: 2,
		Enfs:  scan{read: 1, done: true},
		Execs: scan{read: 1, done: true},
	})
	row := Row{ID: ev, Created: base}
	if got := EventText(j.EventCell(row)); got != "0" {
		t.Fatalf("before: %q, want 0", got)
	}
	enf := int64(40)
	live := func(changed map[string]map[int64]bool, enfs map[int64]*client.EnforcementNotice, execs map[int64]*client.ExecutionNotice) common.LiveMsg {
		return common.LiveMsg{Changed: changed, Enforcements: enfs, Executions: execs}
	}
	if !j.Live(live(map[string]map[int64]bool{"enforcement": {enf: true}},
		map[int64]*client.EnforcementNotice{enf: {ID: enf, Event: &ev}}, nil)) {
		t.Fatal("a full enforcement notice was refused")
	}
	if got := EventText(j.EventCell(row)); got != "1 → 0" {
		t.Fatalf("after a new enforcement: %q, want 1 → 0", got)
	}
	x := &client.ExecutionNotice{ID: 90, Enforcement: &enf, Status: client.ExecutionRequested}
	j.Live(live(map[string]map[int64]bool{"execution": {90: true}}, nil, map[int64]*client.ExecutionNotice{90: x}))
	if got := EventText(j.EventCell(row)); got != "1 → running" {
		t.Fatalf("after its execution: %q, want 1 → running", got)
	}
	y := *x
	y.Status = client.ExecutionFailed
	j.Live(live(map[string]map[int64]bool{"execution": {90: true}}, nil, map[int64]*client.ExecutionNotice{90: &y}))
	if got := j.EventCell(row); EventText(got) != "1 → 1 ✗1" || got.Worst() != "failed" {
		t.Fatalf("after it failed: %q, want 1 → 1 ✗1", EventText(got))
	}
	if j.Live(live(map[string]map[int64]bool{"execution": {91: true}}, nil, nil)) {
		t.Error("a compact execution notice was applied")
	}
	if j.Live(common.LiveMsg{Gap: true}) {
		t.Error("a gap was applied")
	}
}
