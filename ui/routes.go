package ui

import (
	"fmt"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/views/enforcementdetail"
	"github.com/attune-tui/attune-tui/ui/views/enforcements"
	"github.com/attune-tui/attune-tui/ui/views/eventdetail"
	"github.com/attune-tui/attune-tui/ui/views/events"
	"github.com/attune-tui/attune-tui/ui/views/executiondetail"
	"github.com/attune-tui/attune-tui/ui/views/executions"
	"github.com/attune-tui/attune-tui/ui/views/logs"
	"github.com/attune-tui/attune-tui/ui/views/overview"
	"github.com/attune-tui/attune-tui/ui/views/ruledetail"
	"github.com/attune-tui/attune-tui/ui/views/rules"
	"github.com/attune-tui/attune-tui/ui/views/trace"
)

// factory builds the view for a route.
type factory func(deps common.Deps, r common.Route) (common.View, error)

// routeTable maps every screen kind to its view constructor: the one
// route table. To add a screen, add its kind here and a command to
// commandTable.
func routeTable() map[common.Kind]factory {
	return map[common.Kind]factory{
		common.KindEvents: func(d common.Deps, r common.Route) (common.View, error) {
			if r.Ref != "" {
				v, err := events.NewWithFilter(d, r.Ref)
				if err != nil {
					return nil, fmt.Errorf("events: %w", err)
				}
				return v, nil
			}
			return events.New(d), nil
		},
		common.KindEvent: func(d common.Deps, r common.Route) (common.View, error) {
			if r.ID <= 0 {
				return nil, fmt.Errorf("event: want a positive id")
			}
			return eventdetail.New(d, r.ID), nil
		},
		common.KindOverview: func(d common.Deps, _ common.Route) (common.View, error) {
			return overview.New(d), nil
		},
		common.KindWhy: func(d common.Deps, r common.Route) (common.View, error) {
			if r.ID <= 0 {
				return nil, fmt.Errorf("why: want a positive event id")
			}
			return rules.New(d, r.ID), nil
		},
		common.KindEnforcements: func(d common.Deps, r common.Route) (common.View, error) {
			if r.Ref != "" {
				v, err := enforcements.NewWithFilter(d, r.Ref)
				if err != nil {
					return nil, fmt.Errorf("enforcements: %w", err)
				}
				return v, nil
			}
			return enforcements.New(d, r.ID), nil
		},
		common.KindEnforcement: func(d common.Deps, r common.Route) (common.View, error) {
			if r.ID <= 0 {
				return nil, fmt.Errorf("enforcement: want a positive id")
			}
			return enforcementdetail.New(d, r.ID), nil
		},
		common.KindExecutions: func(d common.Deps, r common.Route) (common.View, error) {
			if r.Ref != "" {
				v, err := executions.NewWithFilter(d, r.Ref)
				if err != nil {
					return nil, fmt.Errorf("executions: %w", err)
				}
				return v, nil
			}
			return executions.New(d, r.ID), nil
		},
		common.KindExecution: func(d common.Deps, r common.Route) (common.View, error) {
			if r.ID <= 0 {
				return nil, fmt.Errorf("execution: want a positive id")
			}
			return executiondetail.New(d, r.ID), nil
		},
		common.KindLogs: func(d common.Deps, r common.Route) (common.View, error) {
			if r.ID <= 0 {
				return nil, fmt.Errorf("logs: want a positive execution id")
			}
			if r.Ref != "" && r.Ref != string(client.Stdout) && r.Ref != string(client.Stderr) {
				return nil, fmt.Errorf("logs: want stdout or stderr, not %q", r.Ref)
			}
			return logs.New(d, r.ID, r.Ref), nil
		},
		common.KindTrace: func(d common.Deps, r common.Route) (common.View, error) {
			if r.ID <= 0 && r.Ref == "" {
				return nil, fmt.Errorf("trace: want an event id or a trace tag")
			}
			return trace.New(d, trace.StartFor(r)), nil
		},
		common.KindRule: func(d common.Deps, r common.Route) (common.View, error) {
			if client.IsRedacted(r.Ref) {
				return nil, fmt.Errorf("rule: want a rule ref")
			}
			return ruledetail.New(d, r.Ref), nil
		},
	}
}
