package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Sentinel errors of ExecutionsService.Log. They are wrapped together with
// the cause (often an *APIError), so test with errors.Is.
var (
	// ErrLogsUnavailable: the log cannot be read: the artifact routes
	// answered 404 although the execution was readable (the caller may see
	// the execution but not its logs), or no version of the log belongs to
	// the execution (expired after 7 days, being deleted, or unreadable).
	ErrLogsUnavailable = errors.New("no permission to read logs or logs expired (kept 7 days)")
	// ErrLogNotSealed: the log is still being written (its version is
	// pending, or the server says the stream is not sealed); follow it with
	// TailLog instead.
	ErrLogNotSealed = errors.New("log is still being written; follow it live")
)

// LogSource says where an ExecutionLog's text came from.
type LogSource string

// Log sources.
const (
	// LogFromArtifact: the runtime-log artifact version of the execution.
	LogFromArtifact LogSource = "artifact"
	// LogFromResult: the execution result's "stdout" string (stdout only),
	// used when the artifact cannot be read.
	LogFromResult LogSource = "result.stdout"
)

// ExecutionLog is the complete log of one stream of a finished execution,
// or the part of it LogReadOptions asked for.
type ExecutionLog struct {
	// Stream is stdout or stderr.
	Stream LogStreamName
	// Text is the log as stored: raw bytes, not necessarily valid UTF-8,
	// with "\r" kept. It is untrusted: sanitise it before drawing.
	Text string
	// Source says where Text came from.
	Source LogSource
	// ArtifactID and Version name the artifact version read, when Source is
	// LogFromArtifact.
	ArtifactID int64
	Version    int32
	// Offset is the byte offset of Text's first byte in the whole log
	// (non-zero for LogReadOptions.Offset and tail reads). It can seed
	// TailLogOptions.Offset with Offset+len(Text).
	Offset int64
	// Size is the total size of the log; -1 when the server did not say.
	Size int64
	// Truncated is true when the worker cut the log at its size cap: the
	// text ends with "[OUTPUT TRUNCATED: stdout exceeded size limit]" (or
	// the stderr variant), or the result says stdout_truncated. It is only
	// detected when Text reaches the end of the log.
	Truncated bool
}

// LogReadOptions selects part of a log for ExecutionsService.Log. At most
// one of Offset and Tail may be set.
type LogReadOptions struct {
	// Offset skips the first Offset bytes ("Range: bytes=Offset-"). An
	// Offset equal to the log's size gives an empty Text.
	Offset int64
	// Tail reads only the last Tail bytes ("Range: bytes=-Tail"); a
	// character cut at the start is dropped and Offset adjusted.
	Tail int64
}

// truncationMarker is the notice the worker appends at the size cap.
func truncationMarker(stream LogStreamName) string {
	return "[OUTPUT TRUNCATED: " + string(stream) + " exceeded size limit]"
}

// Log reads the whole log (or the part opts selects) of one stream of a
// finished execution, without streaming. It finds the runtime-log artifact
// "<action_ref>.<stream>.log", picks the version produced by ex (the highest
// if several; never the artifact's latest version, which belongs to the
// action's newest run) and downloads it, with a Range header when opts asks.
//
// Errors wrap ErrLogsUnavailable when the artifact routes answer 404 or no
// version belongs to ex, and ErrLogNotSealed when the version is still
// being written. In both cases a stdout read falls back to ex.Result's
// "stdout" string when there is one (Source LogFromResult; offsets then
// count bytes of that string). The *Response is that of the last request
// made.
//
// API: GET /api/v1/artifacts/ref/{ref}
// API: GET /api/v1/artifacts/{id}/versions
// API: GET /api/v1/artifacts/{id}/versions/{version}/download
func (s *ExecutionsService) Log(ctx context.Context, ex *Execution, stream LogStreamName, opts *LogReadOptions) (*ExecutionLog, *Response, error) {
	if ex == nil {
		return nil, nil, fmt.Errorf("attune: execution log: %w: nil execution", ErrInvalidArgument)
	}
	if err := checkID("execution", ex.ID); err != nil {
		return nil, nil, err
	}
	if err := checkStream(stream); err != nil {
		return nil, nil, err
	}
	o := LogReadOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Offset < 0 || o.Tail < 0 || (o.Offset > 0 && o.Tail > 0) {
		return nil, nil, fmt.Errorf("attune: execution log read options %+v: %w: want a non-negative Offset or Tail, not both", o, ErrInvalidArgument)
	}
	l, resp, err := s.artifactLog(ctx, ex, stream, o)
	if err != nil && stream == Stdout && (errors.Is(err, ErrLogsUnavailable) || errors.Is(err, ErrLogNotSealed)) {
		if rl, ok := resultLog(ex, o); ok {
			return rl, resp, nil
		}
	}
	return l, resp, err
}

