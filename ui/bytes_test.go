package ui

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/theme"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// writeLog records every write the program makes to the terminal and
// signals each one.
type writeLog struct {
	mu     sync.Mutex
	writes [][]byte
	at     []time.Time // when each write came
	signal chan struct{}
}

func (w *writeLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.writes = append(w.writes, append([]byte(nil), p...))
	w.at = append(w.at, time.Now())
	w.mu.Unlock()
	select {
	case w.signal <- struct{}{}:
	default:
	}
	return len(p), nil
}

// newWriteLog returns an empty log.
func newWriteLog() *writeLog { return &writeLog{signal: make(chan struct{}, 1)} }

// runProgram runs the root model of d at 120×40 with the styles of colour
// profile on a dark background, writing to log; it ends with the test.
func runProgram(t *testing.T, d common.Deps, profile termenv.Profile, log *writeLog) *tea.Program {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	r.SetHasDarkBackground(true)
	d.Styles = theme.New(r)
	p := tea.NewProgram(New(d), tea.WithInput(nil), tea.WithOutput(log), tea.WithoutSignals())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = p.Run()
	}()
	t.Cleanup(func() { p.Quit(); <-done })
	p.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	return p
}

// waitWrite waits until some write (index ≥ from) contains text and returns
// its index.
func (w *writeLog) waitWrite(t *testing.T, from int, text string) int {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		w.mu.Lock()
		for i := from; i < len(w.writes); i++ {
			if bytes.Contains(w.writes[i], []byte(text)) {
				w.mu.Unlock()
				return i
			}
		}
		w.mu.Unlock()
		select {
		case <-w.signal:
		case <-deadline:
			t.Fatalf("no write containing %q", text)
		}
	}
}

func (w *writeLog) size(i int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.writes[i])
}

func (w *writeLog) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.writes)
}

// TestTerminalBytes measures what the standard renderer writes at 120×40:
// the first frame with data, one cursor move inside a page, and nothing for
// a message that changes nothing on screen.
func TestTerminalBytes(t *testing.T) {
	t.Parallel()
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.TrueColor} {
		t.Run(profileName(profile), func(t *testing.T) {
			t.Parallel()
			terminalBytes(t, profile)
		})
	}
}

func profileName(p termenv.Profile) string {
	if p == termenv.Ascii {
		return "ascii"
	}
	return "truecolor"
}

func terminalBytes(t *testing.T, profile termenv.Profile) {
	api := uitest.SharedDev(t, testutil.DevOptions{})
	log := newWriteLog()
	d := uitest.Deps(api)
	p := runProgram(t, d, profile, log)

	first := log.waitWrite(t, 0, "page 1")
	firstBytes := 0
	for i := 0; i <= first; i++ {
		firstBytes += log.size(i)
	}
	// The first frame with data may be preceded by the loading frame; both
	// count.
	if firstBytes > 12*1024 {
		t.Errorf("bytes up to the first frame with data = %d, want ≤ 12 KiB", firstBytes)
	}
	// Wait for the status bar to settle (user name from /auth/me).
	log.waitWrite(t, 0, "Demo User")

	// One cursor move, three times: under load a frame can also carry an
	// unrelated late repaint, so the cheapest of three is the move's cost.
	moveBytes := -1
	for _, k := range []struct{ key, row string }{{"down", "299"}, {"up", "300"}, {"down", "299"}} {
		n := log.count()
		p.Send(uitest.Key(k.key))
		if b := log.size(log.waitWrite(t, n, k.row)); moveBytes < 0 || b < moveBytes {
			moveBytes = b
		}
	}
	if moveBytes > 400 {
		t.Errorf("bytes for one cursor move = %d, want ≤ 400", moveBytes)
	}

	// A message that changes nothing must write nothing: the next write
	// after it is the one for the following key.
	n := log.count()
	p.Send(struct{}{})
	p.Send(uitest.Key("up"))
	next := log.waitWrite(t, n, "300")
	if next != n {
		t.Errorf("%d writes happened for a message that changed nothing", next-n)
	}
	t.Logf("%s terminal bytes at 120x40: first frame with data %d B (incl. loading frame), cursor move %d B", profileName(profile), firstBytes, moveBytes)
}
