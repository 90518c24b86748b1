// Package detail is the machinery the detail screens (event, enforcement,
// execution, rule) share: one data request at a time, tagged with a sequence
// number so that stale answers are dropped, with a spinner while it runs; a
// set of named panes switched with tab, of which the JSON viewer panes are
// owned here and the others (condview, a children list) are drawn by the
// view; the header's label/value styling; and the frame that renders the
// loading, error and ready states.
//
// A view keeps a Model, starts a request with Start, ends it with Done,
// sends every message it does not handle itself to Update, and renders with
// View. What a detail view shows in its header and its own panes, and which
// links it offers, stay in the view.
package detail

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/jsonview"
	"github.com/attune-tui/attune-tui/ui/format"
	"github.com/attune-tui/attune-tui/ui/theme"
)

// MaxPanes is the largest number of panes a Model holds.
const MaxPanes = 6

// Pane describes one tab of a detail view.
type Pane struct {
	// Name is the tab label.
	Name string
	// JSON makes the pane a JSON viewer owned by the Model. Otherwise the
	// view draws the pane and routes its keys itself.
	JSON bool
}

// Option configures a Model.
type Option func(*Model)

// WithInactiveTabStyle sets the style of the inactive tab labels (the
// theme's Detail.TabInactive by default).
func WithInactiveTabStyle(s lipgloss.Style) Option {
	return func(m *Model) { m.tabOff = s }
}

// Model is the shared state of a detail view: its request, its panes and
// its size. It is a value; its methods return the changed copy.
type Model struct {
	styles  *theme.Styles
	noun    string
	seq     int
	loading bool
	err     error
	spin    spinner.Model
	n       int
	panes   [MaxPanes]Pane
	json    [MaxPanes]jsonview.Model
	active  int
	tabOff  lipgloss.Style
	width   int
	height  int
}

// New returns a Model for a view that shows one noun ("event": "Loading
// event…", "Could not load event: …") in the given panes (at most
// MaxPanes; extra panes are ignored). The first pane is active and, when
// it is a JSON pane, focused.
func New(styles *theme.Styles, noun string, panes []Pane, opts ...Option) Model {
	m := Model{
		styles: styles,
		noun:   noun,
		spin:   spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(styles.State.Spinner)),
		n:      min(len(panes), MaxPanes),
		tabOff: styles.Detail.TabInactive,
	}
	copy(m.panes[:], panes)
	for i := range m.n {
		if m.panes[i].JSON {
			m.json[i] = jsonview.New(jsonview.WithStyles(styles.JSON))
		}
	}
	if m.n > 0 && m.panes[0].JSON {
		m.json[0].Focus()
	}
	for _, o := range opts {
		o(&m)
	}
	return m
}

// Start begins a new request: it returns the changed Model, the request's
// sequence number (to put in its answer and give back to Done) and the
// spinner's tick command (to batch with the request).
func (m Model) Start() (Model, int, tea.Cmd) {
	m.seq++
	m.loading = true
	return m, m.seq, m.spin.Tick
}

// Load starts a new request (see Start): request returns the commands that
// fetch its data, whose answers carry seq. It returns them batched with the
// spinner's tick.
func (m Model) Load(request func(seq int) tea.Cmd) (Model, tea.Cmd) {
	m, seq, tick := m.Start()
	return m, tea.Batch(request(seq), tick)
}

// GetCmd returns a command that runs get off the UI loop with deps'
// request timeout, through deps.Cache under key (refresh skips a cached
// answer; an empty key bypasses the cache), and turns the result into the
// view's message with answer.
func GetCmd[T any](deps common.Deps, key string, refresh bool, get func(context.Context) (T, *client.Response, error), answer func(T, error) tea.Msg) tea.Cmd {
	cache := deps.Cache
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		fetch := func() (T, *client.Response, error) { return get(ctx) }
		if key == "" {
			v, _, err := fetch()
			return answer(v, err)
		}
		return answer(common.Cached(cache, key, refresh, fetch))
	}
}

