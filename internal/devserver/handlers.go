package devserver

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

func enforcementStatuses() []string { return []string{"created", "processed", "disabled"} }

func executionStatuses() []string {
	return []string{"requested", "scheduling", "scheduled", "running", "completed", "failed",
		"canceling", "cancelled", "timeout", "abandoned"}
}

// pathID parses the {id} path segment like axum's Path<i64>: 400 plain text
// when it is not an integer.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		plainError(w, http.StatusBadRequest, "Invalid URL: Cannot parse `"+raw+"` to a `i64`")
		return 0, false
	}
	return id, true
}

// rawJSON turns a nullable TEXT column into raw JSON (SQL NULL -> null).
func rawJSON(ns sql.NullString) json.RawMessage {
	if !ns.Valid {
		return json.RawMessage("null")
	}
	return json.RawMessage(ns.String)
}

// optJSON is rawJSON for ✱ fields: nil (omitted) when NULL.
func optJSON(ns sql.NullString) json.RawMessage {
	if !ns.Valid {
		return nil
	}
	return json.RawMessage(ns.String)
}

// list runs a paged list query: cols FROM from + filters, ordered by order,
// scanning each row with scan. It counts when the page asks for totals.
func list[T any](ctx context.Context, db *sql.DB, p pageParams, cols, from string, wh *where, order string,
	scan func(*sql.Rows) (T, error),
) ([]T, paginationMeta, error) {
	limit := p.limit()
	fetch := limit
	counted := p.alwaysTotal || p.includeTotal
	if !counted {
		fetch = limit + 1 // one extra row tells has_next without a count
	}
	q := "SELECT " + cols + " FROM " + from + wh.sql() + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	args := append(append([]any{}, wh.args...), fetch, p.offset())
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, paginationMeta{}, fmt.Errorf("list query: %w", err)
	}
	defer rows.Close()
	items := make([]T, 0, fetch)
	for rows.Next() {
		it, err := scan(rows)
		if err != nil {
			return nil, paginationMeta{}, fmt.Errorf("list scan: %w", err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, paginationMeta{}, fmt.Errorf("list rows: %w", err)
	}
	fetched := len(items)
	if int64(len(items)) > limit {
		items = items[:limit]
	}
	var total *int64
	if counted {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+from+wh.sql(), wh.args...).Scan(&n); err != nil {
			return nil, paginationMeta{}, fmt.Errorf("count query: %w", err)
		}
		total = &n
	}
	return items, p.meta(fetched, total), nil
}

func writeList[T any](w http.ResponseWriter, items []T, meta paginationMeta, err error) {
	if err != nil {
		internalError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, listEnvelope{Items: items, Pagination: meta})
}

// ---- events ----

const eventSummaryCols = `id, "trigger", trigger_ref, source, source_ref, rule, rule_ref, trace_tag, payload IS NOT NULL, created`

func scanEventSummary(rows interface{ Scan(...any) error }) (eventSummary, error) {
	var e eventSummary
	var created int64
	err := rows.Scan(&e.ID, &e.Trigger, &e.TriggerRef, &e.Source, &e.SourceRef, &e.Rule, &e.RuleRef, &e.TraceTag,
		&e.HasPayload, &created)
	e.Created = timestamp(created)
	return e, err
}

// handleListEvents serves GET /api/v1/events.
func (s *Server) handleListEvents(w http.ResponseWriter, r *http.Request) {
	q := parseQuery(r)
	wh := &where{}
	wh.eqInt(q, "trigger", "source")
	wh.eqStr(q, "trigger_ref", "rule_ref", "trace_tag")
	p, ok := readPage(w, q, "per_page", 50, false)
	if !ok {
		return
	}
	items, meta, err := list(r.Context(), s.db, p, eventSummaryCols, "event", wh, "created DESC, id DESC",
		func(rows *sql.Rows) (eventSummary, error) { return scanEventSummary(rows) })
	writeList(w, items, meta, err)
}

