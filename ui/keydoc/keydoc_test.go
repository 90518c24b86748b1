package keydoc

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// readmePath is the repository's README, relative to this package.
var readmePath = filepath.Join("..", "..", "README.md")

// TestREADMEKeysTable fails when the README's keys table is not the one
// generated from the key maps.
func TestREADMEKeysTable(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	got, err := Between(string(raw))
	if err != nil {
		t.Fatalf("README: %v", err)
	}
	if want := Markdown(); got != want {
		t.Errorf("the README's keys table differs from the key maps; run `go generate ./ui/keydoc` (or `go run ./scripts/keysmd`) and commit README.md\n--- README\n%s\n--- generated\n%s", got, want)
	}
}

// knownConflicts are the keys that mean different things on different
// screens today, each with why. A key that gains a second meaning fails
// the test; an entry here that is no longer a conflict fails too, so the
// list stays true.
var knownConflicts = map[string]string{
	" ":         "page down on lists, fold/unfold in the JSON viewer and the trace",
	"/":         "filter on lists, search in the JSON and log viewers",
	"enter":     "opens the selection (help names what it opens), but folds a node in the JSON viewer",
	"h":         "collapse in the JSON viewer and trace, scroll left in the log viewer",
	"left":      "collapse in the JSON viewer and trace, scroll left in the log viewer, scroll columns on lists",
	"l":         "expand in the JSON viewer and trace, scroll right in the log viewer",
	"right":     "expand in the JSON viewer and trace, scroll right in the log viewer, scroll columns on lists",
	"esc":       "back everywhere; while a jump to a time runs on a list it cancels it, and on a jq result it returns to the document",
	"w":         "why rules fired on the event detail, wrap in the log viewer",
	"T":         "absolute/relative time on lists, arrival times in the log viewer",
	"G":         "bottom; in the log viewer also follows",
	"end":       "bottom; in the log viewer also follows",
	"y":         "copy: the selection's id, trace tag or rule ref everywhere, but the node in a focused JSON viewer, the line or range in the log viewer",
	"Y":         "copy as JSON: the selected row or entity everywhere, but the whole document in a focused JSON viewer",
	"tab":       "next pane; the help names the panes of each screen",
	"shift+tab": "previous pane; the help names the panes of each screen",
	"1":         "the list's first status (enforcement and execution statuses differ)",
	"2":         "the list's second status",
	"3":         "the list's third status",
}

// TestOneMeaningPerKey checks that a key's help text is the same on every
// screen that has it (prompts, where keys are typed text, aside).
func TestOneMeaningPerKey(t *testing.T) {
	t.Parallel()
	meanings := map[string]map[string][]string{} // key -> help -> sections
	for _, s := range Sections() {
		if s.Prompt {
			continue
		}
		for _, b := range s.Bindings {
			for _, k := range b.Keys {
				if meanings[k] == nil {
					meanings[k] = map[string][]string{}
				}
				meanings[k][b.Help] = append(meanings[k][b.Help], s.Name)
			}
		}
	}
	keys := make([]string, 0, len(meanings))
	for k := range meanings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := meanings[k]
		_, known := knownConflicts[k]
		switch {
		case len(m) > 1 && !known:
			var parts []string
			for h, secs := range m {
				parts = append(parts, h+" ("+strings.Join(secs, ", ")+")")
			}
			sort.Strings(parts)
			t.Errorf("key %q has %d meanings: %s; use one help text, or add it to knownConflicts with the reason", k, len(m), strings.Join(parts, "; "))
		case len(m) == 1 && known:
			t.Errorf("key %q is listed in knownConflicts but has one meaning now; remove it from the list", k)
		}
	}
	for k := range knownConflicts {
		if meanings[k] == nil {
			t.Errorf("knownConflicts lists %q, which no screen binds", k)
		}
	}
}

// TestSections checks that every section documents something and that
// each binding has a label, keys and a help text.
func TestSections(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, s := range Sections() {
		if names[s.Name] {
			t.Errorf("section %q twice", s.Name)
		}
		names[s.Name] = true
		if len(s.Bindings) == 0 {
			t.Errorf("section %q has no bindings", s.Name)
		}
		for _, b := range s.Bindings {
			if b.Label == "" || b.Help == "" || len(b.Keys) == 0 {
				t.Errorf("section %q: incomplete binding %+v", s.Name, b)
			}
		}
	}
	md := Markdown()
	// The enforcement list's status digits and the table's embedded keys
	// come from nested key maps: both must be in the table.
	for _, want := range []string{"| `0` | all statuses |", "| `↓/j` | down |", "| `O` | output |", "| `?` | help |"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}

// TestBetween covers the marker extraction and replacement.
func TestBetween(t *testing.T) {
	t.Parallel()
	doc := "a\n" + BeginMarker + "\nold\n" + EndMarker + "\nb\n"
	got, err := Between(doc)
	if err != nil || got != "old\n" {
		t.Fatalf("Between = %q, %v", got, err)
	}
	out, err := Replace(doc, "new\n")
	if err != nil || out != "a\n"+BeginMarker+"\nnew\n"+EndMarker+"\nb\n" {
		t.Fatalf("Replace = %q, %v", out, err)
	}
	for _, bad := range []string{"no markers", EndMarker + "\n" + BeginMarker + "\n", BeginMarker + "\n" + BeginMarker + "\n" + EndMarker + "\n"} {
		if _, err := Between(bad); err == nil {
			t.Errorf("Between(%q): no error", bad)
		}
	}
}
