package devserver

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// liveState is the live-traffic generator; guarded by Server.liveMu.
type liveState struct {
	gen *generator
	// notes collects the notifications of the step in progress, published
	// after it commits.
	notes []notification
}

// noteAll appends several notifications of one change.
func (l *liveState) noteAll(ns []notification, err error) error {
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	l.notes = append(l.notes, ns...)
	return nil
}

// note appends the notifications of one change to the step's list.
func (l *liveState) note(n notification, err error) error {
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	l.notes = append(l.notes, n)
	return nil
}

// liveNow is the live clock: the server clock, shifted forward when it is
// before the seed's base time so that live rows are always the newest.
func (s *Server) liveNow() time.Time {
	now := s.now()
	if base := s.opts.Seed.base(); now.Before(base) {
		return now.Add(base.Sub(s.startedAt))
	}
	return now
}

// RunLive produces live traffic at rate events per second until ctx is
// done: new events, enforcements created and resolved, and executions
// moving requested -> scheduling -> scheduled -> running -> completed,
// failed or timeout. It returns nil when ctx ends, or the first error.
// A rate <= 0 returns at once.
func (s *Server) RunLive(ctx context.Context, rate float64) error {
	if rate <= 0 {
		return nil
	}
	interval := time.Duration(float64(time.Second) / rate)
	t := time.NewTicker(max(interval, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := s.LiveStep(ctx); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
	}
}

// LiveStep runs one step of live traffic synchronously: one new event (and
// its enforcements), then advances enforcements and executions whose last
// change is older than the step thresholds.
func (s *Server) LiveStep(ctx context.Context) (err error) {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	if s.live == nil {
		s.live = &liveState{gen: newGenerator(SeedOptions{Seed: s.opts.Seed.Seed + 1, Adversarial: s.opts.Seed.Adversarial, Base: s.opts.Seed.Base})}
	}
	g := s.live.gen
	s.live.notes = nil
	now := micros(s.liveNow())
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("live: begin: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	var maxEv, maxEnf, maxEx, lastCreated int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COALESCE(max(id), 0) FROM event),
		(SELECT COALESCE(max(id), 0) FROM enforcement), (SELECT COALESCE(max(id), 0) FROM execution),
		(SELECT COALESCE(max(created), 0) FROM event)`).Scan(&maxEv, &maxEnf, &maxEx, &lastCreated); err != nil {
		return fmt.Errorf("live: read ids: %w", err)
	}
	now = max(now, lastCreated+1) // keep newest-first ordering strict
	g.nextEnf, g.nextEx = maxEnf+1, maxEx+1
	sink, err := newSQLSink(ctx, tx)
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	defer sink.close()
	if err := s.liveEvent(ctx, tx, g, sink, maxEv+1, now); err != nil {
		return err
	}
	if err := s.liveResolveEnforcements(ctx, tx, g, sink, now); err != nil {
		return err
	}
	delta := map[string]int64{}
	if err := s.liveAdvanceExecutions(ctx, tx, g, now, delta); err != nil {
		return err
	}
	delta["requested"] += int64(sink.execs)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("live: commit: %w", err)
	}
	s.stats2.apply(delta)
	s.hub.publish(s, s.live.notes)
	s.live.notes = nil
	s.wake.notify()
	if s.opts.OnLiveStep != nil {
		s.opts.OnLiveStep()
	}
	return nil
}

// liveEvent inserts a new event and an enforcement (status created) for
// every matching rule.
func (s *Server) liveEvent(ctx context.Context, tx *sql.Tx, g *generator, sink *sqlSink, id, now int64) error {
	trig := g.pickTrigger()
	ev := g.newEvent(id, trig, now, false)
	var matched []*ruleDef
	for _, r := range g.cat.candidateRules(ev) {
		if ruleMatches([]byte(r.conditions), ev) {
			matched = append(matched, r)
		}
	}
	if ev.Source != nil || len(matched) > 0 {
		ev.TraceTag = ptr(traceTag(ev))
	}
	if err := sink.event(ev); err != nil {
		return fmt.Errorf("live: %w", err)
	}
	if err := s.live.note(eventNote(ctx, tx, ev.ID)); err != nil {
		return err
	}
	for _, r := range matched {
		enf := &enforcementRow{
			ID: g.nextEnf, Rule: ptr(r.id), RuleRef: r.ref, TriggerRef: ev.TriggerRef,
			Config: renderParams(r.actionParams, ev), Event: ptr(ev.ID), Status: "created", Condition: "all",
			Conditions: []byte(r.conditions), Created: now + 2_000,
		}
		g.nextEnf++
		if err := sink.enforcement(enf); err != nil {
			return fmt.Errorf("live: %w", err)
		}
		if err := s.live.note(enforcementNote(ctx, tx, enf.ID, "")); err != nil {
			return err
		}
	}
	return nil
}

// liveResolveEnforcements processes enforcements created more than 500 ms
// ago: most become processed with a requested execution, some disabled.
func (s *Server) liveResolveEnforcements(ctx context.Context, tx *sql.Tx, g *generator, sink *sqlSink, now int64) error {
	type pending struct {
		id, rule, event int64
		trigRef, cfg    string
	}
	var list []pending
	rows, err := tx.QueryContext(ctx, `SELECT f.id, COALESCE(f.rule, 0), COALESCE(f.event, 0), f.trigger_ref,
		COALESCE(f.config, '{}') FROM enforcement f WHERE f.status = 'created' AND f.created < ? ORDER BY f.id LIMIT 20`,
		now-500_000)
	if err != nil {
		return fmt.Errorf("live: pending enforcements: %w", err)
	}
	defer rows.Close() // for the early return; closed below, before the writes
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.rule, &p.event, &p.trigRef, &p.cfg); err != nil {
			return fmt.Errorf("live: scan enforcement: %w", err)
		}
		list = append(list, p)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("live: pending enforcements: %w", err)
	}
	for _, p := range list {
		rule := g.cat.ruleByID[p.rule]
		if rule == nil || g.rng.IntN(10) == 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE enforcement SET status = 'disabled', resolved_at = ? WHERE id = ?`,
				now, p.id); err != nil {
				return fmt.Errorf("live: disable enforcement: %w", err)
			}
			if err := s.live.note(enforcementNote(ctx, tx, p.id, "created")); err != nil {
				return err
			}
			continue
		}
		tag := fmt.Sprintf("%s.%d", p.trigRef, p.event)
		if _, err := tx.ExecContext(ctx, `UPDATE enforcement SET status = 'processed', resolved_at = ?, trace_tag = ?
			WHERE id = ?`, now, tag, p.id); err != nil {
			return fmt.Errorf("live: process enforcement: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE event SET trace_tag = ? WHERE id = ? AND trace_tag IS NULL`,
			tag, p.event); err != nil {
			return fmt.Errorf("live: tag event: %w", err)
		}
		if err := s.live.note(enforcementNote(ctx, tx, p.id, "created")); err != nil {
			return err
		}
		ex := g.newExecution(g.cat.actions[rule.action], []byte(p.cfg), "requested", now+1_000, ptr(tag))
		ex.Enforcement, ex.RuleRef, ex.TriggerRef = ptr(p.id), ptr(rule.ref), ptr(p.trigRef)
		if err := sink.execution(ex); err != nil {
			return fmt.Errorf("live: %w", err)
		}
		if err := s.live.noteAll(executionNotes(ctx, tx, ex.ID, "")); err != nil {
			return err
		}
	}
	return nil
}

