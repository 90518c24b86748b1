package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// MaxDownloadSize caps the body ArtifactsService.Download reads, whatever
// WithMaxBodySize says. Runtime logs are capped at 10 MiB by the worker;
// ask for a byte range to read a larger artifact.
const MaxDownloadSize int64 = 16 << 20

// ArtifactsService lists and reads artifacts and their versions, and
// downloads version content.
type ArtifactsService service

// ArtifactListOptions filters GET /api/v1/artifacts. Zero values are not
// sent. The server defaults to 20 per page and always sends totals, so
// ListOptions.IncludeTotal is not sent.
type ArtifactListOptions struct {
	ListOptions
	// Scope filters by owner type (query "scope").
	Scope OwnerType
	// Owner filters by owner identifier (query "owner").
	Owner string
	// Type filters by artifact type (query "type").
	Type ArtifactType
	// Visibility filters by visibility (query "visibility").
	Visibility ArtifactVisibility
	// Classification filters by classification, e.g. runtime logs (query
	// "classification").
	Classification ArtifactClassification
	// Execution lists artifacts with at least one version produced by this
	// execution (query "execution").
	Execution int64
	// Name filters by a case-insensitive substring of the name (query
	// "name").
	Name string
}

// values encodes o as query parameters.
func (o *ArtifactListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	o.ListOptions.encode(q)
	q.Del("include_total")
	setString(q, "scope", string(o.Scope))
	setString(q, "owner", o.Owner)
	setString(q, "type", string(o.Type))
	setString(q, "visibility", string(o.Visibility))
	setString(q, "classification", string(o.Classification))
	setID(q, "execution", o.Execution)
	setString(q, "name", o.Name)
	return q
}

