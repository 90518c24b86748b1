// Package overview is the ":overview" screen: the execution counts of
// /api/v1/executions/stats, the executions that failed in the last 15
// minutes and hour grouped by action and by rule (read from the newest
// pages of failed executions, at most MaxPages requests, and it says when
// that was not enough), and the newest failed executions and the
// enforcements they belong to. Every row is a jump (enter opens it). It
// refreshes on live changes and otherwise every RefreshEvery.
package overview

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/table"
	"github.com/attune-tui/attune-tui/ui/format"
)

// KeyMap holds the overview's bindings.
type KeyMap struct {
	Up, Down, Top, Bottom key.Binding
	Open                  key.Binding
	Refresh               key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	t := table.DefaultKeyMap()
	return KeyMap{
		Up: t.Up, Down: t.Down, Top: t.Top, Bottom: t.Bottom,
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open the row")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
	}
}

// loadedMsg answers one refresh.
type loadedMsg struct {
	seq  int
	snap *snapshot
	err  error
}

// tickMsg is the periodic refresh.
type tickMsg struct{}

// line is one line of the screen; a line with a route is a row the cursor
// can select.
type line struct {
	text  string // plain, terminal-safe
	title bool   // a section title
	route *common.Route
}

// Model is the overview screen.
type Model struct {
	deps    common.Deps
	api     common.ExecutionsAPI
	keys    KeyMap
	spin    spinner.Model
	width   int
	height  int
	seq     int // the latest refresh asked
	loading bool
	// pending: a live change came while a refresh was in flight; one more
	// refresh follows its answer (one at a time, however busy the source).
	pending bool
	snap    *snapshot
	err     error
	lines   []line
	cursor  int // index into lines of the selected row
	off     int // first line shown
}

// New returns the overview.
func New(deps common.Deps) Model {
	deps = deps.WithDefaults()
	return Model{
		deps: deps, api: deps.API.Executions, keys: DefaultKeyMap(), seq: 1, loading: true,
		spin: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(deps.Styles.State.Spinner)),
	}
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.loadCmd(m.seq), m.spin.Tick, tickCmd(m.deps.Lifetime))
}

// refresh asks for a new snapshot; the current one stays on screen.
func (m Model) refresh() (Model, tea.Cmd) {
	m.seq++
	m.loading = true
	return m, tea.Batch(m.loadCmd(m.seq), m.spin.Tick)
}

// loadCmd fetches a snapshot measured at the clock's now.
func (m Model) loadCmd(seq int) tea.Cmd {
	api, deps, now := m.api, m.deps, m.deps.Now()
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		s, err := load(ctx, api, now, bounds{pages: MaxPages, perPage: PerPage})
		return loadedMsg{seq: seq, snap: s, err: err}
	}
}

// tickCmd fires after RefreshEvery unless ctx ends first. (Once the screen
// is left, its tick is dropped by the root and the loop ends.)
func tickCmd(ctx context.Context) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(RefreshEvery)
		defer t.Stop()
		select {
		case <-t.C:
			return tickMsg{}
		case <-ctx.Done():
			return nil
		}
	}
}

// Title implements common.View.
func (m Model) Title() string { return "Overview" }

// InputFocused implements common.View.
func (m Model) InputFocused() bool { return false }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Open, m.keys.Refresh} }

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Top, m.keys.Bottom}, {m.keys.Open, m.keys.Refresh}}
}

// HelpNotes implements common.HelpNoter.
func (m Model) HelpNotes() []string {
	return []string{fmt.Sprintf("The failure counts come from the newest pages of failed executions (at most %d requests of %d); "+
		"\"partial\" says the last hour had more. The screen refreshes on live changes, else every %s.",
		MaxPages, PerPage, RefreshEvery)}
}

