package client

import (
	"encoding/json"
	"time"
)

// EnforcementStatus is the lifecycle state of an enforcement. Unknown values
// sent by a newer server are kept as-is.
type EnforcementStatus string

// Enforcement statuses in the contract's order.
const (
	EnforcementCreated   EnforcementStatus = "created"
	EnforcementProcessed EnforcementStatus = "processed"
	EnforcementDisabled  EnforcementStatus = "disabled"
)

// EnforcementStatuses returns every known enforcement status in contract order.
func EnforcementStatuses() []EnforcementStatus {
	return []EnforcementStatus{EnforcementCreated, EnforcementProcessed, EnforcementDisabled}
}

// Known reports whether s is one of the statuses this client knows.
func (s EnforcementStatus) Known() bool {
	switch s {
	case EnforcementCreated, EnforcementProcessed, EnforcementDisabled:
		return true
	}
	return false
}

// EnforcementCondition is how an enforcement combined its rule's conditions.
// The executor always writes "all".
type EnforcementCondition string

// Enforcement condition modes.
const (
	ConditionAny EnforcementCondition = "any"
	ConditionAll EnforcementCondition = "all"
)

// RetentionPolicyType is the unit of an artifact or log retention limit.
// Unknown values sent by a newer server are kept as-is.
type RetentionPolicyType string

// Retention policy units.
const (
	RetentionVersions RetentionPolicyType = "versions"
	RetentionDays     RetentionPolicyType = "days"
	RetentionHours    RetentionPolicyType = "hours"
	RetentionMinutes  RetentionPolicyType = "minutes"
)

// ReferenceVisibility says which packs may subscribe rules to a trigger
// (ActionReferenceVisibility in the spec). Unknown values sent by a newer
// server are kept as-is.
type ReferenceVisibility string

// Reference visibilities.
const (
	VisibilityPublic     ReferenceVisibility = "public"
	VisibilityPrivate    ReferenceVisibility = "private"
	VisibilityRestricted ReferenceVisibility = "restricted"
)

// ExecutionStatus is the state of an action execution. Unknown values sent by
// a newer server are kept as-is.
type ExecutionStatus string

// Execution statuses in the contract's order.
const (
	ExecutionRequested  ExecutionStatus = "requested"
	ExecutionScheduling ExecutionStatus = "scheduling"
	ExecutionScheduled  ExecutionStatus = "scheduled"
	ExecutionRunning    ExecutionStatus = "running"
	ExecutionCompleted  ExecutionStatus = "completed"
	ExecutionFailed     ExecutionStatus = "failed"
	ExecutionCanceling  ExecutionStatus = "canceling"
	ExecutionCancelled  ExecutionStatus = "cancelled"
	ExecutionTimeout    ExecutionStatus = "timeout"
	ExecutionAbandoned  ExecutionStatus = "abandoned"
)

// ExecutionStatuses returns every known execution status in contract order.
func ExecutionStatuses() []ExecutionStatus {
	return []ExecutionStatus{
		ExecutionRequested, ExecutionScheduling, ExecutionScheduled, ExecutionRunning,
		ExecutionCompleted, ExecutionFailed, ExecutionCanceling, ExecutionCancelled,
		ExecutionTimeout, ExecutionAbandoned,
	}
}

// Known reports whether s is one of the statuses this client knows.
func (s ExecutionStatus) Known() bool {
	for _, k := range ExecutionStatuses() {
		if s == k {
			return true
		}
	}
	return false
}

// Terminal reports whether an execution in status s will not change again.
// Unknown statuses are treated as not terminal.
func (s ExecutionStatus) Terminal() bool {
	switch s {
	case ExecutionCompleted, ExecutionFailed, ExecutionCancelled, ExecutionTimeout, ExecutionAbandoned:
		return true
	}
	return false
}

// Problem reports whether s is a failure-like terminal status
// (failed, timeout, abandoned, cancelled).
func (s ExecutionStatus) Problem() bool {
	switch s {
	case ExecutionFailed, ExecutionTimeout, ExecutionAbandoned, ExecutionCancelled:
		return true
	}
	return false
}

// Redacted is the literal the server puts in place of a ref the caller may
// not see. A ref with this value must never be followed.
const Redacted = "[redacted]"

