package filterbar

import (
	"context"
	"errors"
	"path"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	fields := []Field{{Name: "trigger_ref"}, {Name: "source", Int: true}, {Name: "trace_tag", Aliases: []string{"trace"}}}
	tests := []struct {
		name    string
		text    string
		want    []Token
		wantErr string
	}{
		{name: "empty", text: "  "},
		{name: "two tokens", text: "trigger_ref:core.webhook source:4", want: []Token{{Key: "trigger_ref", Value: "core.webhook"}, {Key: "source", Value: "4"}}},
		{name: "alias", text: "trace:a.b.1", want: []Token{{Key: "trace_tag", Value: "a.b.1"}}},
		{name: "value with colon", text: "trigger_ref:a:b", want: []Token{{Key: "trigger_ref", Value: "a:b"}}},
		{name: "no colon", text: "webhook", wantErr: `"webhook": want key:value (keys: trigger_ref, source, trace_tag)`},
		{name: "unknown key", text: "rule:x", wantErr: `unknown key "rule" (keys: trigger_ref, source, trace_tag)`},
		{name: "missing value", text: "trigger_ref:", wantErr: "trigger_ref: missing value"},
		{name: "not an id", text: "source:abc", wantErr: `source: "abc" is not a positive id`},
		{name: "zero id", text: "source:0", wantErr: `source: "0" is not a positive id`},
		{name: "twice", text: "source:1 source:2", wantErr: "source given twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(fields, tc.text)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("Parse(%q) error = %v, want %q", tc.text, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tc.text, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

// bar is a test harness over Model: it types keys and collects the
// messages its commands produce.
type bar struct {
	t *testing.T
	m Model
}

func fields() []Field {
	return []Field{
		{Name: "status", Values: []string{"failed", "finished", "running"}},
		{Name: "trigger_ref", Known: "trigger_ref"},
		{Name: "trace_tag", Aliases: []string{"trace"}},
		{Name: "result_contains", Note: "a rare term scans"},
		{Name: "source", Int: true, Ref: true},
	}
}

func newBar(t *testing.T, current ...Token) *bar {
	t.Helper()
	m := New(fields(), Styles{}).SetWidth(80)
	m, _ = m.Open(current)
	return &bar{t: t, m: m}
}

// key sends one key ("enter", "esc", "tab", "up", "down", "backspace",
// "ctrl+u", " " or runes) and returns the messages of its command.
func (b *bar) key(k string) []tea.Msg {
	b.t.Helper()
	var msg tea.KeyMsg
	switch k {
	case "enter":
		msg = tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		msg = tea.KeyMsg{Type: tea.KeyTab}
	case "up":
		msg = tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		msg = tea.KeyMsg{Type: tea.KeyDown}
	case "backspace":
		msg = tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+u":
		msg = tea.KeyMsg{Type: tea.KeyCtrlU}
	case " ":
		msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	default:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	var cmd tea.Cmd
	b.m, cmd = b.m.Update(msg)
	return run(cmd)
}

// typ types text one rune at a time.
func (b *bar) typ(text string) {
	for _, r := range text {
		b.key(string(r))
	}
}

// run runs cmd and returns its messages, batches flattened; a test feeds a
// resolvedMsg back into the bar itself (as the list does).
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func applied(t *testing.T, msgs []tea.Msg) ([]Token, bool) {
	t.Helper()
	for _, msg := range msgs {
		if a, ok := msg.(ApplyMsg); ok {
			return a.Tokens, true
		}
	}
	return nil, false
}

func TestBarEscCancels(t *testing.T) {
	t.Parallel()
	b := newBar(t, Token{Key: "trace_tag", Value: "a.1"})
	b.key("backspace") // removes the chip in the bar only
	b.typ("status:failed")
	msgs := b.key("esc")
	if _, ok := applied(t, msgs); ok {
		t.Fatalf("esc applied a filter: %v", msgs)
	}
	if len(msgs) != 1 || msgs[0] != (CloseMsg{}) {
		t.Fatalf("esc = %v, want CloseMsg", msgs)
	}
	if b.m.Active() {
		t.Fatal("esc left the bar open")
	}
	// Opened again, the bar shows the filter that is applied.
	b.m, _ = b.m.Open([]Token{{Key: "trace_tag", Value: "a.1"}})
	if got := Text(b.m.Chips()); got != "trace_tag:a.1" || b.m.Value() != "" {
		t.Fatalf("reopened bar = %q + %q", got, b.m.Value())
	}
}

func TestBarClearAndEmptyApply(t *testing.T) {
	t.Parallel()
	b := newBar(t, Token{Key: "trace_tag", Value: "a.1"}, Token{Key: "status", Value: "failed"})
	b.typ("trigger_ref:x")
	b.key("ctrl+u")
	if len(b.m.Chips()) != 0 || b.m.Value() != "" {
		t.Fatalf("ctrl+u left %v + %q", b.m.Chips(), b.m.Value())
	}
	toks, ok := applied(t, b.key("enter"))
	if !ok || len(toks) != 0 {
		t.Fatalf("enter on an empty bar = %v %v, want an empty ApplyMsg (no filter)", toks, ok)
	}
}

func TestBarChips(t *testing.T) {
	t.Parallel()
	b := newBar(t, Token{Key: "trace_tag", Value: "a.1"})
	b.typ("status:failed")
	if len(b.m.Chips()) != 1 {
		t.Fatalf("a word without a space after it became a chip: %v", b.m.Chips())
	}
	b.key(" ")
	if got := Text(b.m.Chips()); got != "trace_tag:a.1 status:failed" || b.m.Value() != "" {
		t.Fatalf("after space: chips %q input %q", got, b.m.Value())
	}
	b.typ("bogus ")
	if b.m.Err() == "" || len(b.m.Chips()) != 2 {
		t.Fatalf("an invalid word: err %q chips %v", b.m.Err(), b.m.Chips())
	}
	b.key("ctrl+u")
	b.m, _ = b.m.Open([]Token{{Key: "trace_tag", Value: "a.1"}, {Key: "status", Value: "failed"}})
	b.key("backspace")
	if got := Text(b.m.Chips()); got != "trace_tag:a.1" {
		t.Fatalf("backspace on an empty input: chips %q", got)
	}
	b.typ("trace:b.2") // the same key again replaces the chip
	toks, _ := applied(t, b.key("enter"))
	if got := Text(toks); got != "trace_tag:b.2" {
		t.Fatalf("applied %q, want trace_tag:b.2", got)
	}
}

func TestBarComplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		typed     string
		known     map[string][]string
		wantChips string
		wantInput string
		wantHint  string
		wantWait  bool
	}{
		{name: "unique key", typed: "sta", wantInput: "status:"},
		{name: "key prefix", typed: "tr", wantInput: "tr", wantHint: "trigger_ref  trace_tag"},
		{name: "key note", typed: "res", wantInput: "result_contains:", wantHint: "a rare term scans"},
		{name: "no key", typed: "zz", wantInput: "zz", wantHint: `no key starts with "zz"`},
		{name: "status value", typed: "status:fa", wantChips: "status:failed"},
		{name: "status prefix", typed: "status:f", wantInput: "status:f", wantHint: "failed  finished"},
		{name: "status common prefix", typed: "status:", wantInput: "status:", wantHint: "failed  finished  running"},
		{name: "known waits", typed: "trigger_ref:gi", wantInput: "trigger_ref:gi", wantWait: true, wantHint: "loading known trigger_ref values…"},
		{
			name: "known value", typed: "trigger_ref:github.pus",
			known:     map[string][]string{"trigger_ref": {"core.webhook", "github.pull_request", "github.push"}},
			wantChips: "trigger_ref:github.push",
		},
		{
			name: "known prefix", typed: "trigger_ref:gi",
			known:     map[string][]string{"trigger_ref": {"core.webhook", "github.pull_request", "github.push"}},
			wantInput: "trigger_ref:github.pu", wantHint: "github.pull_request  github.push",
		},
		{name: "no values", typed: "trace:x", wantInput: "trace:x", wantHint: "trace_tag: no values to complete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newBar(t)
			if tc.known != nil {
				b.m = b.m.SetKnown(tc.known)
			}
			b.typ(tc.typed)
			b.key("tab")
			if got := Text(b.m.Chips()); got != tc.wantChips {
				t.Errorf("chips = %q, want %q", got, tc.wantChips)
			}
			if got := b.m.Value(); got != tc.wantInput {
				t.Errorf("input = %q, want %q", got, tc.wantInput)
			}
			if got := b.m.Hint(); got != tc.wantHint {
				t.Errorf("hint = %q, want %q", got, tc.wantHint)
			}
			if b.m.WantsKnown() != tc.wantWait {
				t.Errorf("WantsKnown = %v, want %v", b.m.WantsKnown(), tc.wantWait)
			}
		})
	}
}

func TestBarCompleteAfterKnownArrive(t *testing.T) {
	t.Parallel()
	b := newBar(t)
	b.typ("trigger_ref:github.pu")
	b.key("tab")
	if !b.m.WantsKnown() {
		t.Fatal("tab on a known key did not ask for the known values")
	}
	b.m = b.m.SetKnown(map[string][]string{"trigger_ref": {"github.push"}})
	if got := Text(b.m.Chips()); got != "trigger_ref:github.push" || b.m.WantsKnown() {
		t.Fatalf("after the known values arrived: chips %q, waiting %v", got, b.m.WantsKnown())
	}
}

func TestBarHistory(t *testing.T) {
	t.Parallel()
	b := newBar(t)
	b.m = b.m.SetHistory([]string{"status:failed", "trace_tag:a.1 status:running"})
	b.m, _ = b.m.Open(nil)
	b.typ("trace:draft")
	b.key("up")
	if got := Text(b.m.Chips()); got != "trace_tag:a.1 status:running" {
		t.Fatalf("↑ = %q, want the newest filter", got)
	}
	b.key("up")
	b.key("up") // stays on the oldest
	if got := Text(b.m.Chips()); got != "status:failed" {
		t.Fatalf("↑↑↑ = %q, want the oldest filter", got)
	}
	b.key("down")
	b.key("down")
	if got := Text(b.m.Chips()); got != "trace_tag:draft" {
		t.Fatalf("↓ past the newest = %q, want the text from before ↑", got)
	}
	toks, _ := applied(t, b.key("enter"))
	if got := Text(toks); got != "trace_tag:draft" {
		t.Fatalf("applied %q", got)
	}
}

func TestBarResolve(t *testing.T) {
	t.Parallel()
	ctx := func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }
	resolver := func(_ context.Context, key, ref string) (int64, error) {
		if key == "source" && ref == "slack.events_sensor" {
			return 2, nil
		}
		return 0, errors.New("no sensor " + strconv.Quote(ref))
	}
	t.Run("ok", func(t *testing.T) {
		t.Parallel()
		b := newBar(t)
		b.m = b.m.SetResolver(resolver, ctx)
		b.typ("source:slack.events_sensor")
		msgs := b.key("enter")
		if !b.m.Resolving() || len(msgs) != 1 {
			t.Fatalf("enter with a ref: resolving %v, msgs %v", b.m.Resolving(), msgs)
		}
		var cmd tea.Cmd
		b.m, cmd = b.m.Update(msgs[0])
		toks, ok := applied(t, run(cmd))
		if !ok || len(toks) != 1 || toks[0].ID != 2 || toks[0].Int() != 2 || toks[0].String() != "source:slack.events_sensor" {
			t.Fatalf("applied %+v", toks)
		}
		if b.m.Active() {
			t.Fatal("the bar stayed open after the ref resolved")
		}
	})
	t.Run("unknown", func(t *testing.T) {
		t.Parallel()
		b := newBar(t)
		b.m = b.m.SetResolver(resolver, ctx)
		b.typ("source:nope")
		msgs := b.key("enter")
		var cmd tea.Cmd
		b.m, cmd = b.m.Update(msgs[0])
		if cmd != nil || !b.m.Active() || b.m.Err() != `source: no sensor "nope"` {
			t.Fatalf("unknown ref: active %v err %q", b.m.Active(), b.m.Err())
		}
	})
	t.Run("esc drops the answer", func(t *testing.T) {
		t.Parallel()
		b := newBar(t)
		b.m = b.m.SetResolver(resolver, ctx)
		b.typ("source:slack.events_sensor")
		msgs := b.key("enter")
		b.key("esc")
		b.m, _ = b.m.Open(nil)
		var cmd tea.Cmd
		b.m, cmd = b.m.Update(msgs[0])
		if cmd != nil || !b.m.Active() {
			t.Fatal("a resolution cancelled with esc still applied")
		}
	})
	t.Run("id needs nothing", func(t *testing.T) {
		t.Parallel()
		b := newBar(t)
		b.typ("source:7")
		toks, ok := applied(t, b.key("enter"))
		if !ok || toks[0].Int() != 7 {
			t.Fatalf("applied %+v", toks)
		}
	})
}

