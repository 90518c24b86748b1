package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// NotificationType is the notifier's notification_type: the PostgreSQL
// channel a change was published on. Unknown values are kept.
type NotificationType string

// The notification types NOTIFIER.md §4 describes.
const (
	NotifyEventCreated                   NotificationType = "event_created"
	NotifyEnforcementCreated             NotificationType = "enforcement_created"
	NotifyEnforcementStatusChanged       NotificationType = "enforcement_status_changed"
	NotifyExecutionCreated               NotificationType = "execution_created"
	NotifyExecutionStatusChanged         NotificationType = "execution_status_changed"
	NotifyWorkflowExecutionStatusChanged NotificationType = "workflow_execution_status_changed"
	NotifyRuleLifecycleChanged           NotificationType = "rule_lifecycle_changed"
	NotifyInquiryCreated                 NotificationType = "inquiry_created"
	NotifyInquiryResponded               NotificationType = "inquiry_responded"
	NotifyInquiryTimeout                 NotificationType = "inquiry_timeout"
	NotifyArtifactCreated                NotificationType = "artifact_created"
	NotifyArtifactUpdated                NotificationType = "artifact_updated"
	NotifyWorkQueueCreated               NotificationType = "work_queue_created"
	NotifyWorkQueueUpdated               NotificationType = "work_queue_updated"
	NotifyWorkQueueItemCreated           NotificationType = "work_queue_item_created"
	NotifyWorkQueueItemUpdated           NotificationType = "work_queue_item_updated"
)

// AuthModeDeferred is the auth_mode of a compact payload: the entity must be
// refetched over REST before anything but its identity is used.
const AuthModeDeferred = "deferred"

// Notification is one change the notifier (or the execution SSE stream)
// reported. Treat it as "this entity changed": the REST API stays the
// source of truth, one database change may produce several notifications
// (a workflow status change arrives as both NotifyExecutionStatusChanged and
// NotifyWorkflowExecutionStatusChanged), and handlers must be idempotent.
//
// Exactly one of Event, Enforcement, Execution, Workflow and RuleLifecycle
// is set for the types that have a typed payload; other types (inquiries,
// artifacts, work queues, unknown ones) carry only Payload.
type Notification struct {
	// Type is the notification_type.
	Type NotificationType
	// EntityType is the envelope's entity_type ("event", "enforcement",
	// "execution", "rule_lifecycle", ...).
	EntityType string
	// EntityID is the envelope's entity_id (the rule id for rule lifecycle
	// changes).
	EntityID int64
	// UserID is the envelope's user_id; no current publisher sets it.
	UserID *int64
	// Timestamp is when the notifier parsed the message (not the row time);
	// zero for SSE messages, which have no envelope.
	Timestamp time.Time
	// Compact is true for a compact payload (auth_mode "deferred", sent
	// when the full one is over 7000 bytes): it omits most keys, so only
	// the identity and the fields NOTIFIER.md §4 lists for the compact form
	// are set. Refetch the entity before showing it.
	Compact bool
	// Payload is the raw payload JSON (untrusted).
	Payload json.RawMessage

	// Event is set for NotifyEventCreated.
	Event *EventNotice
	// Enforcement is set for NotifyEnforcementCreated and
	// NotifyEnforcementStatusChanged.
	Enforcement *EnforcementNotice
	// Execution is set for NotifyExecutionCreated and NotifyExecutionStatusChanged.
	Execution *ExecutionNotice
	// Workflow is set for NotifyWorkflowExecutionStatusChanged.
	Workflow *WorkflowExecutionNotice
	// RuleLifecycle is set for NotifyRuleLifecycleChanged.
	RuleLifecycle *RuleLifecycleNotice
}

