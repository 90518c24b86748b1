// Package keydoc documents the key bindings of every screen from the key
// maps the screens themselves use, so the README's keys table (and the
// `keys` subcommand) cannot drift from the code.
//
// Bindings are read from each screen's DefaultKeyMap by walking its fields
// (embedded key maps and slices of bindings included). Bindings a screen
// enables only when they apply (e.g. `t` trace once the trace screen
// exists) are listed too: the table says what a key does on that screen
// when it is offered.
package keydoc

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"github.com/attune-tui/attune-tui/ui/components/cmdline"
	"github.com/attune-tui/attune-tui/ui/components/condview"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/jsonview"
	"github.com/attune-tui/attune-tui/ui/components/login"
	"github.com/attune-tui/attune-tui/ui/components/logview"
	"github.com/attune-tui/attune-tui/ui/keys"
	"github.com/attune-tui/attune-tui/ui/views/enforcementdetail"
	"github.com/attune-tui/attune-tui/ui/views/enforcements"
	"github.com/attune-tui/attune-tui/ui/views/eventdetail"
	"github.com/attune-tui/attune-tui/ui/views/events"
	"github.com/attune-tui/attune-tui/ui/views/executiondetail"
	"github.com/attune-tui/attune-tui/ui/views/executions"
	"github.com/attune-tui/attune-tui/ui/views/logs"
	"github.com/attune-tui/attune-tui/ui/views/overview"
	"github.com/attune-tui/attune-tui/ui/views/ruledetail"
	"github.com/attune-tui/attune-tui/ui/views/rules"
	"github.com/attune-tui/attune-tui/ui/views/trace"
)

// Binding is one documented key: what the help shows for it.
type Binding struct {
	// Label is the key as help shows it (e.g. "↑/k", "enter").
	Label string
	// Keys are the key names the binding matches (e.g. "up", "k").
	Keys []string
	// Help is what the key does.
	Help string
}

// Section is one screen, pane or prompt and its bindings in key map order.
type Section struct {
	// Name is the screen, pane or prompt (e.g. "Event list").
	Name string
	// Note says where the section applies, or is empty.
	Note string
	// Prompt is true for text prompts (filter bar, search, command line,
	// login form), where printable keys are typed text rather than commands.
	Prompt bool
	// Bindings are the section's bindings, duplicates removed.
	Bindings []Binding
}

// Sections returns every screen's bindings, read from their default key
// maps, in the order the README lists them.
func Sections() []Section {
	jsonKeys := jsonview.DefaultKeyMap()
	logKeys := logview.DefaultKeyMap()
	return []Section{
		section("Everywhere", "", false, keys.DefaultKeyMap()),
		section("Event list", "", false, events.DefaultKeyMap()),
		section("Event detail", "", false, eventdetail.DefaultKeyMap()),
		section("JSON viewer", "payload and config panes of the event, enforcement, execution and rule details", false,
			jsonKeys, "AcceptSearch", "CancelSearch"),
		section(`"Why did (or didn't) it fire?"`, "`w` on an event", false,
			struct{ Rules, Conditions any }{rules.DefaultKeyMap(), condview.DefaultKeyMap()}),
		section("Rule detail", "", false, ruledetail.DefaultKeyMap()),
		section("Enforcement list", "", false, enforcements.DefaultKeyMap()),
		section("Enforcement detail", "", false, enforcementdetail.DefaultKeyMap()),
		section("Conditions pane", "enforcement and rule detail", false, condview.DetailKeyMap()),
		section("Execution list", "", false, executions.DefaultKeyMap()),
		section("Execution detail", "", false, executiondetail.DefaultKeyMap()),
		section("Trace", "", false, trace.DefaultKeyMap()),
		section("Overview", "`:overview`", false, overview.DefaultKeyMap()),
		section("Execution output", "`O`, `:logs ID`, and the stdout/stderr tabs of the execution detail", false, logs.DefaultKeyMap()),
		section("Log viewer", "execution output", false, logKeys, "Accept", "Cancel"),
		section("Filter bar", "`/` on a list", true, filterbar.DefaultKeyMap()),
		section("Search prompt", "`/` in the JSON and log viewers", true,
			struct{ Accept, Cancel key.Binding }{jsonKeys.AcceptSearch, jsonKeys.CancelSearch}),
		section("Command line", "`:`", true, cmdline.DefaultKeyMap()),
		section("Sign-in form", "", true, login.DefaultKeyMap()),
	}
}

