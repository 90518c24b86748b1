package ui

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/attune-tui/attune-tui/ui/components/jsonview"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestCopyAndPager(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		msg       any
		allowExec bool
		wantOut   string
		wantLine  string
	}{
		{name: "copy writes OSC 52", msg: jsonview.CopyMsg{Text: `{"a":1}`, What: ".a"}, wantOut: "\x1b]52;c;eyJhIjoxfQ==\a", wantLine: "sent .a to the terminal's clipboard via OSC 52"},
		{name: "pager refused without exec", msg: jsonview.OpenPagerMsg{Text: "x"}, wantLine: "the pager is not available in this session"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := &syncBuffer{}
			d := uitest.Deps(blockingAPI())
			d.Output = out
			d.AllowExec = tc.allowExec
			a := New(d)
			_ = a.Init() // opens the event list, the screen the message comes from
			_, cmd := a.Update(routedMsg{id: a.stack[0].id, msg: tc.msg})
			for _, m := range uitest.Run(cmd) {
				_, _ = a.Update(m)
			}
			if out.String() != tc.wantOut {
				t.Errorf("output = %q, want %q", out.String(), tc.wantOut)
			}
			if got := a.cmdline.Message(); !strings.Contains(got, tc.wantLine) {
				t.Errorf("message = %q, want %q", got, tc.wantLine)
			}
		})
	}
}
