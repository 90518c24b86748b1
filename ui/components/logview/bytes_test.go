package logview

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
)

// host runs a viewer as a whole program, as the app does, so the real
// renderer decides what reaches the terminal.
type host struct{ lv Model }

type appendMsg string

func (h host) Init() tea.Cmd { return nil }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case appendMsg:
		h.lv = h.lv.Append(string(msg), time.Time{})
	case tea.WindowSizeMsg:
		h.lv = h.lv.SetSize(msg.Width, msg.Height)
	}
	return h, nil
}

func (h host) View() string { return h.lv.View() }

// recorder records what the program writes and signals each write.
type recorder struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	signal chan struct{}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	r.buf.Write(p)
	r.mu.Unlock()
	select {
	case r.signal <- struct{}{}:
	default:
	}
	return len(p), nil
}

// waitFor waits until the output since from contains text; it returns the
// output's length.
func (r *recorder) waitFor(t *testing.T, from int, text string) int {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		r.mu.Lock()
		b := r.buf.Bytes()
		if bytes.Contains(b[min(from, len(b)):], []byte(text)) {
			n := len(b)
			r.mu.Unlock()
			return n
		}
		r.mu.Unlock()
		select {
		case <-r.signal:
		case <-deadline:
			t.Fatalf("the terminal never got %q", text)
		}
	}
}

// TestBytesPerFollowedLine measures what the terminal receives per line
// appended while following at 120×40 in true colour: each line is sent
// once the previous one is on screen, so frames are not coalesced and the
// number is the worst case per line.
func TestBytesPerFollowedLine(t *testing.T) {
	rec := &recorder{signal: make(chan struct{}, 1)}
	lv := New(styles(termenv.TrueColor), 1, "stdout").SetSize(120, 38)
	lv = lv.Append("boot\n", time.Time{})
	lv = lv.SetState(Live, "")
	p := tea.NewProgram(host{lv: lv}, tea.WithInput(nil), tea.WithOutput(rec), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	p.Send(tea.WindowSizeMsg{Width: 120, Height: 38})
	start := rec.waitFor(t, 0, "boot")
	// Fill the screen first, so the measured lines scroll it.
	for i := range 60 {
		p.Send(appendMsg(fmt.Sprintf("warm %d\n", i)))
	}
	start = rec.waitFor(t, start, "warm 59")
	const n = 200
	pos := start
	for i := range n {
		p.Send(appendMsg(fmt.Sprintf("2026-12-04T03:12:00 worker-3 processed item %d of the batch ok\n", i)))
		pos = rec.waitFor(t, pos, fmt.Sprintf("item %d of", i))
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	per := float64(pos-start) / n
	t.Logf("%.0f bytes to the terminal per followed line at 120x40 (true colour), %d lines", per, n)
	if per > 300 {
		t.Errorf("%.0f bytes per followed line; budget 300", per)
	}
}
