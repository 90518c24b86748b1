package devserver

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Artifact routes over the runtime-log artifacts (LOGS.md §2, §6). Each
// action that ever started has two artifacts, stdout (id 2·action-1) and
// stderr (id 2·action); each execution's log_version row is one version of
// both, with version id 2·execution-1 (stdout) or 2·execution (stderr).

// artifactSummary is ArtifactSummary.
type artifactSummary struct {
	ID             int64     `json:"id"`
	Ref            string    `json:"ref"`
	Type           string    `json:"type"`
	Visibility     string    `json:"visibility"`
	Classification string    `json:"classification"`
	Scope          string    `json:"scope"`
	Owner          string    `json:"owner"`
	Name           *string   `json:"name"`
	ContentType    *string   `json:"content_type"`
	SizeBytes      *int64    `json:"size_bytes"`
	Created        timestamp `json:"created"`
	Updated        timestamp `json:"updated"`
}

// artifactResponse is ArtifactResponse (data omitted when null).
type artifactResponse struct {
	ID              int64     `json:"id"`
	Ref             string    `json:"ref"`
	Scope           string    `json:"scope"`
	Owner           string    `json:"owner"`
	Type            string    `json:"type"`
	Visibility      string    `json:"visibility"`
	Classification  string    `json:"classification"`
	RetentionPolicy string    `json:"retention_policy"`
	RetentionLimit  int32     `json:"retention_limit"`
	Name            *string   `json:"name"`
	Description     *string   `json:"description"`
	ContentType     *string   `json:"content_type"`
	SizeBytes       *int64    `json:"size_bytes"`
	Created         timestamp `json:"created"`
	Updated         timestamp `json:"updated"`
}

// versionSummary is ArtifactVersionSummary plus body_state and sha256.
type versionSummary struct {
	ID          int64     `json:"id"`
	Version     int32     `json:"version"`
	ContentType *string   `json:"content_type"`
	SizeBytes   *int64    `json:"size_bytes"`
	CreatedBy   *string   `json:"created_by"`
	Execution   *int64    `json:"execution,omitempty"`
	BodyState   string    `json:"body_state"`
	SHA256      string    `json:"sha256,omitempty"`
	Created     timestamp `json:"created"`
}

// versionResponse is ArtifactVersionResponse plus body_state and sha256.
type versionResponse struct {
	ID          int64           `json:"id"`
	Artifact    int64           `json:"artifact"`
	Version     int32           `json:"version"`
	ContentType *string         `json:"content_type"`
	SizeBytes   *int64          `json:"size_bytes"`
	CreatedBy   *string         `json:"created_by"`
	Execution   *int64          `json:"execution,omitempty"`
	Meta        json.RawMessage `json:"meta,omitempty"`
	BodyState   string          `json:"body_state"`
	SHA256      string          `json:"sha256,omitempty"`
	Created     timestamp       `json:"created"`
}

// logArtifact is one runtime-log artifact.
type logArtifact struct {
	id               int64
	action           int64
	actionRef        string
	stream           string
	created, updated int64
}

func (a logArtifact) ref() string { return a.actionRef + "." + a.stream + ".log" }

// artifactOf maps an artifact id to its action and stream.
func artifactOf(id int64) (action int64, stream string) {
	if id%2 == 1 {
		return (id + 1) / 2, StreamStdout
	}
	return id / 2, StreamStderr
}

