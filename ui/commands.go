package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/views/enforcements"
	"github.com/attune-tui/attune-tui/ui/views/events"
	"github.com/attune-tui/attune-tui/ui/views/executions"
)

// command is one ":" command.
type command struct {
	names []string
	usage string
	// about says what the command does (":help").
	about string
	// args returns the candidates for the argument being typed (word, after
	// the arguments before it, args); nil: nothing to complete.
	args func(a *App, args []string, word string) []string
	run  func(a *App, args string) tea.Cmd
	// link, when set, lets the program start on the command's screen: a
	// deep link (ParseDeepLink) names the command's first name.
	link *deepLink
}

// commandTable is the one table of ":" commands, and of the deep links
// among them. The commands that open a top-level list replace the stack
// (openTop), so nothing goes below their deep links.
func commandTable() []command {
	openList := func(k common.Kind) func(a *App, args string) tea.Cmd {
		return func(a *App, args string) tea.Cmd {
			r := common.Route{Kind: k}
			if id, err := strconv.ParseInt(args, 10, 64); err == nil {
				r.ID = id
			} else {
				r.Ref = args
			}
			return a.openTop(r)
		}
	}
	below := func(lines ...string) func(string) []string { return func(string) []string { return lines } }
	home := below("events")
	return []command{
		{names: []string{"help", "h"}, usage: "help", about: "this help: commands, keys of the screen",
			run: func(a *App, _ string) tea.Cmd {
				a.overlay, a.overlayOff = overlayHelp, 0
				return nil
			}},
		{names: []string{"events", "ev"}, usage: "events [key:value…]", about: "event list (replaces the stack)",
			args: filterArgs(events.FilterFields()), run: func(a *App, args string) tea.Cmd {
				if args == "" && len(a.stack) > 0 && a.stack[0].view.Title() == "Events" {
					a.truncate(1) // back to the first list, as it was
					return a.shown()
				}
				return a.openTop(common.Route{Kind: common.KindEvents, Ref: args})
			}, link: &deepLink{arg: "filter", fields: events.FilterFields(), below: below()}},
		{names: []string{"event", "e"}, usage: "event ID", about: "one event", run: openByID(common.KindEvent, "event ID"),
			link: &deepLink{arg: "id", below: home}},
		{names: []string{"why", "w"}, usage: "why EVENT_ID", about: "which rules an event reached, and why", run: openByID(common.KindWhy, "why EVENT_ID"),
			link: &deepLink{arg: "id", below: func(id string) []string { return []string{"events", "event " + id} }}},
		{names: []string{"enforcements", "enf"}, usage: "enforcements [EVENT_ID|key:value…]", about: "enforcement list (replaces the stack)",
			args: filterArgs(enforcements.FilterFields()), run: openList(common.KindEnforcements),
			link: &deepLink{arg: "filter", fields: enforcements.FilterFields(), below: below()}},
		{names: []string{"enforcement"}, usage: "enforcement ID", about: "one enforcement", run: openByID(common.KindEnforcement, "enforcement ID"),
			link: &deepLink{arg: "id", below: below("enforcements")}},
		{names: []string{"executions", "exec"}, usage: "executions [key:value…]", about: "execution list (replaces the stack)",
			args: filterArgs(executions.FilterFields()), run: openList(common.KindExecutions),
			link: &deepLink{arg: "filter", fields: executions.FilterFields(), below: below()}},
		{names: []string{"execution", "x"}, usage: "execution ID", about: "one execution", run: openByID(common.KindExecution, "execution ID"),
			link: &deepLink{arg: "id", below: below("executions")}},
		{names: []string{"logs", "output"}, usage: "logs EXECUTION_ID [stdout|stderr]", about: "an execution's output",
			args: func(_ *App, args []string, _ string) []string {
				if len(args) == 1 {
					return []string{"stdout", "stderr"}
				}
				return nil
			}, run: logsCommand},
		{names: []string{"rule"}, usage: "rule REF", about: "one rule and its conditions", args: knownRuleRefs, run: ruleCommand},
		{names: []string{"trace"}, usage: "trace TAG", about: "everything linked to a trace tag", run: func(a *App, args string) tea.Cmd {
			r := common.Route{Kind: common.KindTrace, Ref: args}
			if id, err := strconv.ParseInt(args, 10, 64); err == nil {
				r = common.Route{Kind: common.KindTrace, ID: id}
			}
			return a.open(r)
		}, link: &deepLink{arg: "tag", below: home}},
		{names: []string{"where"}, usage: "where JQ_PREDICATE", about: "on a list: keep the loaded rows whose detail makes it true (newest 200; :where alone clears)",
			run: func(a *App, args string) tea.Cmd { return a.where(args) }},
		{names: []string{"overview", "ov"}, usage: "overview", about: "execution counts and recent failures (replaces the stack)",
			run:  func(a *App, _ string) tea.Cmd { return a.openTop(common.Route{Kind: common.KindOverview}) },
			link: &deepLink{arg: "none", below: below()}},
		{names: []string{"export"}, usage: "export [jsonl|json|csv] [all]", about: "write the list's loaded rows (all: every page) to a file",
			args: func(_ *App, args []string, _ string) []string {
				if len(args) < 2 {
					return append(slices.Clone(exportFormats), "all")
				}
				return nil
			}, run: exportCommand},
		{names: []string{"watch"}, usage: "watch events|enforcements|executions key=value…",
			about: "ring the bell when a matching entity appears (live)", args: watchArgs, run: watchCommand},
		{names: []string{"watches"}, usage: "watches", about: "list the watches and what they matched", run: func(a *App, _ string) tea.Cmd {
			a.overlay, a.overlayOff = overlayWatches, 0
			return nil
		}},
		{names: []string{"unwatch"}, usage: "unwatch N|all", about: "remove watch N (:watches numbers them), or all", run: unwatchCommand},
		{names: []string{"ctx", "context"}, usage: "ctx [NAME]", about: "list the config contexts, or switch to one (a fresh session)",
			args: func(a *App, args []string, _ string) []string {
				if len(args) > 0 {
					return nil
				}
				return a.deps.Contexts
			}, run: contextCommand},
		{names: []string{"q", "quit"}, usage: "q", about: "quit", run: func(a *App, _ string) tea.Cmd { return a.quit() }},
	}
}

