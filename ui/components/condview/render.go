package condview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/internal/conditions"
	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// maxValueBytes caps how much of one JSON value a line shows.
const maxValueBytes = 300

// probePayload is the payload used to find the shape and the checks of the
// conditions (the outcomes of that probe are ignored).
const probePayload = `{}`

// render builds every line of the content at the current width.
func (m Model) render() []string {
	r := renderer{st: m.styles, width: m.width}
	switch {
	case m.showRaw:
		r.raw(m.raw, m.hasData)
	case !m.hasData:
		r.add(r.st.Muted.Render("no conditions loaded"))
	default:
		r.readable(m.raw, m.res)
	}
	return r.lines
}

// renderer accumulates wrapped lines.
type renderer struct {
	st    Styles
	width int
	lines []string
}

// add appends already styled lines without wrapping.
func (r *renderer) add(lines ...string) { r.lines = append(r.lines, lines...) }

// wrap appends body (styled) after prefix, wrapped to the width; the
// continuation lines are indented by the prefix's width.
func (r *renderer) wrap(prefix, body string) {
	pw := lipgloss.Width(prefix)
	limit := r.width - pw
	if limit < 10 {
		limit = 10
	}
	indent := strings.Repeat(" ", pw)
	for i, l := range strings.Split(ansi.Wrap(body, limit, " "), "\n") {
		if i == 0 {
			r.add(prefix + l)
		} else {
			r.add(indent + l)
		}
	}
}

// raw renders the raw JSON, indented.
func (r *renderer) raw(raw json.RawMessage, has bool) {
	r.add(r.st.Title.Render("Conditions · raw JSON"))
	if !has {
		r.add(r.st.Muted.Render("no conditions loaded"))
		return
	}
	text := string(raw)
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err == nil {
		text = b.String()
	}
	if strings.TrimSpace(text) == "" {
		text = "null"
	}
	for _, l := range strings.Split(textsafe.Text(text), "\n") {
		limit := max(r.width, 10)
		for _, w := range strings.Split(ansi.Hardwrap(l, limit, true), "\n") {
			r.add(r.st.Raw.Render(w))
		}
	}
}

// readable renders the conditions and, if res is set, their results.
func (r *renderer) readable(raw json.RawMessage, res *conditions.Result) {
	probe := conditions.Evaluate(raw, conditions.Event{Payload: json.RawMessage(probePayload)})
	r.wrap("", r.st.Title.Render("Conditions · "+shapeName(probe.Shape, len(probe.Checks))))
	if res != nil {
		r.wrap("", r.st.Muted.Render("("+Label+")"))
		sym, word := r.sym(conditions.OutcomeFail), "no match"
		if res.Match {
			sym, word = r.sym(conditions.OutcomePass), "match"
		}
		r.wrap(sym+" ", word+": "+textsafe.Line(res.Reason))
	} else {
		r.wrap("", r.st.Muted.Render("(not evaluated)"))
	}
	switch probe.Shape {
	case conditions.Empty, conditions.NoPayload:
		r.wrap("", "no conditions (always matches)")
	case conditions.Unsupported:
		r.wrap("", r.st.Error.Render("unsupported shape — never matches"))
		r.wrap(r.st.Label.Render("reason: "), textsafe.Line(probe.Reason))
	case conditions.Array:
		var checks []conditions.Check
		if res != nil && res.Shape == conditions.Array {
			checks = res.Checks
		}
		for i, c := range probe.Checks {
			if i < len(checks) {
				r.check(checks[i], true)
			} else {
				r.check(c, false)
			}
		}
	case conditions.Expression:
		src := ""
		if probe.Expr != nil {
			src = probe.Expr.Source
		}
		r.source(src)
		if res != nil && res.Shape == conditions.Expression && res.Expr != nil {
			r.expression(res.Expr)
		}
	}
}