// loadArtifacts reads the log artifacts (action = 0 for all), newest first.
func (s *Server) loadArtifacts(ctx context.Context, action int64) ([]logArtifact, error) {
	q := `SELECT action, action_ref, created, updated FROM log_artifact`
	var args []any
	if action != 0 {
		q += ` WHERE action = ?`
		args = append(args, action)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("load artifacts: %w", err)
	}
	defer rows.Close()
	var out []logArtifact
	for rows.Next() {
		var a logArtifact
		if err := rows.Scan(&a.action, &a.actionRef, &a.created, &a.updated); err != nil {
			return nil, fmt.Errorf("load artifacts: %w", err)
		}
		for _, st := range []string{StreamStderr, StreamStdout} {
			b := a
			b.stream = st
			b.id = a.action*2 - 1
			if st == StreamStderr {
				b.id = a.action * 2
			}
			out = append(out, b)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load artifacts: %w", err)
	}
	slices.SortStableFunc(out, func(x, y logArtifact) int {
		if x.created != y.created {
			return compare(y.created, x.created)
		}
		return compare(y.id, x.id)
	})
	return out, nil
}

func compare(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// artifactByID loads one artifact, or reports false.
func (s *Server) artifactByID(ctx context.Context, id int64) (logArtifact, bool, error) {
	if id <= 0 {
		return logArtifact{}, false, nil
	}
	action, stream := artifactOf(id)
	arts, err := s.loadArtifacts(ctx, action)
	if err != nil {
		return logArtifact{}, false, err
	}
	for _, a := range arts {
		if a.stream == stream {
			return a, true, nil
		}
	}
	return logArtifact{}, false, nil
}

// logVersion is one version of a log artifact.
type logVersion struct {
	exec    int64
	version int32
	created int64
	sealed  bool
	info    logInfo
}

// versions lists the existing versions of action's artifacts, version DESC
// (expired ones are gone): version != 0 selects one, limit > 0 bounds the
// list.
func (s *Server) versions(ctx context.Context, action int64, version int32, limit int) ([]logVersion, error) {
	q := `SELECT v.execution, v.version, v.kind, v.created, v.sealed, e.action_ref, e.status, e.timeout_seconds,
		CASE WHEN e.status = 'failed' THEN e.result END
		FROM log_version v JOIN execution e ON e.id = v.execution WHERE v.action = ?`
	args := []any{action}
	if version != 0 {
		q += ` AND v.version = ?`
		args = append(args, version)
	}
	q += ` ORDER BY v.version DESC`
	expired := s.Faults().ExpireLogs
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit+len(expired))
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	defer rows.Close()
	var out []logVersion
	for rows.Next() {
		var v logVersion
		var kind, actionRef, status string
		var sealed sql.NullInt64
		var timeout *int32
		var result sql.NullString
		if err := rows.Scan(&v.exec, &v.version, &kind, &v.created, &sealed, &actionRef, &status, &timeout, &result); err != nil {
			return nil, fmt.Errorf("list versions: %w", err)
		}
		if slices.Contains(expired, v.exec) || (limit > 0 && len(out) >= limit) {
			continue
		}
		row := logRow{Action: action, Version: v.version, Kind: LogKind(kind), Created: v.created}
		if sealed.Valid {
			v.sealed, row.Sealed = true, ptr(sealed.Int64)
		}
		v.info = logInfoOf(v.exec, actionRef, status, []byte(result.String), timeout, row)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	return out, nil
}

// versionContent returns a version's bytes as of now.
func (s *Server) versionContent(v logVersion, stream string) []byte {
	key := logCacheKey{v.exec, stream}
	if v.sealed {
		if b, ok := s.logs.get(key); ok {
			return b
		}
	}
	b := logText(s.opts.Seed.Seed, v.info, stream, micros(s.liveNow()))
	if v.sealed && len(b) > 1<<20 {
		s.logs.put(key, b)
	}
	return b
}

// sizeOf is a version's size_bytes and sha256: the sealed size, null while
// pending. Sealed sizes never change and are remembered.
func (s *Server) sizeOf(v logVersion, stream string) (*int64, string) {
	if !v.sealed {
		return nil, ""
	}
	key := logCacheKey{v.exec, stream}
	if d, ok := s.logs.digest(key); ok {
		return ptr(d.size), d.sha256
	}
	b := s.versionContent(v, stream)
	sum := sha256.Sum256(b)
	d := logDigest{size: int64(len(b)), sha256: hex.EncodeToString(sum[:])}
	s.logs.putDigest(key, d)
	return ptr(d.size), d.sha256
}

func (s *Server) summary(ctx context.Context, a logArtifact) (artifactSummary, error) {
	out := artifactSummary{
		ID: a.id, Ref: a.ref(), Type: "file_text", Visibility: "private", Classification: "runtime_log",
		Scope: "action", Owner: a.actionRef, Name: ptr(a.actionRef + " " + a.stream), ContentType: ptr("text/plain"),
		Created: timestamp(a.created), Updated: timestamp(a.updated),
	}
	vs, err := s.versions(ctx, a.action, 0, 1)
	if err != nil || len(vs) == 0 {
		return out, err
	}
	out.SizeBytes, _ = s.sizeOf(vs[0], a.stream)
	return out, nil
}

func (s *Server) response(ctx context.Context, a logArtifact) (artifactResponse, error) {
	sum, err := s.summary(ctx, a)
	return artifactResponse{
		ID: a.id, Ref: sum.Ref, Scope: sum.Scope, Owner: sum.Owner, Type: sum.Type, Visibility: sum.Visibility,
		Classification: sum.Classification, RetentionPolicy: "days", RetentionLimit: 7, Name: sum.Name,
		ContentType: sum.ContentType, SizeBytes: sum.SizeBytes, Created: sum.Created, Updated: sum.Updated,
	}, err
}

func (s *Server) versionDTO(a logArtifact, v logVersion) versionResponse {
	out := versionResponse{
		ID: versionID(v.exec, a.stream), Artifact: a.id, Version: v.version, ContentType: ptr("text/plain"), CreatedBy: ptr("worker"),
		Execution: ptr(v.exec), BodyState: "pending", Created: timestamp(v.created),
		Meta: mustJSON(map[string]any{"stream": a.stream, "execution_id": v.exec}),
	}
	if v.sealed {
		out.BodyState = "ready"
	}
	out.SizeBytes, out.SHA256 = s.sizeOf(v, a.stream)
	return out
}

// versionID is the id of the version execution exec wrote to stream.
func versionID(exec int64, stream string) int64 {
	if stream == StreamStderr {
		return exec * 2
	}
	return exec*2 - 1
}

func notFoundArtifact(w http.ResponseWriter, id int64) {
	apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Artifact with ID %d not found", id))
}

// handleExecutionArtifacts serves GET /api/v1/executions/{id}/artifacts:
// the artifacts with a version from that execution, newest first.
func (s *Server) handleExecutionArtifacts(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	items, err := s.artifactsOfExecution(r.Context(), id)
	if err != nil {
		internalError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: items})
}

func (s *Server) artifactsOfExecution(ctx context.Context, exec int64) ([]artifactSummary, error) {
	items := []artifactSummary{}
	var action int64
	err := s.db.QueryRowContext(ctx, `SELECT action FROM log_version WHERE execution = ?`, exec).Scan(&action)
	if errors.Is(err, sql.ErrNoRows) || s.logExpired(exec) {
		return items, nil
	}
	if err != nil {
		return nil, fmt.Errorf("artifacts of execution %d: %w", exec, err)
	}
	arts, err := s.loadArtifacts(ctx, action)
	if err != nil {
		return nil, err
	}
	for _, a := range arts {
		sum, err := s.summary(ctx, a)
		if err != nil {
			return nil, err
		}
		items = append(items, sum)
	}
	return items, nil
}

// handleListArtifacts serves GET /api/v1/artifacts: filters scope, owner,
// type, visibility, classification, execution, name (case-insensitive
// substring), page and per_page (default 20); totals always.
func (s *Server) handleListArtifacts(w http.ResponseWriter, r *http.Request) {
	q := parseQuery(r)
	scope := q.enum("scope", []string{"system", "identity", "pack", "action", "sensor"})
	owner := q.str("owner")
	typ := q.enum("type", []string{"file_binary", "file_datatable", "file_image", "file_text", "other", "progress", "url"})
	vis := q.enum("visibility", []string{"public", "private"})
	class := q.enum("classification", []string{"general", "runtime_log"})
	exec := q.int64("execution")
	name := q.str("name")
	p, ok := readPage(w, q, "per_page", 20, true)
	if !ok {
		return
	}
	ctx := r.Context()
	var arts []logArtifact
	var err error
	if exec != nil {
		var action int64
		err = s.db.QueryRowContext(ctx, `SELECT action FROM log_version WHERE execution = ?`, *exec).Scan(&action)
		switch {
		case errors.Is(err, sql.ErrNoRows) || s.logExpired(*exec):
			err = nil
		case err == nil:
			arts, err = s.loadArtifacts(ctx, action)
		}
	} else {
		arts, err = s.loadArtifacts(ctx, 0)
	}
	if err != nil {
		internalError(w, err)
		return
	}
	var match []logArtifact
	for _, a := range arts {
		if (scope != nil && *scope != "action") || (owner != nil && *owner != a.actionRef) ||
			(typ != nil && *typ != "file_text") || (vis != nil && *vis != "private") ||
			(class != nil && *class != "runtime_log") ||
			(name != nil && !strings.Contains(strings.ToLower(a.actionRef+" "+a.stream), strings.ToLower(*name))) {
			continue
		}
		match = append(match, a)
	}
	total := int64(len(match))
	lo := min(p.offset(), total)
	hi := min(lo+p.limit(), total)
	items := []artifactSummary{}
	for _, a := range match[lo:hi] {
		sum, err := s.summary(ctx, a)
		if err != nil {
			internalError(w, err)
			return
		}
		items = append(items, sum)
	}
	writeList(w, items, p.meta(len(items), &total), nil)
}

// handleGetArtifact serves GET /api/v1/artifacts/{id}.
func (s *Server) handleGetArtifact(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	a, found, err := s.artifactByID(r.Context(), id)
	switch {
	case err != nil:
		internalError(w, err)
	case !found:
		notFoundArtifact(w, id)
	default:
		s.writeArtifact(w, r, a)
	}
}

func (s *Server) writeArtifact(w http.ResponseWriter, r *http.Request, a logArtifact) {
	resp, err := s.response(r.Context(), a)
	if err != nil {
		internalError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: resp})
}