// artifactLog is Log through the artifact routes.
func (s *ExecutionsService) artifactLog(ctx context.Context, ex *Execution, stream LogStreamName, o LogReadOptions) (*ExecutionLog, *Response, error) {
	what := fmt.Sprintf("attune: execution %d %s log", ex.ID, stream)
	unavailable := func(err error) error {
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%s: %w (%w)", what, ErrLogsUnavailable, err)
		}
		return err
	}
	if IsRedacted(ex.ActionRef) {
		return nil, nil, fmt.Errorf("%s: %w (the action ref is hidden)", what, ErrLogsUnavailable)
	}
	arts := (*ArtifactsService)(s)
	art, resp, err := arts.GetByRef(ctx, ex.ActionRef+"."+string(stream)+".log")
	if err != nil {
		return nil, resp, unavailable(err)
	}
	versions, resp, err := arts.Versions(ctx, art.ID)
	if err != nil {
		return nil, resp, unavailable(err)
	}
	var best *ArtifactVersionSummary
	for i, v := range versions {
		if v.Execution != nil && *v.Execution == ex.ID && (best == nil || v.Version > best.Version) {
			best = &versions[i]
		}
	}
	if best == nil {
		return nil, resp, fmt.Errorf("attune: no %s log for execution %d: %w", stream, ex.ID, ErrLogsUnavailable)
	}
	if best.BodyState != nil {
		switch *best.BodyState {
		case BodyPending:
			return nil, resp, fmt.Errorf("%s: %w", what, ErrLogNotSealed)
		case BodyDeleting:
			return nil, resp, fmt.Errorf("%s: %w (the version is being deleted)", what, ErrLogsUnavailable)
		}
	}
	var rng *ByteRange
	switch {
	case o.Offset > 0:
		rng = &ByteRange{Start: o.Offset}
	case o.Tail > 0:
		rng = &ByteRange{Last: o.Tail}
	}
	l := &ExecutionLog{Stream: stream, Source: LogFromArtifact, ArtifactID: art.ID, Version: best.Version}
	d, resp, err := arts.Download(ctx, art.ID, best.Version, rng)
	if err != nil {
		var rerr *RangeNotSatisfiableError
		if errors.As(err, &rerr) && rerr.Size >= 0 && ((o.Offset > 0 && o.Offset == rerr.Size) || (o.Tail > 0 && rerr.Size == 0)) {
			l.Offset, l.Size = rerr.Size, rerr.Size // nothing at or after the end
			return l, resp, nil
		}
		if resp != nil && resp.StatusCode == http.StatusConflict {
			return nil, resp, fmt.Errorf("%s: %w (%w)", what, ErrLogNotSealed, err)
		}
		return nil, resp, unavailable(err)
	}
	body, start := d.Body, d.Start
	if o.Tail > 0 && start > 0 {
		for i := 0; i < 3 && len(body) > 0 && !utf8.RuneStart(body[0]); i++ {
			body, start = body[1:], start+1
		}
	}
	l.Text, l.Offset, l.Size = string(body), start, d.Size
	if l.Size < 0 && best.SizeBytes != nil {
		l.Size = *best.SizeBytes
	}
	atEnd := l.Size < 0 || d.End+1 >= l.Size
	l.Truncated = atEnd && strings.HasSuffix(strings.TrimRight(l.Text, "\r\n"), truncationMarker(stream))
	return l, resp, nil
}

// resultLog is the stdout fallback from ex.Result, if it has a "stdout"
// string.
func resultLog(ex *Execution, o LogReadOptions) (*ExecutionLog, bool) {
	var r struct {
		Stdout          *string `json:"stdout"`
		StdoutTruncated bool    `json:"stdout_truncated"`
	}
	if len(ex.Result) == 0 || json.Unmarshal(ex.Result, &r) != nil || r.Stdout == nil {
		return nil, false
	}
	text := *r.Stdout
	start := 0
	switch {
	case o.Offset > 0:
		start = int(min(o.Offset, int64(len(text))))
	case o.Tail > 0 && o.Tail < int64(len(text)):
		start = len(text) - int(o.Tail)
		for i := 0; i < 3 && start < len(text) && !utf8.RuneStart(text[start]); i++ {
			start++
		}
	}
	return &ExecutionLog{
		Stream: Stdout, Text: text[start:], Source: LogFromResult, Offset: int64(start), Size: int64(len(text)),
		Truncated: r.StdoutTruncated || strings.HasSuffix(strings.TrimRight(text, "\r\n"), truncationMarker(Stdout)),
	}, true
}
