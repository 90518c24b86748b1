package ui

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/theme"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// rawTerm runs the app under teatest and keeps every byte the program
// wrote to its terminal, so that tests can check the raw stream.
type rawTerm struct {
	tm  *teatest.TestModel
	raw []byte
}

// startRaw starts the app at w×h with deps.
func startRaw(t *testing.T, deps common.Deps, w, h int) *rawTerm {
	t.Helper()
	tm := teatest.NewTestModel(t, New(deps), teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() { _ = tm.Quit() })
	return &rawTerm{tm: tm}
}

// themed returns deps whose styles render with profile.
func themed(d common.Deps, profile termenv.Profile) common.Deps {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	r.SetHasDarkBackground(true)
	d.Styles = theme.New(r)
	return d
}

// send sends keys (see uitest.Key) and then waits until the bytes written
// after the keys contain every text.
func (r *rawTerm) send(t *testing.T, keys []string, texts ...string) {
	t.Helper()
	mark := len(r.raw)
	for _, k := range keys {
		r.tm.Send(uitest.Key(k))
	}
	r.waitFrom(t, mark, texts...)
}

// command runs ":cmd" and waits for texts. It returns the stream offset
// before the command, for waits on the same screen.
func (r *rawTerm) command(t *testing.T, cmd string, texts ...string) int {
	t.Helper()
	mark := len(r.raw)
	r.tm.Send(uitest.Key(":"))
	r.tm.Type(cmd)
	r.tm.Send(uitest.Key("enter"))
	r.waitFrom(t, mark, texts...)
	return mark
}

// sendOn sends keys and waits until the stream since mark (the start of the
// screen) contains every text: text already on screen is not redrawn.
func (r *rawTerm) sendOn(t *testing.T, mark int, keys []string, texts ...string) {
	t.Helper()
	for _, k := range keys {
		r.tm.Send(uitest.Key(k))
	}
	r.waitFrom(t, mark, texts...)
}

// waitFrom waits until raw[mark:] contains every text (compared after
// removing escape sequences, so styled text matches too).
func (r *rawTerm) waitFrom(t *testing.T, mark int, texts ...string) {
	t.Helper()
	r.waitFromWithin(t, mark, waitFor, texts...)
}

