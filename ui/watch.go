package ui

import (
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// maxWatches bounds the watches of a session; maxWatchSeen bounds the ids
// one watch remembers (so an entity is counted once) before it forgets
// the oldest half.
const (
	maxWatches   = 20
	maxWatchSeen = 4096
)

// bellEvery is the least time between two bells: a burst of matches rings
// once.
const bellEvery = time.Second

// watchType maps what :watch accepts to the notifier's entity type.
func watchType(kind string) (string, bool) {
	switch strings.ToLower(kind) {
	case "events", "event", "ev":
		return "event", true
	case "enforcements", "enforcement", "enf":
		return "enforcement", true
	case "executions", "execution", "ex":
		return "execution", true
	}
	return "", false
}

// watchKeys are the filter keys a watch of entity type typ accepts.
func watchKeys(typ string) []string {
	switch typ {
	case "event":
		return []string{"trigger_ref", "source_ref", "rule_ref", "trace_tag"}
	case "enforcement":
		return []string{"status", "rule_ref", "trigger_ref", "event", "trace_tag"}
	case "execution":
		return []string{"status", "action_ref", "rule_ref", "trigger_ref", "enforcement", "trace_tag"}
	}
	return nil
}

// watchCond is one key=value of a watch; value may hold * and ? wildcards.
type watchCond struct{ key, value string }

// watch is one :watch filter: it counts the entities of its type that
// match every condition, each once.
type watch struct {
	typ   string
	conds []watchCond
	spec  string // as shown: "executions status=failed", terminal-safe
	hits  int
	seen  map[int64]bool
	order []int64
}

// watchList is the session's watches and when it last rang.
type watchList struct {
	items []*watch
	rang  time.Time
}

// parseWatch parses the argument of :watch: a kind and key=value (or
// key:value) conditions.
func parseWatch(args string) (*watch, error) {
	f := strings.Fields(args)
	if len(f) == 0 {
		return nil, fmt.Errorf("usage: watch events|enforcements|executions key=value…")
	}
	typ, ok := watchType(f[0])
	if !ok {
		return nil, fmt.Errorf("watch: %q is not events, enforcements or executions", textsafe.Line(f[0]))
	}
	w := &watch{typ: typ, seen: map[int64]bool{}}
	for _, tok := range f[1:] {
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			k, v, ok = strings.Cut(tok, ":")
		}
		k = strings.ToLower(k)
		if !ok || v == "" {
			return nil, fmt.Errorf("watch: %q: want key=value", textsafe.Line(tok))
		}
		if !slices.Contains(watchKeys(typ), k) {
			return nil, fmt.Errorf("watch: %s has no key %q (keys: %s)", typ+"s", textsafe.Line(k), strings.Join(watchKeys(typ), ", "))
		}
		if _, err := path.Match(v, ""); err != nil {
			return nil, fmt.Errorf("watch: %s=%s: bad pattern", k, textsafe.Line(v))
		}
		if k == "status" && !knownStatus(typ, v) {
			return nil, fmt.Errorf("watch: %q is not a status of %ss", textsafe.Line(v), typ)
		}
		w.conds = append(w.conds, watchCond{key: k, value: v})
	}
	parts := []string{typ + "s"}
	for _, c := range w.conds {
		parts = append(parts, c.key+"="+c.value)
	}
	w.spec = textsafe.Line(strings.Join(parts, " "))
	return w, nil
}

// knownStatus reports whether s (a pattern with wildcards passes) is a
// status of typ.
func knownStatus(typ, s string) bool {
	if strings.ContainsAny(s, "*?[") {
		return true
	}
	switch typ {
	case "execution":
		return client.ExecutionStatus(s).Known()
	case "enforcement":
		return client.EnforcementStatus(s).Known()
	}
	return false
}

// noticeFields are the watchable fields of a notification, by key; ok is
// false when the notification is of no watchable kind.
func noticeFields(n *client.Notification) (typ string, id int64, fields map[string]string, ok bool) {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	switch {
	case n.Event != nil:
		e := n.Event
		return "event", e.ID, map[string]string{
			"trigger_ref": e.TriggerRef, "source_ref": str(e.SourceRef), "rule_ref": str(e.RuleRef), "trace_tag": str(e.TraceTag),
		}, true
	case n.Enforcement != nil:
		e := n.Enforcement
		return "enforcement", e.ID, map[string]string{
			"status": string(e.Status), "rule_ref": e.RuleRef, "trigger_ref": e.TriggerRef,
			"event": num(e.Event), "trace_tag": str(e.TraceTag),
		}, true
	case n.Execution != nil:
		x := n.Execution
		return "execution", x.ID, map[string]string{
			"status": string(x.Status), "action_ref": x.ActionRef, "rule_ref": str(x.RuleRef),
			"trigger_ref": str(x.TriggerRef), "enforcement": num(x.Enforcement), "trace_tag": str(x.TraceTag),
		}, true
	}
	return "", 0, nil, false
}

// matches reports whether fields meet every condition of w.
func (w *watch) matches(fields map[string]string) bool {
	for _, c := range w.conds {
		if ok, _ := path.Match(c.value, fields[c.key]); !ok {
			return false
		}
	}
	return true
}

// hit counts id once; it reports whether id is new to w.
func (w *watch) hit(id int64) bool {
	if w.seen[id] {
		return false
	}
	if len(w.order) >= maxWatchSeen {
		for _, old := range w.order[:maxWatchSeen/2] {
			delete(w.seen, old)
		}
		w.order = slices.Clone(w.order[maxWatchSeen/2:])
	}
	w.seen[id] = true
	w.order = append(w.order, id)
	w.hits++
	return true
}

