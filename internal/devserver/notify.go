package devserver

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// Notification types of NOTIFIER.md §4 that the live generator produces.
const (
	NoteEventCreated               = "event_created"
	NoteEnforcementCreated         = "enforcement_created"
	NoteEnforcementStatusChanged   = "enforcement_status_changed"
	NoteExecutionCreated           = "execution_created"
	NoteExecutionStatusChanged     = "execution_status_changed"
	NoteWorkflowExecStatusChanged  = "workflow_execution_status_changed"
	compactThreshold               = 7000 // _notify_payload_guard (NOTIFIER.md §5)
	authModeFull, authModeDeferred = "full", "deferred"
)

// notification is one published change: the PostgreSQL channel, the
// envelope's entity fields and both payload forms (compact is nil for
// channels without a compact form).
type notification struct {
	Type       string
	EntityType string
	EntityID   int64
	// TriggerRef is payload.trigger_ref of rule_lifecycle_changed (the
	// only type the trigger_ref filter matches); empty otherwise.
	TriggerRef    string
	full, compact json.RawMessage
}

// payload applies the size guard: the full payload up to compactThreshold
// bytes, else the compact one; compactOnly forces the compact form.
func (n *notification) payload(compactOnly bool) json.RawMessage {
	if n.compact != nil && (compactOnly || len(n.full) > compactThreshold) {
		return n.compact
	}
	return n.full
}

// pgTime renders a timestamptz the way PostgreSQL's to_json does in a UTC
// session: microseconds without trailing zeros and a "+00:00" offset.
type pgTime int64

// MarshalJSON implements json.Marshaler.
func (t pgTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + fromMicros(int64(t)).Format("2006-01-02T15:04:05.999999") + `+00:00"`), nil
}

