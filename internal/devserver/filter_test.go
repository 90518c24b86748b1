package devserver

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// filterCase is one query parameter with the brute-force predicate it means.
type filterCase[T any] struct {
	name, value string
	match       func(T) bool
}

func eqPtr[T comparable](p *T, v T) bool { return p != nil && *p == v }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// pick returns a random existing value (mostly) or a value matching nothing.
func pick(rng *rand.Rand, values []string) string {
	if len(values) == 0 || rng.IntN(10) == 0 {
		return "nothing.matches"
	}
	return values[rng.IntN(len(values))]
}

func eventFilters(rng *rand.Rand, rows []eventRow) []filterCase[eventRow] {
	r := rows[rng.IntN(len(rows))]
	trig := strconv.FormatInt(*r.Trigger, 10)
	out := []filterCase[eventRow]{
		{"trigger", trig, func(e eventRow) bool { return eqPtr(e.Trigger, *r.Trigger) }},
		{"trigger_ref", r.TriggerRef, func(e eventRow) bool { return e.TriggerRef == r.TriggerRef }},
		{"rule_ref", "core.heartbeat_echo", func(e eventRow) bool { return eqPtr(e.RuleRef, "core.heartbeat_echo") }},
		{"source", strconv.Itoa(1 + rng.IntN(4)), nil},
		{"trace_tag", traceTag(&r), func(e eventRow) bool { return eqPtr(e.TraceTag, traceTag(&r)) }},
	}
	src, _ := strconv.ParseInt(out[3].value, 10, 64)
	out[3].match = func(e eventRow) bool { return eqPtr(e.Source, src) }
	return out
}

func enforcementFilters(rng *rand.Rand, rows []enforcementRow) []filterCase[enforcementRow] {
	r := rows[rng.IntN(len(rows))]
	status := enforcementStatuses()[rng.IntN(3)]
	return []filterCase[enforcementRow]{
		{"rule", strconv.FormatInt(*r.Rule, 10), func(e enforcementRow) bool { return eqPtr(e.Rule, *r.Rule) }},
		{"event", strconv.FormatInt(*r.Event, 10), func(e enforcementRow) bool { return eqPtr(e.Event, *r.Event) }},
		{"status", status, func(e enforcementRow) bool { return e.Status == status }},
		{"trigger_ref", r.TriggerRef, func(e enforcementRow) bool { return e.TriggerRef == r.TriggerRef }},
		{"rule_ref", r.RuleRef, func(e enforcementRow) bool { return e.RuleRef == r.RuleRef }},
		{"trace_tag", str(r.TraceTag), func(e enforcementRow) bool { return eqPtr(e.TraceTag, str(r.TraceTag)) }},
	}
}

func executionFilters(rng *rand.Rand, rows []executionRow) []filterCase[executionRow] {
	r := rows[rng.IntN(len(rows))]
	status := executionStatuses()[rng.IntN(10)]
	trigRef := pick(rng, []string{str(r.TriggerRef)})
	if rng.IntN(3) == 0 && r.TriggerRef != nil {
		trigRef = packOf(*r.TriggerRef) + ".*"
	}
	needle := []string{"TIMED OUT", "ok ✓", "permission", "succeeded\":true", "zzz-none"}[rng.IntN(5)]
	execID := rows[rng.IntN(len(rows))].ID
	return []filterCase[executionRow]{
		{"status", status, func(e executionRow) bool { return e.Status == status }},
		{"action_ref", r.ActionRef, func(e executionRow) bool { return e.ActionRef == r.ActionRef }},
		{"rule_ref", str(r.RuleRef), func(e executionRow) bool { return e.RuleRef != nil && *e.RuleRef == str(r.RuleRef) }},
		{"trigger_ref", trigRef, func(e executionRow) bool {
			if e.TriggerRef == nil {
				return false
			}
			if p, ok := strings.CutSuffix(trigRef, ".*"); ok {
				return strings.HasPrefix(*e.TriggerRef, p+".")
			}
			return *e.TriggerRef == trigRef
		}},
		{"pack_name", r.PackName, func(e executionRow) bool { return e.PackName == r.PackName }},
		{"trace_tag", str(r.TraceTag), func(e executionRow) bool { return eqPtr(e.TraceTag, str(r.TraceTag)) }},
		{"executor", "1", func(e executionRow) bool { return eqPtr(e.Executor, 1) }},
		{"result_contains", needle, func(e executionRow) bool {
			return e.Result != nil && strings.Contains(strings.ToLower(string(e.Result)), strings.ToLower(needle))
		}},
		{"enforcement", strconv.FormatInt(derefOr(r.Enforcement, 1), 10), func(e executionRow) bool {
			return eqPtr(e.Enforcement, derefOr(r.Enforcement, 1))
		}},
		{"parent", strconv.FormatInt(execID, 10), func(e executionRow) bool { return eqPtr(e.Parent, execID) }},
		{"top_level_only", "true", func(e executionRow) bool { return e.Parent == nil }},
	}
}

