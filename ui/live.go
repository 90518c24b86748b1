package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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

// liveMode is which live source the session has.
type liveMode int

const (
	// liveOff: no source; the screens change on r, or by polling after L.
	liveOff liveMode = iota
	// liveConnecting: a source is being chosen or connected.
	liveConnecting
	// liveNotifier: the notifier pushes every change.
	liveNotifier
	// liveSSE: the execution SSE stream pushes execution changes; the
	// rest is polled.
	liveSSE
	// livePoll: the visible screen is refetched every RefreshInterval.
	livePoll
)

// polls reports whether the mode refetches the visible screen on a timer.
func (m liveMode) polls() bool { return m == liveSSE || m == livePoll }

// liveFeed is the running live source: its events, pumped into a bounded
// channel by one goroutine.
type liveFeed struct {
	events chan liveItem
	done   chan error
}

// liveItem is one event of the source, or (mode set, no event) the mode
// the pump settled on.
type liveItem struct {
	ev   client.LiveEvent
	mode liveMode
}

// liveMsg carries a batch of live events; err (with end) says the source
// ended.
type liveMsg struct {
	events []client.LiveEvent
	mode   liveMode // the last mode the pump reported (liveOff: none)
	err    error
	end    bool
}

// startLive opens the live source: the configured notifier, or with
// Deps.AutoLive the first of the guessed notifier, the execution stream
// and polling that works. It returns nil when there is none to start.
func (a *App) startLive() tea.Cmd {
	if a.live != nil || (a.deps.NotifierURL == "" && !a.deps.AutoLive) {
		return nil
	}
	f := &liveFeed{events: make(chan liveItem, liveQueue), done: make(chan error, 1)}
	a.live = f
	a.mode = liveConnecting
	a.refreshLive()
	go pumpLive(a.deps.Lifetime, a.deps.API, a.deps.NotifierURL, f, a.deps.Logger)
	return waitLive(f)
}

// pumpLive opens the source and moves its events into f until it ends.
func pumpLive(ctx context.Context, api *common.API, notifierURL string, f *liveFeed, log *slog.Logger) {
	defer close(f.events)
	src, first, mode, err := openLive(ctx, api, notifierURL, log)
	if err != nil {
		f.done <- err
		return
	}
	if !send(ctx, f, liveItem{mode: mode}) {
		f.done <- ctx.Err()
		return
	}
	if src == nil {
		f.done <- nil // polling alone: nothing more comes from here
		return
	}
	defer func() { _ = src.Close() }()
	if first != nil && !send(ctx, f, liveItem{ev: *first}) {
		f.done <- ctx.Err()
		return
	}
	for {
		ev, err := src.Next(ctx)
		if err != nil {
			f.done <- err
			return
		}
		if !send(ctx, f, liveItem{ev: ev}) {
			f.done <- ctx.Err()
			return
		}
	}
}

// send puts it in f unless ctx ends first.
func send(ctx context.Context, f *liveFeed, it liveItem) bool {
	select {
	case f.events <- it:
		return true
	case <-ctx.Done():
		return false
	}
}

// openLive opens the configured notifier (retrying for ever), or finds a
// source: the notifier at the API's /ws, then the execution stream, each
// tried once; with neither it settles on polling (src nil). first is the
// event that proved a tried source works.
func openLive(ctx context.Context, api *common.API, notifierURL string, log *slog.Logger) (src common.LiveSource, first *client.LiveEvent, mode liveMode, err error) {
	if api.OpenLive == nil {
		if notifierURL != "" {
			return nil, nil, liveOff, errors.New("notifier: this API has no live channel")
		}
		return nil, nil, livePoll, nil
	}
	if notifierURL != "" {
		src, err := api.OpenLive(ctx, common.LiveOptions{NotifierURL: notifierURL})
		if err != nil {
			return nil, nil, liveOff, fmt.Errorf("notifier: %w", err)
		}
		return src, nil, liveNotifier, nil
	}
	for _, try := range []struct {
		o    common.LiveOptions
		mode liveMode
	}{
		{common.LiveOptions{FailFast: true}, liveNotifier},
		{common.LiveOptions{Executions: true, FailFast: true}, liveSSE},
	} {
		src, err := api.OpenLive(ctx, try.o)
		if err != nil {
			log.Debug("live: source refused", "executions_stream", try.o.Executions, "error", err.Error())
			continue
		}
		ev, err := src.Next(ctx)
		if err != nil {
			_ = src.Close()
			if ctx.Err() != nil {
				return nil, nil, liveOff, ctx.Err()
			}
			log.Debug("live: source failed", "executions_stream", try.o.Executions, "error", err.Error())
			continue
		}
		return src, &ev, try.mode, nil
	}
	return nil, nil, livePoll, nil
}