// Done ends request seq with err. It reports true when seq is the latest
// request and it succeeded, so the caller goes on to show the answer. A
// stale answer changes nothing; a failure is kept for the error state and
// its command reports it to the root with origin.
func (m Model) Done(seq int, err error, origin string) (Model, tea.Cmd, bool) {
	if seq != m.seq {
		return m, nil, false
	}
	m.loading = false
	m.err = err
	if err != nil {
		return m, common.ReportError(err, origin, false), false
	}
	return m, nil, true
}

// Seq returns the sequence number of the latest request.
func (m Model) Seq() int { return m.seq }

// Loading reports whether the latest request is still running.
func (m Model) Loading() bool { return m.loading }

// Err returns the error of the latest request, or nil.
func (m Model) Err() error { return m.err }

// ParseCmd returns the command that parses raw off the UI loop for JSON
// pane i, tagged with the latest request so that Update drops it once a
// newer request has started.
func (m Model) ParseCmd(i int, raw []byte) tea.Cmd {
	return jsonview.ParseCmd(m.seq*MaxPanes+i, raw)
}

// Active returns the index of the active pane.
func (m Model) Active() int { return m.active }

// SetPaneName changes the tab label of pane i.
func (m Model) SetPaneName(i int, name string) Model {
	if i >= 0 && i < m.n {
		m.panes[i].Name = name
	}
	return m
}

// JSONActive reports whether the active pane is a JSON viewer (whose own
// y and Y copy its node and document).
func (m Model) JSONActive() bool { return m.isJSON(m.active) }

func (m Model) isJSON(i int) bool { return i >= 0 && i < m.n && m.panes[i].JSON }

// NextPane makes the next pane active (the previous one for shift+tab) and
// moves the JSON viewer focus with it.
func (m Model) NextPane(msg tea.KeyMsg) Model {
	if m.n == 0 {
		return m
	}
	if m.isJSON(m.active) {
		m.json[m.active].Blur()
	}
	if key.Matches(msg, prevPaneKey()) {
		m.active = (m.active + m.n - 1) % m.n
	} else {
		m.active = (m.active + 1) % m.n
	}
	if m.isJSON(m.active) {
		m.json[m.active].Focus()
	}
	return m
}

// InputFocused reports whether the active pane has a text input focused
// (the JSON viewer's search), in which case keys belong to it.
func (m Model) InputFocused() bool {
	return m.isJSON(m.active) && m.json[m.active].InputFocused()
}

// ShortHelp returns the active JSON pane's short help, or nil for a pane
// the view draws.
func (m Model) ShortHelp() []key.Binding {
	if !m.isJSON(m.active) {
		return nil
	}
	return m.json[m.active].KeyMap.ShortHelp()
}

// FullHelp returns the active JSON pane's full help, or nil for a pane the
// view draws.
func (m Model) FullHelp() [][]key.Binding {
	if !m.isJSON(m.active) {
		return nil
	}
	return m.json[m.active].KeyMap.FullHelp()
}

// SetSize sets the screen size; the panes get the height left under
// chrome lines (the header and the tab line), at least one.
func (m Model) SetSize(width, height, chrome int) Model {
	m.width, m.height = width, height
	for i := range m.n {
		if m.panes[i].JSON {
			m.json[i].SetSize(width, m.PaneHeight(chrome))
		}
	}
	return m
}

// Width returns the screen width.
func (m Model) Width() int { return m.width }

// PaneHeight returns the height of a pane under chrome lines.
func (m Model) PaneHeight(chrome int) int { return max(m.height-chrome, 1) }

