package listview

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/components/pagedlist"
)

// Resolver returns the filter bars' resolver of refs given for ids:
// "source" takes a sensor ref (GET /api/v1/sensors/{ref}). It is nil when
// api (nil before sign-in) cannot read sensors.
func Resolver(api *common.API) filterbar.Resolver {
	if api == nil || api.Sensors == nil {
		return nil
	}
	sensors := api.Sensors
	return func(ctx context.Context, key, ref string) (int64, error) {
		if key != "source" {
			return 0, fmt.Errorf("%q is not an id", ref)
		}
		s, _, err := sensors.Get(ctx, ref)
		switch {
		case errors.Is(err, client.ErrNotFound):
			return 0, fmt.Errorf("no sensor %q", ref)
		case err != nil:
			return 0, fmt.Errorf("resolve sensor %q: %w", ref, err)
		}
		return s.ID, nil
	}
}

// ResolveNow resolves the refs of toks given for ids (a sensor ref for
// source) at once, for callers without a filter bar (the get command). A
// wildcard is refused: only the TUI merges several lists.
func ResolveNow(ctx context.Context, api *common.API, fields []filterbar.Field, toks []filterbar.Token) ([]filterbar.Token, error) {
	out := slices.Clone(toks)
	for i, t := range out {
		if !filterbar.NeedsResolve(fields, []filterbar.Token{t}) {
			continue
		}
		if strings.ContainsAny(t.Value, "*?[") {
			return nil, fmt.Errorf("%s: wildcards are for the TUI's filter bar; give an exact ref", t.Key)
		}
		resolve := Resolver(api)
		if resolve == nil {
			return nil, fmt.Errorf("%s: %q is not an id", t.Key, t.Value)
		}
		id, err := resolve(ctx, t.Key, t.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Key, err)
		}
		out[i].ID = id
	}
	return out, nil
}

// Expander returns the filter bars' wildcard expander: the refs known from
// /api/v1/rules (loaded once per session into recall) that the pattern
// matches ("*" for any run of characters), sorted. It is nil without rules.
func Expander(recall *common.Recall, api *common.API) filterbar.Expander {
	rules := rulesOf(api)
	if rules == nil {
		return nil
	}
	return func(ctx context.Context, known, pattern string) ([]string, error) {
		k, err := recall.LoadKnown(ctx, rules)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, ref := range k[known] {
			if ok, err := path.Match(pattern, ref); err != nil {
				return nil, fmt.Errorf("pattern %q: %w", pattern, err)
			} else if ok {
				out = append(out, ref)
			}
		}
		return out, nil
	}
}

// Expanded returns the token of toks whose wildcard expanded to several
// refs (a merged list), if there is one.
func Expanded(toks []filterbar.Token) (filterbar.Token, bool) {
	for _, t := range toks {
		if len(t.Refs) > 1 {
			return t, true
		}
	}
	return filterbar.Token{}, false
}

// RefOf returns the one value a token stands for in a query: its only
// expansion, or its value.
func RefOf(t filterbar.Token) string {
	if len(t.Refs) == 1 {
		return t.Refs[0]
	}
	return t.Value
}

// ResolveThenApply returns the command that resolves the refs of toks (a
// filter given on the command line) and applies the filter, or reports why
// it could not. It is nil when nothing needs resolving.
func ResolveThenApply(deps common.Deps, fields []filterbar.Field, toks []filterbar.Token, noun string) tea.Cmd {
	if !filterbar.NeedsResolve(fields, toks) {
		return nil
	}
	cmd := filterbar.ResolveCmd(fields, toks, Resolver(deps.API), Expander(deps.Recall, deps.API), deps.RequestContext)
	return func() tea.Msg {
		msg := cmd()
		if e, ok := msg.(filterbar.ResolveErrMsg); ok {
			return common.ErrorMsg{Err: fmt.Errorf("filter: %w", e.Err), Origin: noun}
		}
		return msg
	}
}

// knownMsg answers the load of the known refs.
type knownMsg struct {
	known map[string][]string
	err   error
}

// knownCmd loads the known refs into recall.
func knownCmd(recall *common.Recall, rules common.RulesAPI, ctx pagedlist.RequestContext) tea.Cmd {
	return func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		k, err := recall.LoadKnown(c, rules)
		return knownMsg{known: k, err: err}
	}
}

// rulesOf returns api's rules service, nil before sign-in.
func rulesOf(api *common.API) common.RulesAPI {
	if api == nil {
		return nil
	}
	return api.Rules
}