// SetSize implements common.View.
func (m Model) SetSize(width, height int) common.View {
	m.width, m.height = width, height
	m.off = m.clampOff()
	return m
}

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.seq != m.seq {
			return m, nil // a newer refresh is on its way
		}
		m.loading = false
		var again tea.Cmd
		if m.pending {
			m.pending = false
			m, again = m.refresh()
		}
		if msg.err != nil {
			m.err = msg.err
			return m, tea.Batch(again, common.ReportError(msg.err, "overview", false))
		}
		m.err = nil
		m = m.setSnapshot(msg.snap)
		return m, tea.Batch(again, common.Synced(m.deps.Now()))
	case tickMsg:
		next := tickCmd(m.deps.Lifetime)
		if m.loading {
			m.pending = true
			return m, next
		}
		m, cmd := m.refresh()
		return m, tea.Batch(cmd, next)
	case common.LiveMsg:
		if !msg.Touches("execution") && !msg.Touches("enforcement") {
			return m, nil
		}
		if m.loading {
			m.pending = true
			return m, nil
		}
		return m.refresh()
	case spinner.TickMsg:
		if !m.loading && m.snap != nil {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		return m.key(msg)
	case tea.MouseMsg:
		return m.mouse(msg), nil
	}
	return m, nil
}

// HandlesMouse implements common.MouseView.
func (m Model) HandlesMouse() bool { return true }

// mouse moves the cursor with the wheel and selects the row clicked (Y is
// relative to the screen's top).
func (m Model) mouse(msg tea.MouseMsg) Model {
	switch {
	case msg.Action == tea.MouseActionMotion:
		return m
	case msg.Button == tea.MouseButtonWheelUp:
		m.cursor = m.step(m.cursor, -1)
	case msg.Button == tea.MouseButtonWheelDown:
		m.cursor = m.step(m.cursor, 1)
	case msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress:
		if i := m.off + msg.Y; msg.Y >= 0 && i < len(m.lines) && m.lines[i].route != nil {
			m.cursor = i
		}
	}
	m.off = m.clampOff()
	return m
}

func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Refresh):
		return m.refresh()
	case key.Matches(msg, k.Open):
		if m.cursor < len(m.lines) && m.lines[m.cursor].route != nil {
			return m, common.Open(*m.lines[m.cursor].route)
		}
	case key.Matches(msg, k.Up):
		m.cursor = m.step(m.cursor, -1)
	case key.Matches(msg, k.Down):
		m.cursor = m.step(m.cursor, 1)
	case key.Matches(msg, k.Top):
		m.cursor = m.step(-1, 1)
	case key.Matches(msg, k.Bottom):
		m.cursor = m.step(len(m.lines), -1)
	}
	m.off = m.clampOff()
	return m, nil
}

// step returns the next selectable line from i in direction d, or i when
// there is none.
func (m Model) step(i, d int) int {
	for j := i + d; j >= 0 && j < len(m.lines); j += d {
		if m.lines[j].route != nil {
			return j
		}
	}
	if i < 0 || i >= len(m.lines) {
		return max(0, min(i, len(m.lines)-1))
	}
	return i
}

// clampOff keeps the cursor inside the window of lines shown.
func (m Model) clampOff() int {
	h := max(m.height, 1)
	off := m.off
	if m.cursor < off {
		off = m.cursor
		if off > 0 && m.lines[off-1].title { // show the section's title too
			off--
		}
	}
	if m.cursor >= off+h {
		off = m.cursor - h + 1
	}
	return max(0, min(off, len(m.lines)-h))
}

// setSnapshot lays out the lines of s, keeping the selected row when it is
// still there.
func (m Model) setSnapshot(s *snapshot) Model {
	var was string
	if m.cursor < len(m.lines) {
		was = m.lines[m.cursor].text
	}
	m.snap = s
	m.lines = layout(s)
	m.cursor = m.step(-1, 1)
	for i, l := range m.lines {
		if l.route != nil && l.text == was {
			m.cursor = i
		}
	}
	m.off = m.clampOff()
	return m
}

