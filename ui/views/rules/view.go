package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/internal/conditions"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/format"
)

// headerLines is the number of lines above the rule list.
const headerLines = 2

// sortOrphans orders the rows of non-candidate rules (at the end) by ref,
// so that the map order of enforcements never shows.
func sortOrphans(rows []row) {
	i := slices.IndexFunc(rows, func(r row) bool { return r.state == stateOrphan })
	if i < 0 {
		return
	}
	slices.SortFunc(rows[i:], func(a, b row) int { return strings.Compare(a.ref, b.ref) })
}

// listHeight is how many rule rows are visible.
func (m Model) listHeight() int {
	return min(len(m.rows), max(3, (m.height-headerLines)/3))
}

// detail returns the lines shown between the list and the conditions.
func (m Model) detail() []string {
	r := m.selected()
	if r == nil {
		return nil
	}
	st := m.deps.Styles
	var out []string
	add := func(s string) { out = append(out, s) }
	evID := strconv.FormatInt(m.id, 10)
	switch r.state {
	case stateLoading:
		add(st.State.Hint.Render("loading rule " + r.safeRef + "…"))
	case stateFetchError:
		add(st.State.Error.Render("! could not load rule " + r.safeRef + ": " + common.ErrorLine(r.err)))
	case stateOrphan:
		add(st.State.Error.Render(fmt.Sprintf("⚠ enforcement #%d exists for rule %s, which is not an enabled rule of this trigger now", r.enf, r.safeRef)))
		add(st.State.Hint.Render("  possible causes: the rule was disabled, deleted or moved to another trigger since the event"))
	case stateMatch:
		if r.enf != 0 {
			add(st.Cond.Pass.Render("✓ matches") + " → enforcement #" + strconv.FormatInt(r.enf, 10) + m.openHint(r))
		} else if m.enfDone && m.enfErr == nil {
			add(st.State.Error.Render("⚠ re-evaluation matches, but no enforcement exists for this event"))
			add(st.State.Hint.Render("  possible causes: later steps of enforcement creation (action params, action lookup, secrets) failed with only a log line; Attune's 30-second rule cache; the token cannot see the enforcement"))
		}
	case stateNoMatch, stateEvalError:
		if r.state == stateEvalError {
			add(st.Cond.Error.Render("! Attune would have logged: ") + attuneLog(r, evID))
		} else {
			add(st.Cond.Fail.Render("✗ no match") + ": " + safe(r.res.Reason))
		}
		if r.enf != 0 {
			add(st.State.Error.Render(fmt.Sprintf("⚠ enforcement #%d exists, but re-evaluation says no match", r.enf)) + m.openHint(r))
			add(st.State.Hint.Render("  possible causes: the rule was edited after the event (Attune's 30-second rule cache included); the enforcement keeps the conditions it was created with"))
		}
	}
	if r.rule != nil && m.ev != nil {
		if when := cacheWindow(r.rule.Updated, m.ev.Created); when != "" {
			add(st.State.Hint.Render("  note: rule updated " + common.Absolute(r.rule.Updated) + ", " + when + " (" +
				common.Absolute(m.ev.Created) + "): Attune caches rules for 30 s, so the event may have been " +
				"evaluated against the old conditions"))
		}
	}
	return out
}

// ruleCacheTTL is how long Attune's executor caches a rule: a rule updated
// less than this before an event may have been evaluated for it with its
// previous conditions.
const ruleCacheTTL = 30 * time.Second

// cacheWindow says where a rule update falls relative to an event when the
// event may have been evaluated against the rule's previous version ("after
// the event" or "within 30 s before the event"), and "" otherwise.
func cacheWindow(updated, created time.Time) string {
	switch {
	case updated.After(created):
		return "after the event"
	case updated.After(created.Add(-ruleCacheTTL)):
		return "within 30 s before the event"
	}
	return ""
}

// detailLines is detail wrapped to the width.
func (m Model) detailLines() []string {
	var out []string
	for _, d := range m.detail() {
		out = append(out, strings.Split(ansi.Wrap(d, max(m.width, 10), " "), "\n")...)
	}
	return out
}

// openHint says how to open a row's enforcement, when possible.
func (m Model) openHint(r *row) string {
	if r.enf != 0 {
		return m.deps.Styles.State.Hint.Render("  (enter opens)")
	}
	return ""
}

// attuneLog is what Attune's executor logs for an evaluation error.
func attuneLog(r *row, evID string) string {
	res := r.res
	switch res.Shape {
	case conditions.Array:
		msg := res.Reason
		if c := firstError(res); c != nil {
			msg = c.Err
		}
		return safe(fmt.Sprintf("Failed to create enforcement for rule %s and event %s: %s", r.ref, evID, msg))
	case conditions.Expression:
		if res.Expr != nil {
			return safe("Failed to evaluate rule criteria: " + res.Expr.Err)
		}
	case conditions.Unsupported:
		return safe("conditions are not an array (" + res.Reason + ")")
	case conditions.Empty, conditions.NoPayload:
	}
	return safe(res.Reason)
}

// layout sizes the conditions component and keeps the cursor visible.
func (m Model) layout() Model {
	lh := m.listHeight()
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if lh > 0 && m.cursor >= m.top+lh {
		m.top = m.cursor - lh + 1
	}
	m.top = max(0, min(m.top, len(m.rows)-lh))
	rest := m.height - headerLines - lh - 1 - len(m.detailLines())
	m.cond = m.cond.SetSize(max(m.width, 1), max(rest, 1))
	return m
}