// logsCommand opens ":logs EXECUTION_ID [stdout|stderr]".
func logsCommand(a *App, args string) tea.Cmd {
	f := strings.Fields(args)
	var id int64
	if len(f) >= 1 {
		id, _ = strconv.ParseInt(f[0], 10, 64)
	}
	if id <= 0 || len(f) > 2 {
		a.cmdline = a.cmdline.SetMessage("usage: :logs EXECUTION_ID [stdout|stderr]", true)
		return nil
	}
	r := common.Route{Kind: common.KindLogs, ID: id}
	if len(f) == 2 {
		r.Ref = f[1]
	}
	return a.open(r)
}

// ruleCommand opens ":rule REF".
func ruleCommand(a *App, args string) tea.Cmd {
	if args == "" {
		a.cmdline = a.cmdline.SetMessage("usage: :rule REF", true)
		return nil
	}
	return a.open(common.Route{Kind: common.KindRule, Ref: args})
}

// knownRuleRefs completes :rule's argument with the rule refs the session
// knows.
func knownRuleRefs(a *App, args []string, _ string) []string {
	if len(args) > 0 {
		return nil
	}
	known, _ := a.deps.Recall.Known()
	return known["rule_ref"]
}

// filterArgs completes filter tokens of fields: keys, then the values a
// key lists or the session knows (rule, trigger and action refs, once a
// filter bar loaded them).
func filterArgs(fields []filterbar.Field) func(a *App, args []string, word string) []string {
	return func(a *App, _ []string, word string) []string {
		k, _, hasColon := strings.Cut(word, ":")
		var out []string
		for _, f := range fields {
			if !hasColon {
				out = append(out, f.Name+":")
				continue
			}
			if f.Name != k && !slices.Contains(f.Aliases, k) {
				continue
			}
			vals := f.Values
			if f.Known != "" {
				known, _ := a.deps.Recall.Known()
				vals = known[f.Known]
			}
			for _, v := range vals {
				out = append(out, k+":"+v)
			}
		}
		return out
	}
}

// openTop opens a top-level list in place of every screen on the stack:
// going to a list from the command line starts over instead of stacking.
// Nothing changes when the screen cannot be built.
func (a *App) openTop(r common.Route) tea.Cmd {
	f, ok := a.routes[r.Kind]
	if !ok {
		return a.open(r)
	}
	v, err := f(a.deps, r)
	if err != nil {
		a.cmdline = a.cmdline.SetMessage(textsafe.Line(err.Error()), true)
		return a.shown()
	}
	a.deps.Logger.Debug("navigate", "action", "replace", "kind", string(r.Kind), "depth", 1)
	a.truncate(0)
	return a.push(v)
}