// shapeName describes a shape for the heading.
func shapeName(s conditions.Shape, checks int) string {
	switch s {
	case conditions.Empty, conditions.NoPayload:
		return "empty"
	case conditions.Array:
		return fmt.Sprintf("array form, %d check(s), all must pass", checks)
	case conditions.Expression:
		return "expression form"
	case conditions.Unsupported:
		return "unsupported shape"
	}
	return string(s)
}

// sym returns the styled symbol of an outcome.
func (r *renderer) sym(o conditions.Outcome) string {
	switch o {
	case conditions.OutcomePass:
		return r.st.Pass.Render(SymbolPass)
	case conditions.OutcomeFail:
		return r.st.Fail.Render(SymbolFail)
	case conditions.OutcomeError:
		return r.st.Error.Render(SymbolError)
	case conditions.OutcomeSkipped:
		return r.st.Skipped.Render(SymbolSkipped)
	}
	return r.st.Skipped.Render(SymbolSkipped)
}

// check renders one array check; evaluated says whether c carries an outcome.
func (r *renderer) check(c conditions.Check, evaluated bool) {
	field := textsafe.Line(c.Field)
	if c.Field == "" {
		field = "(no field)"
	}
	op := textsafe.Line(c.Operator)
	if c.Operator == "" {
		op = "(no operator)"
	}
	body := r.st.Text.Render(field) + " " + r.st.Operator.Render(op) + " " + r.st.Value.Render(compact(c.Expected))
	sym := r.sym(conditions.OutcomeSkipped)
	if evaluated {
		sym = r.sym(c.Outcome)
		var tail string
		switch c.Outcome {
		case conditions.OutcomePass, conditions.OutcomeFail:
			tail = r.st.Label.Render("actual ") + r.st.Value.Render(compact(c.Actual))
			if c.Err != "" {
				tail += " " + r.st.Muted.Render("("+textsafe.Line(c.Err)+")")
			}
		case conditions.OutcomeError:
			tail = r.st.Label.Render("actual ") + r.st.Value.Render(compact(c.Actual)) + "; " +
				r.st.Error.Render("error: "+textsafe.Line(c.Err))
		case conditions.OutcomeSkipped:
			tail = r.st.Muted.Render("not evaluated (an earlier check errored)")
		}
		body += "  → " + tail
	}
	r.wrap(fmt.Sprintf("%s %d. ", sym, c.Index+1), body)
}

// source renders the expression source, wrapped and indented.
func (r *renderer) source(src string) {
	for _, l := range strings.Split(textsafe.Text(src), "\n") {
		r.wrap("  ", r.st.Text.Render(l))
	}
}

// expression renders the value of an expression and its top-level clauses.
func (r *renderer) expression(x *conditions.ExprResult) {
	if x.Err != "" {
		r.wrap(r.sym(conditions.OutcomeError)+" ", r.st.Error.Render("error: "+textsafe.Line(x.Err)))
		if s := span(x.Source, x.ErrStart, x.ErrEnd); s != "" {
			r.wrap("  "+r.st.Label.Render("at: "), r.st.Text.Render(textsafe.Line(s)))
		} else if x.ErrStart >= len(x.Source) {
			r.wrap("  "+r.st.Label.Render("at: "), r.st.Muted.Render("end of expression"))
		}
	} else {
		o, word := conditions.OutcomeFail, "falsy"
		if x.Truthy {
			o, word = conditions.OutcomePass, "truthy"
		}
		r.wrap(r.sym(o)+" "+r.st.Label.Render("value: "), r.st.Value.Render(compact(x.Value))+" ("+word+")")
	}
	root := x.Root
	if root == nil || root.Kind != conditions.KindBinary || (root.Op != "and" && root.Op != "or") {
		if root != nil {
			r.reads(x.Source, root, "  ")
		}
		return
	}
	terms := flatten(root, root.Op, nil)
	r.wrap("", r.st.Label.Render(fmt.Sprintf("clauses (%s, %d):", root.Op, len(terms))))
	pointed := false
	for _, t := range terms {
		o, val := termOutcome(t)
		var ptr string
		switch {
		case pointed:
		case x.Err != "" && o == conditions.OutcomeError:
			ptr, pointed = "← error here", true
		case x.Err == "" && !x.Truthy && root.Op == "and" && o == conditions.OutcomeFail:
			ptr, pointed = "← fails here", true
		}
		body := r.st.Text.Render(textsafe.Line(span(x.Source, t.Start, t.End))) + "  → " + val
		if ptr != "" {
			body += " " + r.st.Pointer.Render(ptr)
		}
		r.wrap("  "+r.sym(o)+" ", body)
		r.reads(x.Source, t, "      ")
	}
	if x.Err == "" && !x.Truthy && root.Op == "or" {
		r.wrap("  ", r.st.Pointer.Render("← no clause is true"))
	}
}

