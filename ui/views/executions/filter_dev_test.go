package executions

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestFilterEveryAPIKey applies every execution filter key the API has
// through the bar against the dev server and checks each answer against
// the rows themselves (or the query sent, for keys the rows do not show).
func TestFilterEveryAPIKey(t *testing.T) {
	t.Parallel()
	api, _ := uitest.StartDev(t, testutil.DevOptions{Seed: 3, Events: 200})
	m := New(uitest.Deps(api), 0).SetSize(120, 30).(Model)
	m, _ = feed(m, m.Init())
	if m.Loaded() == 0 {
		t.Fatal("nothing loaded")
	}
	apply := func(t *testing.T, text string) Model {
		t.Helper()
		mm, _ := press(m, "/", "ctrl+u")
		mm, _ = press(mm, text, "enter")
		if mm.InputFocused() {
			t.Fatalf("%s: the bar stayed open:\n%s", text, mm.View())
		}
		return mm
	}
	t.Run("status", func(t *testing.T) {
		mm := apply(t, "status:failed")
		if mm.Status() != client.ExecutionFailed || mm.Loaded() == 0 {
			t.Fatalf("status = %q, %d rows", mm.Status(), mm.Loaded())
		}
		for _, r := range mm.lv.Items() {
			if r.status != client.ExecutionFailed {
				t.Fatalf("row %d is %s", r.id, r.status)
			}
		}
		// A status key replaces the typed status.
		mm, _ = press(mm, "0")
		if mm.Status() != "" || strings.Contains(mm.lv.Chips(), "status:") {
			t.Fatalf("0 left status %q, chips %q", mm.Status(), mm.lv.Chips())
		}
	})
	t.Run("result_contains", func(t *testing.T) {
		mm, _ := press(m, "/", "result_contains:")
		if v := mm.View(); !strings.Contains(v, "a rare term makes the server scan") {
			t.Errorf("no note on result_contains:\n%s", v)
		}
		mm = apply(t, "result_contains:TIMEOUT")
		if mm.Query().ResultContains != "TIMEOUT" || mm.Loaded() == 0 {
			t.Fatalf("query %+v, %d rows", mm.Query(), mm.Loaded())
		}
		for _, r := range mm.lv.Items() {
			ex, _, err := api.Executions.Get(context.Background(), r.id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.ToLower(string(ex.Result)), "timeout") {
				t.Fatalf("execution %d's result lacks the term: %s", r.id, ex.Result)
			}
		}
	})
	t.Run("the others", func(t *testing.T) {
		mm := apply(t, "pack:core top:true executor:1 trigger_ref:core.*")
		q := mm.Query()
		if q.PackName != "core" || !q.TopLevelOnly || q.Executor != 1 || q.TriggerRef != "core.*" {
			t.Fatalf("query %+v", q)
		}
		for _, r := range mm.lv.Items() {
			if !strings.HasPrefix(r.action, "core.") || r.parentText != "-" {
				t.Fatalf("row %d: action %s parent %s", r.id, r.action, r.parentText)
			}
		}
	})
	t.Run("wildcards", func(t *testing.T) {
		// pack.* is the API's own: one list, sent as typed.
		mm := apply(t, "trigger_ref:github.*")
		if mm.Query().TriggerRef != "github.*" || strings.Contains(mm.lv.Chips(), "→") {
			t.Fatalf("query %+v, chips %q", mm.Query(), mm.lv.Chips())
		}
		// Any other wildcard expands into the known refs, merged.
		mm = apply(t, "trigger_ref:*pu*")
		if got := mm.lv.Chips(); got != "trigger_ref:*pu*→github.pull_request,github.push" {
			t.Fatalf("chips %q", got)
		}
		want := map[int64]bool{}
		for _, ref := range []string{"github.pull_request", "github.push"} {
			for p := 1; ; p++ {
				page, _, err := api.Executions.List(context.Background(), &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: p, PerPage: 100}, TriggerRef: ref})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page.Items {
					want[e.ID] = true
				}
				if !page.Pagination.HasNext {
					break
				}
			}
		}
		if mm.Loaded() == 0 || mm.Loaded() > len(want) {
			t.Fatalf("%d rows loaded, %d match", mm.Loaded(), len(want))
		}
		for _, r := range mm.lv.Items() {
			if !want[r.id] {
				t.Fatalf("execution %d is not of a github trigger", r.id)
			}
		}
		// @ needs one server-side list.
		_, intents := press(mm, "@")
		if len(intents) != 1 || !strings.Contains(fmt.Sprint(intents[0]), "not a wildcard") {
			t.Fatalf("@ on a merged list: %v", intents)
		}
	})
}