// handleArtifactSub serves GET /api/v1/artifacts/ref/{ref},
// /artifacts/{id}/versions and /artifacts/{id}/download (one pattern, see
// routes).
func (s *Server) handleArtifactSub(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") == "ref" {
		s.handleArtifactByRef(w, r, r.PathValue("sub"))
		return
	}
	switch r.PathValue("sub") {
	case "versions":
		s.handleListVersions(w, r)
	case "download":
		s.handleDownloadLatest(w, r)
	default: // /stream (the web UI's latest-version tail) is not served
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusNotFound)
	}
}

func (s *Server) handleArtifactByRef(w http.ResponseWriter, r *http.Request, ref string) {
	ctx := r.Context()
	notFound := func() {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Artifact with ref '%s' not found", ref))
	}
	var actionRef, stream string
	for _, st := range []string{StreamStdout, StreamStderr} {
		if base, ok := strings.CutSuffix(ref, "."+st+".log"); ok {
			actionRef, stream = base, st
		}
	}
	if stream == "" {
		notFound()
		return
	}
	var action int64
	err := s.db.QueryRowContext(ctx, `SELECT action FROM log_artifact WHERE action_ref = ?`, actionRef).Scan(&action)
	if errors.Is(err, sql.ErrNoRows) {
		notFound()
		return
	}
	if err != nil {
		internalError(w, err)
		return
	}
	id := action*2 - 1
	if stream == StreamStderr {
		id = action * 2
	}
	a, found, err := s.artifactByID(ctx, id)
	switch {
	case err != nil:
		internalError(w, err)
	case !found:
		notFound()
	default:
		s.writeArtifact(w, r, a)
	}
}

