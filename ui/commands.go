package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/views/eventdetail"
	"github.com/attune-tui/attune-tui/ui/views/events"
	"github.com/attune-tui/attune-tui/ui/views/rules"
)

// factory builds the view for a route.
type factory func(deps common.Deps, r common.Route) (common.View, error)

// defaultRoutes maps screen kinds to view constructors. To add a screen,
// add its kind here (and a command below).
func defaultRoutes() map[common.Kind]factory {
	return map[common.Kind]factory{
		common.KindEvents: func(d common.Deps, r common.Route) (common.View, error) {
			if r.Ref != "" {
				v, err := events.NewWithFilter(d, r.Ref)
				if err != nil {
					return nil, fmt.Errorf("events: %w", err)
				}
				return v, nil
			}
			return events.New(d), nil
		},
		common.KindEvent: func(d common.Deps, r common.Route) (common.View, error) {
			if r.ID <= 0 {
				return nil, fmt.Errorf("event: want a positive id")
			}
			return eventdetail.New(d, r.ID), nil
		},
		common.KindWhy: func(d common.Deps, r common.Route) (common.View, error) {
			if r.ID <= 0 {
				return nil, fmt.Errorf("why: want a positive event id")
			}
			return rules.New(d, r.ID), nil
		},
	}
}

// command is one ":" command.
type command struct {
	names []string
	usage string
	run   func(a *App, args string) tea.Cmd
}

// defaultCommands is the command table.
func defaultCommands() []command {
	openKind := func(k common.Kind) func(a *App, args string) tea.Cmd {
		return func(a *App, args string) tea.Cmd {
			r := common.Route{Kind: k}
			if id, err := strconv.ParseInt(args, 10, 64); err == nil {
				r.ID = id
			} else {
				r.Ref = args
			}
			return a.open(r)
		}
	}
	return []command{
		{names: []string{"events", "ev"}, usage: "events [key:value…]", run: func(a *App, args string) tea.Cmd {
			if args == "" && len(a.stack) > 0 && a.stack[0].view.Title() == "Events" {
				a.truncate(1) // back to the first list, as it was
				return nil
			}
			return a.open(common.Route{Kind: common.KindEvents, Ref: args})
		}},
		{names: []string{"event", "e"}, usage: "event ID", run: openByID(common.KindEvent, "event ID")},
		{names: []string{"why", "w"}, usage: "why EVENT_ID", run: openByID(common.KindWhy, "why EVENT_ID")},
		{names: []string{"enforcements", "enf"}, usage: "enforcements [EVENT_ID]", run: openKind(common.KindEnforcements)},
		{names: []string{"executions", "exec"}, usage: "executions", run: openKind(common.KindExecutions)},
		{names: []string{"trace"}, usage: "trace TAG", run: openKind(common.KindTrace)},
		{names: []string{"q", "quit"}, usage: "q", run: func(a *App, _ string) tea.Cmd { return a.quit() }},
	}
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

// commandsHelp lists every command's usage for the help overlay.
func (a *App) commandsHelp() string {
	parts := make([]string, 0, len(a.commands))
	for _, c := range a.commands {
		parts = append(parts, ":"+c.usage)
	}
	return strings.Join(parts, "  ")
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
