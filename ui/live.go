package ui

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
)

// liveWindow is how long the root gathers live events before it hands them
// to the screen as one LiveMsg: a burst becomes one refetch, and a new
// event still shows within a fraction of a second.
const liveWindow = 250 * time.Millisecond

// liveQueue bounds the events between the pump and the program; when it is
// full the pump waits, and the source's own bounded queue drops and reports
// a gap.
const liveQueue = 256

// liveFeed is the running live source: its events, pumped into a bounded
// channel by one goroutine.
type liveFeed struct {
	events chan client.LiveEvent
	done   chan error
}

// liveMsg carries a batch of live events; err (with end) says the source
// ended.
type liveMsg struct {
	events []client.LiveEvent
	err    error
	end    bool
}

// startLive opens the live source when a notifier URL is configured. It
// returns nil when there is none: lists then refresh by polling (L).
func (a *App) startLive() tea.Cmd {
	if a.deps.NotifierURL == "" || a.live != nil {
		return nil
	}
	src, err := a.deps.API.OpenLive(a.deps.Lifetime, a.deps.NotifierURL)
	if err != nil {
		a.status.Live = "○ no live updates"
		a.setError(common.ErrorMsg{Err: err, Origin: "live updates"})
		return nil
	}
	f := &liveFeed{events: make(chan client.LiveEvent, liveQueue), done: make(chan error, 1)}
	a.live = f
	a.status.Live = "◌ live connecting"
	go pumpLive(a.deps.Lifetime, src, f)
	return waitLive(f)
}

// pumpLive moves the source's events into f until the source ends.
func pumpLive(ctx context.Context, src common.LiveSource, f *liveFeed) {
	defer close(f.events)
	defer func() { _ = src.Close() }()
	for {
		ev, err := src.Next(ctx)
		if err != nil {
			f.done <- err
			return
		}
		select {
		case f.events <- ev:
		case <-ctx.Done():
			f.done <- ctx.Err()
			return
		}
	}
}

// waitLive waits for the next live event, then gathers what else arrives
// within liveWindow into one message.
func waitLive(f *liveFeed) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-f.events
		if !ok {
			return liveMsg{err: <-f.done, end: true}
		}
		evs := []client.LiveEvent{ev}
		t := time.NewTimer(liveWindow)
		defer t.Stop()
		for {
			select {
			case ev, ok := <-f.events:
				if !ok {
					return liveMsg{events: evs, err: <-f.done, end: true}
				}
				evs = append(evs, ev)
			case <-t.C:
				return liveMsg{events: evs}
			}
		}
	}
}

// onLive updates the status bar's live state and tells the active screen
// what changed (clearing the answer cache, so its refetch is fresh).
func (a *App) onLive(msg liveMsg) tea.Cmd {
	lm := common.LiveMsg{Changed: map[string]map[int64]bool{}, Owners: map[string]map[int64]bool{},
		Executions: map[int64]*client.ExecutionNotice{}, Enforcements: map[int64]*client.EnforcementNotice{}}
	own := func(typ string, id *int64) {
		if id == nil {
			return
		}
		if lm.Owners[typ] == nil {
			lm.Owners[typ] = map[int64]bool{}
		}
		lm.Owners[typ][*id] = true
	}
	changed := false
	for _, ev := range msg.events {
		switch ev.Kind {
		case client.LiveConnected, client.LiveWelcome:
			a.status.Live = "● live"
		case client.LiveReconnecting:
			a.status.Live = "↻ live reconnecting"
		case client.LiveGap:
			lm.Gap, changed = true, true
		case client.LiveServerError:
			a.deps.Logger.Debug("live: server error", "message", textsafe.Line(ev.Message))
		case client.LiveNotification:
			n := ev.Notification
			if n == nil {
				continue
			}
			ids := lm.Changed[n.EntityType]
			if ids == nil {
				ids = map[int64]bool{}
				lm.Changed[n.EntityType] = ids
			}
			ids[n.EntityID] = true
			changed = true
			if x := n.Execution; x != nil {
				own("execution", x.Enforcement)
				own("execution", x.Parent)
				if !n.Compact {
					lm.Executions[x.ID] = x // events come in order: the last one wins
				}
			}
			if e := n.Enforcement; e != nil {
				own("enforcement", e.Event)
				if !n.Compact {
					lm.Enforcements[e.ID] = e
				}
			}
		}
	}
	var cmds []tea.Cmd
	if msg.end {
		a.live = nil
		a.status.Live = "○ live ended"
		if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
			a.setError(common.ErrorMsg{Err: msg.err, Origin: "live updates"})
		}
	} else {
		cmds = append(cmds, waitLive(a.live))
	}
	if changed && len(a.stack) > 0 {
		a.deps.Cache.Clear()
		cmds = append(cmds, a.updateView(len(a.stack)-1, lm))
	}
	return tea.Batch(cmds...)
}