// waitLive waits for the next live event, then gathers what else arrives
// within liveWindow into one message.
func waitLive(f *liveFeed) tea.Cmd {
	return func() tea.Msg {
		var msg liveMsg
		add := func(it liveItem) {
			if it.mode != liveOff {
				msg.mode = it.mode
				return
			}
			msg.events = append(msg.events, it.ev)
		}
		it, ok := <-f.events
		if !ok {
			return liveMsg{err: <-f.done, end: true}
		}
		add(it)
		t := time.NewTimer(liveWindow)
		defer t.Stop()
		for {
			select {
			case it, ok := <-f.events:
				if !ok {
					msg.err, msg.end = <-f.done, true
					return msg
				}
				add(it)
			case <-t.C:
				return msg
			}
		}
	}
}

// onLive updates the live state and tells the active screen what changed
// (clearing the answer cache, so its refetch is fresh).
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
	var cmds []tea.Cmd
	if msg.mode != liveOff {
		cmds = append(cmds, a.setMode(msg.mode))
	}
	changed, notes := false, 0
	for _, ev := range msg.events {
		switch ev.Kind {
		case client.LiveConnected, client.LiveWelcome:
			a.reconnecting = false
		case client.LiveReconnecting:
			a.reconnecting = true
		case client.LiveGap:
			lm.Gap, changed = true, true
		case client.LiveServerError:
			a.deps.Logger.Debug("live: server error", "message", textsafe.Line(ev.Message))
		case client.LiveNotification:
			n := ev.Notification
			if n == nil {
				continue
			}
			notes++
			cmds = append(cmds, a.watchNotice(n))
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
	if msg.end {
		a.live = nil
		a.reconnecting = false
		if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
			a.setError(common.ErrorMsg{Err: msg.err, Origin: "live updates"})
			cmds = append(cmds, a.setMode(livePoll)) // the source is gone: poll instead
		}
	} else if a.live != nil {
		cmds = append(cmds, waitLive(a.live))
	}
	if changed {
		cmds = append(cmds, a.deliverLive(lm, notes))
	}
	a.refreshLive()
	return tea.Batch(cmds...)
}

// setMode switches the live mode, starting the poll loop when the new
// mode polls.
func (a *App) setMode(m liveMode) tea.Cmd {
	if a.mode == m {
		return nil
	}
	a.deps.Logger.Debug("live: mode", "from", a.modeLabel(), "to", m)
	a.mode = m
	a.refreshLive()
	if !m.polls() {
		a.pollGen++ // a running loop stops at its next tick
		return nil
	}
	return a.startPolling()
}

// startPolling starts a new poll loop (the old one, if any, ends).
func (a *App) startPolling() tea.Cmd {
	a.pollGen++
	a.pollFails, a.pollPending = 0, false
	return pollCmd(a.deps.Lifetime, a.pollGen, a.deps.RefreshInterval)
}

// deliverLive clears the answer cache and hands lm to the screen on top,
// unless it is paused; screens below (and a paused top) only note that
// they missed something and refetch when they are shown again.
func (a *App) deliverLive(lm common.LiveMsg, n int) tea.Cmd {
	if len(a.stack) == 0 {
		return nil
	}
	a.deps.Cache.Clear()
	for i := range a.stack[:len(a.stack)-1] {
		a.stack[i].missed = true
	}
	top := &a.stack[len(a.stack)-1]
	if top.paused {
		top.missed = true
		top.held += n
		return nil
	}
	return a.updateView(len(a.stack)-1, lm)
}

