// Package filterbar is the "/" filter bar of list views. The filter is a
// row of key:value chips followed by the word being typed: a valid word
// becomes a chip when a space follows it, backspace on an empty input
// removes the last chip, tab completes keys and known values, ↑/↓ recall
// the filters applied before on this kind of screen, enter applies and esc
// cancels (the filter applied when the bar opened stays).
//
// A key may take a ref where the API wants an id (source:<sensor ref>):
// the bar resolves it through the screen's Resolver before it applies,
// and the chip keeps showing the ref.
package filterbar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/attune-tui/attune-tui/internal/textsafe"
)

// Field is one key the bar accepts.
type Field struct {
	// Name is the canonical key, e.g. "trigger_ref".
	Name string
	// Aliases are other accepted spellings, e.g. "trigger_ref" for "trigger".
	Aliases []string
	// Int requires a positive integer value.
	Int bool
	// Ref, with Int, also accepts a ref for the id (e.g. a sensor ref for
	// source): the bar resolves it with its Resolver before applying.
	Ref bool
	// Values, when set, are the only accepted values (statuses, true/false);
	// tab completes them.
	Values []string
	// Known names a set of values known at run time that tab completes
	// (see SetKnown), e.g. "rule_ref"; any value is still accepted.
	Known string
	// Note is shown under the input while this key is being typed, e.g.
	// that a rare result_contains term scans every execution.
	Note string
	// ServerWildcard says the API itself takes "pack.*" for this key
	// (executions' trigger_ref): such a value is sent as it is. Other
	// wildcards of a Known key are expanded into the known refs.
	ServerWildcard bool
}

// MaxExpansion caps how many refs a wildcard may expand to (each is one
// request stream of the merged list).
const MaxExpansion = 20

// Wildcard reports whether value v of field f is a wildcard the bar
// expands into the known refs (a "*" in a Known key's value, unless the
// API takes it: "pack.*" for a ServerWildcard key).
func (f Field) Wildcard(v string) bool {
	if f.Known == "" || !strings.Contains(v, "*") {
		return false
	}
	return !f.ServerWildcard || strings.Count(v, "*") != 1 || !strings.HasSuffix(v, ".*") || len(v) < 3
}

// Token is one parsed key:value pair, with the canonical key.
type Token struct {
	Key   string
	Value string
	// ID is the id a Ref field's ref resolved to (0 when Value is the id
	// itself or was not resolved).
	ID int64
	// Refs are the known refs a wildcard value expanded to (nil when the
	// value is not a wildcard or was not expanded yet).
	Refs []string
}

// String renders the token as key:value (what Parse reads back).
func (t Token) String() string { return t.Key + ":" + t.Value }

// Chip renders the token as shown in a chip: key:value, and for an
// expanded wildcard what it expanded to ("trigger_ref:github.*→
// github.pull_request,github.push").
func (t Token) Chip() string {
	if len(t.Refs) == 0 {
		return t.String()
	}
	return t.String() + "→" + strings.Join(t.Refs, ",")
}

// Int returns the id a token stands for: its resolved ID, else its value
// as a number (0 when it is neither).
func (t Token) Int() int64 {
	if t.ID > 0 {
		return t.ID
	}
	n, _ := strconv.ParseInt(t.Value, 10, 64)
	return n
}

// Text renders tokens as the text Parse reads back.
func Text(toks []Token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.String()
	}
	return strings.Join(parts, " ")
}

// ApplyMsg reports the filter to apply (empty = no filter).
type ApplyMsg struct{ Tokens []Token }

// CloseMsg reports that the bar was closed without applying: the filter
// applied when it opened stays.
type CloseMsg struct{}

// Resolver turns the ref value of a Ref field into its id.
type Resolver func(ctx context.Context, key, ref string) (int64, error)

// Expander returns the known refs (of the set named known) that a
// wildcard pattern matches.
type Expander func(ctx context.Context, known, pattern string) ([]string, error)

