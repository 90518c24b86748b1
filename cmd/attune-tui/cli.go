package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/sshserver"
	"github.com/attune-tui/attune-tui/internal/suggest"
	"github.com/attune-tui/attune-tui/ui"
	"github.com/attune-tui/attune-tui/ui/keydoc"
)

// Exit codes of the program (documented in every command's --help).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// exitCodesHelp ends every command's usage.
const exitCodesHelp = `
Exit codes:
  0  success (also after --help)
  1  error (the server, the configuration, the network, an interrupted export)
  2  usage: unknown command or flag, missing or bad argument
`

// usageError is a command line the program cannot run: exit code 2.
type usageError struct{ err error }

// Error implements error.
func (e *usageError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usage error.
func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// exitCode maps run's error to the process exit code.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	default:
		return exitError
	}
}

// cli is what every command of one run reads from and writes to. Nothing in
// it is global: tests build one per case.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// tui runs the terminal UI with flags f, opened on start (a deep link:
	// "" for the event list). Tests replace it to see what a command line
	// parsed to without starting a program.
	tui func(ctx context.Context, f tuiFlags, start string) error
	// serveFactory builds each SSH session's model (nil: sessionModel),
	// serveDemo starts the dev server for `serve --demo`.
	serveFactory sshserver.ModelFactory
	serveDemo    demoStarter
}

// run parses args and runs the command they name: the TUI without one.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	c.tui = func(ctx context.Context, f tuiFlags, start string) error {
		return runTUI(ctx, f, start, c.stdin, c.stdout, c.stderr)
	}
	// Set by the demo starter; read by every session's factory.
	demo, demoNotifier := false, ""
	c.serveFactory = func(s sshserver.SessionInfo) (tea.Model, error) {
		if demo && s.NotifierURL == "" {
			s.NotifierURL = demoNotifier
		}
		return sessionModel(s, demo)
	}
	start := serveDemo(stdout, &demoNotifier)
	c.serveDemo = func(ctx context.Context) (string, string, func(), error) {
		demo = true
		return start(ctx)
	}
	return c.execute(ctx, args)
}

// execute runs the command tree on args.
func (c *cli) execute(ctx context.Context, args []string) error {
	root := c.rootCmd()
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

// rootCmd builds the whole command tree.
func (c *cli) rootCmd() *cobra.Command {
	var f tuiFlags
	var open string
	root := &cobra.Command{
		Use:   "attune-tui [flags]",
		Short: "What happened in my Attune automation, and why?",
		Long: `attune-tui — what happened in my Attune automation, and why?

Without a command it opens the terminal UI on the event list. A deep link
(event N, trace TAG, …, or --open ROUTE) opens it on that screen with the
screens that lead there below it (esc goes back to them).

Configuration: --url/--token/--context flags, then the ATTUNE_* environment,
then the config file's current context; --demo needs none.`,
		Example: `  attune-tui --demo
  attune-tui --demo event 5
  attune-tui --url https://attune.example.com --token-file ~/.attune-token
  attune-tui --open 'event/4812'
  attune-tui get events --trigger-ref core.webhook -o jsonl --all`,
		Args: rootArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.validate(cmd.Flags()); err != nil {
				return err
			}
			var start string
			if open != "" {
				words, err := routeWords(open)
				if err == nil {
					start, err = ui.ParseDeepLink(words)
				}
				if err != nil {
					return &usageError{err: fmt.Errorf("--open: %w", err)}
				}
			}
			return c.tui(cmd.Context(), f, start)
		},
	}
	addTUIFlags(root.Flags(), &f)
	root.Flags().StringVar(&open, "open", "", "open the TUI on `ROUTE`: event/4812, enforcement/N, execution/N, trace/TAG_OR_EVENT_ID, why/EVENT_ID, events/trigger_ref:x rule_ref:y (the screens of the deep-link commands)")
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddGroup(&cobra.Group{ID: "links", Title: "Deep links (open the TUI on a screen):"}, &cobra.Group{ID: "other", Title: "Other commands:"})
	links := c.deepLinkCmds()
	for _, l := range links {
		l.GroupID = "links"
	}
	root.AddCommand(links...)
	root.SetHelpCommandGroupID("other")
	others := []*cobra.Command{c.getCmd(), c.devserverCmd(), c.serveCmd(), versionCmd(c.stdout), keysCmd(c.stdout), completionCmd(root, c.stdout)}
	for _, o := range others {
		o.GroupID = "other"
	}
	root.AddCommand(others...)
	c.finish(root)
	return root
}

