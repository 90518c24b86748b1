package devserver

import (
	"encoding/json"
	"strconv"
	"time"
)

// Row types mirror the tables. Optional columns are pointers (nil = SQL NULL),
// JSON columns are raw JSON (nil = SQL NULL). Times are microseconds since the
// Unix epoch, UTC.

type eventRow struct {
	ID         int64
	Trigger    *int64
	TriggerRef string
	Config     json.RawMessage
	Payload    json.RawMessage
	Source     *int64
	SourceRef  *string
	Rule       *int64
	RuleRef    *string
	TraceTag   *string
	Created    int64
}

type enforcementRow struct {
	ID         int64
	Rule       *int64
	RuleRef    string
	TriggerRef string
	Config     json.RawMessage
	Event      *int64
	Status     string
	Condition  string
	Conditions json.RawMessage
	TraceTag   *string
	Created    int64
	ResolvedAt *int64
}

type executionRow struct {
	ID                int64
	Action            *int64
	ActionRef         string
	PackName          string
	Config            json.RawMessage
	Parent            *int64
	Enforcement       *int64
	RuleRef           *string
	TriggerRef        *string
	Executor          *int64
	Worker            *int64
	Status            string
	Result            json.RawMessage
	TraceTag          *string
	TimeoutSeconds    *int32
	StartedAt         *int64
	WorkflowTask      json.RawMessage
	OriginalExecution *int64
	RetentionPolicy   *string
	RetentionLimit    *int32
	Created           int64
	Updated           int64
	// Log is the execution's runtime-log version (nil when it never
	// started); not a column of execution but a log_version row.
	Log *logRow
	// resultMap is Result before marshalling, when the seed built it.
	resultMap map[string]any
}

// logRow is one log_version row: the version of both log artifacts that an
// execution wrote. Expired rows were deleted by retention and are not
// stored, but still took a version number.
type logRow struct {
	Action  int64
	Version int32
	Kind    LogKind
	Created int64
	Sealed  *int64
	Expired bool
}

func ptr[T any](v T) *T { return &v }

// micros converts t to microseconds since the epoch.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts microseconds since the epoch to a UTC time.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// formatTime renders a timestamp the way chrono serialises a
// DateTime<Utc>: RFC 3339, "Z", and a fraction of 0, 3 or 6 digits.
func formatTime(us int64) string {
	t := fromMicros(us)
	frac := t.Nanosecond() / 1000
	base := t.Format("2006-01-02T15:04:05")
	switch {
	case frac == 0:
		return base + "Z"
	case frac%1000 == 0:
		return base + "." + pad(frac/1000, 3) + "Z"
	default:
		return base + "." + pad(frac, 6) + "Z"
	}
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// timestamp is a microsecond time that marshals like formatTime.
type timestamp int64

// MarshalJSON implements json.Marshaler.
func (t timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + formatTime(int64(t)) + `"`), nil
}
