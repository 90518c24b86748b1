package client_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attune-tui/attune-tui/client"
)

// logContent is the stdout of execution 9937 (LOGS.md §4's example).
const logContent = "probing https://example.test\nHTTP 503 after 1204 ms\n"

// serveRange answers a download of content, honouring one "bytes=N-" or
// "bytes=-N" range as RANGE does.
func serveRange(w http.ResponseWriter, r *http.Request, content string) {
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Accept-Ranges", "bytes")
	h := r.Header.Get("Range")
	if h == "" {
		_, _ = w.Write([]byte(content))
		return
	}
	spec := strings.TrimPrefix(h, "bytes=")
	start, end := 0, len(content)-1
	if n, ok := strings.CutPrefix(spec, "-"); ok {
		k, _ := strconv.Atoi(n)
		start = max(len(content)-k, 0)
	} else {
		start, _ = strconv.Atoi(strings.TrimSuffix(spec, "-"))
	}
	if len(content) == 0 || start >= len(content) {
		w.Header().Set("Content-Range", "bytes */"+strconv.Itoa(len(content)))
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		_, _ = w.Write([]byte("Requested range not satisfiable"))
		return
	}
	w.Header().Set("Content-Range", "bytes "+strconv.Itoa(start)+"-"+strconv.Itoa(end)+"/"+strconv.Itoa(len(content)))
	w.WriteHeader(http.StatusPartialContent)
	_, _ = w.Write([]byte(content[start:]))
}

// logServer serves the artifact routes of a few actions' logs.
func logServer(t *testing.T) *client.Client {
	c, mux := setup(t)
	truncated := "line\n\n[OUTPUT TRUNCATED: stderr exceeded size limit]\n"
	mux.HandleFunc("GET /api/v1/artifacts/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		rest := r.PathValue("rest")
		switch artifactRoute(r) {
		case "latest":
			t.Errorf("a log read used %s: latest is another execution's log", r.URL.Path)
			http.NotFound(w, r)
		case "ref":
			switch rest {
			case "ref/core.echo.stdout.log":
				writeJSON(w, 200, []byte(artifactBody))
			case "ref/core.echo.stderr.log":
				writeJSON(w, 200, []byte(strings.ReplaceAll(strings.Replace(artifactBody, `"id":41`, `"id":42`, 1), "stdout", "stderr")))
			case "ref/odd pack.a#b?c.stdout.log":
				if !strings.Contains(r.URL.EscapedPath(), "/ref/odd%20pack.a%23b%3Fc.stdout.log") {
					t.Errorf("ref not escaped: %s", r.URL.EscapedPath())
				}
				writeJSON(w, 200, []byte(strings.Replace(artifactBody, `"id":41`, `"id":43`, 1)))
			default:
				writeJSON(w, 404, []byte(`{"error":"Artifact with ref '`+strings.TrimPrefix(rest, "ref/")+`' not found","code":"NOT_FOUND"}`))
			}
		case "versions":
			switch rest {
			case "41/versions":
				writeJSON(w, 200, []byte(versionsBody))
			case "42/versions":
				writeJSON(w, 200, []byte(`{"data":[
					{"id":203,"version":3,"execution":9950,"content_type":"text/plain","size_bytes":null,"created_by":"worker","body_state":"pending","created":"2026-06-11T14:06:00Z"},
					{"id":202,"version":2,"execution":9937,"content_type":"text/plain","size_bytes":`+strconv.Itoa(len(truncated))+`,"created_by":"worker","body_state":"ready","created":"2026-06-11T14:03:00Z"},
					{"id":201,"version":1,"execution":9960,"content_type":"text/plain","size_bytes":0,"created_by":"worker","body_state":"deleting","created":"2026-06-11T14:01:00Z"}]}`))
			case "43/versions":
				writeJSON(w, 200, []byte(`{"data":[{"id":301,"version":1,"execution":9937,"created":"2026-06-11T14:03:00Z"}]}`))
			default:
				writeJSON(w, 404, []byte(`{"error":"Artifact not found","code":"NOT_FOUND"}`))
			}
		case "download":
			switch rest {
			case "41/versions/8/download":
				serveRange(w, r, logContent)
			case "41/versions/7/download", "41/versions/9/download":
				t.Errorf("downloaded %s: not the highest version of execution 9937", rest)
				serveRange(w, r, "wrong")
			case "42/versions/2/download":
				serveRange(w, r, truncated)
			case "43/versions/1/download":
				serveRange(w, r, "\u20ac\u20ac")
			default:
				t.Errorf("unexpected download %s", rest)
				http.NotFound(w, r)
			}
		default:
			t.Errorf("unexpected %s", r.URL.Path)
			http.NotFound(w, r)
		}
	})
	return c
}

