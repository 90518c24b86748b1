package ruledetail

import (
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func settle(m Model, cmd tea.Cmd) Model {
	for i := 0; cmd != nil && i < 10; i++ {
		var next []tea.Cmd
		for _, msg := range uitest.Run(cmd) {
			switch msg.(type) {
			case common.ErrorMsg, common.SyncMsg, spinner.TickMsg:
				continue
			}
			tm, c := m.Update(msg)
			m = tm.(Model)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	return m
}

func TestRuleDetail(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	tests := []struct {
		name string
		ref  string
		want []string
	}{
		{name: "rule", ref: "aws.notify_alarms", want: []string{"Rule aws.notify_alarms", "trigger aws.cloudwatch_alarm", "[Conditions]", "not evaluated"}},
		{name: "missing", ref: "no.such", want: []string{"Could not load rule", "press r to retry"}},
	}
	t.Run("group", func(t *testing.T) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				m := New(uitest.Deps(api), tc.ref).SetSize(120, 24).(Model)
				m = settle(m, m.Init())
				v := m.View()
				for _, w := range tc.want {
					if !strings.Contains(v, w) {
						t.Errorf("view lacks %q:\n%s", w, v)
					}
				}
			})
		}
	})
	if got := ds.Server.Requests("/api/v1/rules/"); got != 2 {
		t.Errorf("rule requests = %d, want 2", got)
	}
}
