package common

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/attune-tui/attune-tui/ui/components/filterbar"
)

// Subject is what the root's take-it-with-you keys act on in a view: y
// copies Copy, Y copies Value as JSON, C copies the curl and `get`
// commands of Request, W the web UI link of Kind/ID/Ref.
type Subject struct {
	// Kind is the kind of the selected entity: KindEvent, KindEnforcement,
	// KindExecution, KindRule or KindTrace (on a list, the row's kind).
	Kind Kind
	// ID is the entity's id (events, enforcements, executions).
	ID int64
	// Ref is the rule ref or the trace tag, as the API sent it.
	Ref string
	// Copy is what y copies (raw: an id, a trace tag, a rule ref) and
	// CopyWhat names it for the status line ("event id 4812"; it may hold
	// API text and is sanitised before it is drawn).
	Copy, CopyWhat string
	// Value is the selected row or entity as the API sent it; Y copies it
	// as JSON. Nil while it is not loaded.
	Value any
	// Request is the request the screen shows.
	Request Request
	// PaneKeys says the focused pane has its own y and Y (the JSON viewer
	// copies its node and document, the log viewer its line): the root
	// leaves those two keys to the view.
	PaneKeys bool
}

// Request is an API request of a screen, without credentials.
type Request struct {
	// Path is the request path from the API base, e.g. "/api/v1/events"
	// (path segments escaped).
	Path string
	// Query is the request's query (nil for none).
	Query url.Values
	// Get is the equivalent `attune-tui get` command as words after
	// "attune-tui" (nil when there is none, e.g. for a trace).
	Get []string
	// GetNote says why Get is missing or differs (a wildcard filter).
	GetNote string
}

// ListSubject is the Subject of a list screen whose selected row is kind/id
// with value v (nil when nothing is selected).
func ListSubject(kind Kind, id int64, v any, req Request) (Subject, bool) {
	if id == 0 {
		return Subject{Request: req}, false
	}
	return Subject{
		Kind: kind, ID: id, Value: v, Request: req,
		Copy: strconv.FormatInt(id, 10), CopyWhat: string(kind) + " id " + strconv.FormatInt(id, 10),
	}, true
}

// EntitySubject is the Subject of a detail screen of kind/id whose fetched
// entity is v (nil while loading); paneKeys as in Subject.
func EntitySubject(kind Kind, id int64, v any, paneKeys bool) Subject {
	ids := strconv.FormatInt(id, 10)
	return Subject{
		Kind: kind, ID: id, Value: v, PaneKeys: paneKeys,
		Copy: ids, CopyWhat: string(kind) + " id " + ids,
		Request: Request{
			Path: "/api/v1/" + string(kind) + "s/" + ids,
			Get:  []string{"get", string(kind), ids, "-o", "json"},
		},
	}
}

// ListRequest is the request of a list's first page: noun ("events") with
// query v (the client options' Query); fields are the list's filter keys
// (the `get` command takes those in v as flags) and toks its filter.
func ListRequest(noun string, v url.Values, fields []filterbar.Field, toks []filterbar.Token) Request {
	r := Request{Path: "/api/v1/" + noun, Query: v, Get: []string{"get", noun}}
	for _, t := range toks {
		if len(t.Refs) > 1 {
			r.GetNote = "the " + t.Key + " wildcard is merged from several requests by the TUI; this is one of its patterns"
		}
	}
	for _, f := range fields {
		if val := v.Get(f.Name); val != "" {
			r.Get = append(r.Get, "--"+strings.ReplaceAll(f.Name, "_", "-"), val)
		}
	}
	return r
}

// Pages reads a list page by page for an export: the items as the API
// sent them, and whether a next page exists.
type Pages func(ctx context.Context, page, perPage int) (items []any, hasNext bool, err error)

// Exporter is implemented by list screens: X writes their rows to a file.
type Exporter interface {
	// ExportNoun names the rows ("events").
	ExportNoun() string
	// ExportLoaded returns the loaded rows as the API sent them.
	ExportLoaded() []any
	// ExportPages reads every page of the list's query; nil when the list
	// cannot be re-read page by page (a wildcard merged from several
	// lists).
	ExportPages() Pages
}

// PagesOf adapts a list's page loader to Pages, taking each row's wire
// item with src.
func PagesOf[R any](load func(ctx context.Context, page, perPage int) ([]R, bool, error), src func(R) any) Pages {
	if load == nil {
		return nil
	}
	return func(ctx context.Context, page, perPage int) ([]any, bool, error) {
		rows, next, err := load(ctx, page, perPage)
		out := make([]any, len(rows))
		for i, r := range rows {
			out[i] = src(r)
		}
		return out, next, err
	}
}

// BundleStart is what an incident bundle starts from: Kind "event",
// "enforcement", "execution" or "trace" (with Tag).
type BundleStart struct {
	Kind string
	ID   int64
	Tag  string
}

// Bundler is implemented by the event, enforcement and execution details
// and the trace: X writes an incident bundle of their chain.
type Bundler interface {
	BundleStart() (BundleStart, bool)
}

// Subjecter is implemented by views whose selection the copy keys (y, Y,
// C, W) act on. ok is false when nothing is selected or loaded.
type Subjecter interface {
	Subject() (s Subject, ok bool)
}