// IsRedacted reports whether ref is absent or redacted, so that it must not
// be followed.
func IsRedacted(ref string) bool { return ref == "" || ref == Redacted }

// Pagination is the pagination block of a list response. TotalItems and
// TotalPages are nil unless the server sent them (include_total=true, or an
// endpoint that always counts).
type Pagination struct {
	Page        int  `json:"page"`
	PageSize    int  `json:"page_size"`
	TotalItems  *int `json:"total_items,omitempty"`
	TotalPages  *int `json:"total_pages,omitempty"`
	HasPrevious bool `json:"has_previous"`
	HasNext     bool `json:"has_next"`
}

// Page is one page of a list response.
type Page[T any] struct {
	Items      []T        `json:"items"`
	Pagination Pagination `json:"pagination"`
}

// EventSummary is an event as it appears in lists.
type EventSummary struct {
	ID         int64     `json:"id"`
	Trigger    *int64    `json:"trigger"`
	TriggerRef string    `json:"trigger_ref"`
	Source     *int64    `json:"source"`
	SourceRef  *string   `json:"source_ref"`
	Rule       *int64    `json:"rule"`
	RuleRef    *string   `json:"rule_ref"`
	TraceTag   *string   `json:"trace_tag,omitempty"`
	HasPayload bool      `json:"has_payload"`
	Created    time.Time `json:"created"`
}

// Event is a single event with its payload and config.
type Event struct {
	ID         int64           `json:"id"`
	Trigger    *int64          `json:"trigger"`
	TriggerRef string          `json:"trigger_ref"`
	Source     *int64          `json:"source"`
	SourceRef  *string         `json:"source_ref"`
	Rule       *int64          `json:"rule"`
	RuleRef    *string         `json:"rule_ref"`
	TraceTag   *string         `json:"trace_tag,omitempty"`
	Config     json.RawMessage `json:"config"`
	Payload    json.RawMessage `json:"payload"`
	Created    time.Time       `json:"created"`
}

// EnforcementSummary is an enforcement as it appears in lists.
type EnforcementSummary struct {
	ID         int64                `json:"id"`
	Rule       *int64               `json:"rule"`
	RuleRef    string               `json:"rule_ref"`
	TriggerRef string               `json:"trigger_ref"`
	Event      *int64               `json:"event"`
	Status     EnforcementStatus    `json:"status"`
	Condition  EnforcementCondition `json:"condition"`
	TraceTag   *string              `json:"trace_tag,omitempty"`
	Created    time.Time            `json:"created"`
}

// Enforcement is a single enforcement with its conditions snapshot, payload
// and resolved config.
type Enforcement struct {
	ID         int64                `json:"id"`
	Rule       *int64               `json:"rule"`
	RuleRef    string               `json:"rule_ref"`
	TriggerRef string               `json:"trigger_ref"`
	Event      *int64               `json:"event"`
	Status     EnforcementStatus    `json:"status"`
	Condition  EnforcementCondition `json:"condition"`
	Conditions json.RawMessage      `json:"conditions"`
	Config     json.RawMessage      `json:"config"`
	Payload    json.RawMessage      `json:"payload"`
	TraceTag   *string              `json:"trace_tag,omitempty"`
	Created    time.Time            `json:"created"`
	ResolvedAt *time.Time           `json:"resolved_at"`
}

// ExecutionSummary is an execution as it appears in lists.
type ExecutionSummary struct {
	ID                int64           `json:"id"`
	ActionRef         string          `json:"action_ref"`
	Status            ExecutionStatus `json:"status"`
	Parent            *int64          `json:"parent"`
	Enforcement       *int64          `json:"enforcement"`
	RuleRef           *string         `json:"rule_ref"`
	TriggerRef        *string         `json:"trigger_ref"`
	TraceTag          *string         `json:"trace_tag,omitempty"`
	TimeoutSeconds    *int32          `json:"timeout_seconds,omitempty"`
	StartedAt         *time.Time      `json:"started_at,omitempty"`
	WorkflowTask      json.RawMessage `json:"workflow_task,omitempty"`
	OriginalExecution *int64          `json:"original_execution,omitempty"`
	Created           time.Time       `json:"created"`
	Updated           time.Time       `json:"updated"`
}

