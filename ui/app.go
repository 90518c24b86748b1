// Package ui is the Bubble Tea program of attune-tui: the root App model
// owns the navigation stack of views, the status bar, the help and error
// overlays, the ":" command line and the login form. Views never switch
// screens themselves: they send intent messages (common.OpenMsg, BackMsg,
// ErrorMsg, SyncMsg) and the root acts on them.
//
// Every command a view returns is wrapped by the root so that its result is
// delivered back to that view only (see routedMsg): an answer for a view
// that was left is dropped. Views must therefore not use tea.Sequence
// (its message type cannot be unwrapped); tea.Batch is fine.
package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/demoenv"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/cmdline"
	"github.com/attune-tui/attune-tui/ui/components/jsonview"
	"github.com/attune-tui/attune-tui/ui/components/login"
	"github.com/attune-tui/attune-tui/ui/components/statusbar"
	"github.com/attune-tui/attune-tui/ui/keys"
)

// overlay is what covers the body.
type overlay int

const (
	overlayNone overlay = iota
	overlayHelp
	overlayError
	overlayWatches
)

// entry is one view on the stack with the id its messages are routed by.
type entry struct {
	id   int
	view common.View
	// paused is set by L: live changes do not reach the screen.
	paused bool
	// missed says live changes happened while the screen was covered or
	// paused: it refetches when shown (or resumed); held counts the
	// changes held back by a pause.
	missed bool
	held   int
}

// App is the root model. Create it with New; it implements tea.Model.
type App struct {
	deps    common.Deps
	keys    keys.KeyMap
	scroll  keys.OverlayKeyMap // scrolls an overlay taller than the screen
	stack   []entry
	nextID  int
	width   int
	height  int
	status  statusbar.Model
	cmdline cmdline.Model
	help    help.Model
	overlay overlay
	// overlayOff is the first line of the overlay's content shown when
	// it is taller than the body.
	overlayOff int
	// topCache is the rendered top line and the inputs it was drawn from
	// (see refreshTopLine).
	topCache struct{ key, line string }
	login    login.Model
	signedIn bool
	lastErr  string // full text of the last error, terminal-safe
	// warnings are the start-up warnings, terminal-safe; "!" shows them
	// below the last error.
	warnings []string
	routes   map[common.Kind]factory
	// stop cancels deps.Lifetime's child the views' requests run under:
	// quitting ends requests in flight instead of leaving them to time out.
	stop     context.CancelFunc
	commands []command
	// live is the running live source (nil when there is none).
	live *liveFeed
	// mode is the session's live mode; reconnecting is set while its
	// source reconnects.
	mode         liveMode
	reconnecting bool
	// pollGen identifies the running poll loop; pollFails counts failed
	// polls in a row; pollPending is set from a poll's refetch until it
	// answers; pollByKey says polling was turned on by L (no source).
	pollGen     int
	pollFails   int
	pollPending bool
	pollByKey   bool
	// watches are the :watch filters of the session.
	watches watchList
	// click is the last left click, for double clicks.
	click lastClick
	// export is the running list export (nil when none); exportSeq
	// numbers them so a late step of an earlier one is dropped.
	export    *exportJob
	exportSeq int
	// switchTo is the context ":ctx" asked for: the program quits and
	// its runner starts a fresh session against it.
	switchTo string
}

