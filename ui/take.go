package ui

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/keys"
)

// maxShownCopy is how long a copy may be to be shown on the status line
// when no clipboard can take it (so it can be selected by hand).
const maxShownCopy = 120

// clipEnv returns the session's way to the clipboard.
func (a *App) clipEnv() clipEnv {
	return clipEnv{term: a.deps.Term, inTmux: a.deps.InTmux, askTmux: a.deps.AllowExec}
}

// copy returns the command that copies text (described by what).
func (a *App) copy(text, what string) tea.Cmd {
	return copyCmd(a.deps.Lifetime, a.deps.Output, a.clipEnv(), text, what)
}

// onCopied shows the outcome of a copy.
func (a *App) onCopied(msg copiedMsg) {
	switch {
	case msg.err != nil:
		line := msg.lead + common.ErrorLine(msg.err)
		if msg.text != "" && len(msg.text) <= maxShownCopy && !strings.Contains(msg.text, "\n") {
			line += "; select it here: " + textsafe.Line(msg.text)
		}
		a.cmdline = a.cmdline.SetMessage(line, true)
	default:
		a.cmdline = a.cmdline.SetMessage(msg.lead+msg.line, msg.isErr)
	}
}

// take handles the copy keys (y, Y, C, W) on a screen that reports its
// selection; ok is false when the key is the view's (a JSON or log pane's
// own y and Y, or a screen without a selection to copy).
func (a *App) take(msg tea.KeyMsg, v common.View) (tea.Cmd, bool) {
	k := a.keys
	if key.Matches(msg, k.Export) {
		if ex, ok := v.(common.Exporter); ok {
			return a.startExport(ex, "jsonl", false), true
		}
		return a.exportBundle(v), true
	}
	if !key.Matches(msg, k.Copy, k.CopyJSON, k.Curl, k.Web) {
		return nil, false
	}
	sv, isSubj := v.(common.Subjecter)
	if !isSubj {
		return nil, false
	}
	s, ok := sv.Subject()
	if key.Matches(msg, k.Copy, k.CopyJSON) && s.PaneKeys {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Copy):
		if !ok || s.Copy == "" {
			return a.say("nothing selected to copy (yet)", true), true
		}
		return a.copy(s.Copy, s.CopyWhat), true
	case key.Matches(msg, k.CopyJSON):
		if !ok || s.Value == nil {
			return a.say("nothing loaded to copy yet", true), true
		}
		b, err := json.MarshalIndent(s.Value, "", "  ")
		if err != nil {
			return a.say("copy: "+common.ErrorLine(fmt.Errorf("encode JSON: %w", err)), true), true
		}
		return a.copy(string(b), s.CopyWhat+" as JSON"), true
	case key.Matches(msg, k.Curl):
		if s.Request.Path == "" {
			return a.say("this screen has no request to copy", true), true
		}
		text := curlText(a.deps.ServerURL, s.Request)
		return a.copy(text, "the curl command ("+strconv.Itoa(strings.Count(text, "\n"))+" lines; token as $ATTUNE_TOKEN)"), true
	default: // Web
		if !ok {
			return a.say("nothing selected to link", true), true
		}
		u, err := webURL(a.webBase(), s)
		if err != nil {
			return a.say("web UI link: "+common.ErrorLine(err), true), true
		}
		lead := hyperlink(u, textsafe.Line(u)) + " · "
		a.cmdline = a.cmdline.SetMessage(lead, false)
		return a.mapCopied(a.copy(u, "the link"), lead), true
	}
}

// mapCopied puts lead (the link W shows) before the report of copy cmd.
func (a *App) mapCopied(cmd tea.Cmd, lead string) tea.Cmd {
	return func() tea.Msg {
		msg := cmd()
		if c, ok := msg.(copiedMsg); ok {
			c.lead = lead
			return c
		}
		return msg
	}
}

// say returns a command-free status line change.
func (a *App) say(line string, isErr bool) tea.Cmd {
	a.cmdline = a.cmdline.SetMessage(line, isErr)
	return nil
}

