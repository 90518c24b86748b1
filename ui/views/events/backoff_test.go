package events

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// TestLiveRefreshBacksOff: against a server that answers every request
// with 401, auto-refresh doubles its interval after each failure up to the
// cap (a minute by default) and tells the root when it will retry; a
// success brings the normal interval back.
func TestLiveRefreshBacksOff(t *testing.T) {
	t.Parallel()
	fail := make(chan bool, 1)
	fail <- true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := <-fail
		fail <- f
		w.Header().Set("Content-Type", "application/json")
		if f {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"code":401,"message":"Authentication token expired"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"items":[],"pagination":{"page":1,"page_size":20,"has_previous":false,"has_next":false}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.WithToken("tok"), client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	deps := uitest.Deps(common.ClientAPI(c))
	deps.RefreshInterval = time.Millisecond
	deps.MaxRefreshBackoff = 16 * time.Millisecond
	m := New(deps).SetSize(120, 30).(Model)
	m, _ = feed(t, m, m.Init())
	m, _ = press(t, m, "L")

	// tick sends one live tick and runs what it starts (the refresh and the
	// next tick, which is dropped); it returns the retry the root was told.
	tick := func() *common.RetryMsg {
		tm, cmd := m.Update(liveTickMsg{gen: m.liveGen})
		m = tm.(Model)
		var retry *common.RetryMsg
		for rounds := 0; cmd != nil && rounds < 10; rounds++ {
			var next []tea.Cmd
			for _, msg := range uitest.Run(cmd) {
				switch msg := msg.(type) {
				case common.RetryMsg:
					retry = &msg
					continue
				case liveTickMsg, common.ErrorMsg, common.SyncMsg:
					continue
				}
				tm, c := m.Update(msg)
				m = tm.(Model)
				next = append(next, c)
			}
			cmd = tea.Batch(next...)
		}
		return retry
	}
	want := []time.Duration{2, 4, 8, 16, 16}
	for i, w := range want {
		r := tick()
		if r == nil || r.In != w*time.Millisecond {
			t.Fatalf("tick %d: retry = %+v, want in %v", i+1, r, w*time.Millisecond)
		}
	}
	<-fail
	fail <- false
	_ = tick() // this refresh succeeds
	if r := tick(); r == nil || r.In != 0 {
		t.Errorf("after a success: retry = %+v, want a reset (In 0)", r)
	}
	if r := tick(); r != nil {
		t.Errorf("healthy ticks tell the root nothing, got %+v", r)
	}
}
