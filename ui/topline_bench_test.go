package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// BenchmarkTopLine is the per-frame cost of the breadcrumb and key hints on
// the event list at 120 columns (every View draws it).
func BenchmarkTopLine(b *testing.B) {
	api, _ := uitest.StartDev(b, testutil.DevOptions{})
	a := New(uitest.Deps(api))
	_ = a.Init() // pushes the event list; its commands are not run
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if a.top() == nil || a.topLine() == "" {
		b.Fatal("no event list")
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = a.topLine()
	}
}
