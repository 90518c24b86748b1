package devserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Seed fills an empty database with the catalog and opts.Events events (and
// the enforcements and executions that follow from them) in one transaction
// using prepared statements. The database must have the table schema; Seed
// does not build indexes.
func seed(ctx context.Context, db *sql.DB, opts SeedOptions) (stats SeedStats, err error) {
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("seed: begin: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	if err := insertCatalog(ctx, tx, opts.base()); err != nil {
		return stats, err
	}
	s, err := newSQLSink(ctx, tx)
	if err != nil {
		return stats, err
	}
	defer s.close()
	g := newGenerator(opts)
	if err := g.run(ctx, s); err != nil {
		return stats, err
	}
	if err := s.flushArtifacts(ctx, tx); err != nil {
		return stats, fmt.Errorf("seed: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("seed: commit: %w", err)
	}
	stats = SeedStats{Events: s.events, Enforcements: s.enfs, Executions: s.execs, Duration: time.Since(start)}
	return stats, nil
}

func insertCatalog(ctx context.Context, tx *sql.Tx, base time.Time) error {
	at := func(daysBefore int) int64 { return micros(base.Add(-time.Duration(daysBefore) * 24 * time.Hour)) }
	atH := func(hoursBefore int) int64 { return micros(base.Add(-time.Duration(hoursBefore) * time.Hour)) }
	for _, p := range packDefs() {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO pack (id, ref, label, description, version, created, updated) VALUES (?,?,?,?,?,?,?)`,
			p.id, p.ref, p.label, p.descr, p.version, at(p.createdDaysBefore), atH(p.updatedHoursBefore)); err != nil {
			return fmt.Errorf("seed pack %s: %w", p.ref, err)
		}
	}
	for _, s := range sensorDefs() {
		var descr *string
		if !s.descriptionNullable {
			descr = ptr(s.descr)
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO sensor (id, ref, pack, pack_ref, label, description, entrypoint, runtime, runtime_ref, enabled,
			 param_schema, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			s.id, s.ref, s.pack, packOf(s.ref), s.label, descr, s.entrypoint, s.runtime, s.runtimeRef, s.enabled,
			nullString(s.paramSchema), at(s.createdDaysBefore), atH(s.updatedHoursBefore)); err != nil {
			return fmt.Errorf("seed sensor %s: %w", s.ref, err)
		}
	}
	cat := newCatalog()
	for _, t := range cat.triggers {
		var sensor, sensorRef, key any
		if t.sensor != 0 {
			sensor, sensorRef = t.sensor, cat.sensors[t.sensor].ref
		}
		if t.webhook {
			key = fmt.Sprintf("wh_dev_%s_%04d", packOf(t.ref), t.id)
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO "trigger" (id, ref, pack, pack_ref, label, description, enabled, param_schema, out_schema, sensor,
			 sensor_ref, webhook_enabled, webhook_key, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			t.id, t.ref, t.pack, packOf(t.ref), t.label, t.descr, true, nullString(t.paramSchema), nullString(t.outSchema),
			sensor, sensorRef, t.webhook, key, at(60), atH(200)); err != nil {
			return fmt.Errorf("seed trigger %s: %w", t.ref, err)
		}
	}
	for _, a := range actionDefs() {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO action (id, ref, pack, pack_ref, label, description, timeout_seconds, is_workflow, created, updated)
			 VALUES (?,?,?,?,?,?,?,?,?,?)`,
			a.id, a.ref, a.pack, packOf(a.ref), a.label, a.descr, a.timeout, a.workflow, at(60), atH(200)); err != nil {
			return fmt.Errorf("seed action %s: %w", a.ref, err)
		}
	}
	for _, r := range cat.rules {
		act := cat.actions[r.action]
		trig := cat.trigger(r.trigger)
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO rule (id, ref, pack, pack_ref, label, description, action, action_ref, "trigger", trigger_ref,
			 conditions, action_params, trigger_params, enabled, permission_set_refs, trace_tag_template, created, updated)
			 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			r.id, r.ref, r.pack, packOf(r.ref), r.label, nullString(r.descr), act.id, act.ref, trig.id, trig.ref,
			r.conditions, r.actionParams, `{}`, r.enabled, nullString(r.permSets), nullString(r.traceTemplate),
			at(r.createdDaysBefore), atH(r.updatedHoursAgo)); err != nil {
			return fmt.Errorf("seed rule %s: %w", r.ref, err)
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullJSON maps nil raw JSON to SQL NULL.
func nullJSON(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// sqlSink inserts generated rows through prepared statements.
type sqlSink struct {
	ctx                 context.Context
	ev, enf, ex, lv     *sql.Stmt
	events, enfs, execs int
	// arts collects the log artifacts of every action that started, written
	// by flushArtifacts.
	arts map[int64]*logArtifactRow
}

// logArtifactRow is a log_artifact row being collected.
type logArtifactRow struct {
	ref              string
	created, updated int64
}

const (
	insertEventSQL = `INSERT INTO event (id, "trigger", trigger_ref, config, payload, source, source_ref, rule, rule_ref,
		trace_tag, created) VALUES (?,?,?,?,?,?,?,?,?,?,?)`
	insertEnforcementSQL = `INSERT INTO enforcement (id, rule, rule_ref, trigger_ref, config, event, status, payload,
		condition, conditions, trace_tag, created, resolved_at) VALUES (?,?,?,?,?,?,?,NULL,?,?,?,?,?)`
	insertExecutionSQL = `INSERT INTO execution (id, action, action_ref, pack_name, config, parent, enforcement, rule_ref,
		trigger_ref, executor, worker, status, result, trace_tag, timeout_seconds, started_at, workflow_task,
		original_execution, artifact_retention_policy, artifact_retention_limit, created, updated)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	insertLogVersionSQL = `INSERT INTO log_version (execution, action, version, kind, created, sealed) VALUES (?,?,?,?,?,?)`
)

// preparer is satisfied by *sql.DB and *sql.Tx.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

func newSQLSink(ctx context.Context, p preparer) (*sqlSink, error) {
	s := &sqlSink{ctx: ctx, arts: map[int64]*logArtifactRow{}}
	var err error
	if s.ev, err = p.PrepareContext(ctx, insertEventSQL); err != nil {
		return nil, fmt.Errorf("prepare event insert: %w", err)
	}
	if s.enf, err = p.PrepareContext(ctx, insertEnforcementSQL); err != nil {
		_ = s.ev.Close()
		return nil, fmt.Errorf("prepare enforcement insert: %w", err)
	}
	if s.ex, err = p.PrepareContext(ctx, insertExecutionSQL); err != nil {
		_ = s.ev.Close()
		_ = s.enf.Close()
		return nil, fmt.Errorf("prepare execution insert: %w", err)
	}
	if s.lv, err = p.PrepareContext(ctx, insertLogVersionSQL); err != nil {
		_ = s.ev.Close()
		_ = s.enf.Close()
		_ = s.ex.Close()
		return nil, fmt.Errorf("prepare log version insert: %w", err)
	}
	return s, nil
}

func (s *sqlSink) close() {
	_ = s.ev.Close()
	_ = s.enf.Close()
	_ = s.ex.Close()
	_ = s.lv.Close()
}

// flushArtifacts writes the collected log artifacts (keeping the earliest
// created and the latest updated of rows already there).
func (s *sqlSink) flushArtifacts(ctx context.Context, tx *sql.Tx) error {
	for id, a := range s.arts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO log_artifact (action, action_ref, created, updated) VALUES (?,?,?,?)
			ON CONFLICT (action) DO UPDATE SET created = min(created, excluded.created), updated = max(updated, excluded.updated)`,
			id, a.ref, a.created, a.updated); err != nil {
			return fmt.Errorf("insert log artifact %d: %w", id, err)
		}
	}
	return nil
}

func (s *sqlSink) event(e *eventRow) error {
	if _, err := s.ev.ExecContext(s.ctx, e.ID, e.Trigger, e.TriggerRef, nullJSON(e.Config), nullJSON(e.Payload),
		e.Source, e.SourceRef, e.Rule, e.RuleRef, e.TraceTag, e.Created); err != nil {
		return fmt.Errorf("insert event %d: %w", e.ID, err)
	}
	s.events++
	return nil
}

func (s *sqlSink) enforcement(e *enforcementRow) error {
	if _, err := s.enf.ExecContext(s.ctx, e.ID, e.Rule, e.RuleRef, e.TriggerRef, nullJSON(e.Config), e.Event, e.Status,
		e.Condition, string(e.Conditions), e.TraceTag, e.Created, e.ResolvedAt); err != nil {
		return fmt.Errorf("insert enforcement %d: %w", e.ID, err)
	}
	s.enfs++
	return nil
}

func (s *sqlSink) execution(e *executionRow) error {
	if _, err := s.ex.ExecContext(s.ctx, e.ID, e.Action, e.ActionRef, e.PackName, nullJSON(e.Config), e.Parent,
		e.Enforcement, e.RuleRef, e.TriggerRef, e.Executor, e.Worker, e.Status, nullJSON(e.Result), e.TraceTag,
		e.TimeoutSeconds, e.StartedAt, nullJSON(e.WorkflowTask), e.OriginalExecution, e.RetentionPolicy,
		e.RetentionLimit, e.Created, e.Updated); err != nil {
		return fmt.Errorf("insert execution %d: %w", e.ID, err)
	}
	s.execs++
	if l := e.Log; l != nil {
		a := s.arts[l.Action]
		if a == nil {
			a = &logArtifactRow{ref: e.ActionRef, created: l.Created, updated: l.Created}
			s.arts[l.Action] = a
		}
		a.created, a.updated = min(a.created, l.Created), max(a.updated, l.Created)
		if !l.Expired {
			if _, err := s.lv.ExecContext(s.ctx, e.ID, l.Action, l.Version, string(l.Kind), l.Created, l.Sealed); err != nil {
				return fmt.Errorf("insert log version of execution %d: %w", e.ID, err)
			}
		}
	}
	return nil
}