func derefOr(p *int64, d int64) int64 {
	if p == nil {
		return d
	}
	return *p
}

// bruteForce filters rows with every chosen predicate and orders them
// newest first (created DESC, id DESC).
func bruteForce[T any](rows []T, chosen []filterCase[T], created, id func(T) int64) []int64 {
	var out []T
	for _, r := range rows {
		ok := true
		for _, f := range chosen {
			ok = ok && f.match(r)
		}
		if ok {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if created(out[i]) != created(out[j]) {
			return created(out[i]) > created(out[j])
		}
		return id(out[i]) > id(out[j])
	})
	ids := make([]int64, len(out))
	for i, r := range out {
		ids[i] = id(r)
	}
	return ids
}

type idPage struct {
	Items []struct {
		ID int64 `json:"id"`
	} `json:"items"`
	Pagination paginationMetaIn `json:"pagination"`
}

type paginationMetaIn struct {
	Page        int64  `json:"page"`
	PageSize    int64  `json:"page_size"`
	TotalItems  *int64 `json:"total_items"`
	TotalPages  *int64 `json:"total_pages"`
	HasPrevious bool   `json:"has_previous"`
	HasNext     bool   `json:"has_next"`
}

// walk follows has_next from page 1 and returns every id in order.
func walk(tb testing.TB, ts *testServer, path string, q url.Values, perPage int, includeTotal bool, want int) []int64 {
	tb.Helper()
	var ids []int64
	for page := 1; page < 1000; page++ {
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(perPage))
		if includeTotal {
			q.Set("include_total", "true")
		}
		var p idPage
		ts.getJSON(tb, path+"?"+q.Encode(), &p)
		if got := p.Pagination; got.Page != int64(page) || got.PageSize != int64(perPage) || got.HasPrevious != (page > 1) {
			tb.Fatalf("%s page %d: pagination %+v", path, page, got)
		}
		if includeTotal {
			if p.Pagination.TotalItems == nil || *p.Pagination.TotalItems != int64(want) {
				tb.Fatalf("%s?%s: total_items %v, want %d", path, q.Encode(), p.Pagination.TotalItems, want)
			}
		} else if p.Pagination.TotalItems != nil || p.Pagination.TotalPages != nil {
			tb.Fatalf("%s: totals present without include_total", path)
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if !p.Pagination.HasNext {
			break
		}
	}
	return ids
}

