package executiondetail

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/detail"
	"github.com/attune-tui/attune-tui/ui/format"
	"github.com/attune-tui/attune-tui/ui/views/executions"
)

// View implements tea.Model.
func (m Model) View() string {
	return m.d.View(m.hdr != nil, m.headerView, func(i int) []string {
		if i == paneStdout || i == paneStderr {
			if m.out == nil {
				return nil
			}
			return strings.Split(m.out.View(), "\n")
		}
		return m.childrenView(m.d.PaneHeight(headerLines))
	})
}

func id(n int64) string {
	if n <= 0 {
		return "-"
	}
	return "#" + strconv.FormatInt(n, 10)
}

func (m Model) headerView() []string {
	d, h := m.d, m.hdr
	val := d.Value
	status := val(h.status)
	if h.statusRaw.Problem() {
		status = m.deps.Styles.State.Error.Render("✗ " + h.status)
	}
	l2 := []string{d.Field("created", val(detail.When(h.created, m.now)))}
	if h.started != nil {
		l2 = append(l2, d.Field("started", val("+"+format.Duration(h.started.Sub(h.created)))))
	}
	l2 = append(l2, d.Field("updated", val(common.Absolute(h.updated))), d.Field("duration", val(h.duration(m.now))))
	l4 := d.Field("error", val("-"))
	if h.errText != "" {
		l4 = m.deps.Styles.State.Error.Render("error: " + h.errText)
	}
	return []string{
		d.Line(d.Title(m.Title()), d.Field("action", val(h.action)), d.Field("status", status)),
		d.Line(l2...),
		d.Line(d.Field("enforcement", val(id(h.enforcement))), d.Field("parent", val(id(h.parent))),
			d.Field("executor", val(h.executor)), d.Field("worker", val(h.worker)), d.Field("trace", val(h.trace))),
		d.Fit(l4),
	}
}

// childrenTab is the children pane's tab label, with the count once known.
func (m Model) childrenTab() string {
	kids := "Children"
	if m.childDone && m.childErr == nil {
		n := strconv.Itoa(len(m.children))
		if m.childMore {
			n += "+"
		}
		kids += " (" + n + ")"
	}
	return kids
}

func (m Model) childrenView(h int) []string {
	st := m.deps.Styles
	switch {
	case !m.childDone:
		return []string{"", "  " + st.State.Hint.Render("Loading child executions…")}
	case m.childErr != nil:
		return []string{"", "  " + st.State.Error.Render("✗ "+common.ErrorLine(m.childErr)), "  " + st.State.Hint.Render("press r to retry")}
	case len(m.children) == 0:
		return []string{"", "  " + st.State.Empty.Render("No child executions")}
	}
	start := max(0, m.cursor-h+1)
	var out []string
	for i := start; i < len(m.children) && len(out) < h; i++ {
		c := m.children[i]
		line := fmt.Sprintf("%-8s %-10s %-14s %s", id(c.id), c.status,
			executions.Duration(c.statusRaw, c.created, c.updated, c.started, m.now), c.action)
		line = m.d.Fit("  " + line)
		if i == m.cursor {
			line = st.Table.Selected.Render(m.d.Fit("> " + strings.TrimPrefix(line, "  ")))
		}
		out = append(out, line)
	}
	return out
}