// maxReads is how many values a clause's "read:" line shows.
const maxReads = 4

// reads renders, under a clause, the values it read: its variables and
// member and index accesses (event.payload.severity = "warning"), like the
// array form's "actual". A clause that is itself one access, and accesses
// that were not evaluated, add nothing.
func (r *renderer) reads(src string, clause *conditions.ExprNode, indent string) {
	var parts []string
	more := 0
	for _, n := range accesses(clause, nil) {
		if n == clause || n.State != conditions.NodeEvaluated {
			continue
		}
		if len(parts) == maxReads {
			more++
			continue
		}
		val := "(large value)"
		if !n.Elided {
			val = compact(n.Value)
		}
		parts = append(parts, r.st.Text.Render(textsafe.Line(span(src, n.Start, n.End)))+" = "+r.st.Value.Render(val))
	}
	if len(parts) == 0 {
		return
	}
	line := strings.Join(parts, " · ")
	if more > 0 {
		line += r.st.Muted.Render(fmt.Sprintf(" · %d more", more))
	}
	r.wrap(indent+r.st.Label.Render("read: "), line)
}

// accesses lists the outermost variable, member and index nodes under n,
// in source order.
func accesses(n *conditions.ExprNode, out []*conditions.ExprNode) []*conditions.ExprNode {
	switch n.Kind {
	case conditions.KindIdent, conditions.KindMember, conditions.KindIndex:
		return append(out, n)
	}
	for _, c := range n.Children {
		out = accesses(c, out)
	}
	return out
}

// flatten lists the operands of a chain of op (a and b and c → a, b, c).
func flatten(n *conditions.ExprNode, op string, out []*conditions.ExprNode) []*conditions.ExprNode {
	if n.Kind == conditions.KindBinary && n.Op == op && len(n.Children) == 2 {
		out = flatten(n.Children[0], op, out)
		return flatten(n.Children[1], op, out)
	}
	return append(out, n)
}

// termOutcome returns the outcome of a clause and a description of its value.
func termOutcome(n *conditions.ExprNode) (conditions.Outcome, string) {
	switch n.State {
	case conditions.NodeError:
		return conditions.OutcomeError, "error: " + textsafe.Line(n.Err)
	case conditions.NodeNotEvaluated:
		return conditions.OutcomeSkipped, "not evaluated"
	case conditions.NodeEvaluated:
		if n.Elided {
			return conditions.OutcomePass, "(large value, truthy)"
		}
		if truthy(n.Value) {
			return conditions.OutcomePass, compact(n.Value)
		}
		return conditions.OutcomeFail, compact(n.Value)
	}
	return conditions.OutcomeSkipped, "not evaluated"
}

// truthy applies the expression language's truthiness to a JSON value.
func truthy(raw json.RawMessage) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return true
	}
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// span returns src[start:end], or "" when the offsets are out of range.
func span(src string, start, end int) string {
	if start < 0 || end > len(src) || start >= end {
		return ""
	}
	return src[start:end]
}

// compact renders a JSON value on one terminal-safe line; nil is "missing".
func compact(raw json.RawMessage) string {
	if raw == nil {
		return "missing"
	}
	var b bytes.Buffer
	s := string(raw)
	if err := json.Compact(&b, raw); err == nil {
		s = b.String()
	}
	return textsafe.LineN(s, maxValueBytes)
}