// watchNotice runs the watches over one notification: a match shows a
// toast, counts in the status bar and rings the bell (at most once a
// second). Compact notifications carry too little to match on and are
// skipped; the notifier sends them only above 7000 bytes.
func (a *App) watchNotice(n *client.Notification) tea.Cmd {
	if len(a.watches.items) == 0 || n.Compact || n.Type == client.NotifyWorkflowExecutionStatusChanged {
		return nil
	}
	typ, id, fields, ok := noticeFields(n)
	if !ok {
		return nil
	}
	var hit *watch
	for _, w := range a.watches.items {
		if w.typ == typ && w.matches(fields) && w.hit(id) {
			hit = w
		}
	}
	if hit == nil {
		return nil
	}
	a.refreshWatchCount()
	what := fmt.Sprintf("%s #%d", typ, id)
	if s := fields["status"]; s != "" {
		what += " " + s
	}
	if r := fields["action_ref"]; r != "" {
		what += " (" + r + ")"
	}
	a.cmdline = a.cmdline.SetMessage("⚑ "+hit.spec+": "+textsafe.Line(what)+" · :watches", false)
	now := a.deps.Now()
	if !a.watches.rang.IsZero() && now.Sub(a.watches.rang) < bellEvery && now.After(a.watches.rang) {
		return nil
	}
	a.watches.rang = now
	return bellCmd(a.deps.Output)
}

// bellCmd rings the terminal bell through the program's own output.
func bellCmd(out io.Writer) tea.Cmd {
	return func() tea.Msg {
		_, _ = io.WriteString(out, "\a")
		return nil
	}
}

// refreshWatchCount sets the status bar's count of watch matches.
func (a *App) refreshWatchCount() {
	if len(a.watches.items) == 0 {
		a.status.Watch = ""
		return
	}
	hits := 0
	for _, w := range a.watches.items {
		hits += w.hits
	}
	a.status.Watch = fmt.Sprintf("⚑ %d", hits)
}

// watchCommand adds ":watch events|enforcements|executions key=value…".
func watchCommand(a *App, args string) tea.Cmd {
	w, err := parseWatch(args)
	if err != nil {
		a.cmdline = a.cmdline.SetMessage(err.Error(), true)
		return nil
	}
	for _, o := range a.watches.items {
		if o.spec == w.spec {
			a.cmdline = a.cmdline.SetMessage("already watching "+w.spec, false)
			return nil
		}
	}
	if len(a.watches.items) >= maxWatches {
		a.cmdline = a.cmdline.SetMessage(fmt.Sprintf("at most %d watches: remove one with :unwatch N", maxWatches), true)
		return nil
	}
	a.watches.items = append(a.watches.items, w)
	a.refreshWatchCount()
	msg := "watching " + w.spec + " (:watches lists them)"
	if a.mode != liveNotifier && !(a.mode == liveSSE && w.typ == "execution") {
		msg += " — no live source for " + w.typ + "s: it matches nothing until one connects"
	}
	a.cmdline = a.cmdline.SetMessage(msg, false)
	return nil
}

// unwatchCommand removes watch N (":watches" numbers them), or all.
func unwatchCommand(a *App, args string) tea.Cmd {
	args = strings.TrimSpace(args)
	if args == "all" {
		a.watches.items = nil
		a.refreshWatchCount()
		a.cmdline = a.cmdline.SetMessage("all watches removed", false)
		return nil
	}
	i, err := strconv.Atoi(args)
	if err != nil || i < 1 || i > len(a.watches.items) {
		a.cmdline = a.cmdline.SetMessage(fmt.Sprintf("unwatch: want a number from :watches (1–%d) or all", len(a.watches.items)), true)
		return nil
	}
	w := a.watches.items[i-1]
	a.watches.items = slices.Delete(a.watches.items, i-1, i)
	a.refreshWatchCount()
	a.cmdline = a.cmdline.SetMessage("stopped watching "+w.spec, false)
	return nil
}

// watchArgs completes :watch: the kind first, then its keys and, for
// status, the statuses.
func watchArgs(_ *App, args []string, word string) []string {
	if len(args) == 0 {
		return []string{"events", "enforcements", "executions"}
	}
	typ, ok := watchType(args[0])
	if !ok {
		return nil
	}
	if k, _, found := strings.Cut(word, "="); found && k == "status" {
		var out []string
		switch typ {
		case "execution":
			for _, s := range client.ExecutionStatuses() {
				out = append(out, "status="+string(s))
			}
		case "enforcement":
			for _, s := range client.EnforcementStatuses() {
				out = append(out, "status="+string(s))
			}
		}
		return out
	}
	var out []string
	for _, k := range watchKeys(typ) {
		out = append(out, k+"=")
	}
	return out
}

// watchesContent is the :watches overlay.
func (a *App) watchesContent() string {
	st := a.deps.Styles
	var b strings.Builder
	b.WriteString(st.App.OverlayTitle.Render("Watches"))
	b.WriteString("\n\n")
	if len(a.watches.items) == 0 {
		b.WriteString("No watches. Add one with :watch, e.g.\n  :watch executions status=failed\n  :watch enforcements rule_ref=core.*")
		return b.String()
	}
	for i, w := range a.watches.items {
		fmt.Fprintf(&b, "%2d  %s  — %d matched\n", i+1, w.spec, w.hits)
	}
	b.WriteString("\n")
	b.WriteString(st.App.Muted.Render(":unwatch N removes one, :unwatch all removes every watch; a match rings the bell"))
	return b.String()
}
