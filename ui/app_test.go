package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
	"go.uber.org/goleak"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
	"github.com/attune-tui/attune-tui/ui/views/eventdetail"
	"github.com/attune-tui/attune-tui/ui/views/events"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	// teatest's SIGINT watcher goroutine never ends (it waits for a signal
	// for the life of the process); everything else must, the shared dev
	// servers included (stopped before the check).
	goleak.VerifyTestMain(closeShared{m}, goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest.NewTestModel.func2"))
}

// closeShared runs the tests, then stops the shared dev servers
// (uitest.SharedDev).
type closeShared struct{ m *testing.M }

// Run implements goleak.TestingM.
func (c closeShared) Run() int {
	code := c.m.Run()
	if err := testutil.CloseSharedDevServers(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return code
}

var sizes = []struct {
	name string
	w, h int
}{
	{"80x24", 80, 24},
	{"120x40", 120, 40},
}

const waitFor = 10 * time.Second

// start runs the app in a test program of size w×h.
func start(t *testing.T, deps common.Deps, w, h int) *teatest.TestModel {
	t.Helper()
	if deps.Lifetime == nil {
		// teatest quits the program without the app seeing it: end the
		// requests in flight with the test instead.
		deps.Lifetime = t.Context()
	}
	tm := teatest.NewTestModel(t, New(deps), teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm
}

// wait blocks until the screen output contains every text.
func wait(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(waitFor), teatest.WithCheckInterval(5*time.Millisecond))
}

// waitLine blocks until one output line contains every text.
func waitLine(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, line := range bytes.Split(b, []byte("\n")) {
			all := true
			for _, s := range texts {
				all = all && bytes.Contains(line, []byte(s))
			}
			if all {
				return true
			}
		}
		return false
	}, teatest.WithDuration(waitFor), teatest.WithCheckInterval(5*time.Millisecond))
}

// final quits and returns the final screen, with the spinner frame
// normalised.
func final(t *testing.T, tm *teatest.TestModel) (*App, string) {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	a := tm.FinalModel(t, teatest.WithFinalTimeout(waitFor)).(*App)
	v := a.View()
	for _, f := range []string{"/", "-", "\\"} {
		v = strings.ReplaceAll(v, f+" Loading", "| Loading")
	}
	return a, v
}

func typeKeys(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(uitest.Key(k))
	}
}

// blockingAPI is an API whose event list never answers until the
// request's context ends.
func blockingAPI() *common.API {
	a := uitest.Fake()
	a.Events = blockingEvents{a.Events}
	return a
}

type blockingEvents struct{ common.EventsAPI }

func (blockingEvents) List(ctx context.Context, _ *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error) {
	<-ctx.Done()
	return nil, nil, ctx.Err()
}

// failingAPI is an API whose event list fails with a server error.
func failingAPI() *common.API {
	a := uitest.Fake()
	a.Events = failingEvents{a.Events}
	return a
}

type failingEvents struct{ common.EventsAPI }

func (failingEvents) List(context.Context, *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error) {
	return nil, nil, &client.APIError{StatusCode: 500, Code: "INTERNAL_SERVER_ERROR", Message: "database \x1b[31munavailable", Method: "GET", Path: "/api/v1/events"}
}