// Execution is a single execution with its config and result.
type Execution struct {
	ID                      int64                `json:"id"`
	Action                  *int64               `json:"action"`
	ActionRef               string               `json:"action_ref"`
	Config                  json.RawMessage      `json:"config"`
	Parent                  *int64               `json:"parent"`
	Enforcement             *int64               `json:"enforcement"`
	Executor                *int64               `json:"executor"`
	Worker                  *int64               `json:"worker"`
	Status                  ExecutionStatus      `json:"status"`
	Result                  json.RawMessage      `json:"result"`
	PermissionSetRefs       []string             `json:"permission_set_refs,omitempty"`
	ArtifactRetentionPolicy *RetentionPolicyType `json:"artifact_retention_policy,omitempty"`
	ArtifactRetentionLimit  *int32               `json:"artifact_retention_limit,omitempty"`
	WorkerSelector          json.RawMessage      `json:"worker_selector,omitempty"`
	WorkerTolerations       json.RawMessage      `json:"worker_tolerations,omitempty"`
	WorkerAffinity          json.RawMessage      `json:"worker_affinity,omitempty"`
	TraceTag                *string              `json:"trace_tag,omitempty"`
	TimeoutSeconds          *int32               `json:"timeout_seconds,omitempty"`
	OriginalExecution       *int64               `json:"original_execution,omitempty"`
	StartedAt               *time.Time           `json:"started_at,omitempty"`
	WorkflowTask            json.RawMessage      `json:"workflow_task,omitempty"`
	Created                 time.Time            `json:"created"`
	Updated                 time.Time            `json:"updated"`
}

// RuleSummary is a rule as it appears in lists. It carries no conditions;
// fetch the rule with Rules.Get for those.
type RuleSummary struct {
	ID                int64           `json:"id"`
	Ref               string          `json:"ref"`
	PackRef           string          `json:"pack_ref"`
	Label             string          `json:"label"`
	Description       *string         `json:"description"`
	ActionRef         string          `json:"action_ref"`
	TriggerRef        string          `json:"trigger_ref"`
	ActionParams      json.RawMessage `json:"action_params"`
	TriggerParams     json.RawMessage `json:"trigger_params"`
	Enabled           bool            `json:"enabled"`
	PermissionSetRefs []string        `json:"permission_set_refs"`
	TraceTagTemplate  *string         `json:"trace_tag_template"`
	Created           time.Time       `json:"created"`
	Updated           time.Time       `json:"updated"`
}

// Rule is a single rule including its conditions.
type Rule struct {
	ID                int64           `json:"id"`
	Ref               string          `json:"ref"`
	Pack              int64           `json:"pack"`
	PackRef           string          `json:"pack_ref"`
	Label             string          `json:"label"`
	Description       *string         `json:"description"`
	Action            *int64          `json:"action"`
	ActionRef         string          `json:"action_ref"`
	Trigger           *int64          `json:"trigger"`
	TriggerRef        string          `json:"trigger_ref"`
	Conditions        json.RawMessage `json:"conditions"`
	ActionParams      json.RawMessage `json:"action_params"`
	TriggerParams     json.RawMessage `json:"trigger_params"`
	Enabled           bool            `json:"enabled"`
	IsAdhoc           bool            `json:"is_adhoc"`
	OwnerIdentity     *int64          `json:"owner_identity"`
	PermissionSetRefs []string        `json:"permission_set_refs"`
	TraceTagTemplate  *string         `json:"trace_tag_template"`
	Created           time.Time       `json:"created"`
	Updated           time.Time       `json:"updated"`
}

// Trigger is a trigger type that sensors emit events for.
type Trigger struct {
	ID                       int64               `json:"id"`
	Ref                      string              `json:"ref"`
	Label                    string              `json:"label"`
	Description              *string             `json:"description"`
	Enabled                  bool                `json:"enabled"`
	ParamSchema              json.RawMessage     `json:"param_schema"`
	OutSchema                json.RawMessage     `json:"out_schema"`
	Pack                     *int64              `json:"pack"`
	PackRef                  *string             `json:"pack_ref"`
	Sensor                   *int64              `json:"sensor"`
	SensorRef                *string             `json:"sensor_ref"`
	WebhookEnabled           bool                `json:"webhook_enabled"`
	WebhookKey               *string             `json:"webhook_key"`
	IsAdhoc                  bool                `json:"is_adhoc"`
	ReferenceVisibility      ReferenceVisibility `json:"reference_visibility"`
	ReferenceAllowedPackRefs []string            `json:"reference_allowed_pack_refs"`
	Created                  time.Time           `json:"created"`
	Updated                  time.Time           `json:"updated"`
}

