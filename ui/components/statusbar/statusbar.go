// Package statusbar renders the one-line status bar at the bottom of the
// screen: context and server, signed-in user, connection state, time of the
// last successful refresh, and the last error.
package statusbar

import (
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
	}
	return "?"
}

// Styles are the styles the bar draws with.
type Styles struct {
	Bar, OK, Error, Reconnecting, Demo, Muted lipgloss.Style
}

// Model is the status bar state. Every string in it must already be
// terminal-safe.
type Model struct {
	Styles   Styles
	Context  string
	Server   string
	User     string
	Conn     Conn
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
	var parts []string
	if m.Demo {
		parts = append(parts, m.Styles.Demo.Render(" DEMO "))
	}
	where := m.Context
	if m.Server != "" {
		if where != "" {
			where += " "
		}
		where += m.Server
	}
	if where != "" {
		parts = append(parts, m.Styles.Bar.Render(where))
	}
	if m.User != "" {
		parts = append(parts, m.Styles.Bar.Render("user "+m.User))
	}
	st := m.Styles.OK
	switch m.Conn {
	case ConnError:
		st = m.Styles.Error
	case ConnReconnecting:
		st = m.Styles.Reconnecting
	case ConnUnknown:
		st = m.Styles.Muted
	case ConnOK:
	}
	parts = append(parts, st.Render(m.Conn.String()))
	if !m.LastSync.IsZero() && relative != nil {
		parts = append(parts, m.Styles.Muted.Render("refreshed "+relative(m.LastSync, m.Now)))
	}
	if m.Err != "" {
		parts = append(parts, m.Styles.Error.Render("! "+m.Err))
	}
	left := strings.Join(parts, sep)
	lw := ansi.StringWidth(left)
	if lw > width {
		left = ansi.Truncate(left, width, "…")
		lw = ansi.StringWidth(left)
	}
	gap := width - lw
	right := ""
	if m.Hint != "" && ansi.StringWidth(m.Hint)+1 <= gap {
		right = m.Styles.Muted.Render(m.Hint)
		gap -= ansi.StringWidth(m.Hint)
	}
	return left + m.Styles.Bar.Render(strings.Repeat(" ", max(gap, 0))) + right
}