// Update handles the JSON panes' parse results, the spinner, and the
// messages for the JSON panes: a key goes to the active pane only (none
// when the view draws it), anything else to every JSON pane.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case jsonview.ParsedMsg:
		if msg.ID/MaxPanes != m.seq {
			return m, nil
		}
		if i := msg.ID % MaxPanes; m.isJSON(i) {
			m.json[i] = m.json[i].SetDocument(msg.Doc)
		}
		return m, nil
	case spinner.TickMsg:
		if !m.loading {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		if !m.isJSON(m.active) {
			return m, nil
		}
		var cmd tea.Cmd
		m.json[m.active], cmd = m.json[m.active].Update(msg)
		return m, cmd
	}
	var cmds []tea.Cmd
	for i := range m.n {
		if !m.panes[i].JSON {
			continue
		}
		var cmd tea.Cmd
		m.json[i], cmd = m.json[i].Update(msg)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// View renders the screen, padded to its height. Until an answer is loaded
// it shows the error of the failed request with the retry hint, or the
// spinner; once loaded, the header lines, the tab line and the active pane
// (for a pane the view draws, the lines drawPane returns for it).
func (m Model) View(loaded bool, header func() []string, drawPane func(i int) []string) string {
	st := m.styles
	lines := make([]string, 0, m.height)
	switch {
	case !loaded && m.err != nil:
		lines = append(lines, "",
			"  "+st.State.Error.Render("✗ Could not load "+m.noun+": "+common.ErrorLine(m.err)),
			"  "+st.State.Hint.Render("press r to retry · esc to go back"))
	case !loaded:
		lines = append(lines, "", "  "+m.spin.View()+" "+st.State.Hint.Render("Loading "+m.noun+"…"))
	default:
		lines = append(lines, header()...)
		lines = append(lines, m.tabsView())
		if m.isJSON(m.active) {
			lines = append(lines, m.json[m.active].View())
		} else {
			lines = append(lines, drawPane(m.active)...)
		}
	}
	out := strings.Join(lines, "\n")
	if n := strings.Count(out, "\n") + 1; n < m.height {
		out += strings.Repeat("\n", m.height-n)
	}
	return out
}

// tabsView is the tab line: the active pane's name in brackets, then the
// hint.
func (m Model) tabsView() string {
	st := m.styles
	parts := make([]string, m.n)
	for i := range parts {
		name := m.panes[i].Name
		if i == m.active {
			parts[i] = st.Detail.TabActive.Render("[" + name + "]")
		} else {
			parts[i] = m.tabOff.Render(" " + name + " ")
		}
	}
	return m.Fit(strings.Join(parts, " ") + st.Detail.Label.Render("   tab switches"))
}

// Fit truncates s (which may be styled) to the screen width with "…".
func (m Model) Fit(s string) string {
	return format.Cut(s, m.width)
}

// Line joins header parts with two spaces and fits the result to the
// screen width.
func (m Model) Line(parts ...string) string { return m.Fit(strings.Join(parts, "  ")) }

// Title renders the view's title for the first header line.
func (m Model) Title(s string) string { return m.styles.App.Title.Render(s) }

// Label renders a header label.
func (m Model) Label(s string) string { return m.styles.Detail.Label.Render(s) }

// Value renders a header value.
func (m Model) Value(s string) string { return m.styles.Detail.Value.Render(s) }

// Redacted renders a header value that the server redacted.
func (m Model) Redacted(s string) string { return m.styles.Detail.Redacted.Render(s) }

// Field renders a header field: its label, a space, and its value, which
// the caller has already styled (Value, Redacted, or a state style).
func (m Model) Field(label, value string) string { return m.Label(label+" ") + value }

// When is a timestamp as the headers show it: absolute, then relative to
// now in parentheses.
func When(t, now time.Time) string {
	return common.Absolute(t) + " (" + common.Relative(t, now) + ")"
}

// prevPaneKey is the part of NextPaneKey that goes backwards.
func prevPaneKey() key.Binding { return key.NewBinding(key.WithKeys("shift+tab")) }

// NextPaneKey returns the binding that switches panes (tab, and shift+tab
// backwards); help names the panes.
func NextPaneKey(help string) key.Binding {
	return key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", help))
}

// ReloadKey returns the binding that reloads the view.
func ReloadKey() key.Binding {
	return key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh"))
}
