package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/views/enforcementdetail"
	"github.com/attune-tui/attune-tui/ui/views/enforcements"
	"github.com/attune-tui/attune-tui/ui/views/executiondetail"
	"github.com/attune-tui/attune-tui/ui/views/executions"
	"github.com/attune-tui/attune-tui/ui/views/logs"
	"github.com/attune-tui/attune-tui/ui/views/ruledetail"
	"github.com/attune-tui/attune-tui/ui/views/trace"
)

// addChainRoutes registers the screens of the event → enforcement →
// execution chain: enforcement and execution lists and details, the rule
// detail and the trace view.
func addChainRoutes(routes map[common.Kind]factory) {
	routes[common.KindEnforcements] = func(d common.Deps, r common.Route) (common.View, error) {
		if r.Ref != "" {
			v, err := enforcements.NewWithFilter(d, r.Ref)
			if err != nil {
				return nil, fmt.Errorf("enforcements: %w", err)
			}
			return v, nil
		}
		return enforcements.New(d, r.ID), nil
	}
	routes[common.KindEnforcement] = func(d common.Deps, r common.Route) (common.View, error) {
		if r.ID <= 0 {
			return nil, fmt.Errorf("enforcement: want a positive id")
		}
		return enforcementdetail.New(d, r.ID), nil
	}
	routes[common.KindExecutions] = func(d common.Deps, r common.Route) (common.View, error) {
		if r.Ref != "" {
			v, err := executions.NewWithFilter(d, r.Ref)
			if err != nil {
				return nil, fmt.Errorf("executions: %w", err)
			}
			return v, nil
		}
		return executions.New(d, r.ID), nil
	}
	routes[common.KindExecution] = func(d common.Deps, r common.Route) (common.View, error) {
		if r.ID <= 0 {
			return nil, fmt.Errorf("execution: want a positive id")
		}
		return executiondetail.New(d, r.ID), nil
	}
	routes[common.KindLogs] = func(d common.Deps, r common.Route) (common.View, error) {
		if r.ID <= 0 {
			return nil, fmt.Errorf("logs: want a positive execution id")
		}
		if r.Ref != "" && r.Ref != string(client.Stdout) && r.Ref != string(client.Stderr) {
			return nil, fmt.Errorf("logs: want stdout or stderr, not %q", r.Ref)
		}
		return logs.New(d, r.ID, r.Ref), nil
	}
	routes[common.KindTrace] = func(d common.Deps, r common.Route) (common.View, error) {
		if r.ID <= 0 && r.Ref == "" {
			return nil, fmt.Errorf("trace: want an event id or a trace tag")
		}
		return trace.New(d, trace.StartFor(r)), nil
	}
	routes[common.KindRule] = func(d common.Deps, r common.Route) (common.View, error) {
		if client.IsRedacted(r.Ref) {
			return nil, fmt.Errorf("rule: want a rule ref")
		}
		return ruledetail.New(d, r.Ref), nil
	}
}

// chainCommands are the ":" commands that open one enforcement, execution
// or rule (":enforcements", ":executions" and ":trace" are in
// defaultCommands).
func chainCommands() []command {
	return []command{
		{names: []string{"enforcement"}, usage: "enforcement ID", about: "one enforcement", run: openByID(common.KindEnforcement, "enforcement ID")},
		{names: []string{"execution", "x"}, usage: "execution ID", about: "one execution", run: openByID(common.KindExecution, "execution ID")},
		{names: []string{"logs", "output"}, usage: "logs EXECUTION_ID [stdout|stderr]", about: "an execution's output",
			args: func(_ *App, args []string, _ string) []string {
				if len(args) == 1 {
					return []string{"stdout", "stderr"}
				}
				return nil
			}, run: func(a *App, args string) tea.Cmd {
				f := strings.Fields(args)
				var id int64
				if len(f) >= 1 {
					id, _ = strconv.ParseInt(f[0], 10, 64)
				}
				if id <= 0 || len(f) > 2 {
					a.cmdline = a.cmdline.SetMessage("usage: :logs EXECUTION_ID [stdout|stderr]", true)
					return nil
				}
				r := common.Route{Kind: common.KindLogs, ID: id}
				if len(f) == 2 {
					r.Ref = f[1]
				}
				return a.open(r)
			}},
		{names: []string{"rule"}, usage: "rule REF", about: "one rule and its conditions",
			args: func(a *App, args []string, _ string) []string {
				if len(args) > 0 {
					return nil
				}
				known, _ := a.deps.Recall.Known()
				return known["rule_ref"]
			}, run: func(a *App, args string) tea.Cmd {
				if args == "" {
					a.cmdline = a.cmdline.SetMessage("usage: :rule REF", true)
					return nil
				}
				return a.open(common.Route{Kind: common.KindRule, Ref: args})
			}},
	}
}
