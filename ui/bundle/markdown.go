package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/attune-tui/attune-tui/internal/conditions"
	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// Limits of the Markdown.
const (
	// PayloadExcerptBytes caps the payload shown in the Markdown (the JSON
	// file has all of it).
	PayloadExcerptBytes = 2048
	// StderrTailLines caps the stderr lines shown per failure.
	StderrTailLines = 20
)

// JSON is the bundle as indented JSON: every entity as fetched (values
// exactly as the API sent them) and the requests made.
func (b *Bundle) JSON() ([]byte, error) {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("bundle JSON: %w", err)
	}
	return append(out, '\n'), nil
}

// cell makes API text safe for a Markdown table cell: terminal-safe (so
// the file can be printed in a terminal) and without the pipe that would
// end the cell.
func cell(s string) string {
	s = textsafe.LineN(s, 200)
	return strings.ReplaceAll(s, "|", `\|`)
}

// code returns s as an inline code span, or "-" when empty.
func code(s string) string {
	if s == "" {
		return "-"
	}
	s = cell(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}

// block writes text (already safe) in a fenced block that no line of it
// can close.
func block(w *strings.Builder, lang, text string) {
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	fmt.Fprintf(w, "%s%s\n%s\n%s\n\n", fence, lang, strings.TrimRight(text, "\n"), fence)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// since renders d as "+1.234s" (or "-" for negative, clock skew).
func since(d time.Duration) string {
	if d < 0 {
		return "-" + d.Abs().Round(time.Millisecond).String() + " (clock skew?)"
	}
	return "+" + d.Round(time.Millisecond).String()
}

// step is one line of the timeline.
type step struct {
	at    time.Time
	what  string
	since string // the stage latency
}

// Markdown renders the bundle for a person: the chain's timeline with
// stage latencies, each rule's conditions with per-check results, payload
// excerpts, the failures with their error and stderr tail, and the
// requests made. All API text is made terminal-safe.
func (b *Bundle) Markdown() string {
	var w strings.Builder
	ev := b.Event
	fmt.Fprintf(&w, "# Incident bundle: event #%d (%s)\n\n", ev.ID, cell(ev.TriggerRef))
	fmt.Fprintf(&w, "- Generated: %s by attune-tui, from %s\n", stamp(b.Generated), code(b.Start))
	fmt.Fprintf(&w, "- Server: %s\n", code(b.Server))
	if ev.TraceTag != nil {
		fmt.Fprintf(&w, "- Trace tag: %s\n", code(*ev.TraceTag))
	}
	failed := 0
	for _, x := range b.Executions {
		if x.Status.Problem() {
			failed++
		}
	}
	fmt.Fprintf(&w, "- %d enforcement(s), %d execution(s), %d failed\n", len(b.Enforcements), len(b.Executions), failed)
	for _, m := range b.More {
		fmt.Fprintf(&w, "- Only the first %d %s were read\n", PerPage, cell(m))
	}
	for _, p := range b.Problems {
		fmt.Fprintf(&w, "- Could not read: %s\n", cell(p))
	}
	w.WriteString("\n## Timeline\n\n")
	w.WriteString("| Time (UTC) | Since event | Stage | Latency |\n|---|---|---|---|\n")
	for _, s := range b.timeline() {
		fmt.Fprintf(&w, "| %s | %s | %s | %s |\n", stamp(s.at), since(s.at.Sub(ev.Created)), s.what, s.since)
	}
	w.WriteString("\n## Rules and their conditions\n\n")
	if len(b.Enforcements) == 0 {
		w.WriteString("No rule enforced this event.\n\n")
	}
	for i, enf := range b.Enforcements {
		fmt.Fprintf(&w, "### Enforcement #%d: rule %s\n\n", enf.ID, code(enf.RuleRef))
		fmt.Fprintf(&w, "- Status: %s, condition: %s\n", cell(string(enf.Status)), cell(string(enf.Condition)))
		writeVerdict(&w, b.Verdicts[i].Result)
	}
	w.WriteString("## Event payload (excerpt)\n\n")
	writeJSONExcerpt(&w, ev.Payload)
	w.WriteString("## Failing executions\n\n")
	if len(b.Failures) == 0 {
		w.WriteString("None.\n\n")
	}
	for _, f := range b.Failures {
		x := f.Execution
		fmt.Fprintf(&w, "### Execution #%d: %s, %s\n\n", x.ID, code(x.ActionRef), cell(string(x.Status)))
		if x.StartedAt != nil {
			fmt.Fprintf(&w, "- Ran %s (started %s, last update %s)\n", x.Updated.Sub(*x.StartedAt).Round(time.Millisecond), stamp(*x.StartedAt), stamp(x.Updated))
		}
		if f.Error != "" {
			w.WriteString("- Error:\n\n")
			block(&w, "", textsafe.Text(f.Error))
		} else {
			w.WriteString("- Error: none in the result\n\n")
		}
		switch {
		case f.LogError != "":
			fmt.Fprintf(&w, "stderr: not available (%s)\n\n", cell(f.LogError))
		case strings.TrimSpace(f.StderrTail) == "":
			w.WriteString("stderr: empty\n\n")
		default:
			lines := strings.Split(strings.TrimRight(f.StderrTail, "\n"), "\n")
			if len(lines) > StderrTailLines {
				lines = lines[len(lines)-StderrTailLines:]
			}
			fmt.Fprintf(&w, "stderr (last %d lines):\n\n", len(lines))
			block(&w, "", textsafe.Text(strings.Join(lines, "\n")))
		}
	}
	w.WriteString("## Requests made\n\n")
	for _, r := range b.Requests {
		fmt.Fprintf(&w, "- `%s %s`", r.Method, cell(r.Path))
		if r.Note != "" {
			fmt.Fprintf(&w, " (%s)", cell(r.Note))
		}
		if r.Error != "" {
			fmt.Fprintf(&w, ": failed: %s", cell(r.Error))
		}
		w.WriteString("\n")
	}
	w.WriteString("\nThe JSON file next to this one holds every entity as fetched and these requests. No credentials are in either.\n")
	return w.String()
}

// timeline orders the chain's moments, each with the latency of its stage.
func (b *Bundle) timeline() []step {
	ev := b.Event
	steps := []step{{at: ev.Created, what: "event #" + strconv.FormatInt(ev.ID, 10) + " created", since: "-"}}
	enfCreated := map[int64]time.Time{}
	for _, e := range b.Enforcements {
		enfCreated[e.ID] = e.Created
		steps = append(steps, step{at: e.Created, what: "enforcement #" + strconv.FormatInt(e.ID, 10) + " created (rule " + code(e.RuleRef) + ")",
			since: "matched in " + e.Created.Sub(ev.Created).Round(time.Millisecond).String()})
		if e.ResolvedAt != nil {
			steps = append(steps, step{at: *e.ResolvedAt, what: "enforcement #" + strconv.FormatInt(e.ID, 10) + " " + cell(string(e.Status)),
				since: "resolved in " + e.ResolvedAt.Sub(e.Created).Round(time.Millisecond).String()})
		}
	}
	for _, x := range b.Executions {
		id := "execution #" + strconv.FormatInt(x.ID, 10)
		lat := "-"
		if x.Enforcement != nil {
			if c, ok := enfCreated[*x.Enforcement]; ok {
				lat = "scheduled in " + x.Created.Sub(c).Round(time.Millisecond).String()
			}
		}
		steps = append(steps, step{at: x.Created, what: id + " created (" + code(x.ActionRef) + ")", since: lat})
		if x.StartedAt != nil {
			steps = append(steps, step{at: *x.StartedAt, what: id + " started", since: "queued " + x.StartedAt.Sub(x.Created).Round(time.Millisecond).String()})
		}
		if x.Status.Terminal() {
			from, verb := x.Created, "after "
			if x.StartedAt != nil {
				from, verb = *x.StartedAt, "ran "
			}
			steps = append(steps, step{at: x.Updated, what: id + " " + cell(string(x.Status)), since: verb + x.Updated.Sub(from).Round(time.Millisecond).String()})
		} else {
			steps = append(steps, step{at: x.Updated, what: id + " still " + cell(string(x.Status)) + " (last update)", since: "-"})
		}
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at.Before(steps[j].at) })
	return steps
}

// writeVerdict writes a conditions result with its checks.
func writeVerdict(w *strings.Builder, r conditions.Result) {
	verdict := "does not match"
	if r.Match {
		verdict = "matches"
	}
	fmt.Fprintf(w, "- Conditions (%s, re-evaluated by attune-tui against the stored payload): %s — %s\n\n", cell(string(r.Shape)), verdict, cell(r.Reason))
	if len(r.Checks) > 0 {
		w.WriteString("| # | Field | Operator | Expected | Actual | Result |\n|---|---|---|---|---|---|\n")
		for _, c := range r.Checks {
			res := string(c.Outcome)
			if c.Err != "" {
				res += ": " + cell(c.Err)
			}
			actual := "(unresolved)"
			if c.Actual != nil {
				actual = code(string(c.Actual))
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", c.Index+1, code(c.Field), cell(c.Operator), code(string(c.Expected)), actual, res)
		}
		w.WriteString("\n")
	}
	if x := r.Expr; x != nil {
		w.WriteString("| Expression | Value |\n|---|---|\n")
		nodes := []*conditions.ExprNode{}
		if x.Root != nil {
			nodes = append(append(nodes, x.Root), x.Root.Children...)
		}
		if len(nodes) == 0 {
			val := "error: " + cell(x.Err)
			if x.Err == "" {
				val = code(string(x.Value))
			}
			fmt.Fprintf(w, "| %s | %s |\n", code(x.Source), val)
		}
		for _, n := range nodes {
			src := ""
			if n.Start >= 0 && n.End <= len(x.Source) && n.Start <= n.End {
				src = x.Source[n.Start:n.End]
			}
			val := cell(string(n.State))
			switch {
			case n.Err != "":
				val = "error: " + cell(n.Err)
			case n.Value != nil:
				val = code(string(n.Value))
			}
			fmt.Fprintf(w, "| %s | %s |\n", code(src), val)
		}
		w.WriteString("\n")
	}
}

// writeJSONExcerpt writes raw indented, cut at PayloadExcerptBytes.
func writeJSONExcerpt(w *strings.Builder, raw json.RawMessage) {
	if len(raw) == 0 || string(raw) == "null" {
		w.WriteString("None.\n\n")
		return
	}
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") != nil {
		buf.Reset()
		buf.Write(raw)
	}
	text := buf.String()
	cut := ""
	if len(text) > PayloadExcerptBytes {
		text = strings.ToValidUTF8(text[:PayloadExcerptBytes], "")
		cut = fmt.Sprintf("(cut at %d of %d bytes; the JSON file has all of it)\n\n", PayloadExcerptBytes, buf.Len())
	}
	block(w, "json", textsafe.Text(text))
	w.WriteString(cut)
}