func TestWildcard(t *testing.T) {
	t.Parallel()
	known := Field{Name: "rule_ref", Known: "rule_ref"}
	server := Field{Name: "trigger_ref", Known: "trigger_ref", ServerWildcard: true}
	tests := []struct {
		f    Field
		v    string
		want bool
	}{
		{known, "github.*", true},
		{known, "*push*", true},
		{known, "github.push", false},
		{server, "github.*", false}, // the API's own pack.*
		{server, "*push*", true},
		{server, "git*.*", true},
		{server, ".*", true},
		{Field{Name: "trace_tag"}, "a.*", false},
	}
	for _, tc := range tests {
		if got := tc.f.Wildcard(tc.v); got != tc.want {
			t.Errorf("%s:%s Wildcard = %v, want %v", tc.f.Name, tc.v, got, tc.want)
		}
	}
	if _, err := Parse([]Field{{Name: "trace_tag"}}, "trace_tag:a.*"); err == nil || !strings.Contains(err.Error(), "wildcards work on refs only") {
		t.Errorf("a wildcard on a non-ref key: %v", err)
	}
}

func TestResolveExpandsWildcards(t *testing.T) {
	t.Parallel()
	fields := []Field{{Name: "rule_ref", Known: "rule_ref"}, {Name: "trigger_ref", Known: "trigger_ref", ServerWildcard: true}}
	refs := map[string][]string{"trigger_ref": {"github.pull_request", "github.push", "core.webhook"}, "rule_ref": {"a.one", "a.two", "b.one"}}
	expand := func(_ context.Context, known, pattern string) ([]string, error) {
		var out []string
		for _, r := range refs[known] {
			if ok, _ := path.Match(pattern, r); ok {
				out = append(out, r)
			}
		}
		return out, nil
	}
	ctx := func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }
	tests := []struct {
		text      string
		wantChips string
		wantErr   string
	}{
		{text: "trigger_ref:*pu*", wantChips: "trigger_ref:*pu*→github.pull_request,github.push"},
		{text: "trigger_ref:github.*", wantChips: "trigger_ref:github.*"}, // the API's own
		{text: "rule_ref:*.one trigger_ref:core.*", wantChips: "rule_ref:*.one→a.one,b.one trigger_ref:core.*"},
		{text: "rule_ref:b.*", wantChips: "rule_ref:b.*→b.one"},
		{text: "rule_ref:zz*", wantErr: `rule_ref: no known ref matches "zz*"`},
		{text: "rule_ref:a.* trigger_ref:*pu*", wantErr: "one wildcard at a time"},
	}
	for _, tc := range tests {
		toks, err := Parse(fields, tc.text)
		if err != nil {
			t.Fatal(err)
		}
		var msg tea.Msg = ApplyMsg{Tokens: toks}
		if NeedsResolve(fields, toks) {
			msg = ResolveCmd(fields, toks, nil, expand, ctx)()
		}
		switch msg := msg.(type) {
		case ApplyMsg:
			chips := make([]string, len(msg.Tokens))
			for i, t := range msg.Tokens {
				chips[i] = t.Chip()
			}
			if got := strings.Join(chips, " "); got != tc.wantChips || tc.wantErr != "" {
				t.Errorf("%q: chips %q, want %q (err %q)", tc.text, got, tc.wantChips, tc.wantErr)
			}
		case ResolveErrMsg:
			if msg.Err.Error() != tc.wantErr {
				t.Errorf("%q: error %v, want %q", tc.text, msg.Err, tc.wantErr)
			}
		}
	}
}