// layout turns a snapshot into the screen's lines.
func layout(s *snapshot) []line {
	st := s.stats
	var out []line
	title := func(t string) { out = append(out, line{text: t, title: true}) }
	row := func(text string, r common.Route) { out = append(out, line{text: text, route: &r}) }
	plain := func(text string) { out = append(out, line{text: text}) }

	title("Executions (all stored)")
	row(fmt.Sprintf("  %d failed · %d timeout · %d abandoned", st.Failed, st.Timeout, st.Abandoned),
		common.Route{Kind: common.KindExecutions, Ref: "status:failed"})
	row(fmt.Sprintf("  %d running · %d pending · %d completed · %d cancelled · %d total", st.Running, st.Pending, st.Completed, st.Cancelled, st.Total),
		common.Route{Kind: common.KindExecutions})

	scope := fmt.Sprintf("from the newest %d failed executions, %d request(s) of at most %d", s.read, s.requests, s.budget)
	if s.partial {
		scope += ", partial: the last hour has more"
	}
	groups := func(name string, gs []group) {
		title(fmt.Sprintf("Failed by %s   15m   1h", name))
		if len(gs) == 0 {
			plain("  none in the last hour")
		}
		for _, g := range gs {
			text := fmt.Sprintf("  %4d  %4d  %s", g.short, g.long, g.ref)
			if g.filter == "" {
				plain(text)
				continue
			}
			row(text, common.Route{Kind: common.KindExecutions, Ref: g.filter})
		}
	}
	groups("action", s.byAction)
	groups("rule", s.byRule)
	plain("  (" + scope + ")")

	title("Newest failed executions")
	if len(s.execs) == 0 {
		plain("  none")
	}
	aw := 0
	for _, e := range s.execs {
		aw = min(max(aw, ansi.StringWidth(e.action)), 30)
	}
	for _, e := range s.execs {
		row(fmt.Sprintf("  #%-8d %-8s %s  rule %s", e.id, common.Relative(e.created, s.at), format.Fit(e.action, aw), e.rule),
			common.Route{Kind: common.KindExecution, ID: e.id})
	}
	title("Enforcements of those failures")
	if len(s.enfs) == 0 {
		plain("  none")
	}
	rw := 0
	for _, e := range s.enfs {
		rw = min(max(rw, ansi.StringWidth(e.rule)), 30)
	}
	for _, e := range s.enfs {
		row(fmt.Sprintf("  #%-8d %-8s %s  %d failed", e.id, common.Relative(e.newest, s.at), format.Fit(e.rule, rw), e.failed),
			common.Route{Kind: common.KindEnforcement, ID: e.id})
	}
	return out
}

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	if m.snap == nil {
		if m.err != nil {
			return st.State.Error.Render(format.Fit(common.ErrorLine(m.err), m.width)) + "\n" +
				st.State.Hint.Render("press r to retry · esc to go back")
		}
		return m.spin.View() + " " + st.State.Hint.Render("loading the overview…")
	}
	h := max(m.height, 1)
	var b strings.Builder
	for i := m.off; i < len(m.lines) && i < m.off+h; i++ {
		l := m.lines[i]
		text := ansi.Truncate(l.text, max(m.width, 1), "…")
		switch {
		case i == m.cursor && l.route != nil:
			// ">" marks the row without colour too (rows start with "  ").
			text = st.Table.Selected.Render(format.Fit(">"+strings.TrimPrefix(text, " "), m.width))
		case l.title:
			text = st.App.Title.Render(text)
		case l.route == nil:
			text = st.App.Muted.Render(text)
		}
		if i == m.off && m.loading {
			// The first line says a refresh is on its way.
			text = ansi.Truncate(text, max(m.width-2, 1), "…") + " " + m.spin.View()
		}
		if i > m.off {
			b.WriteByte('\n')
		}
		b.WriteString(text)
	}
	return b.String()
}
