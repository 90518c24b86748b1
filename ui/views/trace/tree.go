package trace

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/format"
	"github.com/attune-tui/attune-tui/ui/views/executions"
)

// lineKind picks the style of a tree line.
type lineKind int

const (
	lineNode lineKind = iota
	lineNote
	lineError
	lineProblem
)

// line is one visible row of the tree; text is terminal-safe.
type line struct {
	key    string // node key, "" for notes
	depth  int
	marker string // ▾ expanded, ▸ collapsed or unknown, · leaf
	text   string
	kind   lineKind
}

// hasChildren reports whether node k has children known now, and whether
// its children are still unknown (an execution not yet asked).
func (m Model) children(k string) (known []execInfo, unknown bool) {
	kind, id, _ := parseKey(k)
	switch kind {
	case "event":
		return nil, false
	case "enf":
		return nil, false
	}
	seen := map[int64]bool{}
	for _, owner := range m.ownerOrder() {
		for _, x := range m.execs[owner] {
			if x.parent == id && !seen[x.id] {
				seen[x.id] = true
				known = append(known, x)
			}
		}
	}
	return known, !m.fetched[k] && len(known) == 0
}

// ownerOrder lists the keys of m.execs in a fixed order.
func (m Model) ownerOrder() []string {
	out := make([]string, 0, len(m.execs))
	for _, e := range m.enfs {
		if _, ok := m.execs[nodeKey("enf", e.id)]; ok {
			out = append(out, nodeKey("enf", e.id))
		}
	}
	for k := range m.fetched {
		if _, ok := m.execs[k]; ok {
			out = append(out, k)
		}
	}
	// map order of fetched keys must not leak into rendering
	if len(out) > 1 {
		head := out[:0:0]
		var rest []string
		for _, k := range out {
			if strings.HasPrefix(k, "enf:") {
				head = append(head, k)
			} else {
				rest = append(rest, k)
			}
		}
		sortStrings(rest)
		head = append(head, rest...)
		out = head
	}
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// isExpanded reports whether node k shows its children now.
func (m Model) isExpanded(k string) bool {
	if k == "" || m.collapse[k] {
		return false
	}
	kind, _, ok := parseKey(k)
	if !ok {
		return false
	}
	if kind == "exec" {
		known, _ := m.children(k)
		return m.expandedWith(k, known)
	}
	return true
}

// childIndex maps an execution id to its known children, each once, in
// the order of ownerOrder.
func (m Model) childIndex() map[int64][]execInfo {
	idx := map[int64][]execInfo{}
	seen := map[int64]bool{}
	for _, owner := range m.ownerOrder() {
		for _, x := range m.execs[owner] {
			if x.parent != 0 && !seen[x.id] {
				seen[x.id] = true
				idx[x.parent] = append(idx[x.parent], x)
			}
		}
	}
	return idx
}

// expandedWith is isExpanded for an execution whose known children are
// given.
func (m Model) expandedWith(k string, known []execInfo) bool {
	return !m.collapse[k] && (len(known) > 0 || (m.fetched[k] && m.execSt[k].loading))
}

// rebuild recomputes the visible lines and the summary from the data, and
// puts the cursor back on the selected node.
func (m Model) rebuild() Model {
	var out []line
	note := func(depth int, text string, kind lineKind) {
		out = append(out, line{depth: depth, text: text, kind: kind, marker: " "})
	}
	ek := nodeKey("event", m.eventID)
	switch {
	case m.resolveErr != nil:
		note(0, "✗ "+common.ErrorLine(m.resolveErr), lineError)
	case m.eventID == 0:
		note(0, "resolving the event…", lineNote)
	default:
		text := "event #" + strconv.FormatInt(m.eventID, 10)
		switch {
		case m.eventSt.err != nil:
			text += "  ✗ " + common.ErrorLine(m.eventSt.err)
		case m.event.hasEvent:
			text += "  " + m.event.trigger + " · " + common.Absolute(m.event.created)
		default:
			text += "  loading…"
		}
		marker := "▾"
		if m.collapse[ek] {
			marker = "▸"
		}
		out = append(out, line{key: ek, marker: marker, text: text})
		if !m.collapse[ek] {
			out = m.enfLines(out, m.childIndex())
		}
	}
	m.lines = out
	m.summary = m.makeSummary()
	m.cursor = 0
	for i, l := range out {
		if l.key != "" && l.key == m.selected {
			m.cursor = i
		}
	}
	if m.selected == "" && len(out) > 0 {
		m.selected = out[0].key
	}
	return m.scroll()
}

func (m Model) enfLines(out []line, idx map[int64][]execInfo) []line {
	note := func(text string, kind lineKind) {
		out = append(out, line{depth: 1, text: text, kind: kind, marker: " "})
	}
	switch {
	case m.enfSt.err != nil:
		note("✗ "+common.ErrorLine(m.enfSt.err), lineError)
		return out
	case m.enfSt.loading && !m.enfSt.done:
		note("loading enforcements…", lineNote)
		return out
	case len(m.enfs) == 0 && !m.event.hasEvent:
		note("no enforcements", lineNote) // the event itself is unknown: no conclusion
		return out
	case len(m.enfs) == 0:
		note("no enforcements — no rule matched this event", lineNote)
		return out
	}
	add := func(l line) { out = append(out, l) }
	for _, e := range m.enfs {
		k := nodeKey("enf", e.id)
		marker := "▾"
		if m.collapse[k] {
			marker = "▸"
		}
		add(line{key: k, depth: 1, marker: marker,
			text: fmt.Sprintf("enforcement #%d  %s · rule %s · %s", e.id, e.statusTxt, format.Dash(e.rule), e.condition)})
		if m.collapse[k] {
			continue
		}
		st := m.execSt[k]
		switch {
		case st.err != nil:
			add(line{depth: 2, marker: " ", kind: lineError, text: "✗ " + common.ErrorLine(st.err)})
			continue
		case st.loading:
			add(line{depth: 2, marker: " ", kind: lineNote, text: "loading executions…"})
			continue
		}
		list := m.execs[k]
		if len(list) == 0 {
			add(line{depth: 2, marker: " ", kind: lineNote, text: "no executions"})
			continue
		}
		ids := make(map[int64]bool, len(list))
		for _, x := range list {
			ids[x.id] = true
		}
		for _, x := range list {
			if x.parent != 0 && ids[x.parent] {
				continue // shown under its parent
			}
			out = m.execLines(out, x, 2, 0, idx)
		}
		if st.more {
			add(line{depth: 2, marker: " ", kind: lineNote, text: fmt.Sprintf("+ more (first %d shown)", perPage)})
		}
	}
	return out
}

// execLines appends execution x and, when expanded, its children.
func (m Model) execLines(out []line, x execInfo, depth, guard int, idx map[int64][]execInfo) []line {
	k := nodeKey("exec", x.id)
	known := idx[x.id]
	unknown := !m.fetched[k] && len(known) == 0
	expanded := m.expandedWith(k, known)
	marker := "·"
	switch {
	case expanded:
		marker = "▾"
	case unknown || len(known) > 0:
		marker = "▸"
	}
	kind := lineNode
	if x.status.Problem() {
		kind = lineProblem
	}
	out = append(out, line{key: k, depth: depth, marker: marker, kind: kind,
		text: fmt.Sprintf("execution #%d  %s · %s · %s", x.id, x.statusTxt, format.Dash(x.action),
			executions.Duration(x.status, x.created, x.updated, x.started, m.now))})
	if tail := m.stderr[x.id]; tail != "" {
		out = append(out, line{depth: depth + 1, marker: " ", kind: lineError, text: "stderr: " + tail})
	}
	if !expanded || guard > 32 {
		return out
	}
	st := m.execSt[k]
	if st.loading {
		out = append(out, line{depth: depth + 1, marker: " ", kind: lineNote, text: "loading child executions…"})
	}
	if st.err != nil {
		out = append(out, line{depth: depth + 1, marker: " ", kind: lineError, text: "✗ " + common.ErrorLine(st.err)})
	}
	for _, c := range known {
		out = m.execLines(out, c, depth+1, guard+1, idx)
	}
	return out
}

// makeSummary renders "3 enforcements: 2 processed, 1 created · 5
// executions: 4 completed, 1 failed · 2.4s from event to last completion".
func (m Model) makeSummary() string {
	if m.enfSt.err != nil {
		return "✗ the enforcements could not be loaded · r retries"
	}
	if !m.enfSt.done {
		return ""
	}
	ec := map[client.EnforcementStatus]int{}
	for _, e := range m.enfs {
		ec[e.status]++
	}
	parts := []string{plural(len(m.enfs), "enforcement") + countsE(ec)}
	seen := map[int64]bool{}
	xc := map[client.ExecutionStatus]int{}
	var last time.Time
	for _, owner := range m.ownerOrder() {
		for _, x := range m.execs[owner] {
			if seen[x.id] {
				continue
			}
			seen[x.id] = true
			xc[x.status]++
			if x.status.Terminal() && x.updated.After(last) {
				last = x.updated
			}
		}
	}
	parts = append(parts, plural(len(seen), "execution")+countsX(xc))
	failed := 0
	for _, st := range m.execSt {
		if st.err != nil {
			failed++
		}
	}
	if failed > 0 {
		// The counts above miss what could not be loaded: say so.
		parts = append(parts, fmt.Sprintf("✗ %s could not be loaded · r retries", plural(failed, "execution list")))
	}
	if !last.IsZero() && m.event.hasEvent && failed == 0 {
		parts = append(parts, format.Duration(last.Sub(m.event.created))+" from event to last completion")
	}
	return strings.Join(parts, " · ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

func countsE(c map[client.EnforcementStatus]int) string {
	var p []string
	for _, s := range client.EnforcementStatuses() {
		if c[s] > 0 {
			p = append(p, fmt.Sprintf("%d %s", c[s], s))
			delete(c, s)
		}
	}
	for s, n := range c { // unknown statuses from a newer server
		p = append(p, fmt.Sprintf("%d %s", n, safeStatus(string(s))))
	}
	if len(p) == 0 {
		return ""
	}
	return ": " + strings.Join(p, ", ")
}

func countsX(c map[client.ExecutionStatus]int) string {
	var p []string
	for _, s := range client.ExecutionStatuses() {
		if c[s] > 0 {
			p = append(p, fmt.Sprintf("%d %s", c[s], s))
			delete(c, s)
		}
	}
	for s, n := range c {
		p = append(p, fmt.Sprintf("%d %s", n, safeStatus(string(s))))
	}
	if len(p) == 0 {
		return ""
	}
	return ": " + strings.Join(p, ", ")
}
