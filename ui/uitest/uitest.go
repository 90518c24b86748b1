// Package uitest holds helpers for the UI's tests: an ASCII renderer, a
// fixed clock, Deps built from them, a dev-server-backed API, and a runner
// that executes a tea.Cmd (batches included) and collects its messages.
package uitest

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/theme"
)

// Renderer returns a renderer with the ASCII profile, so goldens hold no
// escape sequences.
func Renderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

// Now is the fixed test clock: five minutes after the dev server's newest
// seeded event.
func Now() time.Time { return devserver.SeedBase().Add(5 * time.Minute) }

// Deps returns deterministic Deps for api.
func Deps(api *common.API) common.Deps {
	return common.Deps{
		API:            api,
		Styles:         theme.New(Renderer()),
		Now:            Now,
		Context:        "test",
		ServerURL:      "http://attune.test",
		Logger:         slog.New(slog.DiscardHandler),
		Output:         io.Discard,
		PerPage:        20,
		RequestTimeout: 10 * time.Second,
		TickInterval:   -1, // Now is fixed: the clock could change nothing
	}
}

// StartDev starts a seeded dev server and returns a signed-in API for it.
func StartDev(tb testing.TB, opts testutil.DevOptions) (*common.API, *testutil.DevServer) {
	tb.Helper()
	ds := testutil.StartDevServer(tb, opts)
	api := signIn(tb, ds)
	ds.Server.ResetStats()
	return api, ds
}

// SharedDev returns a signed-in API (a client of its own) for the test
// binary's shared dev server seeded with opts (seed options only; see
// testutil.SharedDevServer), for tests that only read the seeded data.
// The server is not returned: a test that needs it (request counts,
// faults, live steps) starts its own with StartDev. The package's TestMain
// calls testutil.CloseSharedDevServers.
func SharedDev(tb testing.TB, opts testutil.DevOptions) *common.API {
	tb.Helper()
	return signIn(tb, testutil.SharedDevServer(tb, opts))
}

// signIn returns an API with a new client signed in to ds.
func signIn(tb testing.TB, ds *testutil.DevServer) *common.API {
	tb.Helper()
	c, err := client.New(ds.URL, client.WithCredentials(ds.Login, ds.Password))
	if err != nil {
		tb.Fatalf("uitest: client: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, _, err := c.Auth.Login(ctx, ds.Login, ds.Password); err != nil {
		tb.Fatalf("uitest: login: %v", err)
	}
	return common.NewAPI(c)
}

// Run executes cmd and every command inside a tea.BatchMsg it returns,
// concurrently, and returns the messages that are not batches.
//
// Spinner ticks (spinner.TickMsg) are dropped: a driver that fed one back
// would get the spinner's next frame, a timer, and wait out its interval
// on every round while something loads. Tests drive a spinner through
// Update directly; in the real program the views still animate.
func Run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	var (
		mu   sync.Mutex
		out  []tea.Msg
		wg   sync.WaitGroup
		exec func(c tea.Cmd)
	)
	exec = func(c tea.Cmd) {
		defer wg.Done()
		if c == nil {
			return
		}
		msg := c()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, cc := range b {
				wg.Add(1)
				go exec(cc)
			}
			return
		}
		if _, tick := msg.(spinner.TickMsg); tick {
			return
		}
		if msg != nil {
			mu.Lock()
			out = append(out, msg)
			mu.Unlock()
		}
	}
	wg.Add(1)
	go exec(cmd)
	wg.Wait()
	return out
}

// Key returns the key message for s ("enter", "esc", "tab", "up", "down",
// "left", "right",
// "ctrl+c", or runes).
func Key(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// Intent reports whether msg is for the root rather than the view (a
// screen to open or leave, an error or sync to show): Feed collects these
// instead of feeding them back.
func Intent(msg tea.Msg) bool {
	switch msg.(type) {
	case common.OpenMsg, common.BackMsg, common.ErrorMsg, common.SyncMsg, common.RetryMsg:
		return true
	}
	return false
}

// Feed runs cmd and feeds every message it produces back into the view m,
// round after round (at most 20), until no command is left. Intents are
// collected and returned, not fed; Run has dropped the spinner ticks.
func Feed[M tea.Model](m M, cmd tea.Cmd) (M, []tea.Msg) {
	var intents []tea.Msg
	for i := 0; cmd != nil && i < 20; i++ {
		var next []tea.Cmd
		for _, msg := range Run(cmd) {
			if Intent(msg) {
				intents = append(intents, msg)
				continue
			}
			tm, c := m.Update(msg)
			m = tm.(M)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	return m, intents
}

// Press sends each key to the view m and feeds what it starts (Feed); it
// returns the intents seen.
func Press[M tea.Model](m M, keys ...string) (M, []tea.Msg) {
	var all []tea.Msg
	for _, k := range keys {
		tm, cmd := m.Update(Key(k))
		var in []tea.Msg
		m, in = Feed(tm.(M), cmd)
		all = append(all, in...)
	}
	return m, all
}