// section collects the bindings of km (a key map struct), leaving out the
// fields named in skip.
func section(name, note string, prompt bool, km any, skip ...string) Section {
	s := Section{Name: name, Note: note, Prompt: prompt}
	seen := map[string]bool{}
	for _, b := range collect(reflect.ValueOf(km), skip) {
		h := b.Help()
		id := h.Key + "\x00" + h.Desc
		if h.Key == "" || seen[id] {
			continue
		}
		seen[id] = true
		s.Bindings = append(s.Bindings, Binding{Label: h.Key, Keys: b.Keys(), Help: h.Desc})
	}
	return s
}

var bindingType = reflect.TypeOf(key.Binding{})

// collect walks v depth first in field order and returns every key.Binding
// in it: direct fields, embedded and nested key maps, slices and arrays.
func collect(v reflect.Value, skip []string) []key.Binding {
	switch {
	case v.Kind() == reflect.Interface && !v.IsNil():
		return collect(v.Elem(), skip)
	case v.Type() == bindingType:
		return []key.Binding{v.Interface().(key.Binding)}
	case v.Kind() == reflect.Struct:
		var out []key.Binding
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || contains(skip, f.Name) {
				continue
			}
			out = append(out, collect(v.Field(i), nil)...)
		}
		return out
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
		var out []key.Binding
		for i := range v.Len() {
			out = append(out, collect(v.Index(i), nil)...)
		}
		return out
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Markdown returns the keys of every screen as Markdown: a heading and a
// two-column table (key, action) per section.
func Markdown() string {
	var b strings.Builder
	for i, s := range Sections() {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("#### " + s.Name)
		if s.Note != "" {
			b.WriteString(" (" + s.Note + ")")
		}
		b.WriteString("\n\n| key | action |\n|---|---|\n")
		for _, k := range s.Bindings {
			b.WriteString("| " + code(k.Label) + " | " + cell(k.Help) + " |\n")
		}
	}
	return b.String()
}

// code renders a key label as inline code, escaping the table's pipe.
func code(label string) string {
	if strings.Contains(label, "`") {
		return "`` " + cell(label) + " ``"
	}
	return "`" + cell(label) + "`"
}

// cell escapes text for a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// BeginMarker and EndMarker enclose the generated keys table in a document.
const (
	BeginMarker = "<!-- keys:begin -->"
	EndMarker   = "<!-- keys:end -->"
)

// Between returns the text between the markers of doc (after the begin
// marker's line, up to the end marker), or an error when the markers are
// missing, repeated or out of order.
func Between(doc string) (string, error) {
	start, end, err := markers(doc)
	if err != nil {
		return "", err
	}
	return doc[start:end], nil
}

// Replace returns doc with the text between its markers replaced by table.
func Replace(doc, table string) (string, error) {
	start, end, err := markers(doc)
	if err != nil {
		return "", err
	}
	return doc[:start] + table + doc[end:], nil
}

// markers returns the byte range between the markers' lines.
func markers(doc string) (start, end int, err error) {
	if strings.Count(doc, BeginMarker) != 1 || strings.Count(doc, EndMarker) != 1 {
		return 0, 0, fmt.Errorf("want exactly one %s and one %s", BeginMarker, EndMarker)
	}
	b, e := strings.Index(doc, BeginMarker), strings.Index(doc, EndMarker)
	if e < b {
		return 0, 0, fmt.Errorf("%s comes before %s", EndMarker, BeginMarker)
	}
	start = b + len(BeginMarker)
	if nl := strings.IndexByte(doc[start:], '\n'); nl >= 0 && start+nl < e {
		start += nl + 1
	} else {
		return 0, 0, fmt.Errorf("%s must end its line", BeginMarker)
	}
	return start, e, nil
}