// caughtUp is the refetch of a screen that missed live changes while it
// was covered or paused (nil when it missed none).
func (a *App) caughtUp() tea.Cmd {
	top := a.top()
	if top == nil || !top.missed || top.paused {
		return nil
	}
	top.missed = false
	a.deps.Cache.Clear()
	return a.updateView(len(a.stack)-1, common.LiveMsg{Gap: true})
}

// pollMsg is one tick of the poll loop of generation gen.
type pollMsg struct{ gen int }

// pollCmd ticks after d unless ctx (the program's lifetime) ends first.
func pollCmd(ctx context.Context, gen int, d time.Duration) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return pollMsg{gen: gen}
		case <-ctx.Done():
			return nil
		}
	}
}

// onPoll refetches the visible screen (unless it is paused) and schedules
// the next tick, later after failures in a row.
func (a *App) onPoll(msg pollMsg) tea.Cmd {
	if msg.gen != a.pollGen || !a.mode.polls() {
		return nil
	}
	next := pollCmd(a.deps.Lifetime, a.pollGen, a.pollDelay())
	top := a.top()
	if top == nil || top.paused {
		return next
	}
	a.pollPending = true
	top.missed = false
	a.deps.Cache.Clear()
	return tea.Batch(next, a.updateView(len(a.stack)-1, common.LiveMsg{Gap: true, Poll: true}))
}

// pollDelay is the wait before the next poll: the refresh interval,
// doubled per failed poll in a row, at most Deps.MaxRefreshBackoff.
func (a *App) pollDelay() time.Duration {
	d := a.deps.RefreshInterval
	for i := 0; i < a.pollFails && d < a.deps.MaxRefreshBackoff; i++ {
		d *= 2
	}
	return min(d, max(a.deps.MaxRefreshBackoff, a.deps.RefreshInterval))
}

// pollAnswered notes how the refetch of a poll ended: a failure makes the
// next wait longer (and says when it is), a success resets it. It reports
// whether a poll was waiting for this answer.
func (a *App) pollAnswered(failed bool) bool {
	if !a.pollPending {
		return false
	}
	a.pollPending = false
	if !failed {
		a.pollFails = 0
		a.status.Retry = ""
		return true
	}
	a.pollFails++
	d := a.pollDelay()
	a.status.Retry = "retry in " + shortDuration(d)
	a.deps.Logger.Debug("polling backing off", "retry_in", d)
	return true
}

// toggleLive is the L key: with a live source (or polling) it pauses or
// resumes live updates of the screen on top; without one it turns polling
// on and off.
func (a *App) toggleLive() tea.Cmd {
	top := a.top()
	if top == nil {
		return nil
	}
	switch {
	case a.mode == liveOff:
		a.pollByKey = true
		return a.setMode(livePoll)
	case a.mode == livePoll && a.pollByKey:
		a.pollByKey = false
		a.status.Retry = ""
		return a.setMode(liveOff)
	}
	top.paused = !top.paused
	top.held = 0
	a.refreshLive()
	if top.paused {
		return nil
	}
	return a.caughtUp()
}

// modeLabel names the live state for the status bar.
func (a *App) modeLabel() string {
	switch a.mode {
	case liveConnecting:
		return "◌ live connecting"
	case liveNotifier:
		return "● live"
	case liveSSE:
		return "◐ sse+poll " + shortDuration(a.deps.RefreshInterval)
	case livePoll:
		return "○ poll " + shortDuration(a.deps.RefreshInterval)
	}
	return ""
}

// refreshLive sets the status bar's live state from the mode, a pending
// reconnect and the pause of the screen on top.
func (a *App) refreshLive() {
	label := a.modeLabel()
	if a.reconnecting && (a.mode == liveNotifier || a.mode == liveSSE) {
		label = "↻ reconnecting"
	}
	if t := a.top(); t != nil && t.paused && a.mode != liveOff {
		label = "⏸ paused · L resumes"
		if t.held > 0 {
			label = fmt.Sprintf("⏸ paused · %d changed · L resumes", t.held)
		}
	}
	a.status.Live = label
}
