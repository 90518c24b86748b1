package uitest

import (
	"context"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
)

// Fake returns an API with nothing in it: every list is empty and every
// get is 404. A test that fakes one service sets that field (api.Events =
// myFake) and leaves the rest answering nothing; it has no live channel.
func Fake() *common.API {
	return &common.API{
		Auth:         emptyAuth{},
		Events:       emptyEvents{},
		Enforcements: emptyEnforcements{},
		Executions:   emptyExecutions{},
		Rules:        emptyRules{},
		Traces:       emptyTraces{},
		Sensors:      emptySensors{},
	}
}

// notFound is the 404 of the empty services' gets.
func notFound(path string) error {
	return &client.APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "not found", Method: "GET", Path: path}
}

type emptyAuth struct{}

func (emptyAuth) Me(context.Context) (*client.CurrentUser, *client.Response, error) {
	return &client.CurrentUser{Login: "tester"}, nil, nil
}

type emptyEvents struct{}

func (emptyEvents) List(context.Context, *client.EventListOptions) (*client.Page[client.EventSummary], *client.Response, error) {
	return &client.Page[client.EventSummary]{}, nil, nil
}

func (emptyEvents) Get(context.Context, int64) (*client.Event, *client.Response, error) {
	return nil, nil, notFound("/api/v1/events/{id}")
}

type emptyEnforcements struct{}

func (emptyEnforcements) List(context.Context, *client.EnforcementListOptions) (*client.Page[client.EnforcementSummary], *client.Response, error) {
	return &client.Page[client.EnforcementSummary]{}, nil, nil
}

func (emptyEnforcements) Get(context.Context, int64) (*client.Enforcement, *client.Response, error) {
	return nil, nil, notFound("/api/v1/enforcements/{id}")
}

type emptyExecutions struct{}

func (emptyExecutions) List(context.Context, *client.ExecutionListOptions) (*client.Page[client.ExecutionSummary], *client.Response, error) {
	return &client.Page[client.ExecutionSummary]{}, nil, nil
}

func (emptyExecutions) Get(context.Context, int64) (*client.Execution, *client.Response, error) {
	return nil, nil, notFound("/api/v1/executions/{id}")
}

func (emptyExecutions) Stats(context.Context) (*client.ExecutionStats, *client.Response, error) {
	return &client.ExecutionStats{}, nil, nil
}

func (emptyExecutions) Log(context.Context, *client.Execution, client.LogStreamName, *client.LogReadOptions) (*client.ExecutionLog, *client.Response, error) {
	return nil, nil, notFound("/api/v1/executions/{id}/logs/{stream}")
}

func (emptyExecutions) TailLog(context.Context, int64, client.LogStreamName, *client.TailLogOptions) (*client.LogTail, error) {
	return nil, notFound("/api/v1/executions/{id}/logs/{stream}/stream")
}

type emptyRules struct{}

func (emptyRules) List(context.Context, *client.RuleListOptions) (*client.Page[client.RuleSummary], *client.Response, error) {
	return &client.Page[client.RuleSummary]{}, nil, nil
}

func (emptyRules) Get(context.Context, string) (*client.Rule, *client.Response, error) {
	return nil, nil, notFound("/api/v1/rules/{ref}")
}

type emptyTraces struct{}

func (emptyTraces) Get(context.Context, string) (*client.TraceReport, *client.Response, error) {
	return nil, nil, notFound("/api/v1/traces/{tag}")
}

type emptySensors struct{}

func (emptySensors) Get(context.Context, string) (*client.Sensor, *client.Response, error) {
	return nil, nil, notFound("/api/v1/sensors/{ref}")
}
