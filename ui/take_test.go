package ui

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

var osc52Re = regexp.MustCompile("\x1b\\]52;c;([A-Za-z0-9+/=]*)\a")

// clipboard decodes every OSC 52 copy written to out, in order.
func clipboard(t *testing.T, out string) []string {
	t.Helper()
	var got []string
	for _, m := range osc52Re.FindAllStringSubmatch(out, -1) {
		b, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			t.Fatalf("OSC 52 payload %q: %v", m[1], err)
		}
		got = append(got, string(b))
	}
	return got
}

// tokenDev starts the seeded dev server and returns an API that uses a
// bearer token (and the token, which nothing copied may contain).
func tokenDev(t *testing.T) (*common.API, *testutil.DevServer, string) {
	t.Helper()
	ds := testutil.StartDevServer(t, testutil.DevOptions{})
	login, err := client.New(ds.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	tok, _, err := login.Auth.Login(ctx, ds.Login, ds.Password)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(ds.URL, client.WithToken(tok.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	return common.NewAPI(c), ds, tok.AccessToken
}

// TestCopyKeys drives y, Y, C and W on the screens against the seeded dev
// server and checks what reached the clipboard (the OSC 52 sequences on
// the program's output) and what the status line says.
func TestCopyKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// command opens the screen (":" command line; "" the event list);
		// ready is waited for before keys are typed.
		command string
		ready   []string
		keys    []string
		term    string
		inTmux  bool
		webURL  string
		// wantCopy are substrings of the last copy ("" wants no copy at
		// all); wantLine is on the status line.
		wantCopy []string
		wantLine string
		// wantOut are substrings of the raw output (an OSC 8 link, a tmux
		// passthrough).
		wantOut []string
	}{
		{name: "y on the event list copies the id", ready: []string{"page 1"}, keys: []string{"y"},
			wantCopy: []string{"300"}, wantLine: "sent event id 300 to the terminal's clipboard via OSC 52"},
		{name: "Y on the event list copies the row", ready: []string{"page 1"}, keys: []string{"Y"},
			wantCopy: []string{`"id": 300`, `"trigger_ref": "`}, wantLine: "event id 300 as JSON"},
		{name: "C on a filtered event list", command: "events trigger_ref:core.webhook", ready: []string{"trigger_ref:core.webhook"}, keys: []string{"C"},
			wantCopy: []string{
				`curl -sS -H "Authorization: Bearer $ATTUNE_TOKEN" 'BASE/api/v1/events?page=1&per_page=20&trigger_ref=core.webhook'`,
				"attune-tui get events --trigger-ref core.webhook --url BASE",
			}, wantLine: "the curl command (2 lines; token as $ATTUNE_TOKEN)"},
		{name: "W on the event list links the event", ready: []string{"page 1"}, keys: []string{"W"}, webURL: "https://ui.example.com/attune/",
			wantCopy: []string{"https://ui.example.com/attune/events/300"}, wantLine: "/attune/events/300\x1b]8;;\x1b\\",
			wantOut: []string{"\x1b]8;;https://ui.example.com/attune/events/300\x1b\\"}},
		{name: "W defaults to the API origin", command: "execution 5", ready: []string{"Execution #5"}, keys: []string{"W"},
			wantCopy: []string{"BASE/executions/5"}},
		{name: "y on the enforcement detail copies its id", command: "enforcement 7", ready: []string{"Enforcement #7"}, keys: []string{"y"},
			wantCopy: []string{"7"}, wantLine: "enforcement id 7"},
		{name: "C on the execution detail", command: "execution 5", ready: []string{"Execution #5"}, keys: []string{"C"},
			wantCopy: []string{`$ATTUNE_TOKEN" BASE/api/v1/executions/5` + "\n", "attune-tui get execution 5 -o json --url BASE"}},
		// The payload must be in the viewer, not just its tab (under load
		// the tabs are drawn before the answer arrives).
		{name: "y on a JSON pane is the JSON viewer's", command: "event 300", ready: []string{"Payload", "> 1 {"}, keys: []string{"y"},
			wantLine: "sent . to"},
		{name: "y on the trace copies the trace tag", command: "trace 299", ready: []string{"2 enforcements", "event #299  aws.cloudwatch_alarm"}, keys: []string{"y"},
			wantCopy: []string{"aws.cloudwatch_alarm.299"}, wantLine: "trace tag aws.cloudwatch_alarm.299"},
		{name: "TERM=dumb says no clipboard", ready: []string{"page 1"}, keys: []string{"y"}, term: "dumb",
			wantCopy: []string{""}, wantLine: "not copied: TERM=dumb has no clipboard (OSC 52); select it here: 300"},
		{name: "tmux: passthrough too, and what it needs", ready: []string{"page 1"}, keys: []string{"y"}, inTmux: true,
			wantCopy: []string{"300"}, wantLine: "tmux: needs set-clipboard on",
			wantOut: []string{"\x1bPtmux;\x1b\x1b]52;c;MzAw\a\x1b\\"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api, ds, token := tokenDev(t)
			out := &syncBuffer{}
			d := uitest.Deps(api)
			d.ServerURL, d.Output, d.Term, d.InTmux, d.WebURL = ds.URL, out, tc.term, tc.inTmux, tc.webURL
			tm := start(t, d, 120, 40)
			if tc.command != "" {
				wait(t, tm, "page 1")
				typeKeys(tm, ":")
				tm.Type(tc.command)
				typeKeys(tm, "enter")
			}
			wait(t, tm, tc.ready...)
			typeKeys(tm, tc.keys...)
			var raw []byte
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
				raw = append(raw, b...)
				return tc.wantLine == "" || strings.Contains(string(raw), tc.wantLine)
			}, teatest.WithDuration(10*time.Second))
			if tc.wantLine == "" { // the copy's report may come after the frame
				teatest.WaitFor(t, tm.Output(), func([]byte) bool { return osc52Re.MatchString(out.String()) }, teatest.WithDuration(10*time.Second))
			}
			got := clipboard(t, out.String())
			for _, want := range tc.wantCopy {
				want = strings.ReplaceAll(want, "BASE", ds.URL)
				switch {
				case want == "" && len(got) > 0:
					t.Errorf("copied %q, want nothing", got)
				case want != "" && (len(got) == 0 || !strings.Contains(got[len(got)-1], want)):
					t.Errorf("copies %q, want one containing %q", got, want)
				}
			}
			for _, c := range got {
				if strings.Contains(c, token) || strings.Contains(c, ds.Password) {
					t.Errorf("a copy holds the token or password: %q", c)
				}
			}
			for _, want := range tc.wantOut {
				if !strings.Contains(string(raw)+out.String(), want) {
					t.Errorf("output lacks %q: %q", want, raw)
				}
			}
		})
	}
}

