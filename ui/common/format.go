package common

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// Relative formats t relative to now: "just now", "42s ago", "3m ago",
// "5h ago", "2d ago"; a time in the future reads "in 3m".
func Relative(t, now time.Time) string {
	d := now.Sub(t)
	suffix := " ago"
	if d < 0 {
		d = -d
		suffix = ""
	}
	var s string
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		s = fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		s = fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%dh", int(d/time.Hour))
	default:
		s = fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
	if suffix == "" {
		return "in " + s
	}
	return s + suffix
}

// Absolute formats t in UTC to the second, e.g. "2026-06-11 14:03:00Z".
func Absolute(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// IsConnectionError reports whether err is a transport failure (the server
// could not be reached) rather than an answer from the API.
func IsConnectionError(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var te *client.TransportError
	if errors.As(err, &te) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// ErrorLine renders err as one terminal-safe line (error texts can carry
// server messages, which are untrusted).
//
// The part that says what went wrong comes first, so that it survives when
// a narrow terminal cuts the line: for an API error its status, code and
// message, for a transport failure its cause, then what was being done
// ("get enforcement 5") and the request.
func ErrorLine(err error) string {
	if err == nil {
		return ""
	}
	full := strings.TrimSpace(err.Error())
	// doing is what the wrapping layers said before the client's own text.
	doing := func(inner string) string {
		return strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(full, inner)), ":")
	}
	var apiErr *client.APIError
	var tErr *client.TransportError
	var rErr *client.RedirectError
	switch {
	case errors.As(err, &rErr):
		head := fmt.Sprintf("redirect (%d) to %s not followed: %s", rErr.StatusCode, rErr.Location, rErr.Reason)
		return textsafe.Line(joinError(head, doing(rErr.Error()), strings.TrimSpace(rErr.Method+" "+rErr.Path)))
	case errors.As(err, &apiErr):
		head := strconv.Itoa(apiErr.StatusCode)
		if apiErr.Code != "" {
			head += " " + apiErr.Code
		}
		if apiErr.Message != "" {
			head += ": " + apiErr.Message
		}
		if apiErr.Hint != "" {
			head += " (" + apiErr.Hint + ")"
		}
		return textsafe.Line(joinError(head, doing(apiErr.Error()), strings.TrimSpace(apiErr.Method+" "+apiErr.Path)))
	case errors.As(err, &tErr):
		head := "server unreachable: " + fmt.Sprint(tErr.Err)
		if tErr.After > 0 {
			head = "timed out after " + seconds(tErr.After) + " s: the server did not answer"
		}
		return textsafe.Line(joinError(head, doing(tErr.Error()), strings.TrimSpace(tErr.Method+" "+tErr.Path)))
	}
	return textsafe.Line(full)
}

// seconds renders d in seconds: whole seconds from one second up, tenths
// below ("30", "0.2").
func seconds(d time.Duration) string {
	if d >= time.Second {
		return strconv.FormatInt(int64(d.Round(time.Second)/time.Second), 10)
	}
	return strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', -1, 64)
}

// joinError renders "head · doing (request)", leaving out empty parts.
func joinError(head, doing, request string) string {
	s := head
	if doing != "" {
		s += " · " + doing
	}
	if request != "" {
		s += " (" + request + ")"
	}
	return s
}
