package ui

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// copiedMsg reports the result of an OSC 52 copy.
type copiedMsg struct {
	what string
	err  error
}

// copyCmd writes text to the terminal's clipboard with an OSC 52 sequence,
// which also works over SSH.
func copyCmd(out io.Writer, text, what string) tea.Cmd {
	return func() tea.Msg {
		seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\a"
		if _, err := io.WriteString(out, seq); err != nil {
			return copiedMsg{what: what, err: fmt.Errorf("write OSC 52: %w", err)}
		}
		return copiedMsg{what: what}
	}
}

// pagerFileMsg carries the temp file written for the pager.
type pagerFileMsg struct {
	path string
	err  error
}

// pagerDoneMsg reports that the pager exited.
type pagerDoneMsg struct{ err error }

// pagerFileCmd writes text (already terminal-safe) to a 0600 temp file.
func pagerFileCmd(text string) tea.Cmd {
	return func() tea.Msg {
		f, err := os.CreateTemp("", "attune-tui-*.txt") // mode 0600
		if err != nil {
			return pagerFileMsg{err: fmt.Errorf("pager temp file: %w", err)}
		}
		_, werr := io.WriteString(f, text)
		cerr := f.Close()
		if werr != nil || cerr != nil {
			_ = os.Remove(f.Name())
			return pagerFileMsg{err: fmt.Errorf("pager temp file: %w", firstErr(werr, cerr))}
		}
		return pagerFileMsg{path: f.Name()}
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// pagerCmd runs the pager on the temp file and removes it afterwards.
func (a *App) pagerCmd(msg pagerFileMsg) tea.Cmd {
	if msg.err != nil {
		return func() tea.Msg { return pagerDoneMsg{err: msg.err} }
	}
	args := strings.Fields(a.deps.Pager)
	if len(args) == 0 {
		args = []string{"less"}
	}
	cmd := exec.Command(args[0], append(args[1:], msg.path)...) //nolint:gosec // the operator's own $PAGER, local only
	path := msg.path
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		_ = os.Remove(path)
		if err != nil {
			err = fmt.Errorf("run pager: %w", err)
		}
		return pagerDoneMsg{err: err}
	})
}
