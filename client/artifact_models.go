package client

import (
	"encoding/json"
	"time"
)

// ArtifactType is the kind of content an artifact holds. Unknown values sent
// by a newer server are kept as-is.
type ArtifactType string

// Artifact types in the spec's order.
const (
	ArtifactFileBinary    ArtifactType = "file_binary"
	ArtifactFileDatatable ArtifactType = "file_datatable"
	ArtifactFileImage     ArtifactType = "file_image"
	ArtifactFileText      ArtifactType = "file_text"
	ArtifactOther         ArtifactType = "other"
	ArtifactProgress      ArtifactType = "progress"
	ArtifactURL           ArtifactType = "url"
)

// ArtifactVisibility says who may see an artifact. Unknown values sent by a
// newer server are kept as-is.
type ArtifactVisibility string

// Artifact visibilities.
const (
	ArtifactPublic  ArtifactVisibility = "public"
	ArtifactPrivate ArtifactVisibility = "private"
)

// ArtifactClassification tells runtime logs from other artifacts. Unknown
// values sent by a newer server are kept as-is.
type ArtifactClassification string

// Artifact classifications.
const (
	ClassificationGeneral    ArtifactClassification = "general"
	ClassificationRuntimeLog ArtifactClassification = "runtime_log"
)

// OwnerType is the kind of owner an artifact is scoped to. Unknown values
// sent by a newer server are kept as-is.
type OwnerType string

// Owner types in the spec's order.
const (
	OwnerSystem   OwnerType = "system"
	OwnerIdentity OwnerType = "identity"
	OwnerPack     OwnerType = "pack"
	OwnerAction   OwnerType = "action"
	OwnerSensor   OwnerType = "sensor"
)

// ArtifactBodyState is the storage state of an artifact version's content
// (a DTO field the spec does not list). Only ready versions download; a
// runtime log stays pending while its execution runs. Unknown values sent by
// a newer server are kept as-is.
type ArtifactBodyState string

// Artifact version body states.
const (
	BodyPending  ArtifactBodyState = "pending"
	BodyReady    ArtifactBodyState = "ready"
	BodyDeleting ArtifactBodyState = "deleting"
)

// ArtifactSummary is an artifact as it appears in lists (ArtifactSummary in
// the spec).
type ArtifactSummary struct {
	ID             int64                  `json:"id"`
	Ref            string                 `json:"ref"`
	Type           ArtifactType           `json:"type"`
	Visibility     ArtifactVisibility     `json:"visibility"`
	Classification ArtifactClassification `json:"classification"`
	Scope          OwnerType              `json:"scope"`
	Owner          string                 `json:"owner"`
	Name           *string                `json:"name"`
	ContentType    *string                `json:"content_type"`
	// SizeBytes is the size of the latest version (of any execution).
	SizeBytes *int64    `json:"size_bytes"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
}

// Artifact is a single artifact (ArtifactResponse in the spec).
type Artifact struct {
	ID              int64                  `json:"id"`
	Ref             string                 `json:"ref"`
	Scope           OwnerType              `json:"scope"`
	Owner           string                 `json:"owner"`
	Type            ArtifactType           `json:"type"`
	Visibility      ArtifactVisibility     `json:"visibility"`
	Classification  ArtifactClassification `json:"classification"`
	RetentionPolicy RetentionPolicyType    `json:"retention_policy"`
	RetentionLimit  int32                  `json:"retention_limit"`
	Name            *string                `json:"name"`
	Description     *string                `json:"description"`
	ContentType     *string                `json:"content_type"`
	// SizeBytes is the size of the latest version (of any execution).
	SizeBytes *int64 `json:"size_bytes"`
	// Data is structured data (progress entries, metadata); nil when the
	// server omitted it or sent null.
	Data    json.RawMessage `json:"data,omitempty"`
	Created time.Time       `json:"created"`
	Updated time.Time       `json:"updated"`
}

// ArtifactVersionSummary is a version as it appears in lists
// (ArtifactVersionSummary in the spec, plus the DTO's storage fields).
type ArtifactVersionSummary struct {
	ID      int64 `json:"id"`
	Version int32 `json:"version"`
	// Execution is the execution that produced this version; nil when the
	// server omitted it.
	Execution   *int64  `json:"execution,omitempty"`
	ContentType *string `json:"content_type"`
	SizeBytes   *int64  `json:"size_bytes"`
	CreatedBy   *string `json:"created_by"`
	// FilePath is a server-side path, useless to a remote client.
	FilePath *string `json:"file_path,omitempty"`
	// BodyState is nil for legacy rows and servers that do not send it.
	BodyState       *ArtifactBodyState `json:"body_state,omitempty"`
	ObjectKey       *string            `json:"object_key,omitempty"`
	ProviderVersion *string            `json:"provider_version,omitempty"`
	SHA256          *string            `json:"sha256,omitempty"`
	Created         time.Time          `json:"created"`
}

// ArtifactVersion is a single artifact version without its content
// (ArtifactVersionResponse in the spec, plus the DTO's storage fields).
type ArtifactVersion struct {
	ID       int64 `json:"id"`
	Artifact int64 `json:"artifact"`
	Version  int32 `json:"version"`
	// Execution is the execution that produced this version; nil when the
	// server omitted it.
	Execution   *int64  `json:"execution,omitempty"`
	ContentType *string `json:"content_type"`
	SizeBytes   *int64  `json:"size_bytes"`
	CreatedBy   *string `json:"created_by"`
	// FilePath is a server-side path, useless to a remote client.
	FilePath *string `json:"file_path,omitempty"`
	// Meta is free-form metadata; runtime logs carry
	// {"stream": ..., "execution_id": ...}.
	Meta json.RawMessage `json:"meta,omitempty"`
	// ContentJSON is the structured content of a JSON version.
	ContentJSON json.RawMessage `json:"content_json,omitempty"`
	// BodyState is nil for legacy rows and servers that do not send it.
	BodyState       *ArtifactBodyState `json:"body_state,omitempty"`
	ObjectKey       *string            `json:"object_key,omitempty"`
	ProviderVersion *string            `json:"provider_version,omitempty"`
	SHA256          *string            `json:"sha256,omitempty"`
	Created         time.Time          `json:"created"`
}

// ExecutionStats counts stored executions by status bucket (GET
// /api/v1/executions/stats). Pending counts requested, scheduling and
// scheduled; Cancelled includes canceling; Total is the sum of all buckets.
// The counts cover every execution the caller may read, with no time window.
type ExecutionStats struct {
	Total     int64 `json:"total"`
	Completed int64 `json:"completed"`
	Failed    int64 `json:"failed"`
	Running   int64 `json:"running"`
	Pending   int64 `json:"pending"`
	Cancelled int64 `json:"cancelled"`
	Timeout   int64 `json:"timeout"`
	Abandoned int64 `json:"abandoned"`
}
