package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/attune-tui/attune-tui/ui"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/views/enforcements"
	"github.com/attune-tui/attune-tui/ui/views/events"
	"github.com/attune-tui/attune-tui/ui/views/executions"
)

// deepLinkCmds are the commands that open the TUI on one screen: event N,
// enforcement N, execution N, trace TAG_OR_EVENT_ID, why EVENT_ID, the
// lists with their filter flags, and the overview.
func (c *cli) deepLinkCmds() []*cobra.Command {
	one := func(name, arg, short string) *cobra.Command {
		return c.deepLinkCmd(&cobra.Command{
			Use:   name + " " + arg,
			Short: short,
			Args:  usageArgs(cobra.ExactArgs(1)),
		}, nil)
	}
	list := func(name string, fields []filterbar.Field, short string) *cobra.Command {
		return c.deepLinkCmd(&cobra.Command{
			Use:   name + " [--FILTER VALUE]...",
			Short: short,
			Args:  usageArgs(cobra.NoArgs),
		}, fields)
	}
	return []*cobra.Command{
		one("event", "ID", "Open the TUI on an event (the event list below it)"),
		one("enforcement", "ID", "Open the TUI on an enforcement (the enforcement list below it)"),
		one("execution", "ID", "Open the TUI on an execution (the execution list below it)"),
		one("trace", "TAG_OR_EVENT_ID", "Open the TUI on the trace of a trace tag or an event"),
		one("why", "EVENT_ID", "Open the TUI on why each rule did or did not fire for an event"),
		list("events", events.FilterFields(), "Open the TUI on the event list, filtered"),
		list("enforcements", enforcements.FilterFields(), "Open the TUI on the enforcement list, filtered"),
		list("executions", executions.FilterFields(), "Open the TUI on the execution list, filtered"),
		c.deepLinkCmd(&cobra.Command{
			Use:   "overview",
			Short: "Open the TUI on the overview (execution counts, recent failures)",
			Args:  usageArgs(cobra.NoArgs),
		}, nil),
	}
}

// deepLinkCmd completes a deep link command: the TUI's flags, one flag
// per filter key (trigger_ref → --trigger-ref), and a run that opens the
// TUI on the screen.
func (c *cli) deepLinkCmd(cmd *cobra.Command, fields []filterbar.Field) *cobra.Command {
	var f tuiFlags
	addTUIFlags(cmd.Flags(), &f)
	filters := addFilterFlags(cmd.Flags(), fields)
	name := cmd.Name()
	cmd.Long = cmd.Short + `.

The screens that lead there are opened below it, so esc goes back to them.
It works with --demo ("attune-tui --demo ` + name + `…") and takes the TUI's flags.`
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := f.validate(cmd.Flags()); err != nil {
			return err
		}
		words := append([]string{name}, args...)
		words = append(words, filters.tokens()...)
		start, err := ui.ParseDeepLink(words)
		if err != nil {
			return &usageError{err: err}
		}
		return c.tui(cmd.Context(), f, start)
	}
	return cmd
}

// filterFlags holds the values of a list's filter flags.
type filterFlags []struct {
	key   string
	value *string
}

// addFilterFlags defines one string flag per filter key on fs.
func addFilterFlags(fs *pflag.FlagSet, fields []filterbar.Field) filterFlags {
	out := make(filterFlags, 0, len(fields))
	for _, fl := range fields {
		what := "`VALUE`"
		if fl.Int {
			what = "`ID`"
		}
		v := fs.String(flagName(fl.Name), "", "only rows whose "+fl.Name+" is "+what+" (the filter bar's "+fl.Name+":)")
		out = append(out, struct {
			key   string
			value *string
		}{fl.Name, v})
	}
	return out
}

// tokens renders the filters given as the filter bar's key:value tokens.
func (ff filterFlags) tokens() []string {
	var out []string
	for _, f := range ff {
		if *f.value != "" {
			out = append(out, f.key+":"+*f.value)
		}
	}
	return out
}

// flagName turns a filter key into its flag name: trigger_ref → trigger-ref.
func flagName(key string) string { return strings.ReplaceAll(key, "_", "-") }

// routeWords splits an --open route ("event/4812", "trace/TAG",
// "events/trigger_ref:x rule_ref:y") into a deep link's words.
func routeWords(route string) ([]string, error) {
	kind, rest, _ := strings.Cut(strings.TrimSpace(route), "/")
	if kind == "" {
		return nil, fmt.Errorf("%q: want SCREEN/ARGUMENT, e.g. event/4812", route)
	}
	words := append([]string{kind}, strings.Fields(rest)...)
	return words, nil
}
