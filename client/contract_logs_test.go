package client_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/contract"
)

// TestContractLogs runs the artifact, stats and log stream methods against
// a server that validates every request against openapi.json, and validates
// the bodies the models are typed from (the shapes of LOGS.md §2, DTO extras
// included) as responses.
func TestContractLogs(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	c, mux := setup(t)
	respond := func(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte) {
		req := r.Clone(r.Context())
		spec.ValidateRequest(t, req)
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", ctype)
		rec.WriteHeader(status)
		_, _ = rec.Write(body)
		if ctype == "application/json" {
			spec.ValidateResponseBody(t, req, rec.Code, rec.Header(), rec.Body.Bytes())
		}
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
	mux.HandleFunc("GET /api/v1/artifacts", func(w http.ResponseWriter, r *http.Request) {
		respond(w, r, 200, "application/json", []byte(`{"items":`+artifactSummaries+`,"pagination":{"page":1,"page_size":20,"total_items":2,"total_pages":1,"has_previous":false,"has_next":false}}`))
	})
	mux.HandleFunc("GET /api/v1/artifacts/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		switch artifactRoute(r) {
		case "ref", "artifact":
			respond(w, r, 200, "application/json", []byte(artifactBody))
		case "versions":
			respond(w, r, 200, "application/json", []byte(versionsBody))
		case "version":
			respond(w, r, 200, "application/json", []byte(versionBody))
		case "download":
			spec.ValidateRequest(t, r.Clone(r.Context()))
			serveRange(w, r, logContent)
		default:
			t.Errorf("unexpected %s", r.URL.Path)
		}
	})
	mux.HandleFunc("GET /api/v1/executions/stats", func(w http.ResponseWriter, r *http.Request) {
		respond(w, r, 200, "application/json", []byte(statsBody))
	})
	mux.HandleFunc("GET /api/v1/executions/{id}/artifacts", func(w http.ResponseWriter, r *http.Request) {
		respond(w, r, 200, "application/json", []byte(`{"data":`+artifactSummaries+`}`))
	})
	mux.HandleFunc("GET /api/v1/executions/{id}/logs/{stream}/stream", func(w http.ResponseWriter, r *http.Request) {
		respond(w, r, 200, "text/event-stream", []byte(inventedExample))
	})
	ctx := t.Context()
	ex := &client.Execution{ID: 9937, ActionRef: "core.echo"}
	calls := []struct {
		name string
		call func() error
	}{
		{"artifacts", func() error {
			_, _, err := c.Artifacts.List(ctx, &client.ArtifactListOptions{ListOptions: client.ListOptions{Page: 2, PerPage: 500, IncludeTotal: true},
				Scope: client.OwnerAction, Owner: "core.echo", Type: client.ArtifactFileText, Visibility: client.ArtifactPrivate,
				Classification: client.ClassificationRuntimeLog, Execution: 9937, Name: "log"})
			return err
		}},
		{"artifact", func() error { _, _, err := c.Artifacts.Get(ctx, 41); return err }},
		{"artifact by ref", func() error { _, _, err := c.Artifacts.GetByRef(ctx, "core.echo.stdout.log"); return err }},
		{"versions", func() error { _, _, err := c.Artifacts.Versions(ctx, 41); return err }},
		{"version", func() error { _, _, err := c.Artifacts.GetVersion(ctx, 41, 8); return err }},
		{"download", func() error { _, _, err := c.Artifacts.Download(ctx, 41, 8, &client.ByteRange{Start: 3}); return err }},
		{"stats", func() error { _, _, err := c.Executions.Stats(ctx); return err }},
		{"execution artifacts", func() error { _, _, err := c.Executions.Artifacts(ctx, 9937); return err }},
		{"log", func() error {
			_, _, err := c.Executions.Log(ctx, ex, client.Stdout, &client.LogReadOptions{Tail: 10})
			return err
		}},
		{"tail", func() error {
			tail, err := c.Executions.TailLog(ctx, 9937, client.Stdout, &client.TailLogOptions{Offset: 0})
			if err != nil {
				return err
			}
			defer tail.Close()
			for {
				if _, err := tail.Next(); err != nil {
					if errors.Is(err, io.EOF) {
						return nil
					}
					return err
				}
			}
		}},
	}
	for _, tc := range calls {
		if err := tc.call(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