// webBase is the web UI's base: Deps.WebURL, or the API's origin.
func (a *App) webBase() string {
	if a.deps.WebURL != "" {
		return strings.TrimRight(a.deps.WebURL, "/")
	}
	u, err := url.Parse(a.deps.ServerURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// webURL is the web UI page of s (the routes of Attune's web app:
// /events/:id, /enforcements/:id, /executions/:id, /rules/:ref and
// /traces?trace_tag=). Only http and https bases are accepted, and the
// result holds printable ASCII only (it is written inside an OSC 8
// sequence).
func webURL(base string, s common.Subject) (string, error) {
	b, err := url.Parse(base)
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") || b.Host == "" || b.User != nil {
		return "", fmt.Errorf("the web UI base %q is not an http(s) URL (set web_url in the context)", textsafe.LineN(base, 80))
	}
	var page string
	switch {
	case s.Kind == common.KindRule && s.Ref != "":
		page = "/rules/" + url.PathEscape(s.Ref)
	case s.Kind == common.KindTrace && s.Ref != "":
		page = "/traces?" + url.Values{"trace_tag": {s.Ref}}.Encode()
	case s.ID > 0 && (s.Kind == common.KindEvent || s.Kind == common.KindEnforcement || s.Kind == common.KindExecution):
		page = "/" + string(s.Kind) + "s/" + strconv.FormatInt(s.ID, 10)
	default:
		return "", fmt.Errorf("the web UI has no page for this screen")
	}
	u := strings.TrimRight(b.Scheme+"://"+b.Host+b.EscapedPath(), "/") + page
	for i := 0; i < len(u); i++ {
		if u[i] <= 0x20 || u[i] >= 0x7f {
			return "", fmt.Errorf("the link would carry byte %#x; not linked", u[i])
		}
	}
	return u, nil
}

// hyperlink draws text as an OSC 8 link to u (u already checked by webURL:
// printable ASCII, so it cannot end the sequence early).
func hyperlink(u, text string) string {
	return "\x1b]8;;" + u + "\x1b\\" + text + "\x1b]8;;\x1b\\"
}

// shellQuote quotes s for a POSIX shell: single quotes, or ANSI-C $'…'
// quoting with \xNN escapes when s holds control or non-ASCII bytes, so a
// pasted command is exactly one word and cannot run anything else.
func shellQuote(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,") == "" {
			return s
		}
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString("'")
	return b.String()
}

// curlText is the curl command of r against the API at base, the token
// as $ATTUNE_TOKEN (never its value), and the equivalent `attune-tui get`
// command, or why there is none.
func curlText(base string, r common.Request) string {
	u := strings.TrimRight(base, "/") + r.Path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	lines := []string{`curl -sS -H "Authorization: Bearer $ATTUNE_TOKEN" ` + shellQuote(u)}
	if len(r.Get) > 0 {
		words := []string{"attune-tui"}
		for _, w := range r.Get {
			words = append(words, shellQuote(w))
		}
		words = append(words, "--url", shellQuote(strings.TrimRight(base, "/")))
		lines = append(lines, strings.Join(words, " "))
	}
	if r.GetNote != "" {
		lines = append(lines, "# "+strings.ReplaceAll(r.GetNote, "\n", " "))
	}
	return strings.Join(lines, "\n") + "\n"
}

// offeredKeys returns the global keys with the copy and export keys
// disabled where the active screen does not support them (so help does not
// offer them): y/Y/C/W need a selection (common.Subjecter), X a list
// (common.Exporter) or a chain (common.Bundler).
func (a *App) offeredKeys() keys.KeyMap {
	k := a.keys
	var v common.View
	if t := a.top(); t != nil {
		v = t.view
	}
	_, subj := v.(common.Subjecter)
	_, list := v.(common.Exporter)
	_, chain := v.(common.Bundler)
	for _, b := range []*key.Binding{&k.Copy, &k.CopyJSON, &k.Curl, &k.Web} {
		b.SetEnabled(subj)
	}
	k.Export.SetEnabled(list || chain)
	return k
}