// waitFromWithin is waitFrom with a time budget of d instead of waitFor,
// for steps that are slow by design (a 50 MB body under -race).
func (r *rawTerm) waitFromWithin(t *testing.T, mark int, d time.Duration, texts ...string) {
	t.Helper()
	seen := 0
	teatest.WaitFor(t, r.tm.Output(), func(b []byte) bool {
		r.raw = append(r.raw, b[seen:]...)
		seen = len(b)
		plain := ansi.Strip(string(r.raw[mark:]))
		for _, s := range texts {
			if !strings.Contains(plain, s) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(d), teatest.WithCheckInterval(5*time.Millisecond))
}

// waitAnyFrom waits until raw[mark:] contains one of texts.
func (r *rawTerm) waitAnyFrom(t *testing.T, mark int, texts ...string) {
	t.Helper()
	seen := 0
	teatest.WaitFor(t, r.tm.Output(), func(b []byte) bool {
		r.raw = append(r.raw, b[seen:]...)
		seen = len(b)
		plain := ansi.Strip(string(r.raw[mark:]))
		for _, s := range texts {
			if strings.Contains(plain, s) {
				return true
			}
		}
		return false
	}, teatest.WithDuration(waitFor), teatest.WithCheckInterval(5*time.Millisecond))
}

// finish quits, collects the rest of the stream and returns the final
// model's view.
func (r *rawTerm) finish(t *testing.T) string {
	t.Helper()
	if err := r.tm.Quit(); err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r.tm.FinalOutput(t, teatest.WithFinalTimeout(waitFor)))
	if err != nil {
		t.Fatal(err)
	}
	r.raw = append(r.raw, out...)
	return r.tm.FinalModel(t, teatest.WithFinalTimeout(waitFor)).(*App).View()
}

// errorReporter is the part of *testing.T the byte checker uses.
type errorReporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// allowedPrivateModes are the DEC modes bubbletea's standard renderer sets
// and resets: cursor visibility, alternate screen, bracketed paste, focus
// and the mouse modes.
var allowedPrivateModes = map[int]bool{25: true, 1049: true, 2004: true, 1004: true,
	1000: true, 1002: true, 1003: true, 1006: true}

// checkTerminalBytes parses b with the ansi parser and reports every
// control sequence the renderer does not emit itself for layout and
// colour: only CSI m, A-D, H, J, K and the allowed private modes h/l pass;
// any OSC, DCS, APC, PM, SOS, other ESC sequence, 8-bit C1, C0 control
// other than CR/LF, and any raw bidi or zero-width character fails.
func checkTerminalBytes(t errorReporter, b []byte) {
	t.Helper()
	p := ansi.NewParser()
	var state byte
	bad := 0
	report := func(off int, what string, seq []byte) {
		bad++
		if bad <= 10 {
			t.Errorf("offset %d: %s %q (context %q)", off, what, seq, b[max(off-40, 0):min(off+40, len(b))])
		}
	}
	for off := 0; off < len(b); {
		seq, _, n, ns := ansi.DecodeSequence(b[off:], state, p)
		state = ns
		if n <= 0 {
			n = 1
		}
		switch {
		case ansi.HasCsiPrefix(seq):
			if seq[0] == ansi.CSI {
				report(off, "8-bit CSI", seq)
				break
			}
			cmd := ansi.Cmd(p.Command())
			switch final := cmd.Final(); {
			case cmd.Prefix() == '?' && (final == 'h' || final == 'l'):
				for _, prm := range p.Params() {
					if !allowedPrivateModes[prm.Param(-1)] {
						report(off, "private mode", seq)
					}
				}
			case cmd.Prefix() == 0 && cmd.Intermediate() == 0 && strings.IndexByte("mABCDHJK", final) >= 0:
			default:
				report(off, "CSI", seq)
			}
		case ansi.HasOscPrefix(seq):
			report(off, "OSC", seq)
		case ansi.HasDcsPrefix(seq):
			report(off, "DCS", seq)
		case ansi.HasApcPrefix(seq), ansi.HasPmPrefix(seq), ansi.HasSosPrefix(seq):
			report(off, "APC/PM/SOS", seq)
		case ansi.HasEscPrefix(seq):
			report(off, "ESC sequence", seq)
		case len(seq) == 1 && (seq[0] < 0x20 || seq[0] == 0x7f):
			if seq[0] != '\r' && seq[0] != '\n' {
				report(off, "C0 control", seq)
			}
		case len(seq) >= 1 && seq[0] >= 0x80 && seq[0] < 0xa0:
			report(off, "8-bit C1 byte", seq)
		default:
			for _, r := range string(seq) {
				if isHiddenRune(r) {
					report(off, fmt.Sprintf("raw U+%04X", r), seq)
				}
			}
		}
		off += n
	}
	if bad > 10 {
		t.Errorf("… %d offending sequences in all", bad)
	}
}

// isHiddenRune reports C1 controls, bidi controls and zero-width
// characters, which textsafe must have escaped.
func isHiddenRune(r rune) bool {
	switch {
	case r >= 0x80 && r < 0xa0, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r >= 0x200b && r <= 0x200f, r == 0x2060, r == 0xfeff, r == 0x061c:
		return true
	}
	return false
}

// TestCheckTerminalBytes proves the checker rejects what it must.
func TestCheckTerminalBytes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"renderer", "\x1b[?25l\x1b[?2004h\x1b[2K\x1b[1A\x1b[38;2;1;2;3mhi\x1b[0m\r\n\x1b[?1049h\x1b[H\x1b[J\x1b[K\x1b[3C", true},
		{"clear_screen_ok", "\x1b[2J", true},
		{"osc_title", devserver.HostileTitle, false},
		{"osc52", devserver.HostileClipboard, false},
		{"osc8", devserver.HostileLink, false},
		{"dcs", devserver.HostileDCS, false},
		{"c1", devserver.HostileC1, false},
		{"bel", "a\x07b", false},
		{"csi_scroll_region", "\x1b[1;5r", false},
		{"save_cursor", "\x1b7", false},
		{"bidi", devserver.HostileBidi, false},
		{"zero_width", devserver.HostileZeroWidth, false},
		{"private_mode", "\x1b[?1047h", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ft := &fakeT{}
			checkTerminalBytes(ft, []byte(tc.in))
			if ft.failed == tc.ok {
				t.Errorf("failed = %v, want %v: %v", ft.failed, !tc.ok, ft.msgs)
			}
		})
	}
}