// New returns the root model. With deps.API set it starts on the event
// list; otherwise it shows the login form and signs in with deps.Login.
func New(deps common.Deps) *App {
	deps = deps.WithDefaults()
	if fixed, ok, err := demoenv.Now(); deps.Demo && ok && err == nil {
		// Reproducible screenshots: the demo's clock stands still (an
		// invalid value already stopped the demo server from starting).
		deps.Now = func() time.Time { return fixed }
	}
	a := &App{keys: keys.DefaultKeyMap(), scroll: keys.DefaultOverlayKeyMap()}
	deps.Lifetime, a.stop = context.WithCancel(deps.Lifetime)
	a.routes = routeTable()
	a.deps = deps
	a.commands = commandTable()
	st := deps.Styles
	a.status = statusbar.Model{
		Styles: statusbar.Styles{
			Bar: st.Status.Bar, OK: st.Status.OK, Error: st.Status.Error,
			Reconnecting: st.Status.Reconnecting, Demo: st.Status.Demo, Muted: st.Status.Muted,
		},
		Context: textsafe.Line(deps.Context),
		Server:  textsafe.Line(deps.ServerURL),
		Demo:    deps.Demo,
		Now:     deps.Now(),
		Hint:    "? help ",
	}
	a.cmdline = cmdline.New(cmdline.Styles{
		Prompt: st.Cmdline.Prompt, Text: st.Cmdline.Text, Info: st.Cmdline.Info, Error: st.Cmdline.Error,
	}).SetCompleter(a.complete)
	a.help = help.New()
	a.help.Styles = st.Help
	a.login = login.New(deps.LoginName, textsafe.Line(deps.ServerURL), login.Styles{
		Box: st.Login.Box, Title: st.Login.Title, Label: st.Login.Label,
		Error: st.Login.Error, Hint: st.Login.Hint, Text: st.Filter.Text,
	})
	a.signedIn = deps.API != nil
	a.showWarnings(deps.Warnings)
	return a
}

// showWarnings puts start-up warnings where an error would go: the first in
// the status bar, all of them behind "!".
func (a *App) showWarnings(warnings []string) {
	if len(warnings) == 0 {
		return
	}
	a.warnings = make([]string, len(warnings))
	for i, w := range warnings {
		a.warnings[i] = textsafe.Line(w)
	}
	a.status.Err = "warning: " + a.warnings[0]
	if len(a.warnings) > 1 {
		a.status.Err += fmt.Sprintf(" (+%d more)", len(a.warnings)-1)
	}
}

// Init implements tea.Model.
func (a *App) Init() tea.Cmd {
	defer a.refreshTopLine()
	if !a.signedIn {
		return a.login.Init()
	}
	return a.afterSignIn()
}

// afterSignIn opens the start screen (the event list, or Deps.Start with
// the screens below it), asks who we are and starts the clock.
func (a *App) afterSignIn() tea.Cmd {
	return tea.Batch(a.openStart(), a.meCmd(), clockCmd(a.deps.Lifetime, a.deps.TickInterval), a.startLive())
}

// clockTickMsg is one tick of the root's clock.
type clockTickMsg struct{}

// clockCmd ticks once after every (Deps.TickInterval; nil when the clock is
// off) unless ctx (the program's lifetime) ends first. It needs no request
// and draws nothing by itself: a frame identical to the last one writes
// nothing to the terminal.
func clockCmd(ctx context.Context, every time.Duration) tea.Cmd {
	if every <= 0 {
		return nil
	}
	return func() tea.Msg {
		t := time.NewTimer(every)
		defer t.Stop()
		select {
		case <-t.C:
			return clockTickMsg{}
		case <-ctx.Done():
			return nil
		}
	}
}

// tick sends the clock to the active view when it draws relative times.
func (a *App) tick() tea.Cmd {
	cmds := []tea.Cmd{clockCmd(a.deps.Lifetime, a.deps.TickInterval)}
	if n := len(a.stack); n > 0 {
		if r, ok := a.stack[n-1].view.(common.RelativeView); ok && r.Relative() {
			cmds = append(cmds, a.updateView(n-1, common.ClockMsg{At: a.deps.Now()}))
		}
	}
	return tea.Batch(cmds...)
}

// meMsg answers GET /auth/me.
type meMsg struct {
	user *client.CurrentUser
	err  error
}

func (a *App) meCmd() tea.Cmd {
	api, deps := a.deps.API, a.deps
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		u, _, err := api.Auth.Me(ctx)
		if err != nil {
			err = fmt.Errorf("who am i: %w", err)
		}
		return meMsg{user: u, err: err}
	}
}

