// Package conditions re-evaluates an Attune rule's conditions against an
// event locally, with the same verdict as Attune's executor, and explains the
// verdict check by check (array form) or clause by clause (expression form).
//
// The specification is CONDITIONS.md of the shared Attune API notes; section
// numbers (§) in comments refer to it. Everything computed here is a local
// re-computation: Attune stores no per-condition results.
//
// All strings in a Result (Reason, Err, Field, Source, values) come from
// untrusted data and must go through internal/textsafe before they are drawn.
//
// Limits (upstream has none; this is a viewer, so no input may allocate or
// run without bound): see MaxConditionsBytes, MaxPayloadBytes,
// MaxExpressionBytes, MaxDepth, MaxRange, MaxValueBytes and MaxSteps. Hitting
// a limit is reported as an evaluation error, which means "no match".
package conditions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Limits on the work one Evaluate call may do.
const (
	// MaxConditionsBytes caps the size of the conditions JSON.
	MaxConditionsBytes = 1 << 20
	// MaxPayloadBytes caps the size of the event payload JSON.
	MaxPayloadBytes = 16 << 20
	// MaxExpressionBytes caps the length of an expression.
	MaxExpressionBytes = 64 << 10
	// MaxDepth caps the nesting depth of a parsed expression.
	MaxDepth = 256
	// MaxRange caps the number of elements range(), chunks() and other
	// functions that build arrays may produce in one call.
	MaxRange = 100_000
	// MaxValueBytes caps the approximate size of any string or array value
	// produced during evaluation (concatenation, join, replace, string()).
	MaxValueBytes = 4 << 20
	// MaxSteps caps the number of evaluation steps of one expression.
	MaxSteps = 1_000_000
)

// Event is the part of an Attune event that conditions can see.
type Event struct {
	// ID is the event id (event.id in expressions).
	ID int64
	// TriggerRef is the event's trigger ref (event.trigger and
	// event.trigger_ref in expressions).
	TriggerRef string
	// Payload is the stored payload; nil, empty or JSON null means the event
	// has no payload, which always matches (§2 step 1).
	Payload json.RawMessage
	// Created is the event's creation time (event.created in expressions).
	Created time.Time
}

// Shape is which of the accepted forms of rule conditions was found (§2).
type Shape string

// Shapes of rule conditions, in the order §2 decides them.
const (
	// NoPayload means the event has no payload: the conditions are not
	// looked at and the rule matches.
	NoPayload Shape = "no_payload"
	// Empty means the conditions are null, {} or []: the rule matches.
	Empty Shape = "empty"
	// Expression means {"expression": "<string>"}: the expression form (§4).
	Expression Shape = "expression"
	// Array means an array of {field, operator, value} checks (§3).
	Array Shape = "array"
	// Unsupported means any other JSON: the rule never matches.
	Unsupported Shape = "unsupported"
)

// Outcome is the result of one check of the array form.
type Outcome string

// Outcomes of one check.
const (
	// OutcomePass means the check held.
	OutcomePass Outcome = "pass"
	// OutcomeFail means the check was evaluated and did not hold.
	OutcomeFail Outcome = "fail"
	// OutcomeError means the check could not be evaluated; it stops the
	// evaluation and the rule does not match.
	OutcomeError Outcome = "error"
	// OutcomeSkipped means the check was not evaluated because an earlier
	// check failed with an error.
	OutcomeSkipped Outcome = "skipped"
)

// Result is the verdict of Evaluate and its explanation.
type Result struct {
	// Shape is the form of the conditions that was found.
	Shape Shape
	// Match reports whether Attune would consider the event to match.
	Match bool
	// Reason is a one-line human explanation of the verdict.
	Reason string
	// Checks holds one entry per array element (Array shape only).
	Checks []Check
	// Expr holds the expression's evaluation (Expression shape only).
	Expr *ExprResult
	// Reads lists the event fields the conditions read while they were
	// evaluated (FieldID … FieldCreated, in that order, each once): the
	// array form reads only the payload; an expression reads what it
	// evaluates (event.created, event["payload"]), and a use of the whole
	// event (len(event), event == x) reads every field. Nil when nothing
	// was read (no payload, empty or unsupported conditions, a syntax
	// error).
	Reads []string
}