// handleListVersions serves GET /api/v1/artifacts/{id}/versions, version
// DESC.
func (s *Server) handleListVersions(w http.ResponseWriter, r *http.Request) {
	a, ok := s.pathArtifact(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	vs, err := s.versions(ctx, a.action, 0, 0)
	if err != nil {
		internalError(w, err)
		return
	}
	items := make([]versionSummary, 0, len(vs))
	for _, v := range vs {
		it := versionSummary{ID: versionID(v.exec, a.stream), Version: v.version, ContentType: ptr("text/plain"),
			CreatedBy: ptr("worker"), Execution: ptr(v.exec), BodyState: "pending", Created: timestamp(v.created)}
		if v.sealed {
			it.BodyState = "ready"
		}
		it.SizeBytes, it.SHA256 = s.sizeOf(v, a.stream)
		items = append(items, it)
	}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: items})
}

// pathArtifact resolves {id}, answering 400/404 itself.
func (s *Server) pathArtifact(w http.ResponseWriter, r *http.Request) (logArtifact, bool) {
	id, ok := pathID(w, r)
	if !ok {
		return logArtifact{}, false
	}
	a, found, err := s.artifactByID(r.Context(), id)
	switch {
	case err != nil:
		internalError(w, err)
		return a, false
	case !found:
		notFoundArtifact(w, id)
		return a, false
	}
	return a, true
}

