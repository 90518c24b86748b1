package trace

import (
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// bigTrace is a loaded trace of 50 enforcements with 20 executions each.
func bigTrace(b *testing.B) Model {
	b.Helper()
	m := New(uitest.Deps(nil), Start{Kind: "event", ID: 1}).SetSize(120, 40).(Model)
	tm, _ := m.Update(eventMsg{seq: m.seq, ev: eventInfo{id: 1, trigger: "t", created: uitest.Now(), hasEvent: true}})
	m = tm.(Model)
	enfs := make([]enfInfo, 50)
	for i := range enfs {
		enfs[i] = enfInfo{id: int64(100 + i), status: client.EnforcementProcessed, statusTxt: "processed", rule: "r", condition: "all"}
	}
	tm, _ = m.Update(enfsMsg{seq: m.seq, items: enfs})
	m = tm.(Model)
	for _, e := range enfs {
		xs := make([]execInfo, 20)
		for j := range xs {
			c := uitest.Now().Add(time.Duration(j) * time.Second)
			xs[j] = execInfo{id: e.id*100 + int64(j), status: client.ExecutionCompleted, statusTxt: "completed", action: "a", created: c, updated: c.Add(time.Second)}
		}
		tm, _ = m.Update(execsMsg{seq: m.seq, owner: nodeKey("enf", e.id), items: xs})
		m = tm.(Model)
	}
	return m
}

// BenchmarkCursorDown is one cursor move plus a render of a 1,051-line tree.
func BenchmarkCursorDown(b *testing.B) {
	m := bigTrace(b)
	down := uitest.Key("down")
	b.ReportAllocs()
	for b.Loop() {
		tm, _ := m.Update(down)
		m = tm.(Model)
		_ = m.View()
		if m.cursor == len(m.lines)-1 {
			m = m.moveTo(0)
		}
	}
}

// BenchmarkAnswer is folding one enforcement's executions into the tree
// (a rebuild of every line and the summary).
func BenchmarkAnswer(b *testing.B) {
	m := bigTrace(b)
	msg := execsMsg{seq: m.seq, owner: nodeKey("enf", 100), items: m.execs[nodeKey("enf", 100)]}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = m.Update(msg)
	}
}
