package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestWhere: ":where" on the execution list keeps the loaded rows whose
// detail makes the jq predicate true — checked against the same page read
// directly — with the count in the header; ":where" alone clears it; a
// predicate that does not compile says so and changes nothing.
func TestWhere(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	p, _, err := api.Executions.List(context.Background(), &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 20}})
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, e := range p.Items {
		if e.Status == client.ExecutionFailed {
			failed = append(failed, fmt.Sprint(e.ID))
		}
	}
	if len(failed) == 0 || len(failed) == len(p.Items) {
		t.Fatalf("the first page has %d failed of %d: the test needs some of each", len(failed), len(p.Items))
	}
	deps := uitest.Deps(api)
	deps.Start = "executions"
	tm := start(t, deps, 120, 40)
	wait(t, tm, "20 loaded", "Demo User", "34 failed")

	typeKeys(tm, ":")
	tm.Type("where .status == (")
	typeKeys(tm, "enter")
	wait(t, tm, "where: jq:")

	typeKeys(tm, ":")
	tm.Type(`where .status=="failed"`)
	typeKeys(tm, "enter")
	want := fmt.Sprintf("%d of the newest 20 match", len(failed))
	waitLine(t, tm, "where .status", want)
	a, v := final(t, tm)
	var shown []string
	for _, l := range strings.Split(v, "\n") {
		f := strings.Fields(strings.TrimPrefix(l, ">"))
		// "191 9m ago slack.post_message failed …": the status is the fifth.
		if len(f) > 4 && f[2] == "ago" {
			if f[4] != "failed" {
				t.Errorf("a row the predicate does not match is shown: %q", l)
			}
			shown = append(shown, f[0])
		}
	}
	if !slices.Equal(shown, failed) {
		t.Errorf("rows shown = %v, want the failed ones %v", shown, failed)
	}
	if !slices.Equal(a.Views(), []string{"Executions"}) {
		t.Errorf("stack = %q", a.Views())
	}
}

// TestWhereCancel: esc stops a ":where" whose detail requests are slow
// (the dev server delays them), keeps the stack, and says how far it got;
// ":where" alone then shows every row again.
func TestWhereCancel(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	deps := uitest.Deps(api)
	deps.Start = "executions"
	tm := start(t, deps, 120, 40)
	wait(t, tm, "20 loaded", "Demo User", "34 failed")
	ds.Server.SetFaults(devserver.Faults{PathPrefix: "/api/v1/executions/", Latency: 5 * time.Second})
	typeKeys(tm, ":")
	tm.Type(`where .status == "failed"`)
	typeKeys(tm, "enter")
	wait(t, tm, "0 of 20 checked")
	typeKeys(tm, "esc")
	wait(t, tm, "cancelled after 0 of", "No loaded executions match")
	ds.Server.SetFaults(devserver.Faults{})
	typeKeys(tm, ":")
	tm.Type("where")
	typeKeys(tm, "enter")
	wait(t, tm, "page 1 · 20 loaded")
	a, v := final(t, tm)
	if strings.Contains(v, "where ") || !slices.Equal(a.Views(), []string{"Executions"}) {
		t.Errorf("after :where alone: stack %q\n%s", a.Views(), v)
	}
}