func TestExecutionLog(t *testing.T) {
	t.Parallel()
	c := logServer(t)
	ex := &client.Execution{ID: 9937, ActionRef: "core.echo", Status: client.ExecutionCompleted}
	cases := []struct {
		name   string
		ex     *client.Execution
		stream client.LogStreamName
		opts   *client.LogReadOptions
		want   *client.ExecutionLog
	}{
		{"whole log of the execution's own version, not a newer run's", ex, client.Stdout, nil,
			&client.ExecutionLog{Stream: client.Stdout, Text: logContent, Source: client.LogFromArtifact, ArtifactID: 41, Version: 8, Size: 52}},
		{"from an offset (206)", ex, client.Stdout, &client.LogReadOptions{Offset: 29},
			&client.ExecutionLog{Stream: client.Stdout, Text: logContent[29:], Source: client.LogFromArtifact, ArtifactID: 41, Version: 8, Offset: 29, Size: 52}},
		{"tail", ex, client.Stdout, &client.LogReadOptions{Tail: 23},
			&client.ExecutionLog{Stream: client.Stdout, Text: "HTTP 503 after 1204 ms\n", Source: client.LogFromArtifact, ArtifactID: 41, Version: 8, Offset: 29, Size: 52}},
		{"offset at the end (416): nothing new", ex, client.Stdout, &client.LogReadOptions{Offset: 52},
			&client.ExecutionLog{Stream: client.Stdout, Source: client.LogFromArtifact, ArtifactID: 41, Version: 8, Offset: 52, Size: 52}},
		{"truncated stderr", ex, client.Stderr, nil,
			&client.ExecutionLog{Stream: client.Stderr, Text: "line\n\n[OUTPUT TRUNCATED: stderr exceeded size limit]\n", Source: client.LogFromArtifact, ArtifactID: 42, Version: 2, Size: 53, Truncated: true}},
		{"escaped ref; a tail starting inside a character drops its bytes", &client.Execution{ID: 9937, ActionRef: "odd pack.a#b?c"}, client.Stdout, &client.LogReadOptions{Tail: 4},
			&client.ExecutionLog{Stream: client.Stdout, Text: "\u20ac", Source: client.LogFromArtifact, ArtifactID: 43, Version: 1, Offset: 3, Size: 6}},
		{"artifact 404 falls back to result.stdout", &client.Execution{ID: 9937, ActionRef: "secret.act", Result: raw(`{"stdout":"hi\n","stdout_truncated":true,"exit_code":0}`)}, client.Stdout, nil,
			&client.ExecutionLog{Stream: client.Stdout, Text: "hi\n", Source: client.LogFromResult, Size: 3, Truncated: true}},
		{"result.stdout tail", &client.Execution{ID: 9937, ActionRef: "secret.act", Result: raw(`{"stdout":"ab\u20ac"}`)}, client.Stdout, &client.LogReadOptions{Tail: 2},
			&client.ExecutionLog{Stream: client.Stdout, Source: client.LogFromResult, Offset: 5, Size: 5}},
		{"no version of this execution falls back to result.stdout", &client.Execution{ID: 9999, ActionRef: "core.echo", Result: raw(`{"stdout":"x"}`)}, client.Stdout, nil,
			&client.ExecutionLog{Stream: client.Stdout, Text: "x", Source: client.LogFromResult, Size: 1}},
	}
	for _, tc := range cases {
		got, _, err := c.Executions.Log(t.Context(), tc.ex, tc.stream, tc.opts)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func TestExecutionLogErrors(t *testing.T) {
	t.Parallel()
	c := logServer(t)
	cases := []struct {
		name   string
		ex     *client.Execution
		stream client.LogStreamName
		opts   *client.LogReadOptions
		is     error
		text   string
	}{
		{"artifact 404 without result.stdout", &client.Execution{ID: 9937, ActionRef: "secret.act"}, client.Stdout, nil, client.ErrLogsUnavailable,
			"no permission to read logs or logs expired (kept 7 days)"},
		{"stderr never falls back", &client.Execution{ID: 9937, ActionRef: "secret.act", Result: raw(`{"stdout":"hi"}`)}, client.Stderr, nil, client.ErrLogsUnavailable,
			"no permission to read logs or logs expired (kept 7 days)"},
		{"no version of this execution", &client.Execution{ID: 9999, ActionRef: "core.echo"}, client.Stdout, nil, client.ErrLogsUnavailable,
			"no stdout log for execution 9999"},
		{"pending version", &client.Execution{ID: 9950, ActionRef: "core.echo", Status: client.ExecutionRunning}, client.Stderr, nil, client.ErrLogNotSealed,
			"log is still being written; follow it live"},
		{"version being deleted", &client.Execution{ID: 9960, ActionRef: "core.echo"}, client.Stderr, nil, client.ErrLogsUnavailable, "being deleted"},
		{"redacted action", &client.Execution{ID: 9937, ActionRef: client.Redacted}, client.Stdout, nil, client.ErrLogsUnavailable, "hidden"},
		{"offset past the end", &client.Execution{ID: 9937, ActionRef: "core.echo"}, client.Stdout, &client.LogReadOptions{Offset: 60}, nil, "the content has 52 bytes"},
		{"nil execution", nil, client.Stdout, nil, client.ErrInvalidArgument, ""},
		{"bad stream", &client.Execution{ID: 9937, ActionRef: "core.echo"}, "stdin", nil, client.ErrInvalidArgument, ""},
		{"offset and tail", &client.Execution{ID: 9937, ActionRef: "core.echo"}, client.Stdout, &client.LogReadOptions{Offset: 1, Tail: 1}, client.ErrInvalidArgument, ""},
	}
	for _, tc := range cases {
		_, _, err := c.Executions.Log(t.Context(), tc.ex, tc.stream, tc.opts)
		if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	_, _, err := c.Executions.Log(t.Context(), &client.Execution{ID: 9937, ActionRef: "secret.act"}, client.Stdout, nil)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("the 404 is not kept as the cause: %v", err)
	}
	_, _, err = c.Executions.Log(t.Context(), &client.Execution{ID: 9937, ActionRef: "core.echo"}, client.Stdout, &client.LogReadOptions{Offset: 60})
	var rerr *client.RangeNotSatisfiableError
	if !errors.As(err, &rerr) || rerr.Size != 52 {
		t.Errorf("offset past the end: err = %v", err)
	}
}

func TestExecutionLogNotSealedConflict(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /api/v1/artifacts/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		switch artifactRoute(r) {
		case "ref":
			writeJSON(w, 200, []byte(artifactBody))
		case "versions":
			writeJSON(w, 200, []byte(`{"data":[{"id":1,"version":1,"execution":5,"body_state":"ready","created":"2026-06-11T14:03:00Z"}]}`))
		default:
			writeJSON(w, 409, []byte(`{"error":"Log stream is not sealed","code":"CONFLICT"}`))
		}
	})
	_, resp, err := c.Executions.Log(t.Context(), &client.Execution{ID: 5, ActionRef: "core.echo"}, client.Stderr, nil)
	if !errors.Is(err, client.ErrLogNotSealed) || resp == nil || resp.StatusCode != 409 {
		t.Errorf("409: err = %v", err)
	}
}
