// Package e2e drives the real attune-tui binary in a real terminal: tmux
// runs it (or an OpenSSH client connected to `attune-tui serve`), send-keys
// types, and capture-pane reads the screen. The tests skip with a message
// when tmux is missing, and fail instead when ATTUNE_E2E_REQUIRED is set
// (as .ci/run does).
package e2e
