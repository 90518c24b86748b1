package logs

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// fastLogServer serves one running execution whose stdout streams at rate
// bytes per second for d, then says done. It counts the bytes it sent.
func fastLogServer(t *testing.T, rate int, d time.Duration) (*httptest.Server, *int64) {
	t.Helper()
	var sent int64
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/executions/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":{"id":%s,"action_ref":"core.load","status":"running","created":"2026-12-04T03:12:00Z","updated":"2026-12-04T03:12:00Z"}}`, r.PathValue("id"))
	})
	mux.HandleFunc("GET /api/v1/executions/{id}/logs/{stream}/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fl := w.(http.Flusher)
		if r.PathValue("stream") != "stdout" {
			fmt.Fprint(w, "event: done\ndata: Log stream sealed\n\n")
			return
		}
		line := strings.Repeat("x", 100)
		const tick = 10 * time.Millisecond
		per := rate / int(time.Second/tick)
		var off int64
		end := time.Now().Add(d)
		tk := time.NewTicker(tick)
		defer tk.Stop()
		for n := 0; time.Now().Before(end); n++ {
			var b strings.Builder
			chunk := 0
			for chunk < per {
				s := fmt.Sprintf("%08d %s", n, line)
				b.WriteString("data: " + s + "\n")
				chunk += len(s) + 1
			}
			off += int64(chunk)
			fmt.Fprintf(w, "id: %d\nevent: append\n%sdata: \n\n", off, b.String())
			fl.Flush()
			select {
			case <-tk.C:
			case <-r.Context().Done():
				return
			}
		}
		mu.Lock()
		sent = off
		mu.Unlock()
		fmt.Fprint(w, "event: done\ndata: Log stream sealed\n\n")
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts, &sent
}

// probe measures the event loop: its latency is the time from Send to the
// model's Update, which is what a key waits for.
type probe struct{ sent time.Time }

// host runs the log screen and records probe latencies.
type host struct {
	m    Model
	lat  *[]time.Duration
	done chan struct{}
}

func (h host) Init() tea.Cmd { return h.m.Init() }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if p, ok := msg.(probe); ok {
		*h.lat = append(*h.lat, time.Since(p.sent))
		// A key with a visible effect, so the frame after it is redrawn.
		var cmd tea.Cmd
		h.m, cmd = h.m.UpdateLogs(uitest.Key("T"))
		return h, cmd
	}
	var cmd tea.Cmd
	h.m, cmd = h.m.UpdateLogs(msg)
	if h.m.panes[0].lv.State() == 2 && h.done != nil { // logview.Sealed
		close(h.done)
		h.done = nil
	}
	return h, cmd
}

func (h host) View() string { return h.m.View() }

// TestFollowFastStream follows a stream producing 5 MiB/s for 3 s in a
// real program at 120×40 and measures how long a key waits for the event
// loop (p95 ≤ 50 ms) and the heap before and after (bounded by the
// viewer's caps, not by what was sent).
func TestFollowFastStream(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	ts, sent := fastLogServer(t, 5<<20, 3*time.Second)
	c, err := client.New(ts.URL, client.WithToken("load-test-token"))
	if err != nil {
		t.Fatal(err)
	}
	deps := uitest.Deps(common.NewAPI(c))
	var lat []time.Duration
	done := make(chan struct{})
	h := host{m: New(deps, 7, "stdout").Resize(120, 38), lat: &lat, done: done}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	p := tea.NewProgram(h, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignalHandler(),
		tea.WithContext(context.Background()))
	res := make(chan tea.Model, 1)
	go func() { m, _ := p.Run(); res <- m }()
	p.Send(tea.WindowSizeMsg{Width: 120, Height: 38})
	tk := time.NewTicker(50 * time.Millisecond)
loop:
	for {
		select {
		case <-done:
			break loop
		case <-tk.C:
			p.Send(probe{sent: time.Now()})
		case <-time.After(30 * time.Second):
			t.Fatal("the stream never ended")
		}
	}
	tk.Stop()
	p.Quit()
	final := (<-res).(host)

	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	if len(lat) < 20 {
		t.Fatalf("only %d probes answered", len(lat))
	}
	slices.Sort(lat)
	p95 := lat[len(lat)*95/100]
	lv := final.m.panes[0].lv
	t.Logf("5 MiB/s for 3 s: %d bytes sent, %d lines (%d dropped from view); key wait p50 %v p95 %v max %v (%d probes); heap %d -> %d MiB",
		*sent, lv.Lines(), lv.Dropped(), lat[len(lat)/2], p95, lat[len(lat)-1], len(lat),
		before.HeapInuse>>20, after.HeapInuse>>20)
	// The target (50 ms) is for the real binary; under -race on cores
	// shared with other suites p95 reached 74 ms once, so the race build
	// only guards against the loop being blocked outright.
	limit := 50 * time.Millisecond
	if raceEnabled {
		limit = 250 * time.Millisecond
	}
	if p95 > limit {
		t.Errorf("key wait p95 %v > %v", p95, limit)
	}
	if got := after.HeapInuse; got > before.HeapInuse+160<<20 {
		t.Errorf("heap grew by %d MiB following 15 MiB of log; the viewer's cap is %d MiB", (got-before.HeapInuse)>>20, 16)
	}
}
