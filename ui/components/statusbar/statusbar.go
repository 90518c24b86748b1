// Package statusbar renders the one-line status bar at the bottom of the
// screen: context and server, signed-in user, connection state, time of the
// last successful refresh, and the last error.
package statusbar

import (
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Conn is the connection state.
type Conn int

// Connection states.
const (
	ConnUnknown Conn = iota
	ConnOK
	ConnError
	ConnReconnecting
	// ConnUnauthorized: the server answered 401 (token expired or revoked).
	ConnUnauthorized
	// ConnBadAnswer: the server answered something the client cannot read.
	ConnBadAnswer
)

// String returns the state as the text shown in the bar (with a symbol, so
// it reads without colour).
func (c Conn) String() string {
	switch c {
	case ConnUnknown:
		return "○ connecting"
	case ConnOK:
		return "● ok"
	case ConnError:
		return "✗ error"
	case ConnReconnecting:
		return "↻ reconnecting"
	case ConnUnauthorized:
		return "✗ unauthorized"
	case ConnBadAnswer:
		return "✗ bad answer"
	}
	return "?"
}

// Styles are the styles the bar draws with.
type Styles struct {
	Bar, OK, Error, Reconnecting, Demo, Muted lipgloss.Style
}

// ErrorHint replaces the help hint while an error is shown: the key that
// shows the whole error text.
const ErrorHint = "! details "

// Model is the status bar state. Every string in it must already be
// terminal-safe.
type Model struct {
	Styles  Styles
	Context string
	Server  string
	User    string
	Conn    Conn
	// Retry says when a failing auto-refresh tries again ("retry in 1m"),
	// "" when none is backing off.
	Retry string
	// Live is the live source's state ("● live", "↻ live reconnecting"),
	// "" when there is none.
	Live string
	// Watch counts the matches of the session's watches ("⚑ 3"), "" when
	// there is no watch.
	Watch    string
	LastSync time.Time
	// Now is the time "last refresh" is measured against; the root sets it
	// in Update.
	Now time.Time
	// Err is the last error, one line.
	Err  string
	Demo bool
	// Hint is shown at the right when there is room (e.g. "? help").
	Hint string
}

// View renders the bar at width cells.
func (m Model) View(width int, relative func(t, now time.Time) string) string {
	sep := m.Styles.Muted.Render(" │ ")
	var lead, about []string // the DEMO badge; where and who
	if m.Demo {
		lead = append(lead, m.Styles.Demo.Render(" DEMO "))
	}
	where := m.Context
	if m.Server != "" {
		if where != "" {
			where += " "
		}
		where += m.Server
	}
	if where != "" {
		about = append(about, m.Styles.Bar.Render(where))
	}
	if m.User != "" {
		about = append(about, m.Styles.Bar.Render("user "+m.User))
	}
	st := m.Styles.OK
	switch m.Conn {
	case ConnError, ConnUnauthorized, ConnBadAnswer:
		st = m.Styles.Error
	case ConnReconnecting:
		st = m.Styles.Reconnecting
	case ConnUnknown:
		st = m.Styles.Muted
	case ConnOK:
	}
	conn := m.Conn.String()
	if m.Retry != "" {
		conn += " · " + m.Retry
	}
	state := []string{st.Render(conn)}
	if m.Live != "" {
		state = append(state, m.Styles.Muted.Render(m.Live))
	}
	if m.Watch != "" {
		state = append(state, m.Styles.Reconnecting.Render(m.Watch))
	}
	if !m.LastSync.IsZero() && relative != nil {
		state = append(state, m.Styles.Muted.Render("refreshed "+relative(m.LastSync, m.Now)))
	}
	parts := slices.Concat(lead, about, state)
	hint := m.Hint
	if m.Err != "" {
		// The error is what the user must see: it comes right after the
		// connection state and before where and who, so that a narrow
		// terminal cuts those instead, and the hint says how to read it whole.
		errPart := m.Styles.Error.Render("! " + m.Err)
		parts = slices.Concat(lead, state[:1], []string{errPart}, about, state[1:])
		hint = ErrorHint
	}
	// The error hint keeps its place while it fits in half the width; the
	// help hint only takes the room that is left.
	hw := ansi.StringWidth(hint)
	avail := width
	if m.Err != "" && hw+1 <= width/2 {
		avail = width - hw - 1
	}
	left := strings.Join(parts, sep)
	lw := ansi.StringWidth(left)
	if lw > avail {
		left = ansi.Truncate(left, avail, "…")
		lw = ansi.StringWidth(left)
	}
	gap := width - lw
	right := ""
	if hint != "" && hw+1 <= gap {
		right = m.Styles.Muted.Render(hint)
		gap -= hw
	}
	return left + m.Styles.Bar.Render(strings.Repeat(" ", max(gap, 0))) + right
}
