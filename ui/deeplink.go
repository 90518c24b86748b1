package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/views/enforcements"
	"github.com/attune-tui/attune-tui/ui/views/events"
	"github.com/attune-tui/attune-tui/ui/views/executions"
)

// deepLink is a screen the program can be started on: a ":" command of
// the command table, what its arguments must be, and the command lines
// opened below it (the screens a user would have come through, so esc
// goes back to them).
type deepLink struct {
	name string
	// arg says what the argument is: "id" (a positive number), "tag"
	// (a trace tag or an event id), "filter" (key:value tokens of
	// fields, optional) or "none".
	arg    string
	fields []filterbar.Field
	below  func(arg string) []string
}

// deepLinks are the screens a deep link can open, by command name.
func deepLinks() map[string]deepLink {
	// A list is a top level: it replaces the stack (":events"), so
	// nothing goes below it.
	home := func(string) []string { return []string{"events"} }
	none := func(string) []string { return nil }
	return map[string]deepLink{
		"event":        {name: "event", arg: "id", below: home},
		"enforcement":  {name: "enforcement", arg: "id", below: func(string) []string { return []string{"enforcements"} }},
		"execution":    {name: "execution", arg: "id", below: func(string) []string { return []string{"executions"} }},
		"trace":        {name: "trace", arg: "tag", below: home},
		"why":          {name: "why", arg: "id", below: func(id string) []string { return []string{"events", "event " + id} }},
		"events":       {name: "events", arg: "filter", fields: events.FilterFields(), below: none},
		"enforcements": {name: "enforcements", arg: "filter", fields: enforcements.FilterFields(), below: none},
		"executions":   {name: "executions", arg: "filter", fields: executions.FilterFields(), below: none},
		"overview":     {name: "overview", arg: "none", below: none},
	}
}

// DeepLinkNames lists the commands a deep link may name, sorted.
func DeepLinkNames() []string {
	return []string{"enforcement", "enforcements", "event", "events", "execution", "executions", "overview", "trace", "why"}
}

// ParseDeepLink checks a deep link given as words — "event 4812",
// "trace TAG", "events trigger_ref:x rule_ref:y", optionally led by the
// program's name — and returns it as the ":" command line that opens its
// screen (common.Deps.Start). Anything else is an error that says what is
// accepted: nothing but these screens can be selected this way.
func ParseDeepLink(words []string) (string, error) {
	if len(words) > 0 && words[0] == "attune-tui" {
		words = words[1:]
	}
	if len(words) == 0 {
		return "", nil
	}
	name := words[0]
	l, ok := deepLinks()[name]
	if !ok {
		return "", fmt.Errorf("unknown screen %q: want one of %s", textsafe.LineN(name, 40), strings.Join(DeepLinkNames(), ", "))
	}
	args := words[1:]
	switch l.arg {
	case "none":
		if len(args) != 0 {
			return "", fmt.Errorf("%s: takes no arguments", name)
		}
	case "id", "tag":
		if len(args) != 1 {
			return "", fmt.Errorf("%s: want exactly one %s", name, argNoun(l.arg))
		}
		if l.arg == "id" {
			if id, err := strconv.ParseInt(args[0], 10, 64); err != nil || id <= 0 {
				return "", fmt.Errorf("%s: %q is not a positive id", name, textsafe.LineN(args[0], 40))
			}
		}
		if strings.ContainsFunc(args[0], isSpaceOrControl) || args[0] == "" {
			return "", fmt.Errorf("%s: want one word", name)
		}
	default:
		for _, a := range args {
			if strings.ContainsFunc(a, isSpaceOrControl) {
				return "", fmt.Errorf("%s: %q: a filter value cannot hold spaces", name, textsafe.LineN(a, 40))
			}
		}
		if _, err := filterbar.Parse(l.fields, strings.Join(args, " ")); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
	}
	return strings.Join(words, " "), nil
}

// isSpaceOrControl reports runes a deep link's word may not hold.
func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// argNoun names what a deep link's argument is.
func argNoun(arg string) string {
	if arg == "tag" {
		return "trace tag or event id"
	}
	return "id"
}

// openStart opens the start screen (common.Deps.Start, checked by
// ParseDeepLink) with the screens below it, or the event list.
func (a *App) openStart() tea.Cmd {
	start := a.deps.Start
	if start == "" {
		return a.open(common.Route{Kind: common.KindEvents})
	}
	name, args, _ := strings.Cut(start, " ")
	l, ok := deepLinks()[name]
	if !ok { // not from ParseDeepLink: say so and show the home screen
		a.cmdline = a.cmdline.SetMessage("unknown start screen "+strconv.Quote(textsafe.LineN(start, 40)), true)
		return a.open(common.Route{Kind: common.KindEvents})
	}
	var cmds []tea.Cmd
	for _, line := range append(l.below(args), start) {
		cmds = append(cmds, a.runCommand(line))
	}
	return tea.Batch(cmds...)
}