// liveAdvanceExecutions moves executions unchanged for 700 ms one status on,
// counting status changes in delta. An execution that starts allocates its
// log version; one that ends seals it, and its result carries its stdout.
func (s *Server) liveAdvanceExecutions(ctx context.Context, tx *sql.Tx, g *generator, now int64, delta map[string]int64) error {
	type row struct {
		id, action int64
		status     string
	}
	var list []row
	rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(action, 0), status FROM execution
		WHERE status IN ('requested', 'scheduling', 'scheduled', 'running', 'canceling') AND updated < ?
		ORDER BY id LIMIT 50`, now-700_000)
	if err != nil {
		return fmt.Errorf("live: pending executions: %w", err)
	}
	defer rows.Close() // for the early return; closed below, before the writes
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.action, &r.status); err != nil {
			return fmt.Errorf("live: scan execution: %w", err)
		}
		list = append(list, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("live: pending executions: %w", err)
	}
	for _, r := range list {
		var q string
		var args []any
		next := ""
		switch r.status {
		case "requested":
			next = "scheduling"
			q, args = `UPDATE execution SET status = 'scheduling', updated = ? WHERE id = ?`, []any{now, r.id}
		case "scheduling":
			next = "scheduled"
			q, args = `UPDATE execution SET status = 'scheduled', updated = ? WHERE id = ?`, []any{now, r.id}
		case "scheduled":
			next = "running"
			q, args = `UPDATE execution SET status = 'running', started_at = ?, worker = ?, updated = ? WHERE id = ?`,
				[]any{now, 1 + g.rng.Int64N(4), now, r.id}
			if err := liveStartLog(ctx, tx, r.id, r.action, now); err != nil {
				return err
			}
		case "canceling":
			next = "cancelled"
			res, err := s.liveSealLog(ctx, tx, r.id, next, json.RawMessage(`{"error":"Execution cancelled by user demo","succeeded":false}`), now)
			if err != nil {
				return err
			}
			q, args = `UPDATE execution SET status = 'cancelled', result = ?, updated = ? WHERE id = ?`,
				[]any{string(res), now, r.id}
		default: // running
			act := g.cat.actions[r.action]
			if act == nil {
				act = g.cat.actions[1]
			}
			status := "completed"
			switch roll := g.rng.IntN(20); {
			case roll < 3:
				status = "failed"
			case roll == 3:
				status = "timeout"
			}
			res := g.result(act, status, 1_000_000+g.rng.Int64N(3_000_000))
			next = status
			res, err := s.liveSealLog(ctx, tx, r.id, status, res, now)
			if err != nil {
				return err
			}
			q, args = `UPDATE execution SET status = ?, result = ?, updated = ? WHERE id = ?`,
				[]any{status, string(res), now, r.id}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("live: advance execution %d: %w", r.id, err)
		}
		if err := s.live.noteAll(executionNotes(ctx, tx, r.id, r.status)); err != nil {
			return err
		}
		delta[r.status]--
		delta[next]++
	}
	return nil
}

// liveStartLog allocates the log version of an execution that starts: the
// next version of its action's two artifacts (created on first use).
func liveStartLog(ctx context.Context, tx *sql.Tx, exec, action, now int64) error {
	if action == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO log_artifact (action, action_ref, created, updated)
		SELECT id, ref, ?, ? FROM action WHERE id = ?
		ON CONFLICT (action) DO UPDATE SET updated = excluded.updated`, now, now, action); err != nil {
		return fmt.Errorf("live: log artifact of execution %d: %w", exec, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO log_version (execution, action, version, kind, created, sealed)
		SELECT ?, ?, COALESCE(max(version), 0) + 1, ?, ?, NULL FROM log_version WHERE action = ?`,
		exec, action, string(LogKindLive), now, action); err != nil {
		return fmt.Errorf("live: log version of execution %d: %w", exec, err)
	}
	return nil
}

// liveSealLog seals an ending execution's log at now and returns its
// result with the captured stdout (and the stderr text) as the seed has
// them.
func (s *Server) liveSealLog(ctx context.Context, tx *sql.Tx, exec int64, status string, res json.RawMessage, now int64) (json.RawMessage, error) {
	var actionRef string
	var timeout *int32
	var kind sql.NullString
	var version sql.NullInt32
	var created sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT e.action_ref, e.timeout_seconds, v.kind, v.version, v.created
		FROM execution e LEFT JOIN log_version v ON v.execution = e.id WHERE e.id = ?`, exec).
		Scan(&actionRef, &timeout, &kind, &version, &created)
	if err != nil {
		return nil, fmt.Errorf("live: log of execution %d: %w", exec, err)
	}
	if !kind.Valid {
		return res, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE log_version SET sealed = ? WHERE execution = ? AND sealed IS NULL`,
		now, exec); err != nil {
		return nil, fmt.Errorf("live: seal log of execution %d: %w", exec, err)
	}
	row := logRow{Version: version.Int32, Kind: LogKind(kind.String), Created: created.Int64, Sealed: ptr(now)}
	in := logInfoOf(exec, actionRef, status, res, timeout, row)
	var m map[string]any
	if err := json.Unmarshal(res, &m); err != nil || m == nil {
		return res, nil
	}
	seed := s.opts.Seed.Seed
	setOutput(m, in, logText(seed, in, StreamStdout, now), logText(seed, in, StreamStderr, now))
	return mustJSON(m), nil
}

// LiveEnforce creates one more enforcement (status created) of the
// existing event id, by a rule of the event's trigger (any rule when the
// trigger has none), and publishes its notification as live traffic does:
// tests use it to change what an event already on screen caused. It
// returns the new enforcement's id.
func (s *Server) LiveEnforce(ctx context.Context, id int64) (enf int64, err error) {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("live enforce: begin: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	var trigRef string
	var created int64
	if err := tx.QueryRowContext(ctx, `SELECT trigger_ref, created FROM event WHERE id = ?`, id).Scan(&trigRef, &created); err != nil {
		return 0, fmt.Errorf("live enforce: event %d: %w", id, err)
	}
	var rule int64
	var ruleRef string
	if err := tx.QueryRowContext(ctx, `SELECT id, ref FROM rule ORDER BY trigger_ref = ? DESC, id LIMIT 1`, trigRef).
		Scan(&rule, &ruleRef); err != nil {
		return 0, fmt.Errorf("live enforce: pick a rule: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) + 1 FROM enforcement`).Scan(&enf); err != nil {
		return 0, fmt.Errorf("live enforce: next id: %w", err)
	}
	now := max(micros(s.liveNow()), created+1)
	if _, err := tx.ExecContext(ctx, insertEnforcementSQL, enf, rule, ruleRef, trigRef, nil, id, "created",
		"all", "[]", nil, now, nil); err != nil {
		return 0, fmt.Errorf("live enforce: insert: %w", err)
	}
	n, err := enforcementNote(ctx, tx, enf, "")
	if err != nil {
		return 0, fmt.Errorf("live enforce: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("live enforce: commit: %w", err)
	}
	s.hub.publish(s, []notification{n})
	s.wake.notify()
	return enf, nil
}

// Renotify publishes n notifications about existing executions, the newest
// first and round again, without changing any: each says "execution_status_changed"
// from and to its current status. It is load for the notifier's clients
// (a storm of changes that are no change: handlers must be idempotent,
// NOTIFIER.md §4) without moving what they show. It returns how many it
// published.
func (s *Server) Renotify(ctx context.Context, n int) (int, error) {
	if n <= 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, fmt.Errorf("renotify: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `SELECT id, status FROM execution ORDER BY id DESC LIMIT ?`, min(n, 200))
	if err != nil {
		return 0, fmt.Errorf("renotify: executions: %w", err)
	}
	type ex struct {
		id     int64
		status string
	}
	defer rows.Close() // for the early return; closed below, before the notes are read
	var list []ex
	for rows.Next() {
		var e ex
		if err := rows.Scan(&e.id, &e.status); err != nil {
			return 0, fmt.Errorf("renotify: scan: %w", err)
		}
		list = append(list, e)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("renotify: executions: %w", err)
	}
	if len(list) == 0 {
		return 0, nil
	}
	notes := make([]notification, 0, n)
	byID := map[int64][]notification{}
	for i := 0; len(notes) < n; i++ {
		e := list[i%len(list)]
		ns, ok := byID[e.id]
		if !ok {
			if ns, err = executionNotes(ctx, tx, e.id, e.status); err != nil {
				return 0, fmt.Errorf("renotify: %w", err)
			}
			byID[e.id] = ns
		}
		notes = append(notes, ns[0]) // the status change, not its workflow twin
	}
	s.hub.publish(s, notes)
	return len(notes), nil
}
