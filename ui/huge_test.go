package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestHugeEventPayload opens a 50 MB event from the dev server: the
// client's body cap (32 MiB by default) refuses it, and the screen says so
// (escaped, no panic, no hang), the list underneath still works and the
// terminal bytes stay clean.
func TestHugeEventPayload(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{Events: 30})
	id, err := ds.Server.AddHugeEvent(context.Background(), devserver.DefaultHugePayload)
	if err != nil {
		t.Fatal(err)
	}
	deps := uitest.Deps(api)
	// The point is the body cap, not speed: reading 32 MiB takes ~3 s under
	// -race on an idle machine but went past the default 10 s request
	// budget when the cores were shared with other suites (it then failed
	// as a timeout, not as the cap).
	deps.RequestTimeout = 5 * waitFor
	r := startRaw(t, themed(deps, termenv.TrueColor), 100, 30)
	r.waitFrom(t, 0, "page 1", "Demo User", "hostile.huge")
	mark := len(r.raw)
	r.tm.Send(uitest.Key(":"))
	r.tm.Type(fmt.Sprintf("event %d", id))
	r.tm.Send(uitest.Key("enter"))
	// The server reads and sends 32 MiB before the client gives up: about
	// 3 s under -race on an idle machine, so the budget is generous; a hang
	// still fails.
	r.waitFromWithin(t, mark, 6*waitFor, fmt.Sprintf("› #%d", id),
		"Could not load event", "response body too large", "press r to retry", errBar)
	// Back on the list, which still answers keys.
	r.send(t, []string{"esc"}, "page 1")
	r.send(t, []string{"down"}, fmt.Sprintf("%d 5m ago", id-1))
	v := r.finish(t)
	checkTerminalBytes(t, r.raw)
	if !strings.Contains(v, "page 1") || strings.Contains(v, "\x1b]") || cursorRow(v) != fmt.Sprint(id-1) {
		t.Errorf("list not usable after the refused event (cursor on %q):\n%s", cursorRow(v), v)
	}
}

// cursorRow returns the first field after the ">" cursor of a list view, or
// "" when no row has the cursor.
func cursorRow(v string) string {
	for _, line := range strings.Split(ansi.Strip(v), "\n") {
		if f := strings.Fields(strings.TrimSpace(line)); len(f) > 1 && f[0] == ">" {
			return f[1]
		}
	}
	return ""
}