// Event fields as conditions name them (event.<field> in expressions).
const (
	FieldID         = "id"
	FieldTrigger    = "trigger"
	FieldTriggerRef = "trigger_ref"
	FieldPayload    = "payload"
	FieldCreated    = "created"
)

// Bits of a set of event fields, in the order of Result.Reads.
const (
	readID uint8 = 1 << iota
	readTrigger
	readTriggerRef
	readPayload
	readCreated
	// readAll is every field: the whole event was used.
	readAll = readCreated<<1 - 1
)

// fieldBit returns the bit of the event field name, 0 for no field.
func fieldBit(name string) uint8 {
	switch name {
	case FieldID:
		return readID
	case FieldTrigger:
		return readTrigger
	case FieldTriggerRef:
		return readTriggerRef
	case FieldPayload:
		return readPayload
	case FieldCreated:
		return readCreated
	}
	return 0
}

// fieldNames lists the fields in bits, in Result.Reads order; nil for none.
func fieldNames(bits uint8) []string {
	var out []string
	for _, f := range [...]string{FieldID, FieldTrigger, FieldTriggerRef, FieldPayload, FieldCreated} {
		if bits&fieldBit(f) != 0 {
			out = append(out, f)
		}
	}
	return out
}

// ReadsField reports whether the evaluation read the event field name (one
// of the Field constants): whether its result could change with it.
func (r Result) ReadsField(name string) bool {
	for _, f := range r.Reads {
		if f == name {
			return true
		}
	}
	return false
}

// Check is the evaluation of one element of the array form.
type Check struct {
	// Index is the element's position in the array, from 0.
	Index int
	// Field is the field path ("" when the element has no string field).
	Field string
	// Operator is the operator name ("" when the element has none).
	Operator string
	// Expected is the JSON text of the element's value (null when absent).
	Expected json.RawMessage
	// Actual is the JSON text of the resolved field, nil if unresolved.
	Actual json.RawMessage
	// Err explains an OutcomeError (or a warning such as an unknown
	// operator on an OutcomeFail); empty otherwise.
	Err string
	// Outcome is pass, fail, error or skipped.
	Outcome Outcome
}

// Evaluate decides whether an event matches a rule's conditions exactly as
// Attune's executor does (§2–§4) and explains the verdict. It never panics
// and its work is bounded by the package limits.
func Evaluate(conds json.RawMessage, ev Event) Result {
	if isNull(ev.Payload) {
		return Result{Shape: NoPayload, Match: true,
			Reason: "event has no payload: conditions are not evaluated and the rule matches"}
	}
	if len(conds) > MaxConditionsBytes {
		return Result{Shape: Unsupported,
			Reason: fmt.Sprintf("conditions are larger than %d bytes: not evaluated here", MaxConditionsBytes)}
	}
	c := bytes.TrimSpace(conds)
	if len(c) == 0 {
		c = []byte("null")
	}
	var top any
	if err := decodeJSON(c, &top); err != nil {
		return Result{Shape: Unsupported, Reason: "conditions are not valid JSON: never matches"}
	}
	switch t := top.(type) {
	case nil:
		return Result{Shape: Empty, Match: true, Reason: "conditions are null: always match"}
	case []any:
		if len(t) == 0 {
			return Result{Shape: Empty, Match: true, Reason: "conditions are []: always match"}
		}
		return evalArray(c, ev)
	case map[string]any:
		if len(t) == 0 {
			return Result{Shape: Empty, Match: true, Reason: "conditions are {}: always match"}
		}
		if s, ok := t["expression"].(string); ok {
			return evalExpression(s, ev)
		}
		if _, ok := t["expression"]; ok {
			return Result{Shape: Unsupported,
				Reason: `unsupported conditions shape: "expression" is not a string, so it never matches`}
		}
		return Result{Shape: Unsupported,
			Reason: "unsupported conditions shape: an object without an \"expression\" string (e.g. JSON-Logic) never matches"}
	default:
		return Result{Shape: Unsupported,
			Reason: fmt.Sprintf("unsupported conditions shape: a %s is neither an array nor an expression object, so it never matches", jsonTypeName(t))}
	}
}

// isNull reports whether raw JSON is absent or the literal null.
func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}