// EventNotice is the payload of event_created. It never carries the event's
// own payload (HasPayload only). Fields missing from a compact payload are
// zero or nil; nullable columns are pointers.
type EventNotice struct {
	// ID is the event id.
	ID int64 `json:"id"`
	// Trigger is the trigger id.
	Trigger *int64 `json:"trigger"`
	// TriggerRef is the trigger's ref.
	TriggerRef string `json:"trigger_ref"`
	// Source is the id of the sensor that emitted the event.
	Source *int64 `json:"source"`
	// SourceRef is that sensor's ref.
	SourceRef *string `json:"source_ref"`
	// Rule is the rule id, for an event a rule emitted.
	Rule *int64 `json:"rule"`
	// RuleRef is that rule's ref.
	RuleRef *string `json:"rule_ref"`
	// TraceTag is the trace the event belongs to.
	TraceTag *string `json:"trace_tag"`
	// HasPayload says whether the event has a payload (fetch it over REST).
	HasPayload bool `json:"has_payload"`
	// Created is the row's creation time.
	Created *time.Time `json:"created"`
	// AuthMode is "full" or, for a compact payload, AuthModeDeferred.
	AuthMode string `json:"auth_mode"`
}

// EnforcementNotice is the payload of enforcement_created and
// enforcement_status_changed (OldStatus is set only for the latter). Fields
// missing from a compact payload are zero or nil.
type EnforcementNotice struct {
	// ID is the enforcement id.
	ID int64 `json:"id"`
	// Rule is the rule id (nil once the rule is deleted).
	Rule *int64 `json:"rule"`
	// RuleRef is the rule's ref.
	RuleRef string `json:"rule_ref"`
	// TriggerRef is the trigger's ref.
	TriggerRef string `json:"trigger_ref"`
	// Event is the id of the event that was enforced.
	Event *int64 `json:"event"`
	// Status is the new status.
	Status EnforcementStatus `json:"status"`
	// OldStatus is the previous status (status changes only).
	OldStatus EnforcementStatus `json:"old_status"`
	// TraceTag is the trace the enforcement belongs to.
	TraceTag *string `json:"trace_tag"`
	// Condition is the rule's condition mode ("all" or "any").
	Condition EnforcementCondition `json:"condition"`
	// Created is the row's creation time.
	Created *time.Time `json:"created"`
	// ResolvedAt is when the enforcement left "created".
	ResolvedAt *time.Time `json:"resolved_at"`
	// AuthMode is "full" or, for a compact payload, AuthModeDeferred.
	AuthMode string `json:"auth_mode"`
}

// ExecutionNotice is the payload of execution_created and
// execution_status_changed (OldStatus is set only for the latter). Fields
// missing from a compact payload are zero or nil.
type ExecutionNotice struct {
	// ID is the execution id.
	ID int64 `json:"id"`
	// ActionID is the action id.
	ActionID *int64 `json:"action_id"`
	// ActionRef is the action's ref.
	ActionRef string `json:"action_ref"`
	// Status is the new status.
	Status ExecutionStatus `json:"status"`
	// OldStatus is the previous status (status changes only).
	OldStatus ExecutionStatus `json:"old_status"`
	// TraceTag is the trace the execution belongs to.
	TraceTag *string `json:"trace_tag"`
	// Enforcement is the id of the enforcement that started it.
	Enforcement *int64 `json:"enforcement"`
	// RuleRef is looked up from the enforcement and may be nil.
	RuleRef *string `json:"rule_ref"`
	// TriggerRef is looked up from the enforcement and may be nil.
	TriggerRef *string `json:"trigger_ref"`
	// Parent is the parent (workflow) execution's id.
	Parent *int64 `json:"parent"`
	// StartedAt is when the execution started running.
	StartedAt *time.Time `json:"started_at"`
	// WorkflowTask is the raw workflow task JSON ("null" when none).
	WorkflowTask json.RawMessage `json:"workflow_task"`
	// Created is the row's creation time.
	Created *time.Time `json:"created"`
	// Updated is the row's last update.
	Updated *time.Time `json:"updated"`
	// AuthMode is "full" or, for a compact payload, AuthModeDeferred.
	AuthMode string `json:"auth_mode"`
}

