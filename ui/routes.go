package ui

import (
	"errors"
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
		common.KindEvents: list("events", events.NewWithFilter, func(d common.Deps, _ int64) events.Model { return events.New(d) }),
		common.KindEvent:  byID("event: want a positive id", eventdetail.New),
		common.KindOverview: func(d common.Deps, _ common.Route) (common.View, error) {
			return overview.New(d), nil
		},
		common.KindWhy:          byID("why: want a positive event id", rules.New),
		common.KindEnforcements: list("enforcements", enforcements.NewWithFilter, enforcements.New),
		common.KindEnforcement:  byID("enforcement: want a positive id", enforcementdetail.New),
		common.KindExecutions:   list("executions", executions.NewWithFilter, executions.New),
		common.KindExecution:    byID("execution: want a positive id", executiondetail.New),
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

// list is the factory of a list screen: filtered by the route's Ref
// (filter text, through withFilter), else scoped by its ID (0: all).
func list[V common.View](noun string, withFilter func(common.Deps, string) (V, error), scoped func(common.Deps, int64) V) factory {
	return func(d common.Deps, r common.Route) (common.View, error) {
		if r.Ref == "" {
			return scoped(d, r.ID), nil
		}
		v, err := withFilter(d, r.Ref)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", noun, err)
		}
		return v, nil
	}
}

// byID is the factory of a screen of one entity, whose route's ID must be
// positive (usage says so otherwise).
func byID[V common.View](usage string, newView func(common.Deps, int64) V) factory {
	return func(d common.Deps, r common.Route) (common.View, error) {
		if r.ID <= 0 {
			return nil, errors.New(usage)
		}
		return newView(d, r.ID), nil
	}
}
