package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// cmdApp is a signed-in App at w×h whose views are built but whose
// requests are never run (the commands under test act synchronously).
func cmdApp(t *testing.T, w, h int) *App {
	t.Helper()
	a := New(uitest.Deps(blockingAPI()))
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	a.Init()
	return a
}

// sendKeys sends keys to a; "text:…" types the rest as one burst of runes.
func sendKeys(a *App, keys ...string) {
	for _, k := range keys {
		if s, ok := strings.CutPrefix(k, "text:"); ok {
			a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true})
			continue
		}
		a.Update(uitest.Key(k))
	}
}

func TestHelpCommand(t *testing.T) {
	t.Parallel()
	a := cmdApp(t, 120, 60)
	sendKeys(a, ":", "text:help", "enter")
	if a.overlay != overlayHelp {
		t.Fatalf(":help did not open the help (overlay %d, message %q)", a.overlay, a.cmdline.Message())
	}
	v := a.View()
	for _, want := range []string{"Keys: Events", "e     enforcements", ":help", ":executions [key:value…]", "execution list (replaces the stack) (:exec)"} {
		if !strings.Contains(v, want) {
			t.Errorf("help lacks %q:\n%s", want, v)
		}
	}
	sendKeys(a, "x")
	if a.overlay != overlayNone {
		t.Fatal("a key did not close the help")
	}
}

// TestCommandCompletion types into the command line and presses tab.
func TestCommandCompletion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		typed     string
		want      string
		wantCands []string
	}{
		{name: "command", typed: "he", want: "help "},
		{name: "commands", typed: "ev", want: "event", wantCands: []string{"events", "event"}},
		{name: "filter key", typed: "executions res", want: "executions result_contains:"},
		{name: "filter keys", typed: "executions t", want: "executions t", wantCands: []string{"trigger_ref:", "trace_tag:", "top_level_only:"}},
		{name: "status value", typed: "executions status:fa", want: "executions status:failed "},
		{name: "alias value", typed: "exec top:t", want: "exec top:true "},
		{name: "second token", typed: "events trace_tag:a rule", want: "events trace_tag:a rule_ref:"},
		{name: "logs stream", typed: "logs 5 std", want: "logs 5 std", wantCands: []string{"stdout", "stderr"}},
		{name: "nothing", typed: "event 4", want: "event 4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := cmdApp(t, 120, 40)
			sendKeys(a, ":", "text:"+tc.typed, "tab")
			if got := a.cmdline.Value(); got != tc.want {
				t.Errorf("after tab: %q, want %q", got, tc.want)
			}
			if got := a.cmdline.Candidates(); !slices.Equal(got, tc.wantCands) {
				t.Errorf("candidates %q, want %q", got, tc.wantCands)
			}
			if len(tc.wantCands) > 0 && !strings.Contains(a.View(), strings.Join(tc.wantCands, "  ")) {
				t.Errorf("candidates not shown:\n%s", a.View())
			}
		})
	}
}

// TestCommandRuleRefsCompletion: rule refs complete once the session
// knows them (a filter bar loaded them).
func TestCommandRuleRefsCompletion(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutilOptions())
	a := New(uitest.Deps(api))
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if _, err := a.deps.Recall.LoadKnown(context.Background(), api.Rules); err != nil {
		t.Fatal(err)
	}
	a.Init()
	sendKeys(a, ":", "text:rule github.tri", "tab")
	if got := a.cmdline.Value(); got != "rule github.triage_new_prs " {
		t.Fatalf("after tab: %q", got)
	}
}