// pathVersion resolves {id} and {version} ("latest" = the highest version).
func (s *Server) pathVersion(w http.ResponseWriter, r *http.Request, raw string) (logArtifact, logVersion, bool) {
	a, ok := s.pathArtifact(w, r)
	if !ok {
		return a, logVersion{}, false
	}
	var num int32
	if raw != "latest" {
		n, err := strconv.ParseInt(raw, 10, 32)
		if err != nil {
			plainError(w, http.StatusBadRequest, "Invalid URL: Cannot parse `"+raw+"` to a `i32`")
			return a, logVersion{}, false
		}
		num = int32(n)
		if num <= 0 {
			apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Version %d of artifact %d not found", num, a.id))
			return a, logVersion{}, false
		}
	}
	vs, err := s.versions(r.Context(), a.action, num, 1)
	if err != nil {
		internalError(w, err)
		return a, logVersion{}, false
	}
	if len(vs) == 0 {
		if raw == "latest" {
			apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("No versions found for artifact %d", a.id))
		} else {
			apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Version %d of artifact %d not found", num, a.id))
		}
		return a, logVersion{}, false
	}
	return a, vs[0], true
}

// handleGetVersion serves GET /api/v1/artifacts/{id}/versions/{version}.
func (s *Server) handleGetVersion(w http.ResponseWriter, r *http.Request) {
	s.writeVersion(w, r, r.PathValue("version"))
}

// handleLatestVersion serves GET /api/v1/artifacts/{id}/versions/latest:
// the newest execution's version — wrong for a given execution's log.
func (s *Server) handleLatestVersion(w http.ResponseWriter, r *http.Request) {
	s.writeVersion(w, r, "latest")
}

func (s *Server) writeVersion(w http.ResponseWriter, r *http.Request, raw string) {
	a, v, ok := s.pathVersion(w, r, raw)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: s.versionDTO(a, v)})
}

// handleDownloadVersion serves GET
// /api/v1/artifacts/{id}/versions/{version}/download.
func (s *Server) handleDownloadVersion(w http.ResponseWriter, r *http.Request) {
	s.download(w, r, r.PathValue("version"))
}

// handleDownloadLatest serves GET /api/v1/artifacts/{id}/download: the
// latest version — for a log, the newest execution of the action.
func (s *Server) handleDownloadLatest(w http.ResponseWriter, r *http.Request) {
	s.download(w, r, "latest")
}

// download sends a sealed version's bytes, honouring one Range (LOGS.md §6).
func (s *Server) download(w http.ResponseWriter, r *http.Request, raw string) {
	a, v, ok := s.pathVersion(w, r, raw)
	if !ok {
		return
	}
	if !v.sealed {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf(
			"File for version %d of artifact '%s' not found on disk (the log is still being written)", v.version, a.ref()))
		return
	}
	b := s.versionContent(v, a.stream)
	size := int64(len(b))
	h := w.Header()
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Type", "text/plain")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.v%d"`, a.ref(), v.version))
	rng := r.Header.Get("Range")
	if rng == "" {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b)
		return
	}
	start, end, ok := parseRange(rng, size)
	if !ok {
		h.Del("Content-Disposition")
		h.Set("Content-Range", fmt.Sprintf("bytes */%d", size))
		plainError(w, http.StatusRequestedRangeNotSatisfiable, "Range Not Satisfiable")
		return
	}
	h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, size))
	h.Set("Content-Length", strconv.FormatInt(end-start+1, 10))
	w.WriteHeader(http.StatusPartialContent)
	_, _ = w.Write(b[start : end+1])
}

// parseRange parses one "bytes=" range against size: N-, N-M (M clamped to
// the end) or -N (the last N bytes). A start at or past the end, a
// malformed or multi-range header, or any range on an empty body fails.
func parseRange(h string, size int64) (start, end int64, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") || size == 0 {
		return 0, 0, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false
	}
	if first == "" {
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 {
			return 0, 0, false
		}
		return max(size-n, 0), size - 1, true
	}
	s, err := strconv.ParseInt(first, 10, 64)
	if err != nil || s < 0 || s >= size {
		return 0, 0, false
	}
	if last == "" {
		return s, size - 1, true
	}
	e, err := strconv.ParseInt(last, 10, 64)
	if err != nil || e < s {
		return 0, 0, false
	}
	return s, min(e, size-1), true
}