// loginDoneMsg answers a sign-in from the login form.
type loginDoneMsg struct {
	api *common.API
	err error
}

func (a *App) loginCmd(name, password string) tea.Cmd {
	fn, deps := a.deps.Login, a.deps
	return func() tea.Msg {
		if fn == nil {
			return loginDoneMsg{err: fmt.Errorf("sign in: no login function configured")}
		}
		ctx, cancel := deps.RequestContext()
		defer cancel()
		api, err := fn(ctx, name, password)
		if err != nil {
			return loginDoneMsg{err: fmt.Errorf("sign in: %w", err)}
		}
		return loginDoneMsg{api: api}
	}
}

// routedMsg carries the result of a view's command back to that view.
type routedMsg struct {
	id  int
	msg tea.Msg
}

// routeCmd wraps cmd so that its message is delivered to view id.
func routeCmd(id int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return routedMsg{id: id, msg: cmd()} }
}

// top returns the active view entry, or nil.
func (a *App) top() *entry {
	if len(a.stack) == 0 {
		return nil
	}
	return &a.stack[len(a.stack)-1]
}

func (a *App) bodyHeight() int { return max(a.height-2, 1) }

// push puts v on the stack and starts it.
func (a *App) push(v common.View) tea.Cmd {
	a.nextID++
	id := a.nextID
	v = v.SetSize(a.width, a.bodyHeight())
	a.stack = append(a.stack, entry{id: id, view: v})
	a.overlay, a.overlayOff = overlayNone, 0
	a.refreshLive()
	return routeCmd(id, v.Init())
}

// open builds the view for r and pushes it.
func (a *App) open(r common.Route) tea.Cmd {
	f := a.routes[r.Kind] // every Kind has one (TestEveryKindHasAScreen)
	if f == nil {
		f = func(common.Deps, common.Route) (common.View, error) {
			return nil, fmt.Errorf("%s: no such screen", r.Kind)
		}
	}
	v, err := f(a.deps, r)
	if err != nil {
		a.cmdline = a.cmdline.SetMessage(textsafe.Line(err.Error()), true)
		return a.shown()
	}
	a.deps.Logger.Debug("navigate", "action", "open", "kind", string(r.Kind), "id", r.ID, "depth", len(a.stack)+1)
	return a.push(v)
}

// back pops the active view, keeping at least one.
func (a *App) back() {
	if len(a.stack) > 1 {
		a.truncate(len(a.stack) - 1)
		a.deps.Logger.Debug("navigate", "action", "back", "depth", len(a.stack))
	}
}

// shown tells the view on top that it is shown again (common.ShownMsg),
// and has it refetch when live changes happened while it was covered.
func (a *App) shown() tea.Cmd {
	if len(a.stack) == 0 {
		return nil
	}
	a.refreshLive()
	return tea.Batch(a.updateView(len(a.stack)-1, common.ShownMsg{}), a.caughtUp())
}

// truncate keeps the first n views of the stack and closes the others
// (common.Closer), so nothing they hold outlives them.
func (a *App) truncate(n int) {
	for i := len(a.stack) - 1; i >= n; i-- {
		if c, ok := a.stack[i].view.(common.Closer); ok {
			c.Close()
		}
	}
	a.stack = a.stack[:n]
}

// shortDuration renders d to the second without zero units: "40s", "1m",
// "1m30s".
func shortDuration(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}

// setConn changes the connection state, logging each change.
func (a *App) setConn(c statusbar.Conn) {
	if a.status.Conn != c {
		a.deps.Logger.Debug("connection", "from", a.status.Conn.String(), "to", c.String())
	}
	a.status.Conn = c
}

// Update implements tea.Model. The top line is drawn here, after every
// message, from whatever it changed, so that View only reads it.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := a.update(msg)
	a.refreshTopLine()
	return m, cmd
}

