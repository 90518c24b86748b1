package conditions

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vector is one line of the jsonl block of CONDITIONS.md.
type vector struct {
	ID         string          `json:"id"`
	Conditions json.RawMessage `json:"conditions"`
	Payload    json.RawMessage `json:"payload"`
	Event      *struct {
		ID         int64  `json:"id"`
		TriggerRef string `json:"trigger_ref"`
	} `json:"event"`
	Match   bool            `json:"match"`
	Results json.RawMessage `json:"results"`
}

// conditionsSpec finds CONDITIONS.md via $ATTUNE_CONDITIONS or the shared
// directory next to the repository root.
func conditionsSpec(t *testing.T) []byte {
	t.Helper()
	path := os.Getenv("ATTUNE_CONDITIONS")
	if path == "" {
		path = filepath.Join("..", "..", "..", "shared", "attune-api", "CONDITIONS.md")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("CONDITIONS.md not found at %s (set ATTUNE_CONDITIONS): %v", path, err)
	}
	return data
}

func parseVectors(t *testing.T, md []byte) []vector {
	t.Helper()
	var out []vector
	in := false
	sc := bufio.NewScanner(bytes.NewReader(md))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "```jsonl":
			in = true
		case in && line == "```":
			in = false
		case in && line != "":
			var v vector
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Fatalf("vector line %q: %v", line, err)
			}
			out = append(out, v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("scan CONDITIONS.md: %v", err)
	}
	return out
}

func TestSpecVectors(t *testing.T) {
	t.Parallel()
	vectors := parseVectors(t, conditionsSpec(t))
	if len(vectors) != 40 {
		t.Fatalf("found %d vectors in CONDITIONS.md, want 40", len(vectors))
	}
	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			t.Parallel()
			checkVector(t, v)
		})
	}
}

// checkVector evaluates a vector and compares verdict and per-part results.
func checkVector(t *testing.T, v vector) {
	t.Helper()
	ev := Event{Payload: v.Payload}
	if v.Event != nil {
		ev.ID, ev.TriggerRef = v.Event.ID, v.Event.TriggerRef
	}
	got := Evaluate(v.Conditions, ev)
	if got.Match != v.Match {
		t.Errorf("Match = %v, want %v (reason: %s)", got.Match, v.Match, got.Reason)
	}
	var results any
	if err := decodeJSON(v.Results, &results); err != nil {
		t.Fatalf("results: %v", err)
	}
	switch r := results.(type) {
	case string:
		switch r {
		case "not_evaluated":
			if got.Shape != NoPayload {
				t.Errorf("Shape = %s, want %s", got.Shape, NoPayload)
			}
		case "unsupported":
			if got.Shape != Unsupported {
				t.Errorf("Shape = %s, want %s", got.Shape, Unsupported)
			}
		case "error":
			if got.Shape != Expression || got.Expr == nil || got.Expr.Err == "" {
				t.Errorf("want an expression error, got %+v", got)
			}
		default:
			t.Fatalf("unknown results %q", r)
		}
	case []any:
		if len(r) == 0 {
			if got.Shape != Empty {
				t.Errorf("Shape = %s, want %s", got.Shape, Empty)
			}
			return
		}
		if got.Shape != Array || len(got.Checks) != len(r) {
			t.Fatalf("Shape = %s with %d checks, want array with %d", got.Shape, len(got.Checks), len(r))
		}
		for i, want := range r {
			if string(got.Checks[i].Outcome) != want {
				t.Errorf("check %d outcome = %s, want %s (err %q)", i, got.Checks[i].Outcome, want, got.Checks[i].Err)
			}
		}
	case map[string]any:
		if got.Shape != Expression || got.Expr == nil {
			t.Fatalf("Shape = %s, want expression", got.Shape)
		}
		if got.Expr.Err != "" {
			t.Fatalf("expression error %q", got.Expr.Err)
		}
		var gotV any
		if err := decodeJSON(got.Expr.Value, &gotV); err != nil {
			t.Fatalf("value %q: %v", got.Expr.Value, err)
		}
		if !jsonEqual(gotV, r["value"]) {
			t.Errorf("value = %s, want %v", got.Expr.Value, r["value"])
		}
	}
}
