package ui

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// clipEnv is what the root knows about the way to the clipboard: the
// terminal's TERM, whether it runs inside tmux (TMUX set in its own
// environment; unknown over SSH), and whether it may ask tmux (a local
// program, AllowExec).
type clipEnv struct {
	term    string
	inTmux  bool
	askTmux bool
}

// noClipboard says why OSC 52 cannot reach a clipboard at all, or "".
func (e clipEnv) noClipboard() string {
	switch e.term {
	case "dumb":
		return "TERM=dumb has no clipboard (OSC 52)"
	case "linux":
		return "the Linux console has no clipboard (OSC 52)"
	}
	return ""
}

// osc52 is the OSC 52 sequence that sets the clipboard to text.
func osc52(text string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\a"
}

// tmuxPassthrough wraps seq in tmux's passthrough (DCS tmux; … ST, every
// ESC doubled), which reaches the outer terminal when tmux has
// allow-passthrough on.
func tmuxPassthrough(seq string) string {
	return "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
}

// tmuxClipboard asks tmux for its set-clipboard option ("on", "external",
// "off"); it gives up after a second.
func tmuxClipboard(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tmux", "show-options", "-gv", "set-clipboard").Output()
	if err != nil {
		return "", fmt.Errorf("tmux show-options: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// clipReport is the status line after a copy: what was sent and whether it
// can be known to have arrived; isErr when it cannot have.
func clipReport(e clipEnv, what, tmuxSetting string, tmuxErr error) (line string, isErr bool) {
	what = textsafe.Line(what)
	switch {
	case !e.inTmux:
		return "sent " + what + " to the terminal's clipboard via OSC 52 (if the terminal allows it)", false
	case tmuxSetting == "on":
		return "copied " + what + " (tmux set-clipboard on: in tmux's buffer and sent on to the terminal)", false
	case tmuxSetting != "":
		return "not copied: tmux's set-clipboard is " + textsafe.Line(tmuxSetting) + ", so tmux drops it (set -g set-clipboard on); " +
			"also sent through tmux passthrough, which arrives only with allow-passthrough on", true
	default:
		_ = tmuxErr // the setting is unknown (no tmux binary, over SSH): say what it needs
		return "sent " + what + " via OSC 52 (tmux: needs set-clipboard on, or allow-passthrough on)", false
	}
}

// copyCmd writes text to the terminal's clipboard with an OSC 52 sequence
// (which also works over SSH), wrapped a second time in tmux's passthrough
// inside tmux, and reports what can be known about its arrival.
func copyCmd(ctx context.Context, out io.Writer, e clipEnv, text, what string) tea.Cmd {
	return func() tea.Msg {
		if why := e.noClipboard(); why != "" {
			return copiedMsg{what: what, err: fmt.Errorf("not copied: %s", why), text: text}
		}
		seq := osc52(text)
		if e.inTmux {
			seq += tmuxPassthrough(seq)
		}
		if _, err := io.WriteString(out, seq); err != nil {
			return copiedMsg{what: what, err: fmt.Errorf("write OSC 52: %w", err)}
		}
		var setting string
		var err error
		if e.inTmux && e.askTmux {
			setting, err = tmuxClipboard(ctx)
		}
		line, isErr := clipReport(e, what, setting, err)
		return copiedMsg{what: what, line: line, isErr: isErr}
	}
}