func (a *App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		for i := range a.stack {
			a.stack[i].view = a.stack[i].view.SetSize(a.width, a.bodyHeight())
		}
		a.cmdline = a.cmdline.SetWidth(a.width)
		a.help.Width = a.width - 4
		return a, nil
	case routedMsg:
		return a, a.routed(msg)
	case clockTickMsg:
		return a, a.tick()
	case liveMsg:
		return a, a.onLive(msg)
	case pollMsg:
		return a, a.onPoll(msg)
	case common.OpenMsg:
		a.cmdline = a.cmdline.ClearMessage()
		return a, a.open(msg.Route)
	case common.BackMsg:
		a.back()
		return a, a.shown()
	case common.ErrorMsg:
		if a.pollAnswered(true) {
			msg.Retrying = true // the next poll retries it
		}
		a.setError(msg)
		return a, nil
	case common.RetryMsg:
		a.status.Retry = ""
		if msg.In > 0 {
			a.status.Retry = "retry in " + shortDuration(msg.In)
			a.deps.Logger.Debug("auto-refresh backing off", "retry_in", msg.In)
		}
		return a, nil
	case common.SyncMsg:
		a.pollAnswered(false)
		a.setConn(statusbar.ConnOK)
		a.status.Retry = ""
		a.status.LastSync = msg.At
		a.status.Now = msg.At
		// The error stays: another request of the same screen may have
		// failed after this one was sent. It goes when the user acts.
		return a, nil
	case meMsg:
		if msg.err != nil {
			a.setError(common.ErrorMsg{Err: msg.err, Origin: "session"})
			return a, nil
		}
		name := msg.user.Login
		if msg.user.DisplayName != nil && *msg.user.DisplayName != "" {
			name = *msg.user.DisplayName + " (" + msg.user.Login + ")"
		}
		a.status.User = textsafe.Line(name)
		return a, nil
	case login.SubmitMsg:
		return a, a.loginCmd(msg.Login, msg.Password)
	case loginDoneMsg:
		if msg.err != nil {
			a.login = a.login.SetError(common.ErrorLine(msg.err))
			return a, nil
		}
		a.deps.API = msg.api
		a.signedIn = true
		return a, a.afterSignIn()
	case cmdline.CancelMsg:
		return a, nil
	case jsonview.CopyMsg:
		return a, a.copy(msg.Text, msg.What)
	case copiedMsg:
		a.onCopied(msg)
		return a, nil
	case exportMsg:
		return a, a.onExport(msg)
	case exportClosedMsg:
		a.onExportClosed(msg)
		return a, nil
	case bundleMsg:
		return a, a.onBundle(msg)
	case jsonview.OpenPagerMsg:
		if !a.deps.AllowExec {
			a.cmdline = a.cmdline.SetMessage("the pager is not available in this session", true)
			return a, nil
		}
		return a, pagerFileCmd(msg.Text)
	case pagerFileMsg:
		return a, a.pagerCmd(msg)
	case pagerDoneMsg:
		if msg.err != nil {
			a.cmdline = a.cmdline.SetMessage("pager: "+common.ErrorLine(msg.err), true)
		}
		return a, nil
	case tea.KeyMsg:
		return a, a.handleKeys(msg)
	case tea.MouseMsg:
		return a, a.onMouse(msg)
	}
	// Messages for root-owned inputs (cursor blinks and the like).
	var cmd tea.Cmd
	if !a.signedIn {
		a.login, cmd = a.login.Update(msg)
	} else if a.cmdline.Active() {
		a.cmdline, cmd = a.cmdline.Update(msg)
	}
	return a, cmd
}