func TestCommandHistory(t *testing.T) {
	t.Parallel()
	a := cmdApp(t, 120, 40)
	sendKeys(a, ":", "text:event 5", "enter", ":", "text:executions", "enter", ":", "text:dra", "up")
	if got := a.cmdline.Value(); got != "executions" {
		t.Fatalf("↑ = %q, want the last command", got)
	}
	sendKeys(a, "up", "up")
	if got := a.cmdline.Value(); got != "event 5" {
		t.Fatalf("↑↑↑ = %q, want the oldest command", got)
	}
	sendKeys(a, "down", "down")
	if got := a.cmdline.Value(); got != "dra" {
		t.Fatalf("↓ past the newest = %q, want the text typed before ↑", got)
	}
}

// TestListCommandsReplaceTheStack: a command that opens a top-level list
// replaces the screens open; one that opens a screen stacks it.
func TestListCommandsReplaceTheStack(t *testing.T) {
	t.Parallel()
	a := cmdApp(t, 120, 40)
	sendKeys(a, ":", "text:event 5", "enter", ":", "text:why 5", "enter")
	if got := a.Views(); len(got) != 3 {
		t.Fatalf("stack %q, want 3 screens", got)
	}
	sendKeys(a, ":", "text:executions status:failed", "enter")
	if got := a.Views(); !slices.Equal(got, []string{"Executions"}) {
		t.Fatalf("stack %q, want only Executions", got)
	}
	sendKeys(a, ":", "text:enforcements", "enter")
	if got := a.Views(); !slices.Equal(got, []string{"Enforcements"}) {
		t.Fatalf("stack %q, want only Enforcements", got)
	}
	sendKeys(a, ":", "text:event 7", "enter", ":", "text:events trace_tag:x", "enter")
	if got := a.Views(); !slices.Equal(got, []string{"Events"}) {
		t.Fatalf("stack %q, want only Events", got)
	}
	// A bad filter changes nothing.
	sendKeys(a, ":", "text:event 7", "enter", ":", "text:executions bogus:1", "enter")
	if got := a.Views(); !slices.Equal(got, []string{"Events", "#7"}) {
		t.Fatalf("stack after a bad filter %q", got)
	}
	if msg := a.cmdline.Message(); !strings.Contains(msg, `unknown key "bogus"`) {
		t.Fatalf("message %q", msg)
	}
}

func TestBreadcrumbCollapses(t *testing.T) {
	t.Parallel()
	a := cmdApp(t, 120, 40)
	sendKeys(a, ":", "text:event 4812", "enter", ":", "text:why 4812", "enter", ":", "text:enforcement 99", "enter", ":", "text:execution 12", "enter")
	tests := []struct {
		width int
		want  string
	}{
		{120, " Events › #4812 › Rules for #4812 › Enforcement #99 › Execution #12"},
		{50, " Events › … › Enforcement #99 › Execution #12"},
		{40, " Events › … › Execution #12"},
		{20, " … › Execution #12"},
	}
	for _, tc := range tests {
		if got := a.breadcrumb(tc.width - 1); got != tc.want {
			t.Errorf("width %d: %q, want %q", tc.width, got, tc.want)
		}
	}
	a.Update(tea.WindowSizeMsg{Width: 50, Height: 20})
	if top := strings.SplitN(a.View(), "\n", 2)[0]; !strings.HasPrefix(top, " Events › … › Enforcement #99 › Execution #12") {
		t.Errorf("top line at 50 columns: %q", top)
	}
}

func testutilOptions() testutil.DevOptions { return testutil.DevOptions{} }

// TestCommandWildcardFilter: a wildcard typed after :executions is
// expanded like one typed in the bar.
func TestCommandWildcardFilter(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutilOptions())
	// Wide enough for the header's counts and the whole chip.
	tm := start(t, uitest.Deps(api), 250, 30)
	wait(t, tm, "page 1", "Demo User")
	typeKeys(tm, ":")
	tm.Type("executions rule_ref:github.*")
	typeKeys(tm, "enter")
	wait(t, tm, "rule_ref:github.*→github.comment_on_main_push,")
	a, _ := final(t, tm)
	if got := a.Views(); !slices.Equal(got, []string{"Executions"}) {
		t.Fatalf("stack %q", got)
	}
}
