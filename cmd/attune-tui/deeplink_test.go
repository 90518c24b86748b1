package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// parseStart runs the command line through the command tree and returns
// the deep link the TUI would be started on.
func parseStart(t *testing.T, args ...string) (string, error) {
	t.Helper()
	start := "(the TUI did not run)"
	c := &cli{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	c.tui = func(_ context.Context, _ tuiFlags, s string) error { start = s; return nil }
	err := c.execute(context.Background(), args)
	return start, err
}

// TestDeepLinkParse: each deep link command, --open and their flags parse to
// the ":" command line that opens the screen; bad ones are usage errors.
func TestDeepLinkParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string // "" with wantErr: a usage error containing wantErr
		err  string
	}{
		{args: []string{"--demo", "event", "5"}, want: "event 5"},
		{args: []string{"event", "5", "--demo"}, want: "event 5"},
		{args: []string{"enforcement", "7"}, want: "enforcement 7"},
		{args: []string{"execution", "9"}, want: "execution 9"},
		{args: []string{"trace", "aws.cloudwatch_alarm.299"}, want: "trace aws.cloudwatch_alarm.299"},
		{args: []string{"trace", "299"}, want: "trace 299"},
		{args: []string{"why", "12"}, want: "why 12"},
		{args: []string{"events", "--trigger-ref", "core.webhook", "--rule-ref=r.x"}, want: "events trigger_ref:core.webhook rule_ref:r.x"},
		{args: []string{"events"}, want: "events"},
		{args: []string{"executions", "--action-ref", "core.echo", "--parent", "3"}, want: "executions action_ref:core.echo parent:3"},
		{args: []string{"enforcements", "--event", "4"}, want: "enforcements event:4"},
		{args: []string{"--open", "event/4812"}, want: "event 4812"},
		{args: []string{"--open", "events/trigger_ref:x rule_ref:y"}, want: "events trigger_ref:x rule_ref:y"},
		{args: []string{"--open", "trace/t.1"}, want: "trace t.1"},
		{args: []string{}, want: ""},
		{args: []string{"overview"}, want: "overview"},
		{args: []string{"--open", "overview"}, want: "overview"},
		{args: []string{"--open", "overview/x"}, err: "overview: takes no arguments"},
		{args: []string{"overview", "x"}, err: "unknown command"},
		{args: []string{"event", "0"}, err: `event: "0" is not a positive id`},
		{args: []string{"event", "x"}, err: "not a positive id"},
		{args: []string{"event"}, err: "accepts 1 arg"},
		{args: []string{"event", "1", "2"}, err: "accepts 1 arg"},
		{args: []string{"events", "--trigger-ref", "a b"}, err: "cannot hold spaces"},
		{args: []string{"events", "--action-ref", "x"}, err: "unknown flag --action-ref"},
		{args: []string{"--open", "rule/x"}, err: `unknown screen "rule"`},
		{args: []string{"--open", "logs/5"}, err: `unknown screen "logs"`},
		{args: []string{"--open", "events/nope:1"}, err: `unknown key "nope"`},
		{args: []string{"--open", "/5"}, err: "want SCREEN/ARGUMENT"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			got, err := parseStart(t, tc.args...)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || exitCode(err) != exitUsage {
					t.Fatalf("err = %v (exit %d), want a usage error containing %q", err, exitCode(err), tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("start = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestDeepLinkOpensScreen: the route parsed from a command line opens the
// TUI (against the seeded dev server) on its screen with the natural back
// stack below it, and esc goes back to the screen below.
func TestDeepLinkOpensScreen(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args  []string
		shown []string // on screen once it has loaded
		stack []string
	}{
		{args: []string{"event", "5"}, shown: []string{"Events › #5", "Payload"}, stack: []string{"Events", "#5"}},
		{args: []string{"enforcement", "5"}, shown: []string{"› Enforcement #5", "Conditions"}, stack: []string{"Enforcements", "Enforcement #5"}},
		{args: []string{"execution", "5"}, shown: []string{"› Execution #5"}, stack: []string{"Executions", "Execution #5"}},
		{args: []string{"trace", "299"}, shown: []string{"Trace of #299", "2 enforcements"}, stack: []string{"Events", "Trace of #299"}},
		{args: []string{"why", "299"}, shown: []string{"Rules for #299"}, stack: []string{"Events", "#299", "Rules for #299"}},
		{args: []string{"--open", "events/trigger_ref:aws.cloudwatch_alarm"}, shown: []string{"trigger_ref:aws.cloudwatch_alarm", "loaded"}, stack: []string{"Events"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			start, err := parseStart(t, append([]string{"--demo"}, tc.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			api, _ := uitest.StartDev(t, testutil.DevOptions{})
			deps := uitest.Deps(api)
			deps.Start, deps.Lifetime = start, t.Context()
			tm := teatest.NewTestModel(t, ui.New(deps), teatest.WithInitialTermSize(120, 40))
			t.Cleanup(func() { _ = tm.Quit() })
			// The breadcrumb shows the whole stack.
			waitScreen(t, tm, append(tc.shown, " "+strings.Join(tc.stack, " › ")+" ")...)
			if len(tc.stack) > 1 {
				tm.Send(uitest.Key("esc"))
				waitScreen(t, tm, tc.stack[len(tc.stack)-2])
			}
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			a := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*ui.App)
			if want := tc.stack[:max(len(tc.stack)-1, 1)]; !slices.Equal(a.Views(), want) {
				t.Errorf("stack after esc = %q, want %q (before: %q)", a.Views(), want, tc.stack)
			}
		})
	}
}

// waitScreen waits until the program's output holds every text.
func waitScreen(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}