// routed delivers a view's command result to that view, or acts on it when
// it is an intent for the root. Results for views no longer on the stack
// are dropped.
func (a *App) routed(rm routedMsg) tea.Cmd {
	switch inner := rm.msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		cmds := make([]tea.Cmd, len(inner))
		for i, c := range inner {
			cmds[i] = routeCmd(rm.id, c)
		}
		return tea.Batch(cmds...)
	case common.SyncMsg:
		_, cmd := a.Update(inner) // the server answered, whoever asked
		return cmd
	case common.OpenMsg, common.BackMsg, common.ErrorMsg, common.RetryMsg,
		jsonview.CopyMsg, jsonview.OpenPagerMsg, tea.QuitMsg:
		if !a.onStack(rm.id) {
			return nil // an intent of a screen that was left: drop it
		}
		_, cmd := a.Update(inner)
		if _, quit := inner.(tea.QuitMsg); quit {
			return a.quit()
		}
		return cmd
	}
	for i := range a.stack {
		if a.stack[i].id != rm.id {
			continue
		}
		return a.updateView(i, rm.msg)
	}
	return nil // the view was left: drop
}

// quit ends the program and the requests it has in flight.
func (a *App) quit() tea.Cmd {
	a.stop()
	return tea.Quit
}

// onStack reports whether the view with this id is still on the stack.
func (a *App) onStack(id int) bool {
	for i := range a.stack {
		if a.stack[i].id == id {
			return true
		}
	}
	return false
}

// updateView sends msg to the view at stack index i. This is the one place
// where a view's Update result is asserted back to common.View.
func (a *App) updateView(i int, msg tea.Msg) tea.Cmd {
	e := &a.stack[i]
	m, cmd := e.view.Update(msg)
	if v, ok := m.(common.View); ok {
		e.view = v
	}
	return routeCmd(e.id, cmd)
}

func (a *App) setError(msg common.ErrorMsg) {
	if msg.Err == nil {
		return
	}
	// The connection state changes for transport failures and for answers
	// that make the server unusable (401, an undecodable body, a refused
	// redirect); another API error (404, 403) is an answer from a reachable
	// server.
	var redirect *client.RedirectError
	switch {
	case common.IsConnectionError(msg.Err) && msg.Retrying:
		a.setConn(statusbar.ConnReconnecting)
	case common.IsConnectionError(msg.Err):
		a.setConn(statusbar.ConnError)
	case errors.Is(msg.Err, client.ErrUnauthorized):
		a.setConn(statusbar.ConnUnauthorized)
	case errors.Is(msg.Err, client.ErrMalformedResponse):
		a.setConn(statusbar.ConnBadAnswer)
	case errors.As(msg.Err, &redirect):
		a.setConn(statusbar.ConnError)
	}
	a.deps.Logger.Debug("error", "origin", msg.Origin, "retrying", msg.Retrying, "error", msg.Err.Error())
	line := common.ErrorLine(msg.Err)
	if msg.Origin != "" {
		line = textsafe.Line(msg.Origin) + ": " + line
	}
	a.status.Err = line
	a.lastErr = textsafe.Text(msg.Err.Error())
	if msg.Origin != "" {
		a.lastErr = textsafe.Line(msg.Origin) + "\n\n" + a.lastErr
	}
	a.status.Now = a.deps.Now()
}

// handleKeys splits a burst of runes read in one chunk (fast typing, a
// terminal multiplexer sending "jj") into single keys, unless a text input
// has focus and wants the runes as they are.
func (a *App) handleKeys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste || a.inputFocused() {
		return a.handleKey(msg)
	}
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		k := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
		if a.inputFocused() { // a rune opened an input: the rest is its text
			k.Runes = msg.Runes[len(cmds):]
			cmds = append(cmds, a.handleKey(k))
			break
		}
		cmds = append(cmds, a.handleKey(k))
	}
	return tea.Batch(cmds...)
}

// inputFocused reports whether some text input takes the keys.
func (a *App) inputFocused() bool {
	if !a.signedIn || a.cmdline.Active() {
		return true
	}
	t := a.top()
	return t != nil && t.view.InputFocused()
}

