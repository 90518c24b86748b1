// Package bundle builds an incident bundle: everything attune-tui knows
// about one event's chain (its enforcements with their condition results,
// the executions they scheduled, the failures with their error and stderr
// tail) as one Markdown file a person can read and one JSON file with every
// entity as fetched and the requests made (method and path, never
// credentials).
package bundle

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/conditions"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/views/enforcementdetail"
	"github.com/attune-tui/attune-tui/ui/views/executiondetail"
)

// Limits of what a bundle reads.
const (
	// PerPage is the page size of the enforcement and execution lists
	// read (one page each; the bundle says when there were more).
	PerPage = 100
	// StderrTailBytes is how much of a failed execution's stderr is read.
	StderrTailBytes = 4096
	// MaxFailures caps the failed executions whose details and stderr
	// are read.
	MaxFailures = 10
)

// Request is one request the bundle made: method, path and query; no
// headers, so no credentials.
type Request struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Note says what a call that made several requests did (the log read).
	Note  string `json:"note,omitempty"`
	Error string `json:"error,omitempty"`
}

// Failure is one failed execution with what explains it.
type Failure struct {
	Execution *client.Execution `json:"execution"`
	// Error is the result's error text (result.error or result.stderr).
	Error string `json:"error"`
	// StderrTail is the end of its stderr as stored (untrusted).
	StderrTail string `json:"stderr_tail"`
	// LogError says why the stderr could not be read.
	LogError string `json:"log_error,omitempty"`
}

// Verdict is an enforcement's conditions re-evaluated against its payload.
type Verdict struct {
	Enforcement int64             `json:"enforcement"`
	Result      conditions.Result `json:"result"`
}

// Bundle is everything collected for one incident.
type Bundle struct {
	// Generated is when the bundle was made.
	Generated time.Time `json:"generated"`
	// Start says what the bundle was asked for ("execution 5").
	Start string `json:"start"`
	// Server is the API base URL.
	Server       string                    `json:"server"`
	Event        *client.Event             `json:"event"`
	Enforcements []*client.Enforcement     `json:"enforcements"`
	Executions   []client.ExecutionSummary `json:"executions"`
	Failures     []Failure                 `json:"failures"`
	Verdicts     []Verdict                 `json:"verdicts"`
	// More lists the lists that had more than one page.
	More []string `json:"more,omitempty"`
	// Problems are the reads that failed (the bundle has the rest).
	Problems []string  `json:"problems,omitempty"`
	Requests []Request `json:"requests"`
}

// collector records the requests of one Collect.
type collector struct {
	ctx context.Context
	api *common.API
	b   *Bundle
}

func (c *collector) record(path string, q url.Values, note string, err error) {
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	r := Request{Method: "GET", Path: path, Note: note}
	if err != nil {
		r.Error = common.ErrorLine(err)
		c.b.Problems = append(c.b.Problems, r.Method+" "+path+": "+r.Error)
	}
	c.b.Requests = append(c.b.Requests, r)
}

func idPath(kind string, id int64) string { return "/api/v1/" + kind + "/" + strconv.FormatInt(id, 10) }