func pgTimePtr(v sql.NullInt64) *pgTime {
	if !v.Valid {
		return nil
	}
	t := pgTime(v.Int64)
	return &t
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func nullStr(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

// eventNote builds event_created for event id [MIG-EV].
func eventNote(ctx context.Context, tx *sql.Tx, id int64) (notification, error) {
	var (
		trig, source, rule           sql.NullInt64
		trigRef                      string
		sourceRef, ruleRef, traceTag sql.NullString
		hasPayload                   bool
		created                      int64
	)
	err := tx.QueryRowContext(ctx, `SELECT "trigger", trigger_ref, source, source_ref, rule, rule_ref, trace_tag,
		payload IS NOT NULL, created FROM event WHERE id = ?`, id).
		Scan(&trig, &trigRef, &source, &sourceRef, &rule, &ruleRef, &traceTag, &hasPayload, &created)
	if err != nil {
		return notification{}, fmt.Errorf("notify: event %d: %w", id, err)
	}
	full := struct {
		EntityType string  `json:"entity_type"`
		EntityID   int64   `json:"entity_id"`
		ID         int64   `json:"id"`
		Trigger    *int64  `json:"trigger"`
		TriggerRef string  `json:"trigger_ref"`
		Source     *int64  `json:"source"`
		SourceRef  *string `json:"source_ref"`
		Rule       *int64  `json:"rule"`
		RuleRef    *string `json:"rule_ref"`
		TraceTag   *string `json:"trace_tag"`
		HasPayload bool    `json:"has_payload"`
		Created    pgTime  `json:"created"`
		AuthMode   string  `json:"auth_mode"`
	}{"event", id, id, nullInt(trig), trigRef, nullInt(source), nullStr(sourceRef), nullInt(rule), nullStr(ruleRef),
		nullStr(traceTag), hasPayload, pgTime(created), authModeFull}
	compact := struct {
		EntityType string  `json:"entity_type"`
		EntityID   int64   `json:"entity_id"`
		ID         int64   `json:"id"`
		TriggerRef string  `json:"trigger_ref"`
		RuleRef    *string `json:"rule_ref"`
		TraceTag   *string `json:"trace_tag"`
		AuthMode   string  `json:"auth_mode"`
	}{"event", id, id, trigRef, nullStr(ruleRef), nullStr(traceTag), authModeDeferred}
	return notification{Type: NoteEventCreated, EntityType: "event", EntityID: id,
		full: noteJSON(full), compact: noteJSON(compact)}, nil
}

// enforcementNote builds enforcement_created, or enforcement_status_changed
// when old is not empty [MIG-EV].
func enforcementNote(ctx context.Context, tx *sql.Tx, id int64, old string) (notification, error) {
	var (
		rule, event, resolved    sql.NullInt64
		ruleRef, trigRef, status string
		condition                string
		traceTag                 sql.NullString
		created                  int64
	)
	err := tx.QueryRowContext(ctx, `SELECT rule, rule_ref, trigger_ref, event, status, trace_tag, condition, created,
		resolved_at FROM enforcement WHERE id = ?`, id).
		Scan(&rule, &ruleRef, &trigRef, &event, &status, &traceTag, &condition, &created, &resolved)
	if err != nil {
		return notification{}, fmt.Errorf("notify: enforcement %d: %w", id, err)
	}
	var oldStatus *string
	typ := NoteEnforcementCreated
	if old != "" {
		typ, oldStatus = NoteEnforcementStatusChanged, &old
	}
	full := struct {
		EntityType string  `json:"entity_type"`
		EntityID   int64   `json:"entity_id"`
		ID         int64   `json:"id"`
		Rule       *int64  `json:"rule"`
		RuleRef    string  `json:"rule_ref"`
		TriggerRef string  `json:"trigger_ref"`
		Event      *int64  `json:"event"`
		Status     string  `json:"status"`
		OldStatus  *string `json:"old_status,omitempty"`
		TraceTag   *string `json:"trace_tag"`
		Condition  string  `json:"condition"`
		Created    pgTime  `json:"created"`
		ResolvedAt *pgTime `json:"resolved_at"`
		AuthMode   string  `json:"auth_mode"`
	}{"enforcement", id, id, nullInt(rule), ruleRef, trigRef, nullInt(event), status, oldStatus, nullStr(traceTag),
		condition, pgTime(created), pgTimePtr(resolved), authModeFull}
	compact := struct {
		EntityType string  `json:"entity_type"`
		EntityID   int64   `json:"entity_id"`
		ID         int64   `json:"id"`
		Rule       *int64  `json:"rule"`
		RuleRef    string  `json:"rule_ref"`
		TriggerRef string  `json:"trigger_ref"`
		Event      *int64  `json:"event"`
		Status     string  `json:"status"`
		OldStatus  *string `json:"old_status,omitempty"`
		TraceTag   *string `json:"trace_tag"`
		AuthMode   string  `json:"auth_mode"`
	}{"enforcement", id, id, nullInt(rule), ruleRef, trigRef, nullInt(event), status, oldStatus, nullStr(traceTag),
		authModeDeferred}
	return notification{Type: typ, EntityType: "enforcement", EntityID: id,
		full: noteJSON(full), compact: noteJSON(compact)}, nil
}

// executionNotes builds execution_created, or execution_status_changed when
// old is not empty [MIG-EX]; a status change of a workflow action's
// execution is followed by workflow_execution_status_changed [WSDOC].
// rule_ref and trigger_ref come from the execution's enforcement.
func executionNotes(ctx context.Context, tx *sql.Tx, id int64, old string) ([]notification, error) {
	var (
		action, enf, parent, started sql.NullInt64
		actionRef, status            string
		traceTag, ruleRef, trigRef   sql.NullString
		task                         sql.NullString
		created, updated             int64
		workflow                     bool
	)
	err := tx.QueryRowContext(ctx, `SELECT e.action, e.action_ref, e.status, e.trace_tag, e.enforcement, f.rule_ref,
		f.trigger_ref, e.parent, e.started_at, e.workflow_task, e.created, e.updated, COALESCE(a.is_workflow, 0)
		FROM execution e LEFT JOIN enforcement f ON f.id = e.enforcement LEFT JOIN action a ON a.id = e.action
		WHERE e.id = ?`, id).
		Scan(&action, &actionRef, &status, &traceTag, &enf, &ruleRef, &trigRef, &parent, &started, &task, &created,
			&updated, &workflow)
	if err != nil {
		return nil, fmt.Errorf("notify: execution %d: %w", id, err)
	}
	var oldStatus *string
	typ := NoteExecutionCreated
	if old != "" {
		typ, oldStatus = NoteExecutionStatusChanged, &old
	}
	var wt json.RawMessage
	if task.Valid {
		wt = json.RawMessage(task.String)
	}
	full := struct {
		EntityType   string          `json:"entity_type"`
		EntityID     int64           `json:"entity_id"`
		ID           int64           `json:"id"`
		ActionID     *int64          `json:"action_id"`
		ActionRef    string          `json:"action_ref"`
		Status       string          `json:"status"`
		OldStatus    *string         `json:"old_status,omitempty"`
		TraceTag     *string         `json:"trace_tag"`
		Enforcement  *int64          `json:"enforcement"`
		RuleRef      *string         `json:"rule_ref"`
		TriggerRef   *string         `json:"trigger_ref"`
		Parent       *int64          `json:"parent"`
		StartedAt    *pgTime         `json:"started_at"`
		WorkflowTask json.RawMessage `json:"workflow_task"`
		Created      pgTime          `json:"created"`
		Updated      pgTime          `json:"updated"`
		AuthMode     string          `json:"auth_mode"`
	}{"execution", id, id, nullInt(action), actionRef, status, oldStatus, nullStr(traceTag), nullInt(enf),
		nullStr(ruleRef), nullStr(trigRef), nullInt(parent), pgTimePtr(started), wt, pgTime(created), pgTime(updated),
		authModeFull}
	if full.WorkflowTask == nil {
		full.WorkflowTask = json.RawMessage("null")
	}
	compact := struct {
		EntityType string  `json:"entity_type"`
		EntityID   int64   `json:"entity_id"`
		ID         int64   `json:"id"`
		Status     string  `json:"status"`
		OldStatus  *string `json:"old_status,omitempty"`
		TraceTag   *string `json:"trace_tag"`
		AuthMode   string  `json:"auth_mode"`
	}{"execution", id, id, status, oldStatus, nullStr(traceTag), authModeDeferred}
	out := []notification{{Type: typ, EntityType: "execution", EntityID: id,
		full: noteJSON(full), compact: noteJSON(compact)}}
	if old != "" && workflow {
		// No workflow_definition table here: workflow_def is the action id.
		wf := struct {
			EntityType  string `json:"entity_type"`
			EntityID    int64  `json:"entity_id"`
			ID          int64  `json:"id"`
			ActionRef   string `json:"action_ref"`
			Status      string `json:"status"`
			OldStatus   string `json:"old_status"`
			WorkflowDef *int64 `json:"workflow_def"`
			Parent      *int64 `json:"parent"`
			Created     pgTime `json:"created"`
			Updated     pgTime `json:"updated"`
		}{"execution", id, id, actionRef, status, old, nullInt(action), nullInt(parent), pgTime(created), pgTime(updated)}
		out = append(out, notification{Type: NoteWorkflowExecStatusChanged, EntityType: "execution", EntityID: id,
			full: noteJSON(wf)})
	}
	return out, nil
}

// noteJSON marshals a payload without HTML escaping, as serde_json does.
func noteJSON(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("devserver: marshal notification: %v", err)) // only structs built here
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