// handleGetEvent serves GET /api/v1/events/{id}.
func (s *Server) handleGetEvent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var e eventResponse
	var cfg, payload sql.NullString
	var created int64
	err := s.db.QueryRowContext(r.Context(), `SELECT id, "trigger", trigger_ref, config, payload, source, source_ref,
		rule, rule_ref, trace_tag, created FROM event WHERE id = ?`, id).
		Scan(&e.ID, &e.Trigger, &e.TriggerRef, &cfg, &payload, &e.Source, &e.SourceRef, &e.Rule, &e.RuleRef,
			&e.TraceTag, &created)
	if errors.Is(err, sql.ErrNoRows) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Event with ID %d not found", id))
		return
	}
	if err != nil {
		internalError(w, err)
		return
	}
	e.Config, e.Payload, e.Created = rawJSON(cfg), rawJSON(payload), timestamp(created)
	writeJSON(w, http.StatusOK, dataEnvelope{Data: e})
}

// ---- enforcements ----

const enforcementSummaryCols = `id, rule, rule_ref, trigger_ref, event, status, condition, trace_tag, created`

func scanEnforcementSummary(rows interface{ Scan(...any) error }) (enforcementSummary, error) {
	var e enforcementSummary
	var created int64
	err := rows.Scan(&e.ID, &e.Rule, &e.RuleRef, &e.TriggerRef, &e.Event, &e.Status, &e.Condition, &e.TraceTag, &created)
	e.Created = timestamp(created)
	return e, err
}

// handleListEnforcements serves GET /api/v1/enforcements.
func (s *Server) handleListEnforcements(w http.ResponseWriter, r *http.Request) {
	q := parseQuery(r)
	wh := &where{}
	wh.eqInt(q, "rule", "event")
	if v := q.enum("status", enforcementStatuses()); v != nil {
		wh.add("status = ?", *v)
	}
	wh.eqStr(q, "trigger_ref", "rule_ref", "trace_tag")
	p, ok := readPage(w, q, "per_page", 50, false)
	if !ok {
		return
	}
	items, meta, err := list(r.Context(), s.db, p, enforcementSummaryCols, "enforcement", wh, "created DESC, id DESC",
		func(rows *sql.Rows) (enforcementSummary, error) { return scanEnforcementSummary(rows) })
	writeList(w, items, meta, err)
}

// handleGetEnforcement serves GET /api/v1/enforcements/{id}.
func (s *Server) handleGetEnforcement(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var e enforcementResponse
	var cfg, payload sql.NullString
	var created int64
	var resolved sql.NullInt64
	err := s.db.QueryRowContext(r.Context(), `SELECT f.id, f.rule, f.rule_ref, f.trigger_ref, f.config, f.event, f.status,
		COALESCE(f.payload, ev.payload), f.condition, f.conditions, f.trace_tag, f.created, f.resolved_at
		FROM enforcement f LEFT JOIN event ev ON ev.id = f.event WHERE f.id = ?`, id).
		Scan(&e.ID, &e.Rule, &e.RuleRef, &e.TriggerRef, &cfg, &e.Event, &e.Status, &payload, &e.Condition,
			rawScan(&e.Conditions), &e.TraceTag, &created, &resolved)
	if errors.Is(err, sql.ErrNoRows) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Enforcement with ID %d not found", id))
		return
	}
	if err != nil {
		internalError(w, err)
		return
	}
	e.Config, e.Payload, e.Created = rawJSON(cfg), rawJSON(payload), timestamp(created)
	if resolved.Valid {
		e.ResolvedAt = ptr(timestamp(resolved.Int64))
	}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: e})
}

// handleEnforcementExecutions serves GET /api/v1/enforcements/{id}/executions
// (page_size; totals always).
func (s *Server) handleEnforcementExecutions(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	q := parseQuery(r)
	p, ok := readPage(w, q, "page_size", 50, true)
	if !ok {
		return
	}
	wh := &where{}
	wh.add("enforcement = ?", id)
	items, meta, err := list(r.Context(), s.db, p, executionSummaryCols, "execution", wh, "created DESC, id DESC",
		func(rows *sql.Rows) (executionSummary, error) { return scanExecutionSummary(rows) })
	writeList(w, items, meta, err)
}

// ---- executions ----

const executionSummaryCols = `id, action_ref, status, parent, enforcement, rule_ref, trigger_ref, trace_tag,
	timeout_seconds, started_at, workflow_task, original_execution, created, updated`

