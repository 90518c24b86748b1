// Package outcome computes and formats what a list row caused: the
// enforcements an event created and the outcomes of their executions
// (event list), or the outcomes of an enforcement's executions
// (enforcement list).
//
// The counts come from a windowed join rather than one request per row:
// enforcements (and executions) are listed newest first until their
// created time passes the oldest row loaded, a few pages at most per page
// of rows (Join, StepCmd). Rows older than what the scan reached are
// looked up one by one, for the rows on screen only (LookupCmd).
package outcome

import (
	"strconv"
	"strings"

	"github.com/attune-tui/attune-tui/client"
)

// Tally counts executions by outcome.
type Tally struct {
	Total, OK, Failed, Running int
}

// Add counts one execution in status s: completed is a success;
// failed, timeout, abandoned and cancelled are failures; everything else
// (requested … running, canceling, unknown) is still running.
func (t *Tally) Add(s client.ExecutionStatus) {
	t.Total++
	switch {
	case s == client.ExecutionCompleted:
		t.OK++
	case s.Problem():
		t.Failed++
	default:
		t.Running++
	}
}

// Remove uncounts one execution in status s (its status changed).
func (t *Tally) Remove(s client.ExecutionStatus) {
	t.Total--
	switch {
	case s == client.ExecutionCompleted:
		t.OK--
	case s.Problem():
		t.Failed--
	default:
		t.Running--
	}
}

func (t *Tally) plus(o Tally) {
	t.Total += o.Total
	t.OK += o.OK
	t.Failed += o.Failed
	t.Running += o.Running
}

// State says how much of a cell is known.
type State int

// The states of a cell.
const (
	// Unknown: nothing is known yet ("…").
	Unknown State = iota
	// Partial: the enforcements are known, not all of their executions.
	Partial
	// Known: the whole cell is known.
	Known
	// Failed: the lookup failed ("?"; the error went to the status bar).
	Failed
)

// Cell is what one row caused.
type Cell struct {
	State State
	// Enforcements is the number of enforcements (event rows only).
	Enforcements int
	// Executions tallies their executions.
	Executions Tally
}

// Worst returns the worst outcome of c: "failed", "running", "ok" or ""
// (nothing ran, or not known). Colour, when used, follows it.
func (c Cell) Worst() string {
	switch {
	case c.State != Known && c.State != Partial:
		return ""
	case c.Executions.Failed > 0:
		return "failed"
	case c.Executions.Running > 0:
		return "running"
	case c.Executions.OK > 0:
		return "ok"
	}
	return ""
}

// tally renders the execution part: "3 ✓2 ✗1", "running", "2 running",
// "3 ✓2 ↻1", "0".
func tally(t Tally) string {
	if t.Total == 0 {
		return "0"
	}
	if t.Running == t.Total {
		if t.Total == 1 {
			return "running"
		}
		return strconv.Itoa(t.Total) + " running"
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(t.Total))
	if t.OK > 0 {
		b.WriteString(" ✓" + strconv.Itoa(t.OK))
	}
	if t.Failed > 0 {
		b.WriteString(" ✗" + strconv.Itoa(t.Failed))
	}
	if t.Running > 0 {
		b.WriteString(" ↻" + strconv.Itoa(t.Running))
	}
	return b.String()
}

// EventText renders an event row's cell: "2 → 3 ✓2 ✗1", "1 → running",
// "0", "2 → …" (executions not known yet), "…" or "?".
func EventText(c Cell) string {
	switch c.State {
	case Unknown:
		return "…"
	case Failed:
		return "?"
	case Partial:
		return strconv.Itoa(c.Enforcements) + " → …"
	case Known:
		if c.Enforcements == 0 {
			return "0"
		}
		return strconv.Itoa(c.Enforcements) + " → " + tally(c.Executions)
	}
	return "?"
}

// EventShort is EventText for narrow screens: the enforcement count and
// the worst outcome only ("2 ✗1", "1 ↻1", "2 ✓3", "0").
func EventShort(c Cell) string {
	switch c.State {
	case Unknown:
		return "…"
	case Failed:
		return "?"
	case Partial:
		return strconv.Itoa(c.Enforcements) + " …"
	case Known:
		n := strconv.Itoa(c.Enforcements)
		t := c.Executions
		switch {
		case c.Enforcements == 0:
			return "0"
		case t.Failed > 0:
			return n + " ✗" + strconv.Itoa(t.Failed)
		case t.Running > 0:
			return n + " ↻" + strconv.Itoa(t.Running)
		case t.OK > 0:
			return n + " ✓" + strconv.Itoa(t.OK)
		}
		return n
	}
	return "?"
}

// EnforcementText renders an enforcement row's cell: "3 ✓2 ✗1",
// "running", "0", "…" or "?".
func EnforcementText(c Cell) string {
	switch c.State {
	case Unknown, Partial:
		return "…"
	case Failed:
		return "?"
	case Known:
		return tally(c.Executions)
	}
	return "?"
}
