package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// HealthService checks the server's health. Its calls send no token.
type HealthService service

// Check reports whether the server is up; the answer carries only Status.
//
// API: GET /health
func (s *HealthService) Check(ctx context.Context) (*Health, *Response, error) {
	return s.health(ctx, "/health")
}

// Detailed reports the server status, version and database connectivity.
// When the server answers 503 (database disconnected) the decoded body is
// returned together with the *APIError.
//
// API: GET /health/detailed
func (s *HealthService) Detailed(ctx context.Context) (*Health, *Response, error) {
	return s.health(ctx, "/health/detailed")
}

// Live reports whether the server process is alive: a nil error means it
// answered 200 (the body is empty). A probe answers once; it is not retried.
//
// API: GET /health/live
func (s *HealthService) Live(ctx context.Context) (*Response, error) {
	r := &request{method: http.MethodGet, path: "/health/live", noRetry: true}
	raw, attempts, err := s.client.exchange(ctx, r)
	if raw == nil {
		return nil, err
	}
	return raw.response(attempts), err
}

// Ready reports whether the server is ready to serve: a nil error means it
// answered 200. When it is not, the error is an *APIError with status 503,
// returned together with the server's report when it sent one (the body
// may be empty). A probe answers once; it is not retried.
//
// API: GET /health/ready
func (s *HealthService) Ready(ctx context.Context) (*Readiness, *Response, error) {
	r := &request{method: http.MethodGet, path: "/health/ready", noRetry: true}
	raw, attempts, err := s.client.exchange(ctx, r)
	if raw == nil {
		return nil, nil, err
	}
	resp := raw.response(attempts)
	if err == nil || len(bytes.TrimSpace(raw.body)) == 0 {
		return nil, resp, err
	}
	var rd Readiness
	if jerr := json.Unmarshal(raw.body, &rd); jerr != nil {
		return nil, resp, err
	}
	rd.Status = sanitize(rd.Status, maxErrorBody)
	rd.Error = s.client.auth.scrub(sanitize(rd.Error, maxErrorBody))
	return &rd, resp, err
}

// health GETs a health endpoint, whose body is not enveloped.
func (s *HealthService) health(ctx context.Context, path string) (*Health, *Response, error) {
	r := &request{method: http.MethodGet, path: path}
	raw, attempts, err := s.client.exchange(ctx, r)
	if raw == nil {
		return nil, nil, err
	}
	resp := raw.response(attempts)
	var h Health
	if jerr := json.Unmarshal(raw.body, &h); jerr != nil {
		if err != nil {
			return nil, resp, err
		}
		return nil, resp, s.client.malformed(r, raw.status, jerr)
	}
	if err != nil {
		h.Error = s.client.auth.scrub(sanitize(h.Error, maxErrorBody))
		return &h, resp, err
	}
	return &h, resp, nil
}