func (a *App) handleKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, a.keys.ForceQuit) {
		return a.quit()
	}
	if !a.signedIn {
		var cmd tea.Cmd
		a.login, cmd = a.login.Update(msg)
		return cmd
	}
	if a.cmdline.Active() {
		var cmd tea.Cmd
		a.cmdline, cmd = a.cmdline.Update(msg)
		if text, ok := a.cmdline.Submitted(); ok {
			// Run it now, not from a message: the keys after enter in
			// the same burst must see the command's screen.
			return tea.Batch(cmd, a.runCommand(text))
		}
		return cmd
	}
	if a.overlay != overlayNone {
		if key.Matches(msg, a.keys.Quit) {
			return a.quit()
		}
		if off, ok := a.overlayScroll(msg); ok {
			a.overlayOff = off
			return nil
		}
		a.overlay = overlayNone // any other key closes the overlay
		a.overlayOff = 0
		return nil
	}
	if a.export != nil && key.Matches(msg, a.keys.Back) {
		a.export.cancel() // the step in flight ends; the file is closed valid
		return nil
	}
	if a.export == nil {
		a.cmdline = a.cmdline.ClearMessage() // an export's progress stays
	}
	a.status.Now = a.deps.Now()
	top := a.top()
	if top == nil {
		return nil
	}
	if !top.view.InputFocused() {
		if cmd, ok := a.take(msg, top.view); ok {
			return cmd
		}
		switch {
		case key.Matches(msg, a.keys.Quit):
			return a.quit()
		case key.Matches(msg, a.keys.Help):
			a.overlay = overlayHelp
			return nil
		case key.Matches(msg, a.keys.ShowError):
			if a.lastErr != "" || len(a.warnings) > 0 {
				a.overlay = overlayError
			}
			return nil
		case key.Matches(msg, a.keys.Live):
			return a.toggleLive()
		case key.Matches(msg, a.keys.Command):
			var cmd tea.Cmd
			a.cmdline, cmd = a.cmdline.Open()
			return cmd
		case key.Matches(msg, a.keys.Back):
			a.status.Err = ""
			a.back()
			return a.shown()
		}
	}
	a.status.Err = "" // the user acts on the screen: a new failure will say so again
	return a.updateView(len(a.stack)-1, msg)
}

// Views returns the titles of the views on the stack, bottom first (for
// tests and the breadcrumb).
func (a *App) Views() []string {
	out := make([]string, len(a.stack))
	for i, e := range a.stack {
		out[i] = e.view.Title()
	}
	return out
}

// Active returns the active view, or nil before sign-in.
func (a *App) Active() common.View {
	if t := a.top(); t != nil {
		return t.view
	}
	return nil
}

// relative formats the "last refresh" time of the status bar.
func relative(t, now time.Time) string { return common.Relative(t, now) }

// breadcrumb renders "Events › #4812" in at most budget cells. A stack too
// deep for it keeps the first screen and as many of the last ones as fit,
// the middle collapsed ("Events › … › #4812"); the current screen always
// shows.
func (a *App) breadcrumb(budget int) string {
	st := a.deps.Styles
	titles := a.Views()
	if !a.signedIn {
		titles = []string{"Sign in"}
	}
	sep := st.App.BreadcrumbSep.Render(" › ")
	render := func(ts []string) string {
		parts := make([]string, len(ts))
		for i, t := range ts {
			parts[i] = st.App.Breadcrumb.Render(t)
		}
		return " " + strings.Join(parts, sep)
	}
	full := render(titles)
	n := len(titles)
	if n < 3 || ansi.StringWidth(full) <= budget {
		return full
	}
	for k := 1; k < n-1; k++ { // "…" stands for titles[1..k]
		kept := append([]string{titles[0], "…"}, titles[k+1:]...)
		if s := render(kept); ansi.StringWidth(s) <= budget {
			return s
		}
	}
	return render([]string{"…", titles[n-1]})
}