// WorkflowExecutionNotice is the payload of
// workflow_execution_status_changed (never compact). The same change also
// arrives as an execution_status_changed.
type WorkflowExecutionNotice struct {
	// ID is the workflow execution's id.
	ID int64 `json:"id"`
	// ActionRef is the workflow action's ref.
	ActionRef string `json:"action_ref"`
	// Status is the new status.
	Status ExecutionStatus `json:"status"`
	// OldStatus is the previous status.
	OldStatus ExecutionStatus `json:"old_status"`
	// WorkflowDef is the workflow definition's id.
	WorkflowDef *int64 `json:"workflow_def"`
	// Parent is the parent execution's id.
	Parent *int64 `json:"parent"`
	// Created is the row's creation time.
	Created *time.Time `json:"created"`
	// Updated is the row's last update.
	Updated *time.Time `json:"updated"`
}

// RuleLifecycleNotice is the payload of rule_lifecycle_changed, useful to
// invalidate a cached "rules for trigger" list.
type RuleLifecycleNotice struct {
	// EventType is "rule.created", "rule.enabled", "rule.disabled" or
	// "rule.deleted".
	EventType string `json:"event_type"`
	// Active says whether the rule is enabled now.
	Active bool `json:"active"`
	// RuleID is the rule's id (also the envelope's entity_id).
	RuleID int64 `json:"rule_id"`
	// RuleRef is the rule's ref.
	RuleRef string `json:"rule_ref"`
	// TriggerRef is the ref of the rule's trigger.
	TriggerRef string `json:"trigger_ref"`
	// TriggerParams is the raw trigger parameters JSON; missing (nil) from
	// a compact payload.
	TriggerParams json.RawMessage `json:"trigger_params"`
	// Timestamp is when the change happened.
	Timestamp *time.Time `json:"timestamp"`
	// AuthMode is "full" or, for a compact payload, AuthModeDeferred.
	AuthMode string `json:"auth_mode"`
}

// payloadHead is the part of every payload used to classify it.
type payloadHead struct {
	EntityType string          `json:"entity_type"`
	EntityID   json.RawMessage `json:"entity_id"`
	AuthMode   string          `json:"auth_mode"`
}

// decodePayload fills n's typed payload from n.Payload for n.Type. A payload
// that does not decode is an error; the caller still has Payload.
func (n *Notification) decodePayload() error {
	var head payloadHead
	if err := json.Unmarshal(n.Payload, &head); err != nil {
		return err
	}
	n.Compact = head.AuthMode == AuthModeDeferred
	var dst any
	switch n.Type {
	case NotifyEventCreated:
		n.Event = &EventNotice{}
		dst = n.Event
	case NotifyEnforcementCreated, NotifyEnforcementStatusChanged:
		n.Enforcement = &EnforcementNotice{}
		dst = n.Enforcement
	case NotifyExecutionCreated, NotifyExecutionStatusChanged:
		n.Execution = &ExecutionNotice{}
		dst = n.Execution
	case NotifyWorkflowExecutionStatusChanged:
		n.Workflow = &WorkflowExecutionNotice{}
		dst = n.Workflow
	case NotifyRuleLifecycleChanged:
		n.RuleLifecycle = &RuleLifecycleNotice{}
		dst = n.RuleLifecycle
	default:
		return nil
	}
	if err := json.Unmarshal(n.Payload, dst); err != nil {
		n.Event, n.Enforcement, n.Execution, n.Workflow, n.RuleLifecycle = nil, nil, nil, nil, nil
		return err
	}
	return nil
}

