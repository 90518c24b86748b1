package client

import (
	"context"
	"net/http"
)

// Stats counts the executions the caller may read by status bucket.
//
// API: GET /api/v1/executions/stats
func (s *ExecutionsService) Stats(ctx context.Context) (*ExecutionStats, *Response, error) {
	return getItem[ExecutionStats](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/executions/stats", auth: true})
}

// Artifacts returns the artifacts with at least one version produced by the
// execution, newest artifact first (not paginated). Both runtime-log
// artifacts appear once the worker allocated them.
//
// API: GET /api/v1/executions/{execution_id}/artifacts
func (s *ExecutionsService) Artifacts(ctx context.Context, id int64) ([]ArtifactSummary, *Response, error) {
	if err := checkID("execution", id); err != nil {
		return nil, nil, err
	}
	v, resp, err := getItem[[]ArtifactSummary](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/executions/{execution_id}/artifacts",
		pathParams: map[string]string{"execution_id": idParam(id)}, auth: true})
	if err != nil {
		return nil, resp, err
	}
	return *v, resp, nil
}