func scanExecutionSummary(rows interface{ Scan(...any) error }) (executionSummary, error) {
	var e executionSummary
	var started sql.NullInt64
	var task sql.NullString
	var created, updated int64
	err := rows.Scan(&e.ID, &e.ActionRef, &e.Status, &e.Parent, &e.Enforcement, &e.RuleRef, &e.TriggerRef, &e.TraceTag,
		&e.TimeoutSeconds, &started, &task, &e.OriginalExecution, &created, &updated)
	if started.Valid {
		e.StartedAt = ptr(timestamp(started.Int64))
	}
	e.WorkflowTask = optJSON(task)
	e.Created, e.Updated = timestamp(created), timestamp(updated)
	return e, err
}

// handleListExecutions serves GET /api/v1/executions.
func (s *Server) handleListExecutions(w http.ResponseWriter, r *http.Request) {
	q := parseQuery(r)
	wh := &where{}
	if v := q.enum("status", executionStatuses()); v != nil {
		wh.add("status = ?", *v)
	}
	wh.eqStr(q, "action_ref", "rule_ref")
	var packLo, packHi string // a "pack.*" trigger_ref as a range ('/' follows '.')
	if v := q.str("trigger_ref"); v != nil {
		if pack, ok := strings.CutSuffix(*v, ".*"); ok {
			packLo, packHi = pack+".", pack+"/"
		} else {
			wh.add("trigger_ref = ?", *v)
		}
	}
	wh.eqStr(q, "pack_name", "trace_tag")
	wh.eqInt(q, "executor", "enforcement", "parent")
	if v := q.str("result_contains"); v != nil {
		// LIKE folds ASCII case exactly as lower() does, without copying
		// every result; the term's own % _ \ are escaped.
		wh.add(`result LIKE ? ESCAPE '\'`, "%"+likeEscape(*v)+"%")
	}
	if v := q.boolean("top_level_only"); v != nil && *v {
		wh.add("parent IS NULL")
	}
	p, ok := readPage(w, q, "per_page", 20, false)
	if !ok {
		return
	}
	if packLo != "" {
		walk, err := s.walkForRange(r.Context(), packLo, packHi, p)
		if err != nil {
			internalError(w, err)
			return
		}
		if walk {
			// The unary + keeps SQLite off the trigger_ref index.
			wh.add("+trigger_ref >= ? AND +trigger_ref < ?", packLo, packHi)
		} else {
			wh.add("trigger_ref >= ? AND trigger_ref < ?", packLo, packHi)
		}
	}
	items, meta, err := list(r.Context(), s.db, p, executionSummaryCols, "execution", wh, "created DESC, id DESC",
		func(rows *sql.Rows) (executionSummary, error) { return scanExecutionSummary(rows) })
	writeList(w, items, meta, err)
}

// likeEscape escapes the LIKE wildcards of a literal term (ESCAPE '\').
func likeEscape(term string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(term)
}