// executionNotification builds the Notification of one SSE message: the raw
// payload of an execution channel, without envelope. The type is told by
// keys (NOTIFIER.md §8): workflow_def ⇒ workflow stream, else old_status ⇒
// status change, else created.
func executionNotification(data []byte) (*Notification, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, err
	}
	n := &Notification{Type: NotifyExecutionCreated, EntityType: "execution", Payload: json.RawMessage(bytes.Clone(data))}
	if _, ok := keys["workflow_def"]; ok {
		n.Type = NotifyWorkflowExecutionStatusChanged
	} else if _, ok := keys["old_status"]; ok {
		n.Type = NotifyExecutionStatusChanged
	}
	if et, ok := keys["entity_type"]; ok {
		_ = json.Unmarshal(et, &n.EntityType)
	}
	id, ok := keys["entity_id"]
	if !ok {
		id = keys["id"]
	}
	if err := json.Unmarshal(id, &n.EntityID); err != nil {
		return nil, fmt.Errorf("entity_id: %w", err)
	}
	if err := n.decodePayload(); err != nil {
		return nil, err
	}
	return n, nil
}

// LiveEventKind says what a LiveEvent carries.
type LiveEventKind int

// Kinds of LiveEvent.
const (
	// LiveConnected: a connection is up and every subscription has been
	// sent (the server acknowledges nothing). After a reconnect a LiveGap
	// follows it at once.
	LiveConnected LiveEventKind = iota + 1
	// LiveWelcome: the notifier's welcome frame (ClientID, Message).
	LiveWelcome
	// LiveNotification: Notification holds a change.
	LiveNotification
	// LiveServerError: the notifier sent {"type":"error"}; Message holds
	// its text (a malformed message, an invalid or unauthorized filter).
	// The connection stays open.
	LiveServerError
	// LiveGap: notifications may have been missed (a reconnect, or a slow
	// consumer made the client drop some): refetch whatever is shown over
	// REST. Gap says why.
	LiveGap
	// LiveReconnecting: the connection was lost or refused; Err says why
	// and Delay how long the client waits before the next attempt.
	LiveReconnecting
)

// String names the kind.
func (k LiveEventKind) String() string {
	switch k {
	case LiveConnected:
		return "connected"
	case LiveWelcome:
		return "welcome"
	case LiveNotification:
		return "notification"
	case LiveServerError:
		return "server-error"
	case LiveGap:
		return "gap"
	case LiveReconnecting:
		return "reconnecting"
	}
	return "LiveEventKind(" + strconv.Itoa(int(k)) + ")"
}

// LiveEvent is one thing that happened on a live channel (the notifier or
// the execution SSE stream).
type LiveEvent struct {
	// Kind says which of the fields below is set.
	Kind LiveEventKind
	// Notification is set for LiveNotification.
	Notification *Notification
	// Gap is set for LiveGap.
	Gap *Gap
	// ClientID is, for LiveWelcome, the notifier's id of this connection.
	ClientID string
	// Message is, for LiveWelcome and LiveServerError, the server's text
	// (untrusted: sanitise before drawing).
	Message string
	// Err is, for LiveReconnecting, the cause.
	Err error
	// Delay is, for LiveReconnecting, the wait before the next attempt.
	Delay time.Duration
	// At is when the client produced the event.
	At time.Time
}

// Gap says why notifications may have been missed. Both fields can be set
// when a reconnect and drops were merged into one gap.
type Gap struct {
	// Reconnected is true when the connection was re-established:
	// anything published while it was down is lost.
	Reconnected bool
	// Dropped counts events the client dropped because the consumer did
	// not keep up with its bounded queue.
	Dropped int
}

// ErrLiveClosed is returned by Next after Close.
var ErrLiveClosed = errors.New("attune: live channel closed")

// liveQueue is the bounded queue between a live channel's reader goroutine
// and its consumer. It holds at most size events plus one gap marker: when
// full, new events are dropped and counted in a trailing gap, so that the
// consumer learns about the loss at the place it happened and memory never
// grows.
type liveQueue struct {
	mu     sync.Mutex
	size   int
	q      []LiveEvent
	signal chan struct{} // cap 1: something was pushed or the queue ended
	err    error         // set once: Next returns it after draining (or at once for ErrLiveClosed)
}

