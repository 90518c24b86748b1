package devserver

import "encoding/json"

// Wire structs: the exact JSON shapes of CONTRACT.md. Fields marked ✱ there
// use omitempty; fields sent as null are plain pointers / raw JSON "null".

type dataEnvelope struct {
	Data any `json:"data"`
}

type listEnvelope struct {
	Items      any            `json:"items"`
	Pagination paginationMeta `json:"pagination"`
}

type paginationMeta struct {
	Page        int64  `json:"page"`
	PageSize    int64  `json:"page_size"`
	TotalItems  *int64 `json:"total_items,omitempty"`
	TotalPages  *int64 `json:"total_pages,omitempty"`
	HasPrevious bool   `json:"has_previous"`
	HasNext     bool   `json:"has_next"`
}

type handlerError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

type authErrorBody struct {
	Error authErrorDetail `json:"error"`
}

type authErrorDetail struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type eventSummary struct {
	ID         int64     `json:"id"`
	Trigger    *int64    `json:"trigger"`
	TriggerRef string    `json:"trigger_ref"`
	Source     *int64    `json:"source"`
	SourceRef  *string   `json:"source_ref"`
	Rule       *int64    `json:"rule"`
	RuleRef    *string   `json:"rule_ref"`
	TraceTag   *string   `json:"trace_tag,omitempty"`
	HasPayload bool      `json:"has_payload"`
	Created    timestamp `json:"created"`
}

type eventResponse struct {
	ID         int64           `json:"id"`
	Trigger    *int64          `json:"trigger"`
	TriggerRef string          `json:"trigger_ref"`
	Config     json.RawMessage `json:"config"`
	Payload    json.RawMessage `json:"payload"`
	Source     *int64          `json:"source"`
	SourceRef  *string         `json:"source_ref"`
	Rule       *int64          `json:"rule"`
	RuleRef    *string         `json:"rule_ref"`
	TraceTag   *string         `json:"trace_tag,omitempty"`
	Created    timestamp       `json:"created"`
}

type enforcementSummary struct {
	ID         int64     `json:"id"`
	Rule       *int64    `json:"rule"`
	RuleRef    string    `json:"rule_ref"`
	TriggerRef string    `json:"trigger_ref"`
	Event      *int64    `json:"event"`
	Status     string    `json:"status"`
	Condition  string    `json:"condition"`
	TraceTag   *string   `json:"trace_tag,omitempty"`
	Created    timestamp `json:"created"`
}

type enforcementResponse struct {
	ID         int64           `json:"id"`
	Rule       *int64          `json:"rule"`
	RuleRef    string          `json:"rule_ref"`
	TriggerRef string          `json:"trigger_ref"`
	Config     json.RawMessage `json:"config"`
	Event      *int64          `json:"event"`
	Status     string          `json:"status"`
	Payload    json.RawMessage `json:"payload"`
	Condition  string          `json:"condition"`
	Conditions json.RawMessage `json:"conditions"`
	TraceTag   *string         `json:"trace_tag,omitempty"`
	Created    timestamp       `json:"created"`
	ResolvedAt *timestamp      `json:"resolved_at"`
}

type traceEnforcement struct {
	ID         int64      `json:"id"`
	Rule       *int64     `json:"rule"`
	RuleRef    string     `json:"rule_ref"`
	TriggerRef string     `json:"trigger_ref"`
	Event      *int64     `json:"event"`
	Status     string     `json:"status"`
	Condition  string     `json:"condition"`
	Created    timestamp  `json:"created"`
	ResolvedAt *timestamp `json:"resolved_at"`
}

type executionSummary struct {
	ID                int64           `json:"id"`
	ActionRef         string          `json:"action_ref"`
	Status            string          `json:"status"`
	TraceTag          *string         `json:"trace_tag,omitempty"`
	TimeoutSeconds    *int32          `json:"timeout_seconds,omitempty"`
	Parent            *int64          `json:"parent"`
	Enforcement       *int64          `json:"enforcement"`
	RuleRef           *string         `json:"rule_ref"`
	TriggerRef        *string         `json:"trigger_ref"`
	StartedAt         *timestamp      `json:"started_at,omitempty"`
	WorkflowTask      json.RawMessage `json:"workflow_task,omitempty"`
	OriginalExecution *int64          `json:"original_execution,omitempty"`
	Created           timestamp       `json:"created"`
	Updated           timestamp       `json:"updated"`
}