// walkForRange decides how to serve a trigger_ref range [lo, hi) on
// executions: true to walk the created index newest-first and filter, false
// to read the range from the trigger_ref index and sort it. A walk finds
// rows up to the page's end after about end·N/M rows (M in the range, N in
// the table), the range costs M: the walk wins when M² > end·N. Counting
// stops at that bound, so deciding costs at most √(end·N) index entries
// (about 3,700 at 1M events, 655k executions, for a first page of 20).
func (s *Server) walkForRange(ctx context.Context, lo, hi string, p pageParams) (bool, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(max(id), 0) FROM execution").Scan(&n); err != nil {
		return false, fmt.Errorf("range plan: table size: %w", err)
	}
	end := p.offset() + p.limit() + 1
	bound := int64(math.Sqrt(float64(end)*float64(n))) + 1
	var m int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM execution
		WHERE trigger_ref >= ? AND trigger_ref < ? LIMIT ?)`, lo, hi, bound).Scan(&m); err != nil {
		return false, fmt.Errorf("range plan: count: %w", err)
	}
	return m >= bound, nil
}

// handleGetExecution serves GET /api/v1/executions/{id}.
func (s *Server) handleGetExecution(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var e executionResponse
	var cfg, result, task sql.NullString
	var started sql.NullInt64
	var created, updated int64
	err := s.db.QueryRowContext(r.Context(), `SELECT id, action, action_ref, config, parent, enforcement, executor,
		worker, status, result, trace_tag, timeout_seconds, started_at, workflow_task, original_execution,
		artifact_retention_policy, artifact_retention_limit, created, updated FROM execution WHERE id = ?`, id).
		Scan(&e.ID, &e.Action, &e.ActionRef, &cfg, &e.Parent, &e.Enforcement, &e.Executor, &e.Worker, &e.Status,
			&result, &e.TraceTag, &e.TimeoutSeconds, &started, &task, &e.OriginalExecution,
			&e.ArtifactRetentionPolicy, &e.ArtifactRetentionLimit, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Execution with ID %d not found", id))
		return
	}
	if err != nil {
		internalError(w, err)
		return
	}
	// result is null until the execution finished, as upstream sends it
	// (the SPEC's "object" is stricter than the code).
	e.Config, e.Result, e.WorkflowTask = rawJSON(cfg), rawJSON(result), optJSON(task)
	if started.Valid {
		e.StartedAt = ptr(timestamp(started.Int64))
	}
	e.Created, e.Updated = timestamp(created), timestamp(updated)
	writeJSON(w, http.StatusOK, dataEnvelope{Data: e})
}

// ---- rules, triggers, sensors ----

const ruleSummaryCols = `id, ref, pack_ref, label, description, action_ref, trigger_ref, action_params, trigger_params,
	enabled, permission_set_refs, trace_tag_template, created, updated`

func scanRuleSummary(rows interface{ Scan(...any) error }) (ruleSummary, error) {
	var rs ruleSummary
	var perms sql.NullString
	var created, updated int64
	err := rows.Scan(&rs.ID, &rs.Ref, &rs.PackRef, &rs.Label, &rs.Description, &rs.ActionRef, &rs.TriggerRef,
		rawScan(&rs.ActionParams), rawScan(&rs.TriggerParams), &rs.Enabled, &perms, &rs.TraceTagTemplate, &created, &updated)
	rs.PermissionSetRefs = rawJSON(perms)
	rs.Created, rs.Updated = timestamp(created), timestamp(updated)
	return rs, err
}

// handleListRules serves GET /api/v1/rules: ordered by ref, totals always,
// filters q (whitespace tokens, each a case-insensitive substring of ref,
// label, description, pack_ref, action_ref or trigger_ref), pack_ref,
// action_ref, trigger_ref (exact) and enabled.
func (s *Server) handleListRules(w http.ResponseWriter, r *http.Request) {
	q := parseQuery(r)
	wh := &where{}
	if v := q.str("q"); v != nil {
		for _, tok := range strings.FieldsFunc(*v, unicode.IsSpace) {
			wh.add(`(instr(lower(ref), lower(?)) > 0 OR instr(lower(label), lower(?)) > 0
				OR instr(lower(COALESCE(description, '')), lower(?)) > 0 OR instr(lower(pack_ref), lower(?)) > 0
				OR instr(lower(action_ref), lower(?)) > 0 OR instr(lower(trigger_ref), lower(?)) > 0)`,
				tok, tok, tok, tok, tok, tok)
		}
	}
	wh.eqStr(q, "pack_ref", "action_ref", "trigger_ref")
	if v := q.boolean("enabled"); v != nil {
		wh.add("enabled = ?", *v)
	}
	p, ok := readPage(w, q, "page_size", 50, true)
	if !ok {
		return
	}
	items, meta, err := list(r.Context(), s.db, p, ruleSummaryCols, "rule", wh, "ref ASC",
		func(rows *sql.Rows) (ruleSummary, error) { return scanRuleSummary(rows) })
	writeList(w, items, meta, err)
}

// handleGetRule serves GET /api/v1/rules/{ref}.
func (s *Server) handleGetRule(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	var rr ruleResponse
	var perms sql.NullString
	var created, updated int64
	err := s.db.QueryRowContext(r.Context(), `SELECT id, ref, pack, pack_ref, label, description, action, action_ref,
		"trigger", trigger_ref, conditions, action_params, trigger_params, enabled, permission_set_refs,
		trace_tag_template, created, updated FROM rule WHERE ref = ?`, ref).
		Scan(&rr.ID, &rr.Ref, &rr.Pack, &rr.PackRef, &rr.Label, &rr.Description, &rr.Action, &rr.ActionRef, &rr.Trigger,
			&rr.TriggerRef, rawScan(&rr.Conditions), rawScan(&rr.ActionParams), rawScan(&rr.TriggerParams), &rr.Enabled, &perms,
			&rr.TraceTagTemplate, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Rule '%s' not found", ref))
		return
	}
	if err != nil {
		internalError(w, err)
		return
	}
	rr.PermissionSetRefs = rawJSON(perms)
	rr.Created, rr.Updated = timestamp(created), timestamp(updated)
	writeJSON(w, http.StatusOK, dataEnvelope{Data: rr})
}

// handleGetTrigger serves GET /api/v1/triggers/{ref}.
func (s *Server) handleGetTrigger(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	var t triggerResponse
	var param, out sql.NullString
	var created, updated int64
	err := s.db.QueryRowContext(r.Context(), `SELECT id, ref, label, description, enabled, param_schema, out_schema,
		pack, pack_ref, sensor, sensor_ref, webhook_enabled, webhook_key, created, updated FROM "trigger" WHERE ref = ?`, ref).
		Scan(&t.ID, &t.Ref, &t.Label, &t.Description, &t.Enabled, &param, &out, &t.Pack, &t.PackRef, &t.Sensor,
			&t.SensorRef, &t.WebhookEnabled, &t.WebhookKey, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Trigger '%s' not found", ref))
		return
	}
	if err != nil {
		internalError(w, err)
		return
	}
	t.ParamSchema, t.OutSchema = rawJSON(param), rawJSON(out)
	t.ReferenceVisibility = "public"
	t.ReferenceAllowedPackRefs = []string{}
	t.Created, t.Updated = timestamp(created), timestamp(updated)
	writeJSON(w, http.StatusOK, dataEnvelope{Data: t})
}

// handleTriggerRules serves GET /api/v1/triggers/{ref}/rules: every rule
// (enabled and disabled) whose trigger id is the trigger's, by ref.
func (s *Server) handleTriggerRules(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	q := parseQuery(r)
	p, ok := readPage(w, q, "page_size", 50, true)
	if !ok {
		return
	}
	var id int64
	err := s.db.QueryRowContext(r.Context(), `SELECT id FROM "trigger" WHERE ref = ?`, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Trigger '%s' not found", ref))
		return
	}
	if err != nil {
		internalError(w, err)
		return
	}
	wh := &where{}
	wh.add(`"trigger" = ?`, id)
	items, meta, err := list(r.Context(), s.db, p, ruleSummaryCols, "rule", wh, "ref ASC",
		func(rows *sql.Rows) (ruleSummary, error) { return scanRuleSummary(rows) })
	writeList(w, items, meta, err)
}

// handleGetSensor serves GET /api/v1/sensors/{ref}.
func (s *Server) handleGetSensor(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	var sr sensorResponse
	var param sql.NullString
	var created, updated int64
	err := s.db.QueryRowContext(r.Context(), `SELECT id, ref, label, description, entrypoint, runtime, runtime_ref,
		enabled, pack, pack_ref, param_schema, created, updated FROM sensor WHERE ref = ?`, ref).
		Scan(&sr.ID, &sr.Ref, &sr.Label, &sr.Description, &sr.Entrypoint, &sr.Runtime, &sr.RuntimeRef, &sr.Enabled,
			&sr.Pack, &sr.PackRef, &param, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Sensor '%s' not found", ref))
		return
	}
	if err != nil {
		internalError(w, err)
		return
	}
	sr.ParamSchema = rawJSON(param)
	// Worker placement and retention come from the static catalog.
	for _, d := range sensorDefs() {
		if d.id != sr.ID {
			continue
		}
		sr.WorkerSelector = json.RawMessage(d.workerSelector)
		sr.WorkerTolerations = json.RawMessage(d.workerTolerations)
		sr.WorkerAffinity = json.RawMessage(d.workerAffinity)
		if d.retentionPolicy != "" {
			sr.ArtifactRetentionPolicy, sr.ArtifactRetentionLimit = ptr(d.retentionPolicy), ptr(d.retentionLimit)
		}
		if d.logRetentionPolicy != "" {
			sr.LogRetentionPolicy, sr.LogRetentionLimit = ptr(d.logRetentionPolicy), ptr(d.logRetentionLimit)
		}
	}
	if sr.WorkerSelector == nil {
		sr.WorkerSelector, sr.WorkerTolerations, sr.WorkerAffinity = json.RawMessage(`{}`), json.RawMessage(`[]`), json.RawMessage(`{}`)
	}
	sr.Created, sr.Updated = timestamp(created), timestamp(updated)
	writeJSON(w, http.StatusOK, dataEnvelope{Data: sr})
}

// ---- traces ----

// normalizeTraceTag trims tag and checks it: 1-255 bytes, no whitespace or
// control characters. Upstream's exact rule is not in the contract.
func normalizeTraceTag(tag string) (string, error) {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return "", errors.New("must not be empty")
	}
	if len(tag) > 255 {
		return "", errors.New("must be at most 255 bytes")
	}
	for _, c := range tag {
		if unicode.IsSpace(c) || unicode.IsControl(c) {
			return "", errors.New("must not contain whitespace or control characters")
		}
	}
	return tag, nil
}

// handleTrace serves GET /api/v1/traces/{trace_tag}: everything carrying the
// tag, newest first.
func (s *Server) handleTrace(w http.ResponseWriter, r *http.Request) {
	tag, err := normalizeTraceTag(r.PathValue("tag"))
	if err != nil {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", "Invalid trace_tag: "+err.Error())
		return
	}
	ctx := r.Context()
	rep := traceReport{
		TraceTag: tag, Origins: []string{}, Executions: []executionSummary{}, Enforcements: []traceEnforcement{},
		Events: []eventSummary{}, QueueDispatches: []json.RawMessage{}, QueueItems: []json.RawMessage{},
	}
	if err := queryAll(ctx, s.db, "SELECT "+eventSummaryCols+" FROM event WHERE trace_tag = ? ORDER BY created DESC, id DESC",
		tag, func(rows *sql.Rows) error {
			e, err := scanEventSummary(rows)
			rep.Events = append(rep.Events, e)
			return err
		}); err != nil {
		internalError(w, err)
		return
	}
	if err := queryAll(ctx, s.db, `SELECT id, rule, rule_ref, trigger_ref, event, status, condition, created, resolved_at
		FROM enforcement WHERE trace_tag = ? ORDER BY created DESC, id DESC`, tag, func(rows *sql.Rows) error {
		var e traceEnforcement
		var created int64
		var resolved sql.NullInt64
		err := rows.Scan(&e.ID, &e.Rule, &e.RuleRef, &e.TriggerRef, &e.Event, &e.Status, &e.Condition, &created, &resolved)
		e.Created = timestamp(created)
		if resolved.Valid {
			e.ResolvedAt = ptr(timestamp(resolved.Int64))
		}
		rep.Enforcements = append(rep.Enforcements, e)
		return err
	}); err != nil {
		internalError(w, err)
		return
	}
	if err := queryAll(ctx, s.db, "SELECT "+executionSummaryCols+" FROM execution WHERE trace_tag = ? ORDER BY created DESC, id DESC",
		tag, func(rows *sql.Rows) error {
			e, err := scanExecutionSummary(rows)
			rep.Executions = append(rep.Executions, e)
			return err
		}); err != nil {
		internalError(w, err)
		return
	}
	if len(rep.Events) > 0 {
		rep.Origins = append(rep.Origins, "event")
	}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: rep})
}

func queryAll(ctx context.Context, db *sql.DB, q string, arg any, each func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q, arg)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return fmt.Errorf("scan: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rows: %w", err)
	}
	return nil
}

// ---- health ----

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleHealthDetailed(w http.ResponseWriter, r *http.Request) {
	if err := s.db.PingContext(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, healthDetailed{Status: "error", Database: "disconnected",
			Error: "database ping failed"})
		return
	}
	writeJSON(w, http.StatusOK, healthDetailed{Status: "ok", Version: Version, Database: "connected"})
}

func (s *Server) handleHealthEmpty(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleHealthReady(w http.ResponseWriter, r *http.Request) {
	if err := s.db.PingContext(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// rawScan adapts a *json.RawMessage to sql.Scanner: TEXT becomes raw JSON,
// NULL becomes JSON null.
func rawScan(dst *json.RawMessage) sql.Scanner { return rawScanner{dst} }

type rawScanner struct{ dst *json.RawMessage }

// Scan implements sql.Scanner.
func (r rawScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*r.dst = json.RawMessage("null")
	case string:
		*r.dst = json.RawMessage(v)
	case []byte:
		*r.dst = append(json.RawMessage(nil), v...)
	default:
		return fmt.Errorf("scan JSON column: unsupported type %T", src)
	}
	return nil
}
