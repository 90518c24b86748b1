package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
)

// deepLink makes a ":" command a screen the program can be started on:
// what its arguments must be, and the command lines opened below it (the
// screens a user would have come through, so esc goes back to them).
type deepLink struct {
	// arg says what the argument is: "id" (a positive number), "tag"
	// (a trace tag or an event id), "filter" (key:value tokens of
	// fields, optional) or "none".
	arg    string
	fields []filterbar.Field
	below  func(arg string) []string
}

// linkFor returns the deep link of the command named name (its first
// name), if it has one.
func linkFor(name string) (*deepLink, bool) {
	for _, c := range commandTable() {
		if c.names[0] == name && c.link != nil {
			return c.link, true
		}
	}
	return nil, false
}

// DeepLinkNames lists the commands a deep link may name, sorted.
func DeepLinkNames() []string {
	var names []string
	for _, c := range commandTable() {
		if c.link != nil {
			names = append(names, c.names[0])
		}
	}
	slices.Sort(names)
	return names
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
	l, ok := linkFor(name)
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
	l, ok := linkFor(name)
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
