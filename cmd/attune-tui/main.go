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
//	attune-tui version | completion bash|zsh|fish
//
// Every command documents its flags and exit codes in --help.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	// Settles lipgloss's background before bubbletea's init asks the
	// terminal (and waits for an answer that may never come).
	_ "github.com/attune-tui/attune-tui/internal/termbg/preset"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	code := exitCode(err)
	switch code {
	case exitOK:
	case exitUsage:
		fmt.Fprintln(os.Stderr, "attune-tui:", err)
		fmt.Fprintln(os.Stderr, `Run "attune-tui --help" (or "attune-tui COMMAND --help") for usage.`)
	default:
		fmt.Fprintln(os.Stderr, "attune-tui:", err)
	}
	os.Exit(code)
}
