package client_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attune-tui/attune-tui/client"
)

// Bodies shaped like the artifact DTOs (LOGS.md §2): execution and meta are
// omitted when null, body_state and sha256 are DTO extras.
const (
	artifactBody = `{"data":{"id":41,"ref":"core.echo.stdout.log","scope":"action","owner":"core.echo","type":"file_text","visibility":"private",
		"classification":"runtime_log","retention_policy":"days","retention_limit":7,"name":"core.echo stdout","description":null,
		"content_type":"text/plain","size_bytes":52,"created":"2026-06-11T14:00:00Z","updated":"2026-06-11T14:03:00Z"}}`
	artifactSummaries = `[{"id":41,"ref":"core.echo.stdout.log","type":"file_text","visibility":"private","classification":"runtime_log","scope":"action",
		"owner":"core.echo","name":null,"content_type":"text/plain","size_bytes":52,"created":"2026-06-11T14:00:00Z","updated":"2026-06-11T14:03:00Z"},
		{"id":42,"ref":"core.echo.stderr.log","type":"file_text","visibility":"private","classification":"runtime_log","scope":"action",
		"owner":"core.echo","name":null,"content_type":"text/plain","size_bytes":null,"created":"2026-06-11T14:00:00Z","updated":"2026-06-11T14:03:00Z"}]`
	// versionsBody: version 9 belongs to a newer execution of the same
	// action and must never be picked for 9937; 9937 has two versions.
	versionsBody = `{"data":[
		{"id":109,"version":9,"execution":9940,"content_type":"text/plain","size_bytes":10,"created_by":"worker","body_state":"ready","sha256":"aa","created":"2026-06-11T14:05:00Z"},
		{"id":108,"version":8,"execution":9937,"content_type":"text/plain","size_bytes":52,"created_by":"worker","body_state":"ready","object_key":"logs/8","sha256":"bb","created":"2026-06-11T14:03:00Z"},
		{"id":107,"version":7,"execution":9937,"content_type":"text/plain","size_bytes":3,"created_by":"worker","body_state":"ready","created":"2026-06-11T14:02:00Z"},
		{"id":106,"version":6,"content_type":"text/plain","size_bytes":1,"created_by":null,"created":"2026-06-11T14:01:00Z"}]}`
	versionBody = `{"data":{"id":108,"artifact":41,"version":8,"execution":9937,"content_type":"text/plain","size_bytes":52,"created_by":"worker",
		"meta":{"stream":"stdout","execution_id":9937},"body_state":"ready","object_key":"logs/8","provider_version":"v1","sha256":"bb","created":"2026-06-11T14:03:00Z"}}`
	statsBody = `{"data":{"total":20,"completed":9,"failed":3,"running":2,"pending":4,"cancelled":1,"timeout":1,"abandoned":0}}`
)

// artifactRoute names the artifact route r asks for: "ref", "artifact",
// "versions", "version", "download", "latest" (the routes a log reader must
// never use) or "".
func artifactRoute(r *http.Request) string {
	parts := strings.Split(strings.TrimPrefix(r.PathValue("rest"), "/"), "/")
	switch {
	case len(parts) == 2 && parts[0] == "ref":
		return "ref"
	case len(parts) == 1:
		return "artifact"
	case len(parts) == 2 && parts[1] == "versions":
		return "versions"
	case len(parts) == 3 && parts[2] == "latest", len(parts) == 2 && parts[1] == "download":
		return "latest"
	case len(parts) == 3:
		return "version"
	case len(parts) == 4 && parts[3] == "download":
		return "download"
	}
	return ""
}

