package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// BenchmarkTopLine is the per-Update cost of the breadcrumb and key hints on
// the event list at 120 columns (refreshed after every message; View only reads it).
func BenchmarkTopLine(b *testing.B) {
	api, _ := uitest.StartDev(b, testutil.DevOptions{})
	a := New(uitest.Deps(api))
	_ = a.Init() // pushes the event list; its commands are not run
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if a.top() == nil || a.topCache.line == "" {
		b.Fatal("no event list")
	}
	b.ReportAllocs()
	for b.Loop() {
		a.refreshTopLine()
	}
}