// Sensor is a sensor that emits events.
type Sensor struct {
	ID                      int64                `json:"id"`
	Ref                     string               `json:"ref"`
	Label                   string               `json:"label"`
	Description             *string              `json:"description"`
	Entrypoint              string               `json:"entrypoint"`
	Runtime                 int64                `json:"runtime"`
	RuntimeRef              string               `json:"runtime_ref"`
	Enabled                 bool                 `json:"enabled"`
	Pack                    *int64               `json:"pack"`
	PackRef                 *string              `json:"pack_ref"`
	ParamSchema             json.RawMessage      `json:"param_schema"`
	WorkerSelector          json.RawMessage      `json:"worker_selector"`
	WorkerTolerations       json.RawMessage      `json:"worker_tolerations"`
	WorkerAffinity          json.RawMessage      `json:"worker_affinity"`
	ArtifactRetentionPolicy *RetentionPolicyType `json:"artifact_retention_policy,omitempty"`
	ArtifactRetentionLimit  *int32               `json:"artifact_retention_limit,omitempty"`
	LogRetentionPolicy      *RetentionPolicyType `json:"log_retention_policy,omitempty"`
	LogRetentionLimit       *int32               `json:"log_retention_limit,omitempty"`
	Created                 time.Time            `json:"created"`
	Updated                 time.Time            `json:"updated"`
}

// TraceEnforcementSummary is an enforcement as it appears in a trace report.
type TraceEnforcementSummary struct {
	ID         int64                `json:"id"`
	Rule       *int64               `json:"rule"`
	RuleRef    string               `json:"rule_ref"`
	TriggerRef string               `json:"trigger_ref"`
	Event      *int64               `json:"event"`
	Status     EnforcementStatus    `json:"status"`
	Condition  EnforcementCondition `json:"condition"`
	Created    time.Time            `json:"created"`
	ResolvedAt *time.Time           `json:"resolved_at"`
}

// TraceReport is everything the server knows under one trace tag.
type TraceReport struct {
	TraceTag        string                    `json:"trace_tag"`
	Origins         []string                  `json:"origins"`
	Executions      []ExecutionSummary        `json:"executions"`
	Enforcements    []TraceEnforcementSummary `json:"enforcements"`
	Events          []EventSummary            `json:"events"`
	QueueDispatches []json.RawMessage         `json:"queue_dispatches"`
	QueueItems      []json.RawMessage         `json:"queue_items"`
}

// UserInfo is the user block of a login response.
type UserInfo struct {
	ID          int64   `json:"id"`
	Login       string  `json:"login"`
	DisplayName *string `json:"display_name"`
}

// CurrentUser is the signed-in identity as returned by GET /auth/me.
type CurrentUser struct {
	ID                        int64           `json:"id"`
	Login                     string          `json:"login"`
	DisplayName               *string         `json:"display_name"`
	AuthProvider              string          `json:"auth_provider"`
	IsLocal                   bool            `json:"is_local"`
	CanChangePassword         bool            `json:"can_change_password"`
	ProviderProfile           json.RawMessage `json:"provider_profile,omitempty"`
	EffectivePermissions      json.RawMessage `json:"effective_permissions"`
	AssignedPermissionSetRefs []string        `json:"assigned_permission_set_refs"`
}

// Health is the body of GET /health and GET /health/detailed.
type Health struct {
	Status   string `json:"status"`
	Version  string `json:"version,omitempty"`
	Database string `json:"database,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Readiness is the report GET /health/ready may send with a 503 when the
// server is not ready. Packs and Repair are kept raw: the contract does not
// fix their shape.
type Readiness struct {
	Status string          `json:"status"`
	Error  string          `json:"error,omitempty"`
	Packs  json.RawMessage `json:"packs,omitempty"`
	Repair json.RawMessage `json:"repair,omitempty"`
}