// Styles are the bar's styles.
type Styles struct {
	Prompt, Text, Error lipgloss.Style
	// Chip draws a chip; Hint the completion candidates and notes.
	Chip, Hint lipgloss.Style
}

// KeyMap holds the bar's bindings.
type KeyMap struct {
	Apply, Clear, Cancel, Complete, Prev, Next, RemoveChip key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Apply:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Clear:      key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Complete:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		Prev:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "recent")),
		Next:       key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "newer filter")),
		RemoveChip: key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "drop last chip")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Apply, k.Complete, k.Prev, k.Clear, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp(), {k.RemoveChip}}
}

// maxCandidates caps the completion candidates kept for the hint line.
const maxCandidates = 30

// Model is the bar state.
type Model struct {
	KeyMap KeyMap
	fields []Field
	input  textinput.Model
	styles Styles
	active bool
	err    string
	chips  []Token
	// hint is the line under the input when there is no error: the
	// completion candidates, or the note of the key being typed.
	hint  string
	known map[string][]string
	// knownLoaded is set once SetKnown gave the known values; waiting is
	// set while a tab waits for them (see WantsKnown).
	knownLoaded bool
	waiting     bool
	// history is the filters applied before, oldest first; histPos is the
	// recalled entry (len(history) = none) and draft the text before the
	// first ↑.
	history []string
	histPos int
	draft   string
	// resolve turns refs into ids; ctx bounds each resolution. seq drops
	// the answer of a resolution that was cancelled; resolving is set
	// while one runs.
	resolve   Resolver
	expand    Expander
	ctx       func() (context.Context, context.CancelFunc)
	seq       int
	resolving bool
}

// New returns a closed bar accepting fields.
func New(fields []Field, s Styles) Model {
	in := textinput.New()
	in.Prompt = ""
	in.TextStyle = s.Text
	in.PlaceholderStyle = s.Hint
	in.Cursor.Style = s.Text
	in.Cursor.SetMode(cursor.CursorStatic) // no blinking: an idle screen writes nothing
	in.CharLimit = 512
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.Name+":")
	}
	in.Placeholder = strings.Join(names, " ")
	return Model{KeyMap: DefaultKeyMap(), fields: fields, input: in, styles: s}
}

// SetResolver sets how Ref fields' refs become ids, and the context of
// each resolution.
func (m Model) SetResolver(r Resolver, ctx func() (context.Context, context.CancelFunc)) Model {
	m.resolve, m.ctx = r, ctx
	return m
}

// SetExpander sets how wildcards of Known keys become the refs they match.
func (m Model) SetExpander(e Expander) Model {
	m.expand = e
	return m
}

// SetKnown sets the values tab completes for Fields' Known names. A tab
// that was waiting for them (WantsKnown) completes now.
func (m Model) SetKnown(known map[string][]string) Model {
	m.known = known
	m.knownLoaded = true
	if m.waiting && m.active {
		m.waiting = false
		return m.complete()
	}
	m.waiting = false
	return m
}

// SetKnownFailed ends a wait for the known values with the reason.
func (m Model) SetKnownFailed(err error) Model {
	if m.waiting && m.active {
		m.hint = "completion unavailable: " + err.Error()
	}
	m.waiting = false
	return m
}

// WantsKnown reports whether a tab waits for the known values: the parent
// loads them and calls SetKnown.
func (m Model) WantsKnown() bool { return m.waiting && m.active }

// SetHistory sets the filters applied before on this kind of screen,
// oldest first (↑ recalls the newest).
func (m Model) SetHistory(h []string) Model {
	m.history = h
	m.histPos = len(h)
	return m
}

// Fields returns the keys the bar accepts.
func (m Model) Fields() []Field { return m.fields }

// Active reports whether the bar is open (and so has focus).
func (m Model) Active() bool { return m.active }

// Resolving reports whether a ref is being resolved.
func (m Model) Resolving() bool { return m.resolving }