func TestEventListStates(t *testing.T) {
	t.Parallel()
	for _, sz := range sizes {
		t.Run("ready_"+sz.name, func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{})
			tm := start(t, uitest.Deps(api), sz.w, sz.h)
			// ✗1 (event #287) shows that the CAUSED column is filled in.
			wait(t, tm, "page 1", "● ok", "Demo User", "✗1")
			_, v := final(t, tm)
			golden.RequireEqual(t, []byte(v))
		})
		t.Run("empty_"+sz.name, func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{})
			tm := start(t, uitest.Deps(api), sz.w, sz.h)
			wait(t, tm, "page 1", "Demo User")
			typeKeys(tm, "/")
			tm.Type("trigger_ref:no.such.trigger")
			typeKeys(tm, "enter")
			wait(t, tm, "No events match")
			_, v := final(t, tm)
			golden.RequireEqual(t, []byte(v))
		})
		t.Run("error_"+sz.name, func(t *testing.T) {
			t.Parallel()
			tm := start(t, uitest.Deps(failingAPI()), sz.w, sz.h)
			// (the error comes first in the status bar and pushes the user
			// name out of a narrow one, so it is not waited for)
			wait(t, tm, "press r to retry", "! details")
			_, v := final(t, tm)
			if strings.Contains(v, "\x1b[31m") {
				t.Fatal("raw escape sequence from the server reached the screen")
			}
			golden.RequireEqual(t, []byte(v))
		})
		t.Run("loading_"+sz.name, func(t *testing.T) {
			t.Parallel()
			d := uitest.Deps(blockingAPI())
			d.RequestTimeout = time.Minute
			tm := start(t, d, sz.w, sz.h)
			wait(t, tm, "Loading events", "tester")
			_, v := final(t, tm)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestFilterBar(t *testing.T) {
	t.Parallel()
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{})
			tm := start(t, uitest.Deps(api), sz.w, sz.h)
			wait(t, tm, "page 1", "Demo User", "✗1")
			typeKeys(tm, "/")
			tm.Type("rule_ref:core.heartbeat_echo bogus:1")
			wait(t, tm, "unknown key")
			a, v := final(t, tm)
			if !a.Active().InputFocused() {
				t.Error("the filter bar should have focus")
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestEventDetail(t *testing.T) {
	t.Parallel()
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			t.Parallel()
			api, ds := uitest.StartDev(t, testutil.DevOptions{})
			tm := start(t, uitest.Deps(api), sz.w, sz.h)
			wait(t, tm, "page 1", "Demo User")
			typeKeys(tm, "enter")
			wait(t, tm, "[Payload]", "> 1 ") // header, then the parsed payload
			a, v := final(t, tm)
			if got := a.Views(); len(got) != 2 || got[0] != "Events" {
				t.Errorf("stack = %v, want Events and the event", got)
			}
			if n := ds.Server.Requests("/api/v1/events/"); n != 1 {
				t.Errorf("GET /api/v1/events/{id} requests = %d, want 1", n)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestHelpOverlay(t *testing.T) {
	t.Parallel()
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{})
			tm := start(t, uitest.Deps(api), sz.w, sz.h)
			// The status bar's "● ok" comes with the page's SyncMsg, which
			// can be drawn after the rows under load: wait for it too.
			wait(t, tm, "page 1", "Demo User", "● ok")
			typeKeys(tm, "?")
			wait(t, tm, "Keys: Events") // at 80×24 "Global" is below the fold
			_, v := final(t, tm)
			if !regexp.MustCompile(`\be +enforcements\b`).MatchString(v) {
				t.Error("help does not list the e key although its screen exists")
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// TestHelpOverlayScrolls opens the executions list's help at 80×24, where
// it is taller than the screen: scroll keys move it, the last line says
// where it is, and any other key closes it.
func TestHelpOverlayScrolls(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	tm := start(t, uitest.Deps(api), 80, 24)
	wait(t, tm, "page 1", "Demo User")
	typeKeys(tm, ":", "executions", "enter")
	wait(t, tm, "status: all")
	typeKeys(tm, "?")
	wait(t, tm, "Keys: Executions", "lines 1–")
	typeKeys(tm, "G")
	wait(t, tm, "any key closes")
	typeKeys(tm, "k")
	a, v := final(t, tm)
	if a.overlay != overlayHelp {
		t.Fatal("a scroll key closed the help")
	}
	if strings.Contains(v, "Keys: Executions") {
		t.Error("the top of the help is still shown after G")
	}
	golden.RequireEqual(t, []byte(v))
	// Any other key closes it.
	a.Update(uitest.Key("x"))
	if a.overlay != overlayNone || a.overlayOff != 0 {
		t.Errorf("overlay %v at %d after x, want closed", a.overlay, a.overlayOff)
	}
}

// TestStartupWarnings: warnings found while configuring show on the first
// screen (stderr is hidden by the alternate screen), sanitised, all of them
// behind "!".
func TestStartupWarnings(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	d := uitest.Deps(api)
	d.Warnings = []string{"token file has mode 0644\x1b[2J", "TLS certificate verification is disabled"}
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1", "warning: token file has mode 0644", "(+1 more)")
	typeKeys(tm, "!")
	wait(t, tm, "Warnings at start", "TLS certificate verification is disabled")
	a, v := final(t, tm)
	if strings.Contains(v, "\x1b[2J") || !strings.Contains(v, `token file has mode 0644\x1b[2J`) {
		t.Errorf("warning not sanitised:\n%s", v)
	}
	if a.overlay != overlayError {
		t.Errorf("overlay = %v, want the warnings", a.overlay)
	}
}

// TestStartupWarningsOutliveErrors: a failure right at start takes the
// status bar, but "!" still shows the warnings below it.
func TestStartupWarningsOutliveErrors(t *testing.T) {
	t.Parallel()
	api, f := flakyAPI(t, testutil.DevOptions{})
	// Resets, not a stopped server: a freed port can be taken by another
	// test's server meanwhile.
	f.Server.SetFaults(devserver.Faults{PathPrefix: "/api/v1/events", ResetRate: 1})
	d := uitest.Deps(api)
	d.Warnings = []string{"token file has mode 0644"}
	tm := start(t, d, 120, 40)
	wait(t, tm, "! events")
	typeKeys(tm, "!")
	wait(t, tm, "Last error", "Warnings at start", "token file has mode 0644")
	_, _ = final(t, tm)
}

func TestLoginForm(t *testing.T) {
	t.Parallel()
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			t.Parallel()
			ds := testutil.StartDevServer(t, testutil.DevOptions{})
			d := uitest.Deps(nil)
			d.LoginName = ds.Login
			d.Login = LoginWith(ds.URL)
			tm := start(t, d, sz.w, sz.h)
			wait(t, tm, "Sign in to Attune")
			tm.Type(ds.Password)
			wait(t, tm, strings.Repeat("•", len(ds.Password)))
			typeKeys(tm, "enter")
			wait(t, tm, "page 1")
			_ = tm.Quit()
			out, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(waitFor)))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(out, []byte("Password: "+ds.Password)) {
				t.Error("the password was echoed")
			}
		})
	}
}

func TestLoginFormGolden(t *testing.T) {
	t.Parallel()
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			t.Parallel()
			d := uitest.Deps(nil)
			d.LoginName = "demo"
			d.Login = func(context.Context, string, string) (*common.API, error) {
				return nil, &client.APIError{StatusCode: 401, Code: "UNAUTHORIZED", Message: "Invalid login or password", Method: "POST", Path: "/auth/login"}
			}
			tm := start(t, d, sz.w, sz.h)
			wait(t, tm, "Sign in to Attune")
			tm.Type("wrong")
			typeKeys(tm, "enter")
			wait(t, tm, "Invalid login or password")
			_, v := final(t, tm)
			if strings.Contains(v, "wrong") {
				t.Error("the password is visible")
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestBackRestoresCursorAndFilter(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	tm := start(t, uitest.Deps(api), 100, 30)
	wait(t, tm, "page 1")
	typeKeys(tm, "/")
	tm.Type("trigger_ref:core.intervaltimer")
	typeKeys(tm, "enter")
	waitLine(t, tm, "loaded", "trigger_ref:core.intervaltimer ") // the filtered page arrived
	typeKeys(tm, "down", "down", "down", "enter")
	wait(t, tm, "[Payload]")
	typeKeys(tm, "esc")
	wait(t, tm, "page 1")
	a, _ := final(t, tm)
	ev, ok := a.Active().(events.Model)
	if !ok {
		t.Fatalf("active view = %T, want events.Model", a.Active())
	}
	if ev.Cursor() != 3 || ev.Query().TriggerRef != "core.intervaltimer" {
		t.Errorf("after esc: cursor %d filter %q, want 3 and core.intervaltimer", ev.Cursor(), ev.Query().TriggerRef)
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		command string
		want    string
		check   func(t *testing.T, a *App)
	}{
		{name: "enforcements", command: "enforcements", want: "status: all"},
		{name: "executions", command: "executions", want: "status: all"},
		{name: "unknown", command: "bogus", want: `unknown command "bogus"`},
		{name: "bad event id", command: "event x", want: "usage: :event ID"},
		{name: "event", command: "event 5", want: "[Payload]", check: func(t *testing.T, a *App) {
			if _, ok := a.Active().(eventdetail.Model); !ok {
				t.Errorf("active view = %T, want the event detail", a.Active())
			}
		}},
		{name: "filtered events", command: "events trigger_ref:core.intervaltimer", want: "trigger_ref:core.intervaltimer ", check: func(t *testing.T, a *App) {
			if got := len(a.Views()); got != 1 {
				t.Errorf("stack depth = %d, want 1 (a list replaces the stack)", got)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{})
			tm := start(t, uitest.Deps(api), 100, 30)
			wait(t, tm, "page 1")
			typeKeys(tm, ":")
			tm.Type(tc.command)
			typeKeys(tm, "enter")
			wait(t, tm, tc.want)
			a, _ := final(t, tm)
			if tc.check != nil {
				tc.check(t, a)
			}
		})
	}
}

func TestQuitKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		keys []string
	}{
		{"q", []string{"q"}},
		{"ctrl+c in filter bar", []string{"/", "ctrl+c"}},
		{":q", []string{":", "q", "enter"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := uitest.SharedDev(t, testutil.DevOptions{})
			tm := teatest.NewTestModel(t, New(uitest.Deps(api)), teatest.WithInitialTermSize(80, 24))
			wait(t, tm, "page 1")
			typeKeys(tm, tc.keys...)
			tm.WaitFinished(t, teatest.WithFinalTimeout(waitFor))
		})
	}
}

func TestQYieldsToFilterInput(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	tm := start(t, uitest.Deps(api), 100, 30)
	wait(t, tm, "page 1")
	typeKeys(tm, "/")
	tm.Type("trigger_ref:q")
	wait(t, tm, "trigger_ref:q")
	a, _ := final(t, tm)
	if !a.Active().InputFocused() {
		t.Error("q in the filter bar quit or closed it")
	}
}

// TestRoutedResultsDropped checks that the answer for a view that was left
// is not delivered to another view.
func TestRoutedResultsDropped(t *testing.T) {
	t.Parallel()
	a := New(uitest.Deps(blockingAPI()))
	_, _ = a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	_ = a.Init()
	if cmd := a.routed(routedMsg{id: 999, msg: "late"}); cmd != nil {
		t.Error("a message for an unknown view produced a command")
	}
	if got := a.Views(); len(got) != 1 {
		t.Errorf("stack = %v", got)
	}
}

// TestIntentsOfLeftViewsDropped: open/back/error intents that arrive after
// their screen was left must not move the stack or set an error.
func TestIntentsOfLeftViewsDropped(t *testing.T) {
	t.Parallel()
	a := New(uitest.Deps(blockingAPI()))
	_, _ = a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	_ = a.Init()
	_ = a.open(common.Route{Kind: common.KindEvent, ID: 7})
	if len(a.stack) != 2 {
		t.Fatalf("stack = %v", a.Views())
	}
	left := a.stack[1].id
	a.back()
	for _, late := range []tea.Msg{
		common.OpenMsg{Route: common.Route{Kind: common.KindEvent, ID: 8}},
		common.BackMsg{},
		common.ErrorMsg{Err: errors.New("late failure"), Origin: "event"},
	} {
		_ = a.routed(routedMsg{id: left, msg: late})
	}
	if got := a.Views(); len(got) != 1 {
		t.Errorf("stack = %v, want the event list only", got)
	}
	if a.lastErr != "" {
		t.Errorf("a left screen's error was shown: %q", a.lastErr)
	}
}

// TestQuitCancelsRequests: quitting ends the requests in flight instead of
// leaving them to their timeout (over SSH, a session's goroutines).
func TestQuitCancelsRequests(t *testing.T) {
	t.Parallel()
	a := New(uitest.Deps(blockingAPI()))
	_, _ = a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	first := a.Init() // the event list's first page: blocks until cancelled
	done := make(chan struct{})
	go func() {
		uitest.Run(first)
		close(done)
	}()
	_, _ = a.Update(uitest.Key("q"))
	select {
	case <-done:
	case <-time.After(5 * time.Second): // the request timeout is 10 s
		t.Fatal("the request in flight outlived the program")
	}
}

// TestResize checks that every frame has exactly the terminal's height and
// no line wider than it, from 80×24 up to 250×70, in every overlay.
func TestResize(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	a := New(uitest.Deps(api))
	pump := func(cmd tea.Cmd) {
		for i := 0; cmd != nil && i < 10; i++ {
			var next []tea.Cmd
			for _, msg := range uitest.Run(cmd) {
				_, c := a.Update(msg)
				next = append(next, c)
			}
			cmd = tea.Batch(next...)
		}
	}
	_, _ = a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	pump(a.Init())
	pump(func() tea.Msg { return uitest.Key("enter") }) // open the detail
	pump(func() tea.Msg { return uitest.Key("esc") })
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}, {250, 70}, {100, 30}, {80, 24}} {
		_, _ = a.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		for _, mode := range []string{"list", "help", "error"} {
			switch mode {
			case "help":
				a.overlay = overlayHelp
			case "error":
				a.lastErr = strings.Repeat("a long error text ", 30)
				a.overlay = overlayError
			default:
				a.overlay = overlayNone
			}
			v := a.View()
			lines := strings.Split(v, "\n")
			if len(lines) != sz.h {
				t.Errorf("%dx%d %s: %d lines", sz.w, sz.h, mode, len(lines))
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w > sz.w {
					t.Errorf("%dx%d %s: line %d is %d wide", sz.w, sz.h, mode, i, w)
				}
			}
		}
	}
}

