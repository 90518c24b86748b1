package common

import (
	"errors"
	"fmt"
	"testing"

	"github.com/attune-tui/attune-tui/client"
)

func TestErrorLine(t *testing.T) {
	t.Parallel()
	notFound := &client.APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "Enforcement with ID 5 not found",
		Method: "GET", Path: "/api/v1/enforcements/5"}
	reset := &client.TransportError{Method: "GET", Path: "/api/v1/events", Err: errors.New("read: connection reset by peer")}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"api error: the server's words first", fmt.Errorf("get enforcement 5: %w", notFound),
			"404 NOT_FOUND: Enforcement with ID 5 not found · get enforcement 5 (GET /api/v1/enforcements/5)"},
		{"bare api error", notFound, "404 NOT_FOUND: Enforcement with ID 5 not found (GET /api/v1/enforcements/5)"},
		{"auth shape, no code, with hint", &client.APIError{StatusCode: 401, Message: "Authentication token expired",
			Hint: "sign in again", Method: "GET", Path: "/api/v1/events"},
			"401: Authentication token expired (sign in again) (GET /api/v1/events)"},
		{"transport: the cause first", fmt.Errorf("list events: %w", reset),
			"server unreachable: read: connection reset by peer · list events (GET /api/v1/events)"},
		{"other errors as they are", errors.New("who am i: boom"), "who am i: boom"},
		{"hostile text escaped", fmt.Errorf("get x: %w", &client.APIError{StatusCode: 500, Message: "\x1b]2;pwned\x07", Method: "GET", Path: "/x"}),
			`500: \x1b]2;pwned\x07 · get x (GET /x)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ErrorLine(tc.err); got != tc.want {
				t.Errorf("ErrorLine() = %q\n                 want %q", got, tc.want)
			}
		})
	}
}