// complete is the command line's Completer: command names, then each
// command's arguments.
func (a *App) complete(head, word string) []string {
	f := strings.Fields(head)
	if len(f) == 0 {
		names := make([]string, 0, len(a.commands))
		for _, c := range a.commands {
			names = append(names, c.names[0])
		}
		return names
	}
	for _, c := range a.commands {
		if slices.Contains(c.names, f[0]) && c.args != nil {
			return c.args(a, f[1:], word)
		}
	}
	return nil
}

// openByID returns a command that opens a screen of kind k for the positive
// id given as its argument; usage is shown otherwise.
func openByID(k common.Kind, usage string) func(a *App, args string) tea.Cmd {
	return func(a *App, args string) tea.Cmd {
		id, err := strconv.ParseInt(args, 10, 64)
		if err != nil || id <= 0 {
			a.cmdline = a.cmdline.SetMessage("usage: :"+usage+" (a positive number)", true)
			return nil
		}
		return a.open(common.Route{Kind: k, ID: id})
	}
}

// commandsHelp lists every command for the help overlay: usage, aliases
// and what it does, one per line.
func (a *App) commandsHelp() string {
	w := 0
	for _, c := range a.commands {
		w = max(w, len(c.usage)+1)
	}
	lines := make([]string, 0, len(a.commands))
	for _, c := range a.commands {
		about := c.about
		if len(c.names) > 1 {
			about += " (:" + strings.Join(c.names[1:], ", :") + ")"
		}
		avail := max(a.width-6, 20)
		line := fmt.Sprintf("%-*s  %s", w, ":"+c.usage, about)
		if ansi.StringWidth(line) > avail { // narrow: what it does goes below
			lines = append(lines, ansi.Truncate(":"+c.usage, avail, "…"), ansi.Truncate("    "+about, avail, "…"))
			continue
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// runCommand parses and runs one command line.
func (a *App) runCommand(text string) tea.Cmd {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	name, args, _ := strings.Cut(text, " ")
	args = strings.TrimSpace(args)
	for _, c := range a.commands {
		for _, n := range c.names {
			if n == name {
				a.cmdline = a.cmdline.ClearMessage()
				return c.run(a, args)
			}
		}
	}
	names := make([]string, 0, len(a.commands))
	for _, c := range a.commands {
		names = append(names, c.names[0])
	}
	a.cmdline = a.cmdline.SetMessage(fmt.Sprintf("unknown command %q — try: %s",
		textsafe.Line(name), strings.Join(names, ", ")), true)
	return nil
}

// where runs ":where EXPR" on the active screen, when it is a list.
func (a *App) where(expr string) tea.Cmd {
	t := a.top()
	var w common.Wherer
	ok := false
	if t != nil {
		w, ok = t.view.(common.Wherer)
	}
	if !ok {
		a.cmdline = a.cmdline.SetMessage(":where works on the event, enforcement and execution lists", true)
		return nil
	}
	v, cmd, err := w.Where(expr)
	if err != nil {
		a.cmdline = a.cmdline.SetMessage(textsafe.Line(err.Error()), true)
		return nil
	}
	t.view = v
	return routeCmd(t.id, cmd)
}

// contextCommand runs ":ctx [NAME]": without a name it lists the contexts
// (the current one marked *); with one it ends this session so that the
// program's runner starts a fresh one against it (App.SwitchTo).
func contextCommand(a *App, args string) tea.Cmd {
	names := a.deps.Contexts
	if len(names) == 0 {
		return a.say("no config contexts in this session (--demo, SSH, or no config file)", true)
	}
	list := make([]string, len(names))
	for i, n := range names {
		list[i] = textsafe.Line(n)
		if n == a.deps.Context {
			list[i] = "*" + list[i]
		}
	}
	name := strings.TrimSpace(args)
	switch {
	case name == "":
		return a.say("contexts: "+strings.Join(list, " ")+" — :ctx NAME switches", false)
	case !slices.Contains(names, name):
		return a.say("no context "+strconv.Quote(textsafe.LineN(name, 40))+"; valid: "+strings.Join(list, " "), true)
	case name == a.deps.Context:
		return a.say("already on context "+textsafe.Line(name), false)
	}
	a.switchTo = name
	return a.quit()
}

// SwitchTo returns the context ":ctx" switched to when the program ended
// for it, or "".
func (a *App) SwitchTo() string { return a.switchTo }
