package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestParseWatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, spec, err string }{
		{in: "executions status=failed", spec: "executions status=failed"},
		{in: "ex status:failed action_ref=core.*", spec: "executions status=failed action_ref=core.*"},
		{in: "enforcements rule_ref=x", spec: "enforcements rule_ref=x"},
		{in: "events", spec: "events"},
		{in: "", err: "usage: watch"},
		{in: "rules ref=x", err: `"rules" is not events`},
		{in: "executions colour=red", err: `no key "colour"`},
		{in: "executions status=broken", err: `"broken" is not a status`},
		{in: "executions status", err: "want key=value"},
		{in: "events trigger_ref=[", err: "bad pattern"},
	} {
		w, err := parseWatch(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("parseWatch(%q) error = %v, want %q", tc.in, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("parseWatch(%q): %v", tc.in, err)
		case tc.err == "" && w.spec != tc.spec:
			t.Errorf("parseWatch(%q).spec = %q, want %q", tc.in, w.spec, tc.spec)
		}
	}
}

func TestWatchMatchesOnce(t *testing.T) {
	t.Parallel()
	w, err := parseWatch("executions status=failed action_ref=core.*")
	if err != nil {
		t.Fatal(err)
	}
	note := func(id int64, status client.ExecutionStatus, ref string) *client.Notification {
		return &client.Notification{Type: client.NotifyExecutionStatusChanged, EntityType: "execution", EntityID: id,
			Execution: &client.ExecutionNotice{ID: id, Status: status, ActionRef: ref}}
	}
	for _, tc := range []struct {
		n    *client.Notification
		want bool
	}{
		{note(1, client.ExecutionStatus("running"), "core.http"), false},
		{note(1, client.ExecutionStatus("failed"), "core.http"), true},
		{note(1, client.ExecutionStatus("failed"), "core.http"), false}, // counted once
		{note(2, client.ExecutionStatus("failed"), "slack.post"), false},
		{&client.Notification{Type: client.NotifyEventCreated, EntityType: "event", EntityID: 3,
			Event: &client.EventNotice{ID: 3}}, false},
	} {
		typ, id, fields, ok := noticeFields(tc.n)
		got := ok && typ == w.typ && w.matches(fields) && w.hit(id)
		if got != tc.want {
			t.Errorf("%+v: hit = %v, want %v", tc.n.Execution, got, tc.want)
		}
	}
	if w.hits != 1 {
		t.Errorf("hits = %d, want 1", w.hits)
	}
}

// TestWatchRings: a watch that matches a new entity shows a toast and a
// count, and rings the bell through the program's output; :watches lists
// it and :unwatch removes it.
func TestWatchRings(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	deps := uitest.Deps(api)
	deps.NotifierURL = ds.NotifierURL
	out := &syncBuffer{}
	deps.Output = out
	tm := start(t, deps, 120, 40)
	wait(t, tm, "page 1", "● live", "300 ")
	typeKeys(tm, ":")
	tm.Type("watch events trigger_ref=*")
	typeKeys(tm, "enter")
	wait(t, tm, "watching events trigger_ref=*")
	if err := ds.Server.LiveStep(context.Background()); err != nil {
		t.Fatal(err)
	}
	wait(t, tm, "⚑ events trigger_ref=*: event #301")
	// The bell is written by a command of its own, maybe after the frame
	// with the toast.
	teatest.WaitFor(t, tm.Output(), func([]byte) bool { return strings.Contains(out.String(), "\a") },
		teatest.WithDuration(waitFor), teatest.WithCheckInterval(5*time.Millisecond))
	typeKeys(tm, "esc") // the toast goes with a key; the count stays
	wait(t, tm, "⚑ 1")
	typeKeys(tm, ":")
	tm.Type("watches")
	typeKeys(tm, "enter")
	wait(t, tm, "1  events trigger_ref=*  — 1 matched")
	typeKeys(tm, "x", ":")
	tm.Type("unwatch 1")
	typeKeys(tm, "enter")
	wait(t, tm, "stopped watching events trigger_ref=*")
	a, _ := final(t, tm)
	if len(a.watches.items) != 0 || a.status.Watch != "" {
		t.Errorf("after :unwatch: %d watches, count %q", len(a.watches.items), a.status.Watch)
	}
}