// TestRuneBurstSplit checks that "jj" read as one key message moves twice,
// and that a burst that opens an input types the rest into it.
func TestRuneBurstSplit(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	tm := start(t, uitest.Deps(api), 100, 30)
	wait(t, tm, "page 1")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/trigger_ref:x")})
	wait(t, tm, "/ trigger_ref:x")
	a, _ := final(t, tm)
	ev := a.Active().(events.Model)
	if ev.Cursor() != 3 || !ev.InputFocused() {
		t.Errorf("cursor %d, filter focused %v; want 3 and true", ev.Cursor(), ev.InputFocused())
	}
}

// TestClockTicksRelativeTimes: relative times move with the clock, with no
// request: the event list's "5m ago" becomes "7m ago" when the clock moves
// two minutes, without a key.
func TestClockTicksRelativeTimes(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	var offset atomic.Int64
	deps := uitest.Deps(api)
	deps.Now = func() time.Time { return uitest.Now().Add(time.Duration(offset.Load())) }
	deps.TickInterval = 20 * time.Millisecond
	tm := start(t, deps, 120, 40)
	// ✗1: the CAUSED column's own requests have been answered too.
	wait(t, tm, "page 1", "Demo User", "300 5m ago", "✗1")
	before := ds.Server.Requests("/api/v1/")
	offset.Store(int64(2 * time.Minute))
	wait(t, tm, "300 7m ago")
	if after := ds.Server.Requests("/api/v1/"); after != before {
		t.Errorf("the clock made %d requests", after-before)
	}
}

// TestEveryKindHasAScreen: every screen kind opens a screen, so no key or
// command can lead to a kind the root cannot show.
func TestEveryKindHasAScreen(t *testing.T) {
	t.Parallel()
	a := New(uitest.Deps(nil))
	for _, k := range []common.Kind{
		common.KindEvents, common.KindEvent, common.KindEnforcements, common.KindEnforcement,
		common.KindExecutions, common.KindExecution, common.KindTrace, common.KindRule,
		common.KindWhy, common.KindLogs,
	} {
		if a.routes[k] == nil {
			t.Errorf("no screen for %q", k)
		}
	}
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	_ = a.open(common.Route{Kind: "nonesuch"})
	if v := a.View(); !strings.Contains(v, "nonesuch: no such screen") {
		t.Errorf("an unknown kind did not say so:\n%s", v)
	}
}