// fakeT records failures of checkTerminalBytes.
type fakeT struct {
	failed bool
	msgs   []string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Errorf(format string, args ...any) {
	f.failed = true
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

// TestHostileScreens renders every screen with the adversarial corpus and
// checks the raw terminal stream, in ASCII and true colour.
func TestHostileScreens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		profile termenv.Profile
		w, h    int
	}{
		{"ascii_120x40", termenv.Ascii, 120, 40},
		{"truecolor_120x40", termenv.TrueColor, 120, 40},
		{"truecolor_400x120", termenv.TrueColor, 400, 120},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hostileScreens(t, tc.profile, tc.w, tc.h)
		})
	}
}

// hostileIDs are the ids of the corpus events with the default seed size.
func hostileID(i int) int64 { return int64(testutil.DefaultDevEvents + 1 + i) }

func hostileScreens(t *testing.T, profile termenv.Profile, w, h int) {
	api := uitest.SharedDev(t, testutil.DevOptions{Adversarial: true})
	r := startRaw(t, themed(uitest.Deps(api), profile), w, h)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stream (plain, last 3000 bytes):\n%s", lastBytes(ansi.Strip(string(r.raw)), 600))
		}
	})
	// Event list: the corpus is the newest page.
	r.waitFrom(t, 0, "page 1", "Demo User", `\x1b[`)
	// Opening is asynchronous (the command line's submit and a view's open
	// are commands), so each step waits for the new breadcrumb before the
	// next key: keys sent earlier would act on the previous screen.
	// Event details, one per corpus event; the first is the kitchen sink.
	m := r.command(t, fmt.Sprintf("event %d", hostileID(0)), fmt.Sprintf("› #%d", hostileID(0)), "[Payload]",
		"> 1 {", `"v01": "\x1b]0;pwned-title`, `\x1b[2J`)
	r.sendOn(t, m, []string{"E"}, `\x1b]52;c;`, `\u009b31m`, `\x1b]8;;https://evil.example/`)
	// The bottom of the document: invalid UTF-8, big numbers, awkward keys
	// and the nested OSC 2 key are shown, not dropped.
	r.sendOn(t, m, []string{"G"}, `"lone_surrogates": "`, `"raw_invalid_utf8": "bad `, "12345678901234567890123",
		"1e400", `"a[0]"`, `"["x"]"`, `\x1b]2;nested-title`)
	r.sendOn(t, m, []string{"tab"}, `\x1b]2;cfg`)
	for i := 1; i < devserver.HostileEventCount; i++ {
		r.send(t, []string{"esc"})
		r.command(t, fmt.Sprintf("event %d", hostileID(i)), fmt.Sprintf("› #%d", hostileID(i)))
	}
	r.send(t, []string{"esc"})
	r.command(t, fmt.Sprintf("event %d", hostileID(1)), fmt.Sprintf("› #%d", hostileID(1)), `\u202e`, `\u200b`)
	r.send(t, []string{"esc"})
	r.command(t, "enforcements", "0-3/s", "processed", `rule.\x1b]0;pwned-title`)
	r.send(t, []string{"enter"}, "› Enforcement #")
	r.send(t, []string{"esc", "esc"})
	r.command(t, "executions", "0-9/s/F", `action.\x1b]52;c;`)
	r.send(t, []string{"enter"}, "› Execution #")
	r.send(t, []string{"esc", "esc"})
	r.command(t, fmt.Sprintf("event %d", hostileID(2)), fmt.Sprintf("› #%d", hostileID(2)), "本番環境")
	r.send(t, []string{"t"}, "› Trace")
	r.send(t, []string{"esc", "esc"})
	r.command(t, fmt.Sprintf("event %d", hostileID(0)), fmt.Sprintf("› #%d", hostileID(0)))
	r.send(t, []string{"w"}, "› Rules for #")
	r.send(t, []string{"esc", "esc"})
	r.command(t, "rule core.heartbeat_echo", "› Rule core.heartbeat_echo")
	r.send(t, []string{"?"}, "Global")
	v := r.finish(t)
	checkTerminalBytes(t, r.raw)
	checkTerminalBytes(t, []byte(v))
	for _, s := range []string{"pwned", "]52;c", "evil.example"} {
		if bytes.Contains(r.raw, []byte("\x1b]")) || bytes.Contains(r.raw, []byte("\x1b"+s)) {
			t.Errorf("raw stream carries an OSC (%s)", s)
		}
	}
}

// lastBytes returns the last n bytes of s.
func lastBytes(s string, n int) string { return s[max(len(s)-n, 0):] }