type executionResponse struct {
	ID                      int64           `json:"id"`
	Action                  *int64          `json:"action"`
	ActionRef               string          `json:"action_ref"`
	Config                  json.RawMessage `json:"config"`
	Parent                  *int64          `json:"parent"`
	Enforcement             *int64          `json:"enforcement"`
	Executor                *int64          `json:"executor"`
	PermissionSetRefs       []string        `json:"permission_set_refs,omitempty"`
	ArtifactRetentionPolicy *string         `json:"artifact_retention_policy,omitempty"`
	ArtifactRetentionLimit  *int32          `json:"artifact_retention_limit,omitempty"`
	Worker                  *int64          `json:"worker"`
	Status                  string          `json:"status"`
	TraceTag                *string         `json:"trace_tag,omitempty"`
	TimeoutSeconds          *int32          `json:"timeout_seconds,omitempty"`
	OriginalExecution       *int64          `json:"original_execution,omitempty"`
	Result                  json.RawMessage `json:"result"`
	StartedAt               *timestamp      `json:"started_at,omitempty"`
	WorkflowTask            json.RawMessage `json:"workflow_task,omitempty"`
	Created                 timestamp       `json:"created"`
	Updated                 timestamp       `json:"updated"`
}

type ruleSummary struct {
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
	PermissionSetRefs json.RawMessage `json:"permission_set_refs"`
	TraceTagTemplate  *string         `json:"trace_tag_template"`
	Created           timestamp       `json:"created"`
	Updated           timestamp       `json:"updated"`
}

type ruleResponse struct {
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
	PermissionSetRefs json.RawMessage `json:"permission_set_refs"`
	TraceTagTemplate  *string         `json:"trace_tag_template"`
	Created           timestamp       `json:"created"`
	Updated           timestamp       `json:"updated"`
}

type triggerResponse struct {
	ID                       int64           `json:"id"`
	Ref                      string          `json:"ref"`
	Label                    string          `json:"label"`
	Description              *string         `json:"description"`
	Enabled                  bool            `json:"enabled"`
	ParamSchema              json.RawMessage `json:"param_schema"`
	OutSchema                json.RawMessage `json:"out_schema"`
	Pack                     *int64          `json:"pack"`
	PackRef                  *string         `json:"pack_ref"`
	Sensor                   *int64          `json:"sensor"`
	SensorRef                *string         `json:"sensor_ref"`
	WebhookEnabled           bool            `json:"webhook_enabled"`
	WebhookKey               *string         `json:"webhook_key"`
	IsAdhoc                  bool            `json:"is_adhoc"`
	ReferenceVisibility      string          `json:"reference_visibility"`
	ReferenceAllowedPackRefs []string        `json:"reference_allowed_pack_refs"`
	Created                  timestamp       `json:"created"`
	Updated                  timestamp       `json:"updated"`
}

type sensorResponse struct {
	ID                      int64           `json:"id"`
	Ref                     string          `json:"ref"`
	Label                   string          `json:"label"`
	Description             *string         `json:"description"`
	Entrypoint              string          `json:"entrypoint"`
	Runtime                 int64           `json:"runtime"`
	RuntimeRef              string          `json:"runtime_ref"`
	Enabled                 bool            `json:"enabled"`
	Pack                    *int64          `json:"pack"`
	PackRef                 *string         `json:"pack_ref"`
	ParamSchema             json.RawMessage `json:"param_schema"`
	WorkerSelector          json.RawMessage `json:"worker_selector"`
	WorkerTolerations       json.RawMessage `json:"worker_tolerations"`
	WorkerAffinity          json.RawMessage `json:"worker_affinity"`
	ArtifactRetentionPolicy *string         `json:"artifact_retention_policy"`
	ArtifactRetentionLimit  *int32          `json:"artifact_retention_limit"`
	LogRetentionPolicy      *string         `json:"log_retention_policy"`
	LogRetentionLimit       *int32          `json:"log_retention_limit"`
	Created                 timestamp       `json:"created"`
	Updated                 timestamp       `json:"updated"`
}

type traceReport struct {
	TraceTag        string             `json:"trace_tag"`
	Origins         []string           `json:"origins"`
	Executions      []executionSummary `json:"executions"`
	Enforcements    []traceEnforcement `json:"enforcements"`
	Events          []eventSummary     `json:"events"`
	QueueDispatches []json.RawMessage  `json:"queue_dispatches"`
	QueueItems      []json.RawMessage  `json:"queue_items"`
}

type tokenResponse struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	TokenType    string    `json:"token_type"`
	ExpiresIn    int64     `json:"expires_in"`
	User         *userInfo `json:"user,omitempty"`
}

type userInfo struct {
	ID          int64   `json:"id"`
	Login       string  `json:"login"`
	DisplayName *string `json:"display_name"`
}

type permission struct {
	Resource string   `json:"resource"`
	Actions  []string `json:"actions"`
}

type currentUser struct {
	ID                        int64        `json:"id"`
	Login                     string       `json:"login"`
	DisplayName               *string      `json:"display_name"`
	AuthProvider              string       `json:"auth_provider"`
	IsLocal                   bool         `json:"is_local"`
	CanChangePassword         bool         `json:"can_change_password"`
	EffectivePermissions      []permission `json:"effective_permissions"`
	AssignedPermissionSetRefs []string     `json:"assigned_permission_set_refs"`
}

type healthDetailed struct {
	Status   string `json:"status"`
	Version  string `json:"version,omitempty"`
	Database string `json:"database"`
	Error    string `json:"error,omitempty"`
}