// List returns one page of artifacts.
//
// API: GET /api/v1/artifacts
func (s *ArtifactsService) List(ctx context.Context, opts *ArtifactListOptions) (*Page[ArtifactSummary], *Response, error) {
	return getPage[ArtifactSummary](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/artifacts", query: opts.values(), auth: true})
}

// Get returns one artifact. An artifact the caller may not read answers 404
// like a missing one.
//
// API: GET /api/v1/artifacts/{id}
func (s *ArtifactsService) Get(ctx context.Context, id int64) (*Artifact, *Response, error) {
	if err := checkID("artifact", id); err != nil {
		return nil, nil, err
	}
	return getItem[Artifact](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/artifacts/{id}", pathParams: map[string]string{"id": idParam(id)}, auth: true})
}

// GetByRef returns the artifact with ref, such as "core.echo.stdout.log".
// The ref is sent as one escaped path segment.
//
// API: GET /api/v1/artifacts/ref/{ref}
func (s *ArtifactsService) GetByRef(ctx context.Context, ref string) (*Artifact, *Response, error) {
	if err := checkRef("artifact", ref); err != nil {
		return nil, nil, err
	}
	return getItem[Artifact](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/artifacts/ref/{ref}", pathParams: map[string]string{"ref": ref}, auth: true})
}

// Versions returns every version of an artifact the caller may read, highest
// version first. Versions the caller may not read are silently left out by
// the server. For a runtime log, pick the version whose Execution is the
// execution (never the latest: that belongs to the action's newest run).
//
// API: GET /api/v1/artifacts/{id}/versions
func (s *ArtifactsService) Versions(ctx context.Context, id int64) ([]ArtifactVersionSummary, *Response, error) {
	if err := checkID("artifact", id); err != nil {
		return nil, nil, err
	}
	v, resp, err := getItem[[]ArtifactVersionSummary](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/artifacts/{id}/versions", pathParams: map[string]string{"id": idParam(id)}, auth: true})
	if err != nil {
		return nil, resp, err
	}
	return *v, resp, nil
}

// GetVersion returns one version's metadata (and JSON content, if any).
//
// API: GET /api/v1/artifacts/{id}/versions/{version}
func (s *ArtifactsService) GetVersion(ctx context.Context, id int64, version int32) (*ArtifactVersion, *Response, error) {
	if err := checkVersion(id, version); err != nil {
		return nil, nil, err
	}
	return getItem[ArtifactVersion](ctx, s.client, &request{method: http.MethodGet, path: "/api/v1/artifacts/{id}/versions/{version}",
		pathParams: map[string]string{"id": idParam(id), "version": strconv.FormatInt(int64(version), 10)}, auth: true})
}

// checkVersion rejects ids and version numbers no version can have.
func checkVersion(id int64, version int32) error {
	if err := checkID("artifact", id); err != nil {
		return err
	}
	if version <= 0 {
		return fmt.Errorf("attune: artifact %d version %d: %w: versions start at 1", id, version, ErrInvalidArgument)
	}
	return nil
}

// ByteRange is one HTTP byte range ("Range: bytes=...").
type ByteRange struct {
	// Start is the first byte wanted (a byte offset). Ignored when Last > 0.
	Start int64
	// End is the last byte wanted, inclusive; 0 or less means up to the end
	// (so "bytes=0-0" cannot be expressed).
	End int64
	// Last, when positive, asks for the last Last bytes ("bytes=-Last").
	Last int64
}

// header returns the Range header value, or an error for a range that
// cannot be sent.
func (r ByteRange) header() (string, error) {
	switch {
	case r.Last > 0:
		return "bytes=-" + strconv.FormatInt(r.Last, 10), nil
	case r.Start < 0 || r.Last < 0:
		return "", fmt.Errorf("attune: byte range %+v: %w: negative offset", r, ErrInvalidArgument)
	case r.End <= 0:
		return "bytes=" + strconv.FormatInt(r.Start, 10) + "-", nil
	case r.End < r.Start:
		return "", fmt.Errorf("attune: byte range %+v: %w: end before start", r, ErrInvalidArgument)
	}
	return "bytes=" + strconv.FormatInt(r.Start, 10) + "-" + strconv.FormatInt(r.End, 10), nil
}

// Download is the content of an artifact version, whole or one range of it.
type Download struct {
	// Body is the content read, at most MaxDownloadSize bytes.
	Body []byte
	// ContentType is the Content-Type header (text/plain for logs).
	ContentType string
	// Partial is true for a 206 answer to a range request.
	Partial bool
	// Start is the offset of Body's first byte in the whole content.
	Start int64
	// End is the offset of Body's last byte, inclusive (Start-1 when Body
	// is empty).
	End int64
	// Size is the size of the whole content; -1 when the server did not
	// say (Content-Range "bytes N-M/*").
	Size int64
}

// RangeNotSatisfiableError is a 416 answer to a range request: the range
// starts at or past the end, is malformed, or the content is empty. It
// unwraps to the *APIError.
type RangeNotSatisfiableError struct {
	// Size is the content's size from "Content-Range: bytes */size"; -1
	// when the server did not send it.
	Size int64
	// Err is the API error of the 416 answer.
	Err *APIError
}

// Error implements error.
func (e *RangeNotSatisfiableError) Error() string {
	if e.Size < 0 {
		return e.Err.Error() + " (range not satisfiable)"
	}
	return fmt.Sprintf("%s (range not satisfiable: the content has %d bytes)", e.Err.Error(), e.Size)
}

// Unwrap returns the API error.
func (e *RangeNotSatisfiableError) Unwrap() error { return e.Err }

// Download returns the content of one version, or the byte range rng of it
// when rng is not nil. At most MaxDownloadSize bytes are read; a larger
// answer fails with an error wrapping ErrResponseTooLarge. A 416 answer is a
// *RangeNotSatisfiableError carrying the content's size. Only sealed
// (ready) versions of runtime logs download; use the live log stream while
// an execution runs.
//
// API: GET /api/v1/artifacts/{id}/versions/{version}/download
func (s *ArtifactsService) Download(ctx context.Context, id int64, version int32, rng *ByteRange) (*Download, *Response, error) {
	if err := checkVersion(id, version); err != nil {
		return nil, nil, err
	}
	r := &request{method: http.MethodGet, path: "/api/v1/artifacts/{id}/versions/{version}/download",
		pathParams: map[string]string{"id": idParam(id), "version": strconv.FormatInt(int64(version), 10)},
		auth:       true, accept: "*/*", maxBody: MaxDownloadSize}
	if rng != nil {
		h, err := rng.header()
		if err != nil {
			return nil, nil, err
		}
		r.header = map[string]string{"Range": h}
	}
	c := s.client
	raw, attempts, err := c.exchange(ctx, r)
	if raw == nil {
		return nil, nil, err
	}
	resp := raw.response(attempts)
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && raw.status == http.StatusRequestedRangeNotSatisfiable {
			size := int64(-1)
			if _, _, sz, ok := parseContentRange(raw.header.Get("Content-Range")); ok {
				size = sz
			}
			return nil, resp, &RangeNotSatisfiableError{Size: size, Err: apiErr}
		}
		return nil, resp, err
	}
	d := &Download{Body: raw.body, ContentType: raw.header.Get("Content-Type"), Start: 0, End: int64(len(raw.body)) - 1, Size: int64(len(raw.body))}
	if raw.status == http.StatusPartialContent {
		start, end, size, ok := parseContentRange(raw.header.Get("Content-Range"))
		if !ok || start < 0 || end < start || end-start+1 != int64(len(raw.body)) || (size >= 0 && end >= size) {
			return nil, resp, fmt.Errorf("attune: %s %s: %w: 206 with Content-Range %q for %d bytes", r.method, r.displayPath(), ErrMalformedResponse,
				sanitize(raw.header.Get("Content-Range"), maxSnippet), len(raw.body))
		}
		d.Partial, d.Start, d.End, d.Size = true, start, end, size
	}
	return d, resp, nil
}

// parseContentRange parses "bytes N-M/size", "bytes N-M/*" and
// "bytes */size". Missing parts are -1.
func parseContentRange(v string) (start, end, size int64, ok bool) {
	unit, rest, found := strings.Cut(strings.TrimSpace(v), " ")
	if !found || !strings.EqualFold(unit, "bytes") {
		return 0, 0, 0, false
	}
	rng, total, found := strings.Cut(strings.TrimSpace(rest), "/")
	if !found {
		return 0, 0, 0, false
	}
	start, end, size = -1, -1, -1
	if total != "*" {
		n, err := strconv.ParseInt(total, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, 0, false
		}
		size = n
	}
	if rng == "*" {
		return start, end, size, size >= 0
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, 0, false
	}
	s, err1 := strconv.ParseInt(a, 10, 64)
	e, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || s < 0 || e < s {
		return 0, 0, 0, false
	}
	return s, e, size, true
}