// Collect reads the chain of start (kind "event", "enforcement",
// "execution" or "trace", with id or tag) one request after another. It
// fails only when the event cannot be found; other failed reads are listed
// in Problems.
func Collect(ctx context.Context, api *common.API, server string, kind string, id int64, tag string, now time.Time) (*Bundle, error) {
	b := &Bundle{Generated: now.UTC(), Server: server, Start: kind + " " + strconv.FormatInt(id, 10)}
	if kind == "trace" {
		b.Start = "trace " + tag
	}
	c := &collector{ctx: ctx, api: api, b: b}
	event, err := c.resolve(kind, id, tag)
	if err != nil {
		return nil, err
	}
	ev, _, err := api.Events.Get(ctx, event)
	c.record(idPath("events", event), nil, "", err)
	if err != nil {
		return nil, fmt.Errorf("bundle: get event %d: %w", event, err)
	}
	b.Event = ev
	eq := &client.EnforcementListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: PerPage}, Event: event}
	enfs, _, err := api.Enforcements.List(ctx, eq)
	c.record("/api/v1/enforcements", eq.Query(), "", err)
	if err != nil {
		return b, nil
	}
	if enfs.Pagination.HasNext {
		b.More = append(b.More, "enforcements of event "+strconv.FormatInt(event, 10))
	}
	for _, s := range enfs.Items {
		enf, _, err := api.Enforcements.Get(ctx, s.ID)
		c.record(idPath("enforcements", s.ID), nil, "", err)
		if err != nil {
			continue
		}
		b.Enforcements = append(b.Enforcements, enf)
		b.Verdicts = append(b.Verdicts, Verdict{Enforcement: enf.ID, Result: enforcementdetail.Evaluate(enf, ev.Created)})
		xq := &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: PerPage}, Enforcement: s.ID}
		xs, _, err := api.Executions.List(ctx, xq)
		c.record("/api/v1/executions", xq.Query(), "", err)
		if err != nil {
			continue
		}
		if xs.Pagination.HasNext {
			b.More = append(b.More, "executions of enforcement "+strconv.FormatInt(s.ID, 10))
		}
		b.Executions = append(b.Executions, xs.Items...)
	}
	sort.SliceStable(b.Executions, func(i, j int) bool { return b.Executions[i].ID < b.Executions[j].ID })
	for _, x := range b.Executions {
		if !x.Status.Problem() || len(b.Failures) >= MaxFailures {
			continue
		}
		c.failure(x.ID)
	}
	return b, nil
}

// resolve finds the event of the start.
func (c *collector) resolve(kind string, id int64, tag string) (int64, error) {
	switch kind {
	case "event":
		return id, nil
	case "execution":
		x, _, err := c.api.Executions.Get(c.ctx, id)
		c.record(idPath("executions", id), nil, "", err)
		if err != nil {
			return 0, fmt.Errorf("bundle: get execution %d: %w", id, err)
		}
		if x.Enforcement == nil {
			return 0, fmt.Errorf("bundle: execution %d has no enforcement, so no event", id)
		}
		id = *x.Enforcement
		fallthrough
	case "enforcement":
		e, _, err := c.api.Enforcements.Get(c.ctx, id)
		c.record(idPath("enforcements", id), nil, "", err)
		if err != nil {
			return 0, fmt.Errorf("bundle: get enforcement %d: %w", id, err)
		}
		if e.Event == nil {
			return 0, fmt.Errorf("bundle: enforcement %d has no event", id)
		}
		return *e.Event, nil
	case "trace":
		t, _, err := c.api.Traces.Get(c.ctx, tag)
		c.record("/api/v1/traces/"+url.PathEscape(tag), nil, "", err)
		if err != nil {
			return 0, fmt.Errorf("bundle: get trace: %w", err)
		}
		if len(t.Events) == 0 {
			return 0, fmt.Errorf("bundle: the trace has no event")
		}
		first := t.Events[0]
		for _, e := range t.Events {
			if e.Created.Before(first.Created) {
				first = e
			}
		}
		return first.ID, nil
	}
	return 0, fmt.Errorf("bundle: cannot start from %q", kind)
}

// failure reads one failed execution and its stderr tail.
func (c *collector) failure(id int64) {
	x, _, err := c.api.Executions.Get(c.ctx, id)
	c.record(idPath("executions", id), nil, "", err)
	if err != nil {
		return
	}
	f := Failure{Execution: x, Error: executiondetail.ErrorText(x.Result)}
	log, _, err := c.api.Executions.Log(c.ctx, x, client.Stderr, &client.LogReadOptions{Tail: StderrTailBytes})
	ref := "/api/v1/artifacts/ref/" + url.PathEscape(x.ActionRef+"."+string(client.Stderr)+".log")
	if err != nil {
		c.record(ref, nil, "the stderr read (client Executions.Log) ended at or after this request", err)
		f.LogError = common.ErrorLine(err)
	} else {
		c.record(ref, nil, "", nil)
		if log.Source == client.LogFromArtifact {
			art := "/api/v1/artifacts/" + strconv.FormatInt(log.ArtifactID, 10) + "/versions"
			c.record(art, nil, "", nil)
			c.record(art+"/"+strconv.FormatInt(int64(log.Version), 10)+"/download", nil,
				"Range: bytes=-"+strconv.Itoa(StderrTailBytes), nil)
		}
		f.StderrTail = log.Text
	}
	c.b.Failures = append(c.b.Failures, f)
}