// finish applies what every command shares: output streams, quiet
// errors (main prints them once), flag errors that name the closest flag,
// and the exit codes in the long help.
func (c *cli) finish(root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		cmd.DisableAutoGenTag = true
		cmd.SetFlagErrorFunc(flagError)
		if cmd.Long == "" {
			cmd.Long = cmd.Short
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	root.SuggestionsMinimumDistance = 2
	root.SetUsageFunc(withExitCodes(root)) // the commands below inherit it
	root.SetIn(c.stdin)
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	walk(root)
}

// withExitCodes returns cmd's usage function followed by the exit codes.
func withExitCodes(cmd *cobra.Command) func(*cobra.Command) error {
	usage := cmd.UsageFunc()
	return func(c *cobra.Command) error {
		if err := usage(c); err != nil {
			return err
		}
		_, err := io.WriteString(c.OutOrStderr(), "\n"+strings.TrimLeft(exitCodesHelp, "\n"))
		return err
	}
}

// rootArgs refuses a word that names no command, suggesting the closest.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &usageError{err: errors.New(msg)}
}

// usageArgs makes an argument validator's error a usage error.
func usageArgs(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return &usageError{err: fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
		}
		return nil
	}
}

var (
	unknownLongRE  = regexp.MustCompile(`^unknown flag: --([^\s=]+)`)
	unknownShortRE = regexp.MustCompile(`^unknown shorthand flag: '(.)'`)
)

// flagError turns pflag's parse errors into usage errors; an unknown flag
// names the closest defined one.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if m := unknownLongRE.FindStringSubmatch(msg); m != nil {
		out := "unknown flag --" + m[1]
		if best := closestFlag(cmd.Flags(), m[1]); best != "" {
			out += "; did you mean --" + best + "?"
		}
		return &usageError{err: errors.New(out)}
	}
	if m := unknownShortRE.FindStringSubmatch(msg); m != nil {
		out := "unknown flag -" + m[1]
		if best := closestFlag(cmd.Flags(), m[1]); best != "" {
			out += "; did you mean --" + best + "?"
		}
		return &usageError{err: errors.New(out)}
	}
	return &usageError{err: err}
}

// closestFlag returns the visible flag name nearest to name (edit
// distance at most a third of its length, at least 2), or "".
func closestFlag(fs *pflag.FlagSet, name string) string {
	best, bestD := "", max(2, len(name)/3)+1
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := suggest.Distance(name, f.Name)
		if strings.HasPrefix(f.Name, name) && len(name) >= 3 {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	})
	return best
}

// versionCmd prints the program's version.
func versionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of attune-tui",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(stdout, "attune-tui", client.Version)
			return err
		},
	}
}

// keysCmd prints the key bindings of every screen, from the key maps.
func keysCmd(stdout io.Writer) *cobra.Command {
	var markdown bool
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Print the keys of every screen (the README's table: --markdown)",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			if markdown {
				_, err := io.WriteString(stdout, keydoc.Markdown())
				return err
			}
			for _, sec := range keydoc.Sections() {
				if _, err := fmt.Fprintf(stdout, "%s\n", sec.Name); err != nil {
					return err
				}
				for _, k := range sec.Bindings {
					if _, err := fmt.Fprintf(stdout, "  %-12s %s\n", k.Label, k.Help); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print the Markdown table the README includes")
	return cmd
}

// completionCmd writes a shell completion script for root.
func completionCmd(root *cobra.Command, stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print a shell completion script",
		Long: `Print a completion script for bash, zsh or fish. For example:

  source <(attune-tui completion bash)
  attune-tui completion zsh > "${fpath[1]}/_attune-tui"
  attune-tui completion fish > ~/.config/fish/completions/attune-tui.fish`,
		ValidArgs: []string{"bash", "zsh", "fish"},
		Args:      usageArgs(cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs)),
		RunE: func(_ *cobra.Command, args []string) error {
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(stdout, true)
			case "zsh":
				return root.GenZshCompletion(stdout)
			default:
				return root.GenFishCompletion(stdout, true)
			}
		},
	}
}