// Chips returns the chips of the bar.
func (m Model) Chips() []Token { return m.chips }

// Value returns the text being typed after the chips.
func (m Model) Value() string { return m.input.Value() }

// Open shows the bar with the current tokens as chips and an empty input.
func (m Model) Open(current []Token) (Model, tea.Cmd) {
	m.active = true
	m.chips = slices.Clone(current)
	m.input.SetValue("")
	m.err, m.hint = "", ""
	m.histPos, m.draft = len(m.history), ""
	m.resolving, m.waiting = false, false
	return m, m.input.Focus()
}

// SetWidth sets the width of the bar.
func (m Model) SetWidth(w int) Model {
	m.input.Width = max(w-3, 1)
	return m
}

// Err returns the current validation error ("" when valid).
func (m Model) Err() string { return m.err }

// Hint returns the line shown under the input when there is no error.
func (m Model) Hint() string { return m.hint }

// resolvedMsg answers a resolution of refs.
type resolvedMsg struct {
	seq  int
	toks []Token
	err  error
}

func (m Model) close() Model {
	m.active = false
	m.resolving = false
	m.seq++
	m.input.Blur()
	return m
}

// Update handles keys while the bar is open.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if !m.active {
		return m, nil
	}
	switch msg := msg.(type) {
	case resolvedMsg:
		if msg.seq != m.seq || !m.resolving {
			return m, nil
		}
		m.resolving = false
		if msg.err != nil {
			m.err = msg.err.Error()
			return m, nil
		}
		m = m.close()
		toks := msg.toks
		return m, func() tea.Msg { return ApplyMsg{Tokens: toks} }
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

func (m Model) handleKey(km tea.KeyMsg) (Model, tea.Cmd) {
	k := m.KeyMap
	switch {
	case key.Matches(km, k.Cancel):
		m = m.close()
		return m, func() tea.Msg { return CloseMsg{} }
	case m.resolving:
		return m, nil // the answer, or esc
	case key.Matches(km, k.Apply):
		return m.apply()
	case key.Matches(km, k.Clear):
		m.input.SetValue("")
		m.chips = nil
		m.err, m.hint = "", ""
		return m, nil
	case key.Matches(km, k.RemoveChip) && m.input.Value() == "" && len(m.chips) > 0:
		m.chips = m.chips[:len(m.chips)-1]
		m.err, m.hint = "", ""
		return m, nil
	case key.Matches(km, k.Complete):
		return m.complete(), nil
	case key.Matches(km, k.Prev):
		return m.recall(-1), nil
	case key.Matches(km, k.Next):
		return m.recall(+1), nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(km)
	m = m.chipWords()
	m = m.validate()
	return m, cmd
}

// apply parses chips and input and applies them, resolving refs first
// when a Ref field holds one.
func (m Model) apply() (Model, tea.Cmd) {
	toks, err := m.parseAll()
	if err != nil {
		m.err = err.Error()
		return m, nil
	}
	m.chips, m.err, m.hint = toks, "", ""
	m.input.SetValue("")
	if needsResolve(m.fields, toks) {
		m.seq++
		m.resolving = true
		m.hint = "resolving…"
		seq := m.seq
		cmd := ResolveCmd(m.fields, toks, m.resolve, m.expand, m.ctx)
		return m, func() tea.Msg {
			switch r := cmd().(type) {
			case ApplyMsg:
				return resolvedMsg{seq: seq, toks: r.Tokens}
			case ResolveErrMsg:
				return resolvedMsg{seq: seq, err: r.Err}
			}
			return nil
		}
	}
	m = m.close()
	return m, func() tea.Msg { return ApplyMsg{Tokens: toks} }
}

// ResolveErrMsg reports that a ref of a filter could not be resolved.
type ResolveErrMsg struct{ Err error }

// ResolveCmd resolves the refs of Ref fields in toks and expands their
// wildcards (in the command, with a context from ctx) and answers ApplyMsg
// with their ids and refs set, or ResolveErrMsg. It captures its
// arguments.
func ResolveCmd(fields []Field, toks []Token, r Resolver, e Expander, ctx func() (context.Context, context.CancelFunc)) tea.Cmd {
	toks = slices.Clone(toks)
	return func() tea.Msg {
		wild := 0
		for i, t := range toks {
			f, _ := lookup(fields, t.Key)
			if f.Wildcard(t.Value) && len(t.Refs) == 0 {
				if e == nil {
					return ResolveErrMsg{Err: fmt.Errorf("%s: wildcards cannot be expanded here", t.Key)}
				}
				c, cancel := ctx()
				refs, err := e(c, f.Known, t.Value)
				cancel()
				switch {
				case err != nil:
					return ResolveErrMsg{Err: fmt.Errorf("%s: %w", t.Key, err)}
				case len(refs) == 0:
					return ResolveErrMsg{Err: fmt.Errorf("%s: no known ref matches %q", t.Key, t.Value)}
				case len(refs) > MaxExpansion:
					return ResolveErrMsg{Err: fmt.Errorf("%s: %q matches %d refs, more than %d: narrow it", t.Key, t.Value, len(refs), MaxExpansion)}
				}
				toks[i].Refs = refs
			}
			if len(toks[i].Refs) > 1 {
				if wild++; wild > 1 {
					return ResolveErrMsg{Err: errors.New("one wildcard at a time")}
				}
			}
			if !f.Ref || isID(t.Value) || t.ID > 0 {
				continue
			}
			if r == nil {
				return ResolveErrMsg{Err: fmt.Errorf("%s: cannot resolve %q here: give the id", t.Key, t.Value)}
			}
			c, cancel := ctx()
			id, err := r(c, t.Key, t.Value)
			cancel()
			if err != nil {
				return ResolveErrMsg{Err: fmt.Errorf("%s: %w", t.Key, err)}
			}
			toks[i].ID = id
		}
		return ApplyMsg{Tokens: toks}
	}
}

// NeedsResolve reports whether a Ref field in toks holds an unresolved ref.
func NeedsResolve(fields []Field, toks []Token) bool { return needsResolve(fields, toks) }

func needsResolve(fields []Field, toks []Token) bool {
	for _, t := range toks {
		f, _ := lookup(fields, t.Key)
		if f.Ref && t.ID == 0 && !isID(t.Value) || f.Wildcard(t.Value) && len(t.Refs) == 0 {
			return true
		}
	}
	return false
}

func isID(v string) bool {
	n, err := strconv.ParseInt(v, 10, 64)
	return err == nil && n > 0
}

// parseAll returns the chips with the input's tokens merged in (a key
// typed again replaces its chip).
func (m Model) parseAll() ([]Token, error) {
	typed, err := Parse(m.fields, m.input.Value())
	if err != nil {
		return nil, err
	}
	return merge(m.chips, typed), nil
}

// merge returns chips with typed added; a typed key replaces its chip in
// place.
func merge(chips, typed []Token) []Token {
	out := slices.Clone(chips)
	for _, t := range typed {
		if i := slices.IndexFunc(out, func(c Token) bool { return c.Key == t.Key }); i >= 0 {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

// chipWords turns the complete words of the input (those followed by a
// space) into chips when they are valid.
func (m Model) chipWords() Model {
	v := m.input.Value()
	if !strings.HasSuffix(v, " ") || strings.TrimSpace(v) == "" {
		return m
	}
	toks, err := Parse(m.fields, v)
	if err != nil {
		return m
	}
	m.chips = merge(m.chips, toks)
	m.input.SetValue("")
	return m
}

// validate sets the error or the note for the text being typed. The word
// being typed is not an error while it lacks its colon or its value.
func (m Model) validate() Model {
	m.err, m.hint = "", ""
	v := m.input.Value()
	words := strings.Fields(v)
	typing := len(words) > 0 && !strings.HasSuffix(v, " ")
	done := words
	if typing {
		done = words[:len(words)-1]
	}
	if _, err := Parse(m.fields, strings.Join(done, " ")); err != nil {
		m.err = err.Error()
		return m
	}
	if !typing {
		return m
	}
	k, val, hasColon := strings.Cut(words[len(words)-1], ":")
	if !hasColon {
		m.hint = "tab completes keys"
		return m
	}
	f, ok := lookup(m.fields, k)
	if !ok {
		m.err = fmt.Sprintf("unknown key %q (keys: %s)", k, keyList(m.fields))
		return m
	}
	if val != "" {
		if _, err := Parse(m.fields, v); err != nil {
			m.err = err.Error()
			return m
		}
	}
	m.hint = f.Note
	return m
}

// lastWord returns the word the cursor is in (the input's last word, ""
// after a space).
func lastWord(v string) string {
	if v == "" || strings.HasSuffix(v, " ") {
		return ""
	}
	words := strings.Fields(v)
	return words[len(words)-1]
}

// complete completes the last word of the input: a key, or a value of a
// key with Values or Known values. One candidate is completed (a value
// becomes a chip); several complete to their common prefix and are listed
// under the input.
func (m Model) complete() Model {
	v := m.input.Value()
	w := lastWord(v)
	head := strings.TrimSuffix(v, w)
	var cands []string
	k, val, hasColon := strings.Cut(w, ":")
	var f Field
	if hasColon {
		var ok bool
		if f, ok = lookup(m.fields, k); !ok {
			m.err = fmt.Sprintf("unknown key %q (keys: %s)", k, keyList(m.fields))
			return m
		}
		if f.Known != "" && len(f.Values) == 0 && !m.knownLoaded {
			m.waiting = true
			m.err, m.hint = "", "loading known "+f.Known+" values…"
			return m
		}
		for _, c := range m.values(f) {
			if strings.HasPrefix(c, val) {
				cands = append(cands, c)
			}
		}
	} else {
		for _, fl := range m.fields {
			if strings.HasPrefix(fl.Name, w) && !slices.ContainsFunc(m.chips, func(t Token) bool { return t.Key == fl.Name }) {
				cands = append(cands, fl.Name)
			}
		}
	}
	m.err, m.hint = "", ""
	switch len(cands) {
	case 0:
		switch {
		case !hasColon:
			m.hint = "no key starts with " + strconv.Quote(w)
		case len(m.values(f)) == 0 && f.Known != "":
			m.hint = "no " + f.Name + " values known yet"
		case len(m.values(f)) == 0:
			m.hint = f.Name + ": no values to complete"
		default:
			m.hint = "no " + f.Name + " starts with " + strconv.Quote(val)
		}
		return m
	case 1:
		if hasColon {
			m.input.SetValue(head + f.Name + ":" + cands[0] + " ")
			m = m.chipWords()
		} else {
			m.input.SetValue(head + cands[0] + ":")
			if fl, _ := lookup(m.fields, cands[0]); fl.Note != "" {
				m.hint = fl.Note
			}
		}
		m.input.CursorEnd()
		return m
	}
	prefix := commonPrefix(cands)
	if hasColon {
		m.input.SetValue(head + f.Name + ":" + prefix)
	} else {
		m.input.SetValue(head + prefix)
	}
	m.input.CursorEnd()
	m.hint = strings.Join(cands[:min(len(cands), maxCandidates)], "  ")
	if len(cands) > maxCandidates {
		m.hint += fmt.Sprintf("  (+%d)", len(cands)-maxCandidates)
	}
	return m
}

// values returns the values tab completes for f.
func (m Model) values(f Field) []string {
	if len(f.Values) > 0 {
		return f.Values
	}
	if f.Known != "" {
		return m.known[f.Known]
	}
	return nil
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// recall moves through the history: dir -1 is older, +1 newer; past the
// newest the text from before the first ↑ comes back.
func (m Model) recall(dir int) Model {
	if len(m.history) == 0 {
		m.hint = "no recent filters on this screen yet"
		return m
	}
	if m.histPos == len(m.history) {
		m.draft = strings.TrimSpace(Text(m.chips) + " " + m.input.Value())
	}
	m.histPos = min(max(m.histPos+dir, 0), len(m.history))
	text := m.draft
	if m.histPos < len(m.history) {
		text = m.history[m.histPos]
	}
	m.err, m.hint = "", ""
	if toks, err := Parse(m.fields, text); err == nil {
		m.chips = toks
		m.input.SetValue("")
	} else {
		m.chips = nil
		m.input.SetValue(text)
		m = m.validate()
	}
	if m.histPos < len(m.history) {
		m.hint = fmt.Sprintf("recent filter %d of %d", len(m.history)-m.histPos, len(m.history))
	}
	m.input.CursorEnd()
	return m
}

// View renders the chips and the input and, when there is one, a second
// line with the validation error, or the completion candidates or note.
func (m Model) View() string {
	if !m.active {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.styles.Prompt.Render("/ "))
	for _, t := range m.chips {
		b.WriteString(m.styles.Chip.Render(textsafe.Line(t.Chip())))
		b.WriteString(" ")
	}
	line := b.String()
	// The input gets what the chips leave (at least 10 cells).
	in := m.input
	in.Width = max(in.Width-ansi.StringWidth(line)+2, 10)
	line += in.View()
	switch {
	case m.err != "":
		return line + "\n" + m.styles.Error.Render("✗ "+textsafe.Line(m.err))
	case m.hint != "":
		return line + "\n" + m.styles.Hint.Render(ansi.Truncate(textsafe.Line(m.hint), in.Width+3, "…"))
	}
	return line
}

// Lines returns how many lines View uses.
func (m Model) Lines() int {
	switch {
	case !m.active:
		return 0
	case m.err != "" || m.hint != "":
		return 2
	default:
		return 1
	}
}

// Parse splits text into key:value tokens and validates them against
// fields. Keys are case-sensitive; each key may appear once.
func Parse(fields []Field, text string) ([]Token, error) {
	var toks []Token
	seen := map[string]bool{}
	for _, word := range strings.Fields(text) {
		k, v, ok := strings.Cut(word, ":")
		if !ok {
			return nil, fmt.Errorf("%q: want key:value (keys: %s)", word, keyList(fields))
		}
		f, found := lookup(fields, k)
		if !found {
			return nil, fmt.Errorf("unknown key %q (keys: %s)", k, keyList(fields))
		}
		if v == "" {
			return nil, fmt.Errorf("%s: missing value", f.Name)
		}
		if f.Int {
			n, err := strconv.ParseInt(v, 10, 64)
			switch {
			case err == nil && n <= 0, err != nil && !f.Ref:
				return nil, fmt.Errorf("%s: %q is not a positive id", f.Name, v)
			}
		}
		if strings.Contains(v, "*") && f.Known == "" && !f.ServerWildcard {
			return nil, fmt.Errorf("%s: wildcards work on refs only (the API matches %s exactly)", f.Name, f.Name)
		}
		if len(f.Values) > 0 && !slices.Contains(f.Values, v) {
			return nil, fmt.Errorf("%s: %q is not one of %s", f.Name, v, strings.Join(f.Values, ", "))
		}
		if seen[f.Name] {
			return nil, fmt.Errorf("%s given twice", f.Name)
		}
		seen[f.Name] = true
		toks = append(toks, Token{Key: f.Name, Value: v})
	}
	return toks, nil
}

func lookup(fields []Field, k string) (Field, bool) {
	for _, f := range fields {
		if f.Name == k {
			return f, true
		}
		for _, a := range f.Aliases {
			if a == k {
				return f, true
			}
		}
	}
	return Field{}, false
}

func keyList(fields []Field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}