// newLiveQueue returns a queue of size events.
func newLiveQueue(size int) *liveQueue {
	return &liveQueue{size: size, q: make([]LiveEvent, 0, size+1), signal: make(chan struct{}, 1)}
}

// push adds ev, or drops it into the trailing gap when the queue is full.
// A gap event merges into a trailing gap.
func (lq *liveQueue) push(ev LiveEvent) {
	lq.mu.Lock()
	defer lq.mu.Unlock()
	if lq.err != nil {
		return
	}
	if n := len(lq.q); n > 0 && lq.q[n-1].Kind == LiveGap {
		last := lq.q[n-1].Gap
		switch {
		case ev.Kind == LiveGap:
			last.Reconnected = last.Reconnected || ev.Gap.Reconnected
			last.Dropped += ev.Gap.Dropped
			lq.wake()
			return
		case n >= lq.size:
			last.Dropped++
			return
		}
	}
	switch {
	case len(lq.q) < lq.size:
		lq.q = append(lq.q, ev)
	case ev.Kind == LiveGap:
		lq.q = append(lq.q, ev) // the reserved slot
	default:
		lq.q = append(lq.q, LiveEvent{Kind: LiveGap, Gap: &Gap{Dropped: 1}, At: ev.At})
	}
	lq.wake()
}

// wake signals the consumer; the caller holds mu.
func (lq *liveQueue) wake() {
	select {
	case lq.signal <- struct{}{}:
	default:
	}
}

// finish ends the queue with err: Next drains what is queued, then returns
// err; ErrLiveClosed is returned at once.
func (lq *liveQueue) finish(err error) {
	lq.mu.Lock()
	defer lq.mu.Unlock()
	if lq.err == nil || errors.Is(err, ErrLiveClosed) {
		lq.err = err
		lq.wake()
	}
}

// next blocks for the next event, the queue's end, or ctx.
func (lq *liveQueue) next(ctx context.Context) (LiveEvent, error) {
	for {
		lq.mu.Lock()
		if errors.Is(lq.err, ErrLiveClosed) {
			lq.q = nil
			lq.mu.Unlock()
			return LiveEvent{}, ErrLiveClosed
		}
		if len(lq.q) > 0 {
			ev := lq.q[0]
			lq.q[0] = LiveEvent{}
			lq.q = lq.q[1:]
			lq.mu.Unlock()
			return ev, nil
		}
		err := lq.err
		lq.mu.Unlock()
		if err != nil {
			return LiveEvent{}, err
		}
		select {
		case <-ctx.Done():
			return LiveEvent{}, ctx.Err()
		case <-lq.signal:
		}
	}
}

// liveLife is the life both live channels (Notifier, ExecutionStream)
// share: the background goroutine's context and end, the bounded queue of
// events for the consumer, and the connection state.
type liveLife struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	q      *liveQueue
	state  atomic.Int32
}

// begin readies l for a goroutine that lives until ctx ends or close.
func (l *liveLife) begin(ctx context.Context, queueSize int) {
	l.done, l.q = make(chan struct{}), newLiveQueue(queueSize)
	l.state.Store(int32(LiveStateConnecting))
	l.ctx, l.cancel = context.WithCancel(ctx)
}

// close ends the goroutine and waits for it; Next then returns
// ErrLiveClosed. Safe more than once.
func (l *liveLife) close() {
	l.q.finish(ErrLiveClosed)
	l.cancel()
	<-l.done
}

// end is the goroutine's last act: the state becomes closed and the
// consumer gets final (ErrLiveClosed when nil) after the queued events.
func (l *liveLife) end(final error) {
	l.state.Store(int32(LiveStateClosed))
	if final == nil {
		final = ErrLiveClosed
	}
	l.q.finish(final)
	close(l.done)
}

// sleep waits d; it reports false when the context ended first.
func (l *liveLife) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-l.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
