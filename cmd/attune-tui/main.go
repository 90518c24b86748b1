// Command attune-tui is a terminal UI for debugging an Attune automation
// deployment: events, the enforcements rules created from them, and the
// executions those scheduled.
//
// Usage:
//
//	attune-tui --demo                 dev server in-process + TUI, no setup
//	attune-tui --url URL [--token T | --token-file F | --login NAME]
//	attune-tui devserver [flags]      the Attune-compatible dev server alone
//	attune-tui serve [flags]          the TUI over SSH
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/sshserver"
	// Settles lipgloss's background before bubbletea's init asks the
	// terminal (and waits for an answer that may never come).
	_ "github.com/attune-tui/attune-tui/internal/termbg/preset"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, errUsageShown) {
		fmt.Fprintln(os.Stderr, "attune-tui:", err)
		os.Exit(1)
	}
	if err != nil {
		os.Exit(2)
	}
}

// errUsageShown reports that a flag set already printed its usage.
var errUsageShown = errors.New("usage shown")

// run dispatches to a subcommand; without one it runs the TUI.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "devserver":
			return runDevserver(ctx, args[1:], stdout, stderr)
		case "serve":
			demo := false // set by the demo starter; read by every session's factory
			factory := func(s sshserver.SessionInfo) (tea.Model, error) { return sessionModel(s, demo) }
			start := serveDemo(stdout)
			starter := func(ctx context.Context) (string, string, func(), error) {
				demo = true
				return start(ctx)
			}
			return runServeWith(ctx, args[1:], stdout, stderr, factory, starter)
		case "version":
			fmt.Fprintln(stdout, "attune-tui", client.Version)
			return nil
		case "help":
			fmt.Fprint(stdout, usageText)
			return nil
		}
	}
	return runTUI(ctx, args, stdin, stdout, stderr)
}

const usageText = `attune-tui — what happened in my Attune automation, and why?

Usage:
  attune-tui --demo                  start a seeded dev server in-process and open the TUI
  attune-tui --url URL [flags]       open the TUI against an Attune API
  attune-tui devserver [flags]       run the Attune-compatible dev server alone
  attune-tui serve [flags]           serve the TUI over SSH
  attune-tui version

Run "attune-tui --help", "attune-tui devserver --help" or "attune-tui serve --help" for flags.
`
