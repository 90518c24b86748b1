package common

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/attune-tui/attune-tui/client"
)

// Recall is what one program (one SSH session) remembers while it runs, for
// the filter bars: the filters applied per kind of screen (↑/↓ in the bar)
// and the refs known from /api/v1/rules (tab completion). It is safe for
// the program's concurrent commands; nothing in it outlives the program.
type Recall struct {
	mu      sync.Mutex
	filters map[string][]string
	known   map[string][]string
}

// Kept bounds of Recall.
const (
	// MaxRecentFilters is how many filters Recall keeps per kind of screen.
	MaxRecentFilters = 50
	// MaxKnownRulePages bounds the pages of /api/v1/rules read for the
	// known refs (100 rules each).
	MaxKnownRulePages = 20
)

// NewRecall returns an empty Recall.
func NewRecall() *Recall {
	return &Recall{filters: map[string][]string{}}
}

// RememberFilter records text as the newest filter applied on screens of
// kind (an earlier copy of it moves to the end). Empty text is ignored.
func (r *Recall) RememberFilter(kind, text string) {
	if r == nil || text == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	h := slices.DeleteFunc(r.filters[kind], func(s string) bool { return s == text })
	h = append(h, text)
	if len(h) > MaxRecentFilters {
		h = h[len(h)-MaxRecentFilters:]
	}
	r.filters[kind] = h
}

// Filters returns the filters applied on screens of kind, oldest first
// (a copy).
func (r *Recall) Filters(kind string) []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.filters[kind])
}

// Known returns the known refs ("rule_ref", "trigger_ref", "action_ref" →
// sorted refs) and whether they were loaded.
func (r *Recall) Known() (map[string][]string, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.known, r.known != nil
}

// LoadKnown reads the rule, trigger and action refs of every rule (at most
// MaxKnownRulePages pages of 100), keeps them for the rest of the program
// and returns them. Once loaded it asks nothing. Refs that are redacted are
// left out.
func (r *Recall) LoadKnown(ctx context.Context, rules RulesAPI) (map[string][]string, error) {
	if k, ok := r.Known(); ok {
		return k, nil
	}
	sets := map[string]map[string]bool{"rule_ref": {}, "trigger_ref": {}, "action_ref": {}}
	add := func(k, v string) {
		if !client.IsRedacted(v) {
			sets[k][v] = true
		}
	}
	for page := 1; page <= MaxKnownRulePages; page++ {
		p, _, err := rules.List(ctx, &client.RuleListOptions{PageOptions: client.PageOptions{Page: page, PageSize: 100}})
		if err != nil {
			return nil, fmt.Errorf("list rules for completion: %w", err)
		}
		for _, ru := range p.Items {
			add("rule_ref", ru.Ref)
			add("trigger_ref", ru.TriggerRef)
			add("action_ref", ru.ActionRef)
		}
		if !p.Pagination.HasNext {
			break
		}
	}
	known := make(map[string][]string, len(sets))
	for k, set := range sets {
		vals := make([]string, 0, len(set))
		for v := range set {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		known[k] = vals
	}
	if r != nil {
		r.mu.Lock()
		if r.known == nil {
			r.known = known
		}
		known = r.known
		r.mu.Unlock()
	}
	return known, nil
}