// TestCopiedJSONIsTheRow checks that Y on a list copies the row exactly as
// the API listed it.
func TestCopiedJSONIsTheRow(t *testing.T) {
	t.Parallel()
	api, ds, _ := tokenDev(t)
	out := &syncBuffer{}
	d := uitest.Deps(api)
	d.ServerURL, d.Output = ds.URL, out
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1")
	typeKeys(tm, "Y")
	wait(t, tm, "as JSON")
	got := clipboard(t, out.String())
	if len(got) != 1 {
		t.Fatalf("copies = %q, want one", got)
	}
	var row client.EventSummary
	if err := json.Unmarshal([]byte(got[0]), &row); err != nil {
		t.Fatalf("copied JSON: %v", err)
	}
	p, _, err := api.Events.List(t.Context(), &client.EventListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 1}})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(p.Items[0])
	have, _ := json.Marshal(row)
	if string(want) != string(have) {
		t.Errorf("copied row\n%s\nwant\n%s", have, want)
	}
}

// TestWebURLAndQuoting covers the link's checks and the shell quoting of
// what C copies.
func TestWebURLAndQuoting(t *testing.T) {
	t.Parallel()
	link := []struct {
		base    string
		s       common.Subject
		want    string
		wantErr bool
	}{
		{base: "https://ui.example.com", s: common.Subject{Kind: common.KindRule, Ref: "pack.my rule"}, want: "https://ui.example.com/rules/pack.my%20rule"},
		{base: "https://ui.example.com", s: common.Subject{Kind: common.KindTrace, Ref: "t\x1b]2;x\a"}, want: "https://ui.example.com/traces?trace_tag=t%1B%5D2%3Bx%07"},
		{base: "javascript:alert(1)", s: common.Subject{Kind: common.KindEvent, ID: 1}, wantErr: true},
		{base: "file:///etc/passwd", s: common.Subject{Kind: common.KindEvent, ID: 1}, wantErr: true},
		{base: "https://user:pw@ui.example.com", s: common.Subject{Kind: common.KindEvent, ID: 1}, wantErr: true},
		{base: "https://ui.example.com", s: common.Subject{Kind: common.KindEvents}, wantErr: true},
	}
	for _, tc := range link {
		got, err := webURL(tc.base, tc.s)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("webURL(%q, %+v) = %q, %v; want %q (error %t)", tc.base, tc.s, got, err, tc.want, tc.wantErr)
		}
	}
	quote := map[string]string{
		"core.webhook": "core.webhook",
		"it's":         `'it'\''s'`,
		"$(rm -rf ~)":  `'$(rm -rf ~)'`,
		"a\nb":         `$'a\x0ab'`,
		"":             "''",
	}
	for in, want := range quote {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestClipReport checks that a copy claims success only when it can be
// known to have arrived (tmux with set-clipboard on keeps it in its buffer).
func TestClipReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     clipEnv
		setting string
		want    string
		wantErr bool
	}{
		{name: "plain terminal", env: clipEnv{}, want: "sent x to the terminal's clipboard via OSC 52 (if the terminal allows it)"},
		{name: "tmux on", env: clipEnv{inTmux: true, askTmux: true}, setting: "on", want: "copied x (tmux set-clipboard on"},
		{name: "tmux external", env: clipEnv{inTmux: true, askTmux: true}, setting: "external", want: "not copied: tmux's set-clipboard is external", wantErr: true},
		{name: "tmux off", env: clipEnv{inTmux: true, askTmux: true}, setting: "off", want: "not copied: tmux's set-clipboard is off", wantErr: true},
		{name: "tmux unknown", env: clipEnv{inTmux: true}, want: "sent x via OSC 52 (tmux: needs set-clipboard on"},
	}
	for _, tc := range tests {
		line, isErr := clipReport(tc.env, "x", tc.setting, nil)
		if !strings.HasPrefix(line, tc.want) || isErr != tc.wantErr {
			t.Errorf("%s: %q (error %t), want %q (error %t)", tc.name, line, isErr, tc.want, tc.wantErr)
		}
	}
	if got := (clipEnv{term: "dumb"}).noClipboard(); got == "" {
		t.Error("TERM=dumb: no reason given")
	}
}
