package ui

import (
	"context"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// noEnforcements returns api with an enforcement list that fails.
func noEnforcements(api *common.API) *common.API {
	a := *api
	a.Enforcements = failingEnforcements{api.Enforcements}
	return &a
}

type failingEnforcements struct{ common.EnforcementsAPI }

func (failingEnforcements) List(context.Context, *client.EnforcementListOptions) (*client.Page[client.EnforcementSummary], *client.Response, error) {
	return nil, nil, &client.APIError{StatusCode: 500, Code: "INTERNAL_SERVER_ERROR", Message: "enforcement store down", Method: "GET", Path: "/api/v1/enforcements"}
}

// TestCausedColumn golden-tests the event list's CAUSED column at 80×24
// (short form) and 120×40 with NO_COLOR (ASCII profile): filled in from
// the seeded dev server, filtered with c to the events that caused
// something and to those that caused a failure, and "?" when the
// enforcement list fails (the error goes to the status bar and !).
func TestCausedColumn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fail bool
		keys []string
		want []string
	}{
		{name: "filled"},
		{name: "caused_something", keys: []string{"c"}, want: []string{"caused something", "shown"}},
		{name: "caused_failure", keys: []string{"c", "c"}, want: []string{"caused a failure", "2 shown"}},
		{name: "lookup_failed", fail: true, want: []string{"enforcement store down"}},
	}
	for _, tc := range tests {
		for _, sz := range sizes {
			t.Run(tc.name+"_"+sz.name, func(t *testing.T) {
				t.Parallel()
				api := uitest.SharedDev(t, testutil.DevOptions{})
				if tc.fail {
					api = noEnforcements(api)
				}
				tm := start(t, uitest.Deps(api), sz.w, sz.h)
				if !tc.fail {
					wait(t, tm, "page 1", "Demo User", "✗1")
				}
				typeKeys(tm, tc.keys...)
				if len(tc.want) > 0 {
					wait(t, tm, tc.want...)
				}
				_, v := final(t, tm)
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// TestRuleColumnHelp: the help of the event list says what RULE is and
// what its "-" means (Attune sets event.rule for rule-specific triggers
// only), and what CAUSED's symbols mean.
func TestRuleColumnHelp(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	tm := start(t, uitest.Deps(api), 120, 40)
	wait(t, tm, "page 1", "Demo User")
	typeKeys(tm, "?")
	wait(t, tm, "RULE: the event's own rule", "rule-specific triggers", "CAUSED: enforcements")
	final(t, tm)
}
