package overview

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
)

// Bounds of one refresh.
const (
	// MaxPages is how many pages of failed executions one refresh reads
	// at most (newest first): the counts of the last hour are partial, and
	// say so, when the failures of that hour do not fit.
	MaxPages = 5
	// PerPage is the page size of those requests (the API's maximum).
	PerPage = 100
	// RefreshEvery is the refresh period without a live source.
	RefreshEvery = 30 * time.Second
	// Shown is how many rows each section shows at most.
	Shown = 5
)

// Windows of the failure counts.
const (
	shortWindow = 15 * time.Minute
	longWindow  = time.Hour
)

// group is the failures of one action or rule ref.
type group struct {
	ref    string // terminal-safe
	filter string // the execution list filter it opens; "" = no jump
	short  int    // in the last 15 minutes
	long   int    // in the last hour
}

// enfRow is an enforcement whose executions failed.
type enfRow struct {
	id     int64
	rule   string // terminal-safe
	failed int    // failed executions of it among those read
	newest time.Time
}

// execRow is one failed execution.
type execRow struct {
	id      int64
	action  string // terminal-safe
	rule    string // terminal-safe, "-" for none
	created time.Time
}

// snapshot is one refresh's answer, ready to draw.
type snapshot struct {
	stats    *client.ExecutionStats
	at       time.Time // the clock the windows were measured from
	requests int       // pages of failures read
	read     int       // failed executions read
	// partial: the page budget ran out while the pages still reached into
	// the last hour.
	partial  bool
	budget   int // the page budget
	byAction []group
	byRule   []group
	enfs     []enfRow
	execs    []execRow
}

// bounds are the page budget of one refresh (MaxPages of PerPage in the
// view; smaller in tests).
type bounds struct{ pages, perPage int }

// load fetches the stats and the newest failed executions (at most b.pages
// pages, stopping at the first one older than an hour) and summarises them
// at now.
func load(ctx context.Context, api common.ExecutionsAPI, now time.Time, b bounds) (*snapshot, error) {
	stats, _, err := api.Stats(ctx)
	if err != nil {
		return nil, fmt.Errorf("execution stats: %w", err)
	}
	s := &snapshot{stats: stats, at: now, budget: b.pages}
	var rows []client.ExecutionSummary
	for page := 1; ; page++ {
		if s.requests == b.pages {
			s.partial = true
			break
		}
		p, _, err := api.List(ctx, &client.ExecutionListOptions{ListOptions: client.ListOptions{Page: page, PerPage: b.perPage}, Status: client.ExecutionFailed})
		s.requests++
		if err != nil {
			return nil, fmt.Errorf("failed executions, page %d: %w", page, err)
		}
		rows = append(rows, p.Items...)
		if !p.HasNext() || len(p.Items) == 0 || now.Sub(p.Items[len(p.Items)-1].Created) > longWindow {
			break
		}
	}
	s.read = len(rows)
	// Newest first, whatever order the pages came in.
	slices.SortStableFunc(rows, func(a, b client.ExecutionSummary) int {
		return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(b.ID, a.ID))
	})
	summarise(s, rows)
	return s, nil
}

// summarise fills the groups and the newest rows of s from rows (newest
// first). This is the one place the rows' strings are made safe.
func summarise(s *snapshot, rows []client.ExecutionSummary) {
	actions, rules := map[string]*group{}, map[string]*group{}
	enfs := map[int64]*enfRow{}
	var enfOrder []int64
	count := func(m map[string]*group, key, raw string, age time.Duration) {
		g := m[raw]
		if g == nil {
			g = &group{ref: textsafe.Line(raw)}
			if !client.IsRedacted(raw) && !strings.ContainsFunc(raw, isSpaceOrControl) {
				g.filter = key + ":" + raw + " status:failed"
			}
			m[raw] = g
		}
		g.long++
		if age <= shortWindow {
			g.short++
		}
	}
	for _, r := range rows {
		rule := ""
		if r.RuleRef != nil {
			rule = *r.RuleRef
		}
		if age := s.at.Sub(r.Created); age <= longWindow {
			count(actions, "action_ref", r.ActionRef, age)
			if rule != "" {
				count(rules, "rule_ref", rule, age)
			}
		}
		if len(s.execs) < Shown {
			s.execs = append(s.execs, execRow{id: r.ID, action: textsafe.Line(r.ActionRef), rule: textsafe.Line(dash(rule)), created: r.Created})
		}
		if r.Enforcement != nil {
			e := enfs[*r.Enforcement]
			if e == nil {
				e = &enfRow{id: *r.Enforcement, rule: textsafe.Line(dash(rule)), newest: r.Created}
				enfs[*r.Enforcement] = e
				enfOrder = append(enfOrder, e.id)
			}
			e.failed++
		}
	}
	for _, id := range enfOrder[:min(len(enfOrder), Shown)] {
		s.enfs = append(s.enfs, *enfs[id])
	}
	s.byAction, s.byRule = ranked(actions), ranked(rules)
}

// ranked returns the groups by failures in the last hour, then the last
// 15 minutes, then ref; at most Shown.
func ranked(m map[string]*group) []group {
	out := make([]group, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b group) int {
		return cmp.Or(cmp.Compare(b.long, a.long), cmp.Compare(b.short, a.short), strings.Compare(a.ref, b.ref))
	})
	return out[:min(len(out), Shown)]
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// isSpaceOrControl reports runes a filter value cannot hold.
func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) }