func TestArtifactReads(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var gotQuery url.Values
	mux.HandleFunc("GET /api/v1/artifacts", func(w http.ResponseWriter, r *http.Request) {
		testHeaders(t, r, testToken)
		gotQuery = r.URL.Query()
		writeJSON(w, 200, []byte(`{"items":`+artifactSummaries+`,"pagination":{"page":1,"page_size":20,"total_items":2,"total_pages":1,"has_previous":false,"has_next":false}}`))
	})
	mux.HandleFunc("GET /api/v1/artifacts/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		testHeaders(t, r, testToken)
		switch route := artifactRoute(r); route {
		case "ref":
			if r.PathValue("rest") != "ref/core.echo.stdout.log" {
				t.Errorf("ref path %q", r.URL.EscapedPath())
			}
			writeJSON(w, 200, []byte(artifactBody))
		case "artifact":
			writeJSON(w, 200, []byte(artifactBody))
		case "versions":
			writeJSON(w, 200, []byte(versionsBody))
		case "version":
			writeJSON(w, 200, []byte(versionBody))
		default:
			t.Errorf("unexpected %s", r.URL.Path)
			http.NotFound(w, r)
		}
	})
	mux.HandleFunc("GET /api/v1/executions/{id}/artifacts", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []byte(`{"data":`+artifactSummaries+`}`))
	})
	mux.HandleFunc("GET /api/v1/executions/stats", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, []byte(statsBody)) })
	ctx := t.Context()

	p, _, err := c.Artifacts.List(ctx, &client.ArtifactListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 500, IncludeTotal: true},
		Scope: client.OwnerAction, Owner: "core.echo", Type: client.ArtifactFileText, Visibility: client.ArtifactPrivate,
		Classification: client.ClassificationRuntimeLog, Execution: 9937, Name: "std"})
	if err != nil {
		t.Fatal(err)
	}
	wantQ := url.Values{"page": {"1"}, "per_page": {"100"}, "scope": {"action"}, "owner": {"core.echo"}, "type": {"file_text"}, "visibility": {"private"},
		"classification": {"runtime_log"}, "execution": {"9937"}, "name": {"std"}}
	if d := cmp.Diff(wantQ, gotQuery); d != "" {
		t.Errorf("List query (-want +got):\n%s", d)
	}
	if n, ok := p.TotalItems(); !ok || n != 2 || len(p.Items) != 2 || p.Items[1].SizeBytes != nil || *p.Items[0].SizeBytes != 52 {
		t.Errorf("List page = %+v", p)
	}

	a, _, err := c.Artifacts.GetByRef(ctx, "core.echo.stdout.log")
	if err != nil {
		t.Fatal(err)
	}
	want := &client.Artifact{ID: 41, Ref: "core.echo.stdout.log", Scope: client.OwnerAction, Owner: "core.echo", Type: client.ArtifactFileText,
		Visibility: client.ArtifactPrivate, Classification: client.ClassificationRuntimeLog, RetentionPolicy: client.RetentionDays, RetentionLimit: 7,
		Name: ptr("core.echo stdout"), ContentType: ptr("text/plain"), SizeBytes: ptr[int64](52),
		Created: ts(t, "2026-06-11T14:00:00Z"), Updated: ts(t, "2026-06-11T14:03:00Z")}
	if d := cmp.Diff(want, a, jsonEqual); d != "" {
		t.Errorf("GetByRef (-want +got):\n%s", d)
	}
	if a2, _, err := c.Artifacts.Get(ctx, 41); err != nil || !cmp.Equal(a, a2, jsonEqual) {
		t.Errorf("Get = %+v, %v", a2, err)
	}

	vs, _, err := c.Artifacts.Versions(ctx, 41)
	if err != nil {
		t.Fatal(err)
	}
	ready := client.BodyReady
	if len(vs) != 4 || *vs[1].Execution != 9937 || *vs[1].BodyState != ready || *vs[1].SHA256 != "bb" || *vs[1].ObjectKey != "logs/8" || vs[3].Execution != nil || vs[3].BodyState != nil {
		t.Errorf("Versions = %+v", vs)
	}
	v, _, err := c.Artifacts.GetVersion(ctx, 41, 8)
	if err != nil {
		t.Fatal(err)
	}
	wantV := &client.ArtifactVersion{ID: 108, Artifact: 41, Version: 8, Execution: ptr[int64](9937), ContentType: ptr("text/plain"), SizeBytes: ptr[int64](52),
		CreatedBy: ptr("worker"), Meta: raw(`{"stream":"stdout","execution_id":9937}`), BodyState: &ready, ObjectKey: ptr("logs/8"),
		ProviderVersion: ptr("v1"), SHA256: ptr("bb"), Created: ts(t, "2026-06-11T14:03:00Z")}
	if d := cmp.Diff(wantV, v, jsonEqual); d != "" {
		t.Errorf("GetVersion (-want +got):\n%s", d)
	}

	arts, _, err := c.Executions.Artifacts(ctx, 9937)
	if err != nil || len(arts) != 2 || arts[1].Ref != "core.echo.stderr.log" {
		t.Errorf("Executions.Artifacts = %+v, %v", arts, err)
	}
	st, _, err := c.Executions.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&client.ExecutionStats{Total: 20, Completed: 9, Failed: 3, Running: 2, Pending: 4, Cancelled: 1, Timeout: 1}, st); d != "" {
		t.Errorf("Stats (-want +got):\n%s", d)
	}

	for name, call := range map[string]func() error{
		"Get 0":          func() error { _, _, err := c.Artifacts.Get(ctx, 0); return err },
		"GetByRef ..":    func() error { _, _, err := c.Artifacts.GetByRef(ctx, "a/../b"); return err },
		"GetByRef empty": func() error { _, _, err := c.Artifacts.GetByRef(ctx, ""); return err },
		"Versions -1":    func() error { _, _, err := c.Artifacts.Versions(ctx, -1); return err },
		"GetVersion 0":   func() error { _, _, err := c.Artifacts.GetVersion(ctx, 41, 0); return err },
		"Download 0":     func() error { _, _, err := c.Artifacts.Download(ctx, 41, 0, nil); return err },
		"Download range": func() error {
			_, _, err := c.Artifacts.Download(ctx, 41, 1, &client.ByteRange{Start: 5, End: 2})
			return err
		},
		"Artifacts 0": func() error { _, _, err := c.Executions.Artifacts(ctx, 0); return err },
	} {
		if err := call(); !errors.Is(err, client.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

func TestArtifactDownload(t *testing.T) {
	t.Parallel()
	const content = "probing https://example.test\nHTTP 503 after 1204 ms\n"
	c, mux := setup(t)
	var gotRange, gotAccept string
	mux.HandleFunc("GET /api/v1/artifacts/{id}/versions/{version}/download", func(w http.ResponseWriter, r *http.Request) {
		gotRange, gotAccept = r.Header.Get("Range"), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "text/plain")
		switch gotRange {
		case "":
			_, _ = w.Write([]byte(content))
		case "bytes=29-":
			w.Header().Set("Content-Range", "bytes 29-51/52")
			w.WriteHeader(http.StatusPartialContent)
			_, _ = w.Write([]byte(content[29:]))
		case "bytes=-5":
			w.Header().Set("Content-Range", "bytes 47-51/*")
			w.WriteHeader(http.StatusPartialContent)
			_, _ = w.Write([]byte(content[47:]))
		case "bytes=0-3":
			w.Header().Set("Content-Range", "bytes 0-9/52") // lies about the length
			w.WriteHeader(http.StatusPartialContent)
			_, _ = w.Write([]byte(content[:4]))
		default:
			w.Header().Set("Content-Range", "bytes */52")
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			_, _ = w.Write([]byte("Requested range not satisfiable"))
		}
	})
	ctx := t.Context()
	d, resp, err := c.Artifacts.Download(ctx, 41, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Body) != content || d.Partial || d.Start != 0 || d.End != 51 || d.Size != 52 || d.ContentType != "text/plain" || resp.StatusCode != 200 || gotAccept != "*/*" || gotRange != "" {
		t.Errorf("whole download = %+v (Accept %q, Range %q)", d, gotAccept, gotRange)
	}
	d, _, err = c.Artifacts.Download(ctx, 41, 8, &client.ByteRange{Start: 29})
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Body) != content[29:] || !d.Partial || d.Start != 29 || d.End != 51 || d.Size != 52 {
		t.Errorf("ranged download = %+v", d)
	}
	d, _, err = c.Artifacts.Download(ctx, 41, 8, &client.ByteRange{Last: 5})
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Body) != content[47:] || d.Start != 47 || d.End != 51 || d.Size != -1 {
		t.Errorf("suffix download = %+v", d)
	}
	if _, _, err = c.Artifacts.Download(ctx, 41, 8, &client.ByteRange{Start: 0, End: 3}); !errors.Is(err, client.ErrMalformedResponse) {
		t.Errorf("lying Content-Range: err = %v", err)
	}
	_, resp, err = c.Artifacts.Download(ctx, 41, 8, &client.ByteRange{Start: 52})
	var rerr *client.RangeNotSatisfiableError
	var apiErr *client.APIError
	if !errors.As(err, &rerr) || rerr.Size != 52 || !errors.As(err, &apiErr) || apiErr.StatusCode != 416 || resp.StatusCode != 416 || gotRange != "bytes=52-" {
		t.Errorf("416: err = %v, resp = %+v", err, resp)
	}
}

func TestArtifactDownloadCap(t *testing.T) {
	t.Parallel()
	c, mux := setup(t, client.WithMaxBodySize(64<<20))
	mux.HandleFunc("GET /api/v1/artifacts/{id}/versions/{version}/download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		chunk := make([]byte, 1<<20)
		for range 17 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	if _, _, err := c.Artifacts.Download(t.Context(), 41, 8, nil); !errors.Is(err, client.ErrResponseTooLarge) {
		t.Errorf("17 MiB download: err = %v, want ErrResponseTooLarge", err)
	}
}