// TestFiltersMatchBruteForce checks random filter combinations against a
// brute-force scan of the same seed, across pages, in order.
func TestFiltersMatchBruteForce(t *testing.T) {
	t.Parallel()
	opts := SeedOptions{Seed: 7, Events: 400}
	data := generate(t, opts)
	ts := startServer(t, Options{Seed: opts})
	rng := rand.New(rand.NewPCG(42, 43))

	type run struct {
		path string
		q    url.Values
		want []int64
	}
	var runs []run
	choose := func(n int) []int {
		k := 1 + rng.IntN(min(3, n))
		return rng.Perm(n)[:k]
	}
	for range 40 {
		fs := eventFilters(rng, data.events)
		var chosen []filterCase[eventRow]
		q := url.Values{}
		for _, i := range choose(len(fs)) {
			chosen = append(chosen, fs[i])
			q.Set(fs[i].name, fs[i].value)
		}
		runs = append(runs, run{"/api/v1/events", q, bruteForce(data.events, chosen,
			func(e eventRow) int64 { return e.Created }, func(e eventRow) int64 { return e.ID })})
	}
	for range 40 {
		fs := enforcementFilters(rng, data.enforcements)
		var chosen []filterCase[enforcementRow]
		q := url.Values{}
		for _, i := range choose(len(fs)) {
			chosen = append(chosen, fs[i])
			q.Set(fs[i].name, fs[i].value)
		}
		runs = append(runs, run{"/api/v1/enforcements", q, bruteForce(data.enforcements, chosen,
			func(e enforcementRow) int64 { return e.Created }, func(e enforcementRow) int64 { return e.ID })})
	}
	for range 60 {
		fs := executionFilters(rng, data.executions)
		var chosen []filterCase[executionRow]
		q := url.Values{}
		for _, i := range choose(len(fs)) {
			chosen = append(chosen, fs[i])
			q.Set(fs[i].name, fs[i].value)
		}
		runs = append(runs, run{"/api/v1/executions", q, bruteForce(data.executions, chosen,
			func(e executionRow) int64 { return e.Created }, func(e executionRow) int64 { return e.ID })})
	}
	// Unfiltered lists too.
	runs = append(runs,
		run{"/api/v1/events", url.Values{}, bruteForce(data.events, nil, func(e eventRow) int64 { return e.Created }, func(e eventRow) int64 { return e.ID })},
		run{"/api/v1/executions", url.Values{}, bruteForce(data.executions, nil, func(e executionRow) int64 { return e.Created }, func(e executionRow) int64 { return e.ID })},
	)
	nonEmpty := 0
	for i, r := range runs {
		perPage := 1 + rng.IntN(60)
		includeTotal := rng.IntN(2) == 0
		t.Run(fmt.Sprintf("%d%s?%s", i, r.path, r.q.Encode()), func(t *testing.T) {
			got := walk(t, ts, r.path, r.q, perPage, includeTotal, len(r.want))
			if diff := cmp.Diff(r.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ids (-brute force +api), per_page=%d:\n%s", perPage, diff)
			}
		})
		if len(r.want) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < len(runs)/2 {
		t.Errorf("only %d of %d filter runs had results; the test is too weak", nonEmpty, len(runs))
	}
}

// TestResultContainsLiteral: result_contains is a literal, case-insensitive
// substring; LIKE wildcards and the escape character in the term match only
// themselves.
func TestResultContainsLiteral(t *testing.T) {
	t.Parallel()
	opts := SeedOptions{Seed: 7, Events: 400}
	data := generate(t, opts)
	ts := startServer(t, Options{Seed: opts})
	withResult := 0
	for _, e := range data.executions {
		if e.Result != nil {
			withResult++
		}
	}
	tests := []struct {
		name, term string
	}{
		{"underscore", "_"},
		{"percent", "%"},
		{"backslash", `\`},
		{"wildcards around text", "%ok_"},
		{"upper case", "TIMED OUT"},
		{"escaped quote", `succeeded":true`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := bruteForce(data.executions, []filterCase[executionRow]{{"result_contains", tc.term, func(e executionRow) bool {
				return e.Result != nil && strings.Contains(strings.ToLower(string(e.Result)), strings.ToLower(tc.term))
			}}}, func(e executionRow) int64 { return e.Created }, func(e executionRow) int64 { return e.ID })
			if len(want) == withResult {
				t.Fatalf("every result contains %q: the case cannot tell a wildcard from a literal", tc.term)
			}
			got := walk(t, ts, "/api/v1/executions", url.Values{"result_contains": {tc.term}}, 100, false, len(want))
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ids (-brute force +api):\n%s", diff)
			}
		})
	}
}

// TestTriggerWildcardPlans: a "pack.*" trigger_ref lists the same rows
// whichever way walkForRange serves it (created walk for a large pack,
// sorted range for a small or empty one), and both ways are taken.
func TestTriggerWildcardPlans(t *testing.T) {
	t.Parallel()
	opts := SeedOptions{Seed: 7, Events: 400}
	data := generate(t, opts)
	ts := startServer(t, Options{Seed: opts})
	plans := map[bool]bool{}
	for _, pack := range []string{"core", "github", "aws", "kubernetes", "slack", "pagerduty", "none"} {
		for _, perPage := range []int{1, 20, 100} {
			lo, hi := pack+".", pack+"/"
			walkPlan, err := ts.srv.walkForRange(t.Context(), lo, hi, pageParams{page: 1, size: int64(perPage)})
			if err != nil {
				t.Fatal(err)
			}
			plans[walkPlan] = true
			want := bruteForce(data.executions, []filterCase[executionRow]{{"trigger_ref", pack + ".*", func(e executionRow) bool {
				return e.TriggerRef != nil && strings.HasPrefix(*e.TriggerRef, lo)
			}}}, func(e executionRow) int64 { return e.Created }, func(e executionRow) int64 { return e.ID })
			got := walk(t, ts, "/api/v1/executions", url.Values{"trigger_ref": {pack + ".*"}}, perPage, false, len(want))
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s.* per_page=%d (walk %v): ids (-brute force +api):\n%s", pack, perPage, walkPlan, diff)
			}
		}
	}
	if !plans[true] || !plans[false] {
		t.Errorf("plans taken %v: the test does not exercise both", plans)
	}
}
