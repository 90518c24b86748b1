package ui

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// copiedMsg reports the result of an OSC 52 copy: err when nothing could
// be sent (text is then what was to be copied), else the status line.
type copiedMsg struct {
	what  string
	err   error
	text  string
	line  string
	isErr bool
	// lead goes before the report (the link W shows), already safe.
	lead string
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