// rowLine renders one row of the list.
func (m Model) rowLine(i int) string {
	st := m.deps.Styles
	r := m.rows[i]
	cur := "  "
	if i == m.cursor {
		cur = "> "
	}
	var sym, summary string
	switch r.state {
	case stateLoading:
		sym, summary = "…", "loading"
	case stateFetchError:
		sym, summary = st.Cond.Error.Render("?"), "could not load: "+common.ErrorLine(r.err)
	case stateOrphan:
		sym, summary = st.State.Error.Render("⚠"), fmt.Sprintf("enforcement #%d, but not a candidate now", r.enf)
	case stateMatch:
		sym = st.Cond.Pass.Render("✓")
		switch {
		case r.enf != 0:
			summary = "matched → enforcement #" + strconv.FormatInt(r.enf, 10)
		case m.enfDone && m.enfErr == nil:
			summary = "⚠ matches now, but no enforcement exists"
		default:
			summary = "matches"
		}
	case stateNoMatch, stateEvalError:
		sym = st.Cond.Fail.Render("✗")
		if r.state == stateEvalError {
			sym = st.Cond.Error.Render("!")
		}
		summary = shortReason(r.res)
		if r.enf != 0 {
			summary = fmt.Sprintf("⚠ enforcement #%d exists, but no match now: ", r.enf) + summary
		}
	}
	line := cur + sym + " " + r.safeRef + "  " + st.State.Hint.Render(summary)
	if i == m.cursor {
		line = st.Table.Selected.Render(ansi.Strip(line))
	}
	return format.Cut(line, m.width)
}

// shortReason is a row's one-line explanation: the failing check with the
// actual value, or the error.
func shortReason(res conditions.Result) string {
	return safe(strings.TrimSuffix(res.Reason, ": no match"))
}

// View implements tea.Model.
func (m Model) View() string {
	st := m.deps.Styles
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	switch {
	case m.ev == nil && m.evErr != nil:
		add("", "  "+st.State.Error.Render("✗ Could not load event: "+common.ErrorLine(m.evErr)),
			"  "+st.State.Hint.Render("press r to retry · esc to go back"))
	case m.ev == nil:
		add("", "  "+m.spin.View()+" "+st.State.Hint.Render("Loading event…"))
	default:
		add(format.Cut(m.headerLine(), m.width), format.Cut(st.App.Muted.Render("rules as they are now, "+"re-evaluated by attune-tui against the stored payload"), m.width))
		switch {
		case m.unknown != "":
			add("", "  "+st.State.Error.Render("⚠ "+m.unknown))
		case len(m.rows) == 0 && m.listErr != nil:
			add("", "  "+st.State.Error.Render("✗ Could not list rules: "+common.ErrorLine(m.listErr)),
				"  "+st.State.Hint.Render("press r to retry · esc to go back"))
		case len(m.rows) == 0 && m.listing:
			add("", "  "+m.spin.View()+" "+st.State.Hint.Render("Listing rules…"))
		case len(m.rows) == 0:
			add("", "  "+st.State.Empty.Render("No enabled rule on trigger "+safe(m.ev.TriggerRef)+": nothing could fire for this event."))
		default:
			lh := m.listHeight()
			for i := m.top; i < m.top+lh && i < len(m.rows); i++ {
				add(m.rowLine(i))
			}
			add(format.Cut(st.App.Muted.Render(m.footer()), m.width))
			add(m.detailLines()...)
			add(m.cond.View())
		}
	}
	out := strings.Join(lines, "\n")
	if n := strings.Count(out, "\n") + 1; n < m.height {
		out += strings.Repeat("\n", m.height-n)
	}
	return out
}

// headerLine is the first line: event, trigger and counts.
func (m Model) headerLine() string {
	st := m.deps.Styles
	var s string
	if m.timer {
		s = st.App.Title.Render(m.Title()) + "  " + st.Detail.Label.Render("timer-style event: only its own rule is a candidate")
	} else {
		s = st.App.Title.Render(m.Title()) + "  " + st.Detail.Label.Render("trigger ") + st.Detail.Value.Render(safe(m.ev.TriggerRef))
	}
	if m.listErr != nil {
		return s // the candidates are unknown: no counts to claim
	}
	var match, enf int
	for _, r := range m.rows {
		if r.state == stateMatch {
			match++
		}
		enf += r.enfs
	}
	return s + "  " + st.Detail.Label.Render(fmt.Sprintf("%d rule(s) · %d match · %d enforcement(s)", len(m.rows), match, enf))
}

// footer is the line below the list: position, progress and list errors.
func (m Model) footer() string {
	parts := []string{fmt.Sprintf("─ %d/%d", m.cursor+1, len(m.rows))}
	if m.busy() {
		parts = append(parts, "loading…")
	} else {
		parts = append(parts, "all loaded")
	}
	if m.listErr != nil {
		parts = append(parts, "rule list incomplete: "+common.ErrorLine(m.listErr))
	}
	if m.enfErr != nil {
		parts = append(parts, "enforcements unknown: "+common.ErrorLine(m.enfErr))
	}
	return strings.Join(parts, " · ")
}
