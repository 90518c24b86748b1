package client_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
)

// These tests run the whole client surface against the real dev server
// (internal/devserver through testutil.StartDevServer), not against stubs:
// every list with its filters and paging, every get, auth with token expiry
// on the server's injectable clock, and the server's fault injection.

// devMaxItems bounds how many items a test walks, so a paging bug cannot
// loop forever.
const devMaxItems = 5000

// devClient starts a dev server and returns a client that signs in lazily
// with the server's credentials, retrying fast.
func devClient(t *testing.T, opts testutil.DevOptions, copts ...client.Option) (*client.Client, *testutil.DevServer) {
	t.Helper()
	ds := testutil.StartDevServer(t, opts)
	all := append([]client.Option{
		client.WithCredentials(ds.Login, ds.Password),
		client.WithRetryPolicy(fastRetry()),
	}, copts...)
	c, err := client.New(ds.URL, all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, ds
}

// devClock is a manual clock for the dev server's tokens.
type devClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the current manual time.
func (c *devClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *devClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestDevServerAuth(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(t *testing.T, ctx context.Context, c *client.Client, ds *testutil.DevServer)
	}{
		{"login returns tokens and the user", func(t *testing.T, ctx context.Context, c *client.Client, ds *testutil.DevServer) {
			tok, resp, err := c.Auth.Login(ctx, ds.Login, ds.Password)
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if resp.StatusCode != http.StatusOK || tok.AccessToken == "" || tok.RefreshToken == "" || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
				t.Fatalf("token response %v, status %d", tok, resp.StatusCode)
			}
			if tok.User == nil || tok.User.Login != ds.Login || tok.User.ID != 1 {
				t.Fatalf("user %+v", tok.User)
			}
			if u := c.Auth.User(); u == nil || u.Login != ds.Login {
				t.Fatalf("Auth.User = %+v", u)
			}
			if !c.Auth.SignedIn() {
				t.Fatal("not signed in after Login")
			}
		}},
		{"me", func(t *testing.T, ctx context.Context, c *client.Client, ds *testutil.DevServer) {
			me, _, err := c.Auth.Me(ctx)
			if err != nil {
				t.Fatalf("Me: %v", err)
			}
			if me.Login != ds.Login || me.AuthProvider != "local" || !me.IsLocal || len(me.EffectivePermissions) == 0 ||
				!slices.Equal(me.AssignedPermissionSetRefs, []string{"core.viewer"}) {
				t.Fatalf("Me = %+v", me)
			}
			if got := ds.Server.Requests("/auth/login"); got != 1 {
				t.Fatalf("lazy sign-in made %d login requests, want 1", got)
			}
		}},
		{"refresh rotates both tokens", func(t *testing.T, ctx context.Context, c *client.Client, ds *testutil.DevServer) {
			first, _, err := c.Auth.Login(ctx, ds.Login, ds.Password)
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			second, _, err := c.Auth.Refresh(ctx)
			if err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			if second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken {
				t.Fatal("refresh did not rotate the access and refresh tokens")
			}
			if second.User != nil {
				t.Fatalf("refresh answer carries a user: %+v", second.User)
			}
			third, _, err := c.Auth.Refresh(ctx) // uses the rotated refresh token
			if err != nil {
				t.Fatalf("second Refresh: %v", err)
			}
			if third.RefreshToken == second.RefreshToken {
				t.Fatal("second refresh did not rotate")
			}
			if _, _, err := c.Events.List(ctx, &client.EventListOptions{ListOptions: client.ListOptions{PerPage: 1}}); err != nil {
				t.Fatalf("List with the rotated token: %v", err)
			}
			if got := ds.Server.Requests("/auth/login"); got != 1 {
				t.Fatalf("%d login requests, want 1", got)
			}
		}},
		{"bad credentials are 401", func(t *testing.T, ctx context.Context, c *client.Client, ds *testutil.DevServer) {
			_, _, err := c.Auth.Login(ctx, ds.Login, ds.Password+"-wrong")
			wantAPIError(t, err, http.StatusUnauthorized, "UNAUTHORIZED", client.ErrUnauthorized)
			if strings.Contains(err.Error(), ds.Password) {
				t.Fatal("error text contains the password")
			}
		}},
		{"empty login is 422", func(t *testing.T, ctx context.Context, c *client.Client, _ *testutil.DevServer) {
			_, _, err := c.Auth.Login(ctx, "", "x")
			wantAPIError(t, err, http.StatusUnprocessableEntity, "VALIDATION_ERROR", nil)
		}},
		{"empty password is 422", func(t *testing.T, ctx context.Context, c *client.Client, ds *testutil.DevServer) {
			_, _, err := c.Auth.Login(ctx, ds.Login, "")
			wantAPIError(t, err, http.StatusUnprocessableEntity, "VALIDATION_ERROR", nil)
		}},
		{"lazy sign-in with a wrong password", func(t *testing.T, ctx context.Context, _ *client.Client, ds *testutil.DevServer) {
			bad, err := client.New(ds.URL, client.WithCredentials(ds.Login, "not-the-password"), client.WithRetryPolicy(fastRetry()))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = bad.Events.List(ctx, nil)
			apiErr := wantAPIError(t, err, http.StatusUnauthorized, "UNAUTHORIZED", client.ErrUnauthorized)
			if apiErr.Hint == "" {
				t.Error("no hint on a rejected automatic sign-in")
			}
		}},
		{"invalid static token", func(t *testing.T, ctx context.Context, _ *client.Client, ds *testutil.DevServer) {
			bad, err := client.New(ds.URL, client.WithToken("not-a-jwt"), client.WithRetryPolicy(fastRetry()))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = bad.Events.Get(ctx, 1)
			apiErr := wantAPIError(t, err, http.StatusUnauthorized, "", client.ErrUnauthorized)
			if apiErr.Message != "Invalid authentication token" {
				t.Errorf("message %q", apiErr.Message)
			}
			_, _, err = bad.Auth.Me(ctx) // handler shape on /auth/me
			wantAPIError(t, err, http.StatusUnauthorized, "UNAUTHORIZED", client.ErrUnauthorized)
		}},
		{"health", func(t *testing.T, ctx context.Context, c *client.Client, ds *testutil.DevServer) {
			h, _, err := c.Health.Check(ctx)
			if err != nil || h.Status != "ok" {
				t.Fatalf("Check = %+v, %v", h, err)
			}
			d, _, err := c.Health.Detailed(ctx)
			if err != nil || d.Status != "ok" || d.Version != devserver.Version || d.Database != "connected" {
				t.Fatalf("Detailed = %+v, %v", d, err)
			}
			if resp, err := c.Health.Live(ctx); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("Live = %+v, %v", resp, err)
			}
			if rd, resp, err := c.Health.Ready(ctx); err != nil || rd != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("Ready = %+v, %+v, %v", rd, resp, err)
			}
			if got := ds.Server.Requests("/auth/"); got != 0 {
				t.Fatalf("health checks made %d auth requests", got)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, ds := devClient(t, testutil.DevOptions{Events: 20})
			tc.run(t, t.Context(), c, ds)
		})
	}
}

// wantAPIError fails t unless err is an *APIError with status and (when not
// empty) code, matching sentinel (when not nil) with errors.Is.
func wantAPIError(t *testing.T, err error, status int, code string, sentinel error) *client.APIError {
	t.Helper()
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T), want *client.APIError", err, err)
	}
	if apiErr.StatusCode != status || (code != "" && apiErr.Code != code) {
		t.Fatalf("APIError status %d code %q, want %d %q (%v)", apiErr.StatusCode, apiErr.Code, status, code, err)
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Fatalf("errors.Is(%v, %v) = false", err, sentinel)
	}
	var te *client.TransportError
	if errors.As(err, &te) {
		t.Fatalf("API error also matches *TransportError: %v", err)
	}
	return apiErr
}

func TestDevServerTokenExpiry(t *testing.T) {
	t.Parallel()
	const (
		accessTTL  = time.Minute
		refreshTTL = 10 * time.Minute
	)
	cases := []struct {
		name        string
		static      bool          // use a static token from a login instead of credentials
		advance     time.Duration // clock step after the first call
		callers     int           // concurrent calls after the step
		wantErr     bool
		wantRefresh int // POST /auth/refresh requests after the step
		wantLogin   int // POST /auth/login requests in total
	}{
		{name: "valid token: no renewal", advance: 30 * time.Second, callers: 1, wantRefresh: 0, wantLogin: 1},
		{name: "expired access token: refreshed transparently", advance: 2 * accessTTL, callers: 1, wantRefresh: 1, wantLogin: 1},
		{name: "concurrent callers share one refresh", advance: 2 * accessTTL, callers: 8, wantRefresh: 1, wantLogin: 1},
		{name: "expired refresh token: signs in again", advance: 2 * refreshTTL, callers: 1, wantRefresh: 1, wantLogin: 2},
		{name: "expired static token: 401", static: true, advance: 2 * accessTTL, callers: 1, wantErr: true, wantRefresh: 0, wantLogin: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := &devClock{now: devserver.SeedBase()}
			c, ds := devClient(t, testutil.DevOptions{Events: 20, AccessTTL: accessTTL, RefreshTTL: refreshTTL, Now: clock.Now})
			ctx := t.Context()
			if tc.static {
				tok, _, err := c.Auth.Login(ctx, ds.Login, ds.Password)
				if err != nil {
					t.Fatal(err)
				}
				if c, err = client.New(ds.URL, client.WithToken(tok.AccessToken), client.WithRetryPolicy(fastRetry())); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := c.Events.Get(ctx, 1); err != nil {
				t.Fatalf("first call: %v", err)
			}
			ds.Server.ResetStats()
			clock.Advance(tc.advance)

			errs := make(chan error, tc.callers)
			var wg sync.WaitGroup
			for i := range tc.callers {
				wg.Go(func() {
					_, resp, err := c.Events.Get(ctx, int64(i+1))
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if tc.wantErr {
					apiErr := wantAPIError(t, err, http.StatusUnauthorized, "", client.ErrUnauthorized)
					if apiErr.Message != "Authentication token expired" || apiErr.Hint == "" {
						t.Errorf("message %q hint %q", apiErr.Message, apiErr.Hint)
					}
				} else if err != nil {
					t.Errorf("call after %v: %v", tc.advance, err)
				}
			}
			if got := ds.Server.Requests("/auth/refresh"); got != tc.wantRefresh {
				t.Errorf("%d refresh requests, want %d", got, tc.wantRefresh)
			}
			// The first login happened before ResetStats.
			if got := ds.Server.Requests("/auth/login") + 1; got != tc.wantLogin {
				t.Errorf("%d login requests, want %d", got, tc.wantLogin)
			}
		})
	}
}

// listCase is one list endpoint with one filter, walked two ways.
type listCase struct {
	name    string
	min     int  // the filter must match at least this many items
	counted bool // the endpoint always returns totals (page_size endpoints)
	// page fetches one page as ids, failing when an item violates the filter.
	page func(ctx context.Context, c *client.Client, page, size int, total bool) ([]int64, client.Pagination, error)
	// all iterates every item with the given page size.
	all func(ctx context.Context, c *client.Client, size int) iter.Seq2[int64, error]
}

// pageIDs maps a page to ids, checking every item with ok.
func pageIDs[T any](p *client.Page[T], err error, id func(T) int64, ok func(T) error) ([]int64, client.Pagination, error) {
	if err != nil {
		return nil, client.Pagination{}, err
	}
	ids := make([]int64, 0, len(p.Items))
	for _, it := range p.Items {
		if err := ok(it); err != nil {
			return nil, p.Pagination, fmt.Errorf("item %d: %w", id(it), err)
		}
		ids = append(ids, id(it))
	}
	return ids, p.Pagination, nil
}

// seqIDs maps an iterator of items to ids.
func seqIDs[T any](seq iter.Seq2[T, error], id func(T) int64) iter.Seq2[int64, error] {
	return func(yield func(int64, error) bool) {
		for it, err := range seq {
			if !yield(id(it), err) {
				return
			}
		}
	}
}

func eventsCase(name string, o client.EventListOptions, minItems int, ok func(client.EventSummary) error) listCase {
	id := func(e client.EventSummary) int64 { return e.ID }
	return listCase{
		name: "events/" + name, min: minItems,
		page: func(ctx context.Context, c *client.Client, page, size int, total bool) ([]int64, client.Pagination, error) {
			q := o
			q.ListOptions = client.ListOptions{Page: page, PerPage: size, IncludeTotal: total}
			p, _, err := c.Events.List(ctx, &q)
			return pageIDs(p, err, id, ok)
		},
		all: func(ctx context.Context, c *client.Client, size int) iter.Seq2[int64, error] {
			q := o
			q.PerPage = size
			return seqIDs(c.Events.All(ctx, &q), id)
		},
	}
}

func enforcementsCase(name string, o client.EnforcementListOptions, minItems int, ok func(client.EnforcementSummary) error) listCase {
	id := func(e client.EnforcementSummary) int64 { return e.ID }
	return listCase{
		name: "enforcements/" + name, min: minItems,
		page: func(ctx context.Context, c *client.Client, page, size int, total bool) ([]int64, client.Pagination, error) {
			q := o
			q.ListOptions = client.ListOptions{Page: page, PerPage: size, IncludeTotal: total}
			p, _, err := c.Enforcements.List(ctx, &q)
			return pageIDs(p, err, id, ok)
		},
		all: func(ctx context.Context, c *client.Client, size int) iter.Seq2[int64, error] {
			q := o
			q.PerPage = size
			return seqIDs(c.Enforcements.All(ctx, &q), id)
		},
	}
}

func executionsCase(name string, o client.ExecutionListOptions, minItems int, ok func(client.ExecutionSummary) error) listCase {
	id := func(e client.ExecutionSummary) int64 { return e.ID }
	return listCase{
		name: "executions/" + name, min: minItems,
		page: func(ctx context.Context, c *client.Client, page, size int, total bool) ([]int64, client.Pagination, error) {
			q := o
			q.ListOptions = client.ListOptions{Page: page, PerPage: size, IncludeTotal: total}
			p, _, err := c.Executions.List(ctx, &q)
			return pageIDs(p, err, id, ok)
		},
		all: func(ctx context.Context, c *client.Client, size int) iter.Seq2[int64, error] {
			q := o
			q.PerPage = size
			return seqIDs(c.Executions.All(ctx, &q), id)
		},
	}
}

func rulesCase(name string, o client.RuleListOptions, minItems int, ok func(client.RuleSummary) error) listCase {
	id := func(r client.RuleSummary) int64 { return r.ID }
	return listCase{
		name: "rules/" + name, min: minItems, counted: true,
		page: func(ctx context.Context, c *client.Client, page, size int, _ bool) ([]int64, client.Pagination, error) {
			q := o
			q.PageOptions = client.PageOptions{Page: page, PageSize: size}
			p, _, err := c.Rules.List(ctx, &q)
			return pageIDs(p, err, id, ok)
		},
		all: func(ctx context.Context, c *client.Client, size int) iter.Seq2[int64, error] {
			q := o
			q.PageSize = size
			return seqIDs(c.Rules.All(ctx, &q), id)
		},
	}
}

func triggerRulesCase(ref string, minItems int, ok func(client.RuleSummary) error) listCase {
	id := func(r client.RuleSummary) int64 { return r.ID }
	return listCase{
		name: "trigger rules/" + ref, min: minItems, counted: true,
		page: func(ctx context.Context, c *client.Client, page, size int, _ bool) ([]int64, client.Pagination, error) {
			p, _, err := c.Triggers.ListRules(ctx, ref, &client.PageOptions{Page: page, PageSize: size})
			return pageIDs(p, err, id, ok)
		},
		all: func(ctx context.Context, c *client.Client, size int) iter.Seq2[int64, error] {
			return seqIDs(c.Triggers.AllRules(ctx, ref, &client.PageOptions{PageSize: size}), id)
		},
	}
}

func enforcementExecutionsCase(enf int64, minItems int) listCase {
	id := func(e client.ExecutionSummary) int64 { return e.ID }
	ok := func(e client.ExecutionSummary) error {
		if e.Enforcement == nil || *e.Enforcement != enf {
			return fmt.Errorf("enforcement %v, want %d", e.Enforcement, enf)
		}
		return nil
	}
	return listCase{
		name: fmt.Sprintf("enforcement executions/%d", enf), min: minItems, counted: true,
		page: func(ctx context.Context, c *client.Client, page, size int, _ bool) ([]int64, client.Pagination, error) {
			p, _, err := c.Enforcements.ListExecutions(ctx, enf, &client.PageOptions{Page: page, PageSize: size})
			return pageIDs(p, err, id, ok)
		},
		all: func(ctx context.Context, c *client.Client, size int) iter.Seq2[int64, error] {
			return seqIDs(c.Enforcements.AllExecutions(ctx, enf, &client.PageOptions{PageSize: size}), id)
		},
	}
}

// want returns an item check comparing got with want.
func want[V comparable](what string, got, want V) error {
	if got != want {
		return fmt.Errorf("%s = %v, want %v", what, got, want)
	}
	return nil
}

// deref returns *p or the zero value.
func deref[V any](p *V) V {
	var zero V
	if p == nil {
		return zero
	}
	return *p
}

// devFacts are values discovered from the seeded data so that every filter
// has something to match.
type devFacts struct {
	eventWithEnforcements int64
	traceTag              string
	busyEnforcement       int64 // the enforcement with the most executions
	busyCount             int
	parent                int64 // an execution with children
}

// discover finds devFacts through the client itself.
func discover(t *testing.T, ctx context.Context, c *client.Client) devFacts {
	t.Helper()
	var f devFacts
	perEnf := map[int64]int{}
	for e, err := range c.Executions.All(ctx, &client.ExecutionListOptions{ListOptions: client.ListOptions{PerPage: 100}}) {
		if err != nil {
			t.Fatalf("discover executions: %v", err)
		}
		if e.Enforcement != nil {
			perEnf[*e.Enforcement]++
		}
		if e.Parent != nil && f.parent == 0 {
			f.parent = *e.Parent
		}
	}
	for id, n := range perEnf {
		if n > f.busyCount || (n == f.busyCount && id < f.busyEnforcement) {
			f.busyEnforcement, f.busyCount = id, n
		}
	}
	p, _, err := c.Enforcements.List(ctx, &client.EnforcementListOptions{ListOptions: client.ListOptions{PerPage: 1}})
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("discover enforcements: %v", err)
	}
	f.eventWithEnforcements = deref(p.Items[0].Event)
	f.traceTag = deref(p.Items[0].TraceTag)
	if f.eventWithEnforcements == 0 || f.traceTag == "" || f.busyEnforcement == 0 || f.parent == 0 {
		t.Fatalf("seed lacks data for the filters: %+v", f)
	}
	return f
}

func TestDevServerLists(t *testing.T) {
	t.Parallel()
	c, _ := devClient(t, testutil.DevOptions{})
	f := discover(t, t.Context(), c)
	yes, no := true, false
	cases := []listCase{
		eventsCase("all", client.EventListOptions{}, testutil.DefaultDevEvents, func(client.EventSummary) error { return nil }),
		eventsCase("trigger id", client.EventListOptions{Trigger: 8}, 5, func(e client.EventSummary) error {
			return errors.Join(want("trigger", deref(e.Trigger), 8), want("trigger_ref", e.TriggerRef, "kubernetes.pod_event"))
		}),
		eventsCase("trigger_ref", client.EventListOptions{TriggerRef: "core.intervaltimer"}, 5, func(e client.EventSummary) error {
			return want("trigger_ref", e.TriggerRef, "core.intervaltimer")
		}),
		eventsCase("rule_ref", client.EventListOptions{RuleRef: "core.heartbeat_echo"}, 5, func(e client.EventSummary) error {
			return want("rule_ref", deref(e.RuleRef), "core.heartbeat_echo")
		}),
		eventsCase("source", client.EventListOptions{Source: 3}, 5, func(e client.EventSummary) error {
			return errors.Join(want("source", deref(e.Source), 3), want("source_ref", deref(e.SourceRef), "kubernetes.watch_sensor"))
		}),
		eventsCase("trace_tag", client.EventListOptions{TraceTag: f.traceTag}, 1, func(e client.EventSummary) error {
			return want("trace_tag", deref(e.TraceTag), f.traceTag)
		}),
		eventsCase("no match", client.EventListOptions{TriggerRef: "no.such_trigger"}, 0, func(client.EventSummary) error { return errors.New("unexpected item") }),

		enforcementsCase("all", client.EnforcementListOptions{}, 50, func(client.EnforcementSummary) error { return nil }),
		enforcementsCase("rule id", client.EnforcementListOptions{Rule: 1}, 5, func(e client.EnforcementSummary) error {
			return errors.Join(want("rule", deref(e.Rule), 1), want("rule_ref", e.RuleRef, "core.heartbeat_echo"))
		}),
		enforcementsCase("event", client.EnforcementListOptions{Event: f.eventWithEnforcements}, 1, func(e client.EnforcementSummary) error {
			return want("event", deref(e.Event), f.eventWithEnforcements)
		}),
		enforcementsCase("status processed", client.EnforcementListOptions{Status: client.EnforcementProcessed}, 5, func(e client.EnforcementSummary) error {
			return want("status", e.Status, client.EnforcementProcessed)
		}),
		enforcementsCase("status created", client.EnforcementListOptions{Status: client.EnforcementCreated}, 1, func(e client.EnforcementSummary) error {
			return want("status", e.Status, client.EnforcementCreated)
		}),
		enforcementsCase("status disabled", client.EnforcementListOptions{Status: client.EnforcementDisabled}, 1, func(e client.EnforcementSummary) error {
			return want("status", e.Status, client.EnforcementDisabled)
		}),
		enforcementsCase("trigger_ref", client.EnforcementListOptions{TriggerRef: "github.push"}, 2, func(e client.EnforcementSummary) error {
			return want("trigger_ref", e.TriggerRef, "github.push")
		}),
		enforcementsCase("rule_ref", client.EnforcementListOptions{RuleRef: "pagerduty.notify_slack"}, 2, func(e client.EnforcementSummary) error {
			return want("rule_ref", e.RuleRef, "pagerduty.notify_slack")
		}),
		enforcementsCase("trace_tag", client.EnforcementListOptions{TraceTag: f.traceTag}, 1, func(e client.EnforcementSummary) error {
			return want("trace_tag", deref(e.TraceTag), f.traceTag)
		}),

		executionsCase("all", client.ExecutionListOptions{}, 50, func(client.ExecutionSummary) error { return nil }),
		executionsCase("status", client.ExecutionListOptions{Status: client.ExecutionFailed}, 2, func(e client.ExecutionSummary) error {
			return want("status", e.Status, client.ExecutionFailed)
		}),
		executionsCase("action_ref", client.ExecutionListOptions{ActionRef: "core.echo"}, 5, func(e client.ExecutionSummary) error {
			return want("action_ref", e.ActionRef, "core.echo")
		}),
		executionsCase("rule_ref", client.ExecutionListOptions{RuleRef: "core.heartbeat_echo"}, 5, func(e client.ExecutionSummary) error {
			return want("rule_ref", deref(e.RuleRef), "core.heartbeat_echo")
		}),
		executionsCase("trigger_ref exact", client.ExecutionListOptions{TriggerRef: "core.intervaltimer"}, 5, func(e client.ExecutionSummary) error {
			return want("trigger_ref", deref(e.TriggerRef), "core.intervaltimer")
		}),
		executionsCase("trigger_ref wildcard", client.ExecutionListOptions{TriggerRef: "github.*"}, 5, func(e client.ExecutionSummary) error {
			if !strings.HasPrefix(deref(e.TriggerRef), "github.") {
				return fmt.Errorf("trigger_ref %q outside github.*", deref(e.TriggerRef))
			}
			return nil
		}),
		executionsCase("pack_name", client.ExecutionListOptions{PackName: "core"}, 5, func(e client.ExecutionSummary) error {
			if !strings.HasPrefix(e.ActionRef, "core.") {
				return fmt.Errorf("action_ref %q outside pack core", e.ActionRef)
			}
			return nil
		}),
		executionsCase("trace_tag", client.ExecutionListOptions{TraceTag: f.traceTag}, 1, func(e client.ExecutionSummary) error {
			return want("trace_tag", deref(e.TraceTag), f.traceTag)
		}),
		executionsCase("enforcement", client.ExecutionListOptions{Enforcement: f.busyEnforcement}, f.busyCount, func(e client.ExecutionSummary) error {
			return want("enforcement", deref(e.Enforcement), f.busyEnforcement)
		}),
		executionsCase("parent", client.ExecutionListOptions{Parent: f.parent}, 1, func(e client.ExecutionSummary) error {
			return want("parent", deref(e.Parent), f.parent)
		}),
		executionsCase("top_level_only", client.ExecutionListOptions{TopLevelOnly: true}, 50, func(e client.ExecutionSummary) error {
			if e.Parent != nil {
				return fmt.Errorf("parent %d in a top-level list", *e.Parent)
			}
			return nil
		}),
		// Summaries carry neither executor nor result: TestDevServerGets
		// checks those two filters through Get.
		executionsCase("executor", client.ExecutionListOptions{Executor: 1}, 1, func(client.ExecutionSummary) error { return nil }),
		executionsCase("result_contains", client.ExecutionListOptions{ResultContains: "ERROR"}, 1, func(client.ExecutionSummary) error { return nil }),
		executionsCase("combined", client.ExecutionListOptions{Status: client.ExecutionCompleted, PackName: "core", TopLevelOnly: true}, 1, func(e client.ExecutionSummary) error {
			return errors.Join(want("status", e.Status, client.ExecutionCompleted), want("parent", e.Parent, (*int64)(nil)))
		}),

		enforcementExecutionsCase(f.busyEnforcement, f.busyCount),

		rulesCase("all", client.RuleListOptions{}, 16, func(client.RuleSummary) error { return nil }),
		rulesCase("enabled", client.RuleListOptions{Enabled: &yes}, 10, func(r client.RuleSummary) error { return want("enabled", r.Enabled, true) }),
		rulesCase("disabled", client.RuleListOptions{Enabled: &no}, 2, func(r client.RuleSummary) error { return want("enabled", r.Enabled, false) }),
		rulesCase("trigger_ref and enabled", client.RuleListOptions{TriggerRef: "slack.message", Enabled: &yes}, 1, func(r client.RuleSummary) error {
			return errors.Join(want("trigger_ref", r.TriggerRef, "slack.message"), want("enabled", r.Enabled, true))
		}),
		rulesCase("q tokens are ANDed", client.RuleListOptions{Q: "GITHUB main"}, 1, func(r client.RuleSummary) error {
			return want("ref", r.Ref, "github.comment_on_main_push")
		}),
		rulesCase("pack_ref", client.RuleListOptions{PackRef: "aws"}, 3, func(r client.RuleSummary) error { return want("pack_ref", r.PackRef, "aws") }),
		rulesCase("action_ref", client.RuleListOptions{ActionRef: "aws.notify_sns"}, 2, func(r client.RuleSummary) error {
			return want("action_ref", r.ActionRef, "aws.notify_sns")
		}),

		triggerRulesCase("slack.message", 2, func(r client.RuleSummary) error { return want("trigger_ref", r.TriggerRef, "slack.message") }),
		triggerRulesCase("github.pull_request", 2, func(r client.RuleSummary) error {
			return want("trigger_ref", r.TriggerRef, "github.pull_request")
		}),
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkList(t, t.Context(), c, tc)
		})
	}
}

// checkList walks tc with All at one page size and page by page at another,
// and checks that both agree and that the pagination block is consistent.
func checkList(t *testing.T, ctx context.Context, c *client.Client, tc listCase) {
	t.Helper()
	var all []int64
	for id, err := range tc.all(ctx, c, 100) {
		if err != nil {
			t.Fatalf("All: %v", err)
		}
		all = append(all, id)
		if len(all) > devMaxItems {
			t.Fatalf("All yields more than %d items", devMaxItems)
		}
	}
	if len(all) < tc.min {
		t.Fatalf("All yielded %d items, want at least %d", len(all), tc.min)
	}
	seen := map[int64]bool{}
	for _, id := range all {
		if seen[id] {
			t.Fatalf("id %d twice", id)
		}
		seen[id] = true
	}

	// Page by page with another size, without totals.
	size := 7
	if len(all) < 2*size {
		size = 2
	}
	var paged []int64
	for page := 1; ; page++ {
		ids, pg, err := tc.page(ctx, c, page, size, false)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if pg.Page != page || pg.PageSize != size || pg.HasPrevious != (page > 1) {
			t.Fatalf("page %d: pagination %+v", page, pg)
		}
		if tc.counted != (pg.TotalItems != nil && pg.TotalPages != nil) {
			t.Fatalf("page %d: totals present = %v, want %v (%+v)", page, pg.TotalItems != nil, tc.counted, pg)
		}
		if len(ids) > size {
			t.Fatalf("page %d: %d items for page size %d", page, len(ids), size)
		}
		paged = append(paged, ids...)
		if !pg.HasNext {
			break
		}
		if len(ids) < size {
			t.Fatalf("page %d: short page (%d) with has_next", page, len(ids))
		}
		if page*size > devMaxItems {
			t.Fatal("paging does not end")
		}
	}
	if !slices.Equal(all, paged) {
		t.Fatalf("All (page size 100) and pages of %d differ:\nall   %v\npaged %v", size, all, paged)
	}

	// Totals on request (or always, for page_size endpoints).
	_, pg, err := tc.page(ctx, c, 1, size, true)
	if err != nil {
		t.Fatalf("page 1 with totals: %v", err)
	}
	if pg.TotalItems == nil || pg.TotalPages == nil {
		t.Fatalf("include_total: no totals in %+v", pg)
	}
	pages := (len(all) + size - 1) / size
	if *pg.TotalItems != len(all) || *pg.TotalPages != pages || pg.HasNext != (pages > 1) {
		t.Fatalf("totals %d items / %d pages, has_next %v; want %d / %d", *pg.TotalItems, *pg.TotalPages, pg.HasNext, len(all), pages)
	}
	// A page past the end is empty, not an error.
	ids, pg, err := tc.page(ctx, c, pages+1, size, false)
	if err != nil || len(ids) != 0 || pg.HasNext {
		t.Fatalf("page past the end: %v items, %+v, %v", ids, pg, err)
	}
}

func TestDevServerGets(t *testing.T) {
	t.Parallel()
	c, _ := devClient(t, testutil.DevOptions{})
	ctx := t.Context()
	f := discover(t, ctx, c)
	cases := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"event matches its summary", func(t *testing.T) {
			p, _, err := c.Events.List(ctx, &client.EventListOptions{ListOptions: client.ListOptions{PerPage: 20}})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range p.Items {
				e, _, err := c.Events.Get(ctx, s.ID)
				if err != nil {
					t.Fatalf("Get %d: %v", s.ID, err)
				}
				if e.ID != s.ID || e.TriggerRef != s.TriggerRef || deref(e.RuleRef) != deref(s.RuleRef) ||
					deref(e.SourceRef) != deref(s.SourceRef) || !e.Created.Equal(s.Created) {
					t.Fatalf("event %d differs from its summary:\n%+v\n%+v", s.ID, e, s)
				}
				if hasPayload := len(e.Payload) > 0 && string(e.Payload) != "null"; hasPayload != s.HasPayload {
					t.Fatalf("event %d: payload %s, has_payload %v", s.ID, e.Payload, s.HasPayload)
				}
			}
		}},
		{"enforcement matches its summary", func(t *testing.T) {
			p, _, err := c.Enforcements.List(ctx, &client.EnforcementListOptions{Event: f.eventWithEnforcements})
			if err != nil || len(p.Items) == 0 {
				t.Fatalf("List: %v", err)
			}
			for _, s := range p.Items {
				e, _, err := c.Enforcements.Get(ctx, s.ID)
				if err != nil {
					t.Fatalf("Get %d: %v", s.ID, err)
				}
				if e.ID != s.ID || e.RuleRef != s.RuleRef || e.Status != s.Status || e.Condition != s.Condition ||
					deref(e.Event) != f.eventWithEnforcements || len(e.Conditions) == 0 {
					t.Fatalf("enforcement %d: %+v vs %+v", s.ID, e, s)
				}
				r, _, err := c.Rules.Get(ctx, e.RuleRef)
				if err != nil || r.Ref != e.RuleRef || r.ID != deref(e.Rule) {
					t.Fatalf("rule %q of enforcement %d: %+v, %v", e.RuleRef, e.ID, r, err)
				}
			}
		}},
		{"execution, parent and children", func(t *testing.T) {
			parent, _, err := c.Executions.Get(ctx, f.parent)
			if err != nil || parent.ID != f.parent {
				t.Fatalf("Get parent %d: %+v, %v", f.parent, parent, err)
			}
			kids, _, err := c.Executions.List(ctx, &client.ExecutionListOptions{Parent: f.parent})
			if err != nil || len(kids.Items) == 0 {
				t.Fatalf("children: %v", err)
			}
			child, _, err := c.Executions.Get(ctx, kids.Items[0].ID)
			if err != nil || deref(child.Parent) != f.parent || child.ActionRef != kids.Items[0].ActionRef || child.Status != kids.Items[0].Status {
				t.Fatalf("child: %+v, %v", child, err)
			}
		}},
		{"executor filter holds on the details", func(t *testing.T) {
			p, _, err := c.Executions.List(ctx, &client.ExecutionListOptions{Executor: 1, ListOptions: client.ListOptions{PerPage: 5}})
			if err != nil || len(p.Items) == 0 {
				t.Fatalf("List: %v", err)
			}
			for _, s := range p.Items {
				e, _, err := c.Executions.Get(ctx, s.ID)
				if err != nil || deref(e.Executor) != 1 {
					t.Fatalf("execution %d: executor %v, %v", s.ID, e.Executor, err)
				}
			}
		}},
		{"result_contains holds on the details", func(t *testing.T) {
			p, _, err := c.Executions.List(ctx, &client.ExecutionListOptions{ResultContains: "ERROR", ListOptions: client.ListOptions{PerPage: 5}})
			if err != nil || len(p.Items) == 0 {
				t.Fatalf("List: %v", err)
			}
			for _, s := range p.Items {
				e, _, err := c.Executions.Get(ctx, s.ID)
				if err != nil || !strings.Contains(strings.ToLower(string(e.Result)), "error") {
					t.Fatalf("execution %d: result %s, %v", s.ID, e.Result, err)
				}
			}
		}},
		{"item options are accepted", func(t *testing.T) {
			// The dev server stores no encrypted values, so decrypting
			// changes nothing; the parameters must still be accepted.
			dec := &client.GetOptions{IncludeSecretValues: true}
			e, _, err := c.Events.GetWithOptions(ctx, f.eventWithEnforcements, dec)
			if err != nil || e.ID != f.eventWithEnforcements {
				t.Fatalf("event: %+v, %v", e, err)
			}
			enf, _, err := c.Enforcements.GetWithOptions(ctx, f.busyEnforcement, dec)
			if err != nil || enf.ID != f.busyEnforcement {
				t.Fatalf("enforcement: %+v, %v", enf, err)
			}
			ex, _, err := c.Executions.GetWithOptions(ctx, f.parent, dec)
			if err != nil || ex.ID != f.parent {
				t.Fatalf("execution: %+v, %v", ex, err)
			}
			tr, _, err := c.Triggers.GetWithOptions(ctx, "kubernetes.pod_event", &client.TriggerGetOptions{ReferencingPackRef: "core"})
			if err != nil || tr.Ref != "kubernetes.pod_event" {
				t.Fatalf("trigger: %+v, %v", tr, err)
			}
		}},
		{"rule with array conditions", func(t *testing.T) {
			r, _, err := c.Rules.Get(ctx, "github.comment_on_main_push")
			if err != nil || r.TriggerRef != "github.push" || !strings.HasPrefix(string(r.Conditions), "[") || !r.Enabled {
				t.Fatalf("Rules.Get: %+v, %v", r, err)
			}
		}},
		{"trigger and its sensor", func(t *testing.T) {
			tr, _, err := c.Triggers.Get(ctx, "kubernetes.pod_event")
			if err != nil || tr.Ref != "kubernetes.pod_event" || deref(tr.SensorRef) != "kubernetes.watch_sensor" {
				t.Fatalf("Triggers.Get: %+v, %v", tr, err)
			}
			s, _, err := c.Sensors.Get(ctx, deref(tr.SensorRef))
			if err != nil || s.Ref != "kubernetes.watch_sensor" || s.ID != deref(tr.Sensor) || s.Entrypoint == "" {
				t.Fatalf("Sensors.Get: %+v, %v", s, err)
			}
		}},
		{"trace agrees with the filtered lists", func(t *testing.T) {
			tr, _, err := c.Traces.Get(ctx, f.traceTag)
			if err != nil || tr.TraceTag != f.traceTag || !slices.Contains(tr.Origins, "event") {
				t.Fatalf("Traces.Get: %+v, %v", tr, err)
			}
			enfs, _, err := c.Enforcements.List(ctx, &client.EnforcementListOptions{TraceTag: f.traceTag})
			if err != nil {
				t.Fatal(err)
			}
			execs, _, err := c.Executions.List(ctx, &client.ExecutionListOptions{TraceTag: f.traceTag, ListOptions: client.ListOptions{PerPage: 100}})
			if err != nil {
				t.Fatal(err)
			}
			idsOf := func(n int, id func(int) int64) []int64 {
				out := make([]int64, n)
				for i := range n {
					out[i] = id(i)
				}
				slices.Sort(out)
				return out
			}
			if got, want := idsOf(len(tr.Enforcements), func(i int) int64 { return tr.Enforcements[i].ID }),
				idsOf(len(enfs.Items), func(i int) int64 { return enfs.Items[i].ID }); !slices.Equal(got, want) {
				t.Errorf("trace enforcements %v, list %v", got, want)
			}
			if got, want := idsOf(len(tr.Executions), func(i int) int64 { return tr.Executions[i].ID }),
				idsOf(len(execs.Items), func(i int) int64 { return execs.Items[i].ID }); !slices.Equal(got, want) {
				t.Errorf("trace executions %v, list %v", got, want)
			}
			if len(tr.Events) != 1 || tr.Events[0].ID != f.eventWithEnforcements {
				t.Errorf("trace events %+v, want event %d", tr.Events, f.eventWithEnforcements)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t)
		})
	}
}

func TestDevServerNotFound(t *testing.T) {
	t.Parallel()
	c, _ := devClient(t, testutil.DevOptions{Events: 20})
	ctx := t.Context()
	cases := []struct {
		name string
		path string
		call func() error
	}{
		{"event", "/api/v1/events/999999", func() error { _, _, err := c.Events.Get(ctx, 999999); return err }},
		{"enforcement", "/api/v1/enforcements/999999", func() error { _, _, err := c.Enforcements.Get(ctx, 999999); return err }},
		{"execution", "/api/v1/executions/999999", func() error { _, _, err := c.Executions.Get(ctx, 999999); return err }},
		{"rule", "/api/v1/rules/no.such_rule", func() error { _, _, err := c.Rules.Get(ctx, "no.such_rule"); return err }},
		{"trigger", "/api/v1/triggers/no.such_trigger", func() error { _, _, err := c.Triggers.Get(ctx, "no.such_trigger"); return err }},
		{"trigger rules", "/api/v1/triggers/no.such_trigger/rules", func() error {
			_, _, err := c.Triggers.ListRules(ctx, "no.such_trigger", nil)
			return err
		}},
		{"sensor", "/api/v1/sensors/no.such_sensor", func() error { _, _, err := c.Sensors.Get(ctx, "no.such_sensor"); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.call()
			apiErr := wantAPIError(t, err, http.StatusNotFound, "NOT_FOUND", client.ErrNotFound)
			if apiErr.Path != tc.path || apiErr.Method != http.MethodGet || apiErr.Message == "" {
				t.Fatalf("APIError %+v, want path %s", apiErr, tc.path)
			}
			if errors.Is(err, client.ErrUnauthorized) || errors.Is(err, client.ErrForbidden) {
				t.Fatal("404 matches another sentinel")
			}
		})
	}
}

func TestDevServerFaults(t *testing.T) {
	t.Parallel()
	retry := client.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 3 * time.Second, MaxElapsed: 10 * time.Second}
	cases := []struct {
		name   string
		faults devserver.Faults
		// prime answers requests before the client's call (the injected
		// errors alternate 500, 503; a primed 500 makes the next one a 503).
		prime     int
		clearOn   int // clear the faults once the client sees this status
		check     func(t *testing.T, resp *client.Response, err error)
		wantTries int           // requests to the faulty path the call makes
		minTime   time.Duration // the call takes at least this long (Retry-After)
	}{
		{
			name:   "503 with Retry-After is retried and succeeds",
			faults: devserver.Faults{PathPrefix: "/api/v1/events", ErrorRate: 1, RetryAfter: time.Second},
			prime:  1, clearOn: http.StatusServiceUnavailable, wantTries: 2, minTime: 900 * time.Millisecond,
			check: func(t *testing.T, resp *client.Response, err error) {
				if err != nil || resp.StatusCode != http.StatusOK || resp.Attempts != 2 {
					t.Fatalf("resp %+v, err %v; want success on attempt 2", resp, err)
				}
			},
		},
		{
			name:   "500 is not retried",
			faults: devserver.Faults{PathPrefix: "/api/v1/events", ErrorRate: 1}, wantTries: 1,
			check: func(t *testing.T, _ *client.Response, err error) {
				wantAPIError(t, err, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", nil)
			},
		},
		{
			name:   "503 then 500: the 500 is final",
			faults: devserver.Faults{PathPrefix: "/api/v1/events", ErrorRate: 1, RetryAfter: time.Second},
			prime:  1, wantTries: 2, // 503, then 500, which is final
			check: func(t *testing.T, _ *client.Response, err error) {
				wantAPIError(t, err, http.StatusInternalServerError, "", nil)
			},
		},
		{
			name:   "malformed JSON is a typed error, not retried",
			faults: devserver.Faults{PathPrefix: "/api/v1/events", MalformedRate: 1}, wantTries: 1,
			check: func(t *testing.T, resp *client.Response, err error) {
				if !errors.Is(err, client.ErrMalformedResponse) {
					t.Fatalf("err %v, want ErrMalformedResponse", err)
				}
				var apiErr *client.APIError
				var te *client.TransportError
				if errors.As(err, &apiErr) || errors.As(err, &te) {
					t.Fatalf("malformed body reported as %T", err)
				}
				if resp == nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("resp %+v", resp)
				}
			},
		},
		{
			name:   "connection reset: TransportError after bounded retries",
			faults: devserver.Faults{PathPrefix: "/api/v1/events", ResetRate: 1}, wantTries: retry.MaxAttempts,
			check: wantTransportError,
		},
		{
			name:   "truncated body: TransportError after bounded retries",
			faults: devserver.Faults{PathPrefix: "/api/v1/events", TruncateRate: 1}, wantTries: retry.MaxAttempts,
			check: wantTransportError,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ds := testutil.StartDevServer(t, testutil.DevOptions{Events: 20})
			// No keep-alive: every attempt is a fresh connection, so
			// net/http never replays a request on its own and the request
			// count is exactly the client's attempts.
			tr := &http.Transport{DisableKeepAlives: true}
			t.Cleanup(tr.CloseIdleConnections)
			hook := &faultHook{rt: tr, srv: ds.Server, clearOn: tc.clearOn}
			c, err := client.New(ds.URL, client.WithCredentials(ds.Login, ds.Password), client.WithRetryPolicy(retry), client.WithTransport(hook))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if _, _, err := c.Auth.Login(ctx, ds.Login, ds.Password); err != nil {
				t.Fatal(err)
			}
			ds.Server.SetFaults(tc.faults)
			for range tc.prime {
				primeFault(t, ctx, tr, ds.URL+"/api/v1/events")
			}
			ds.Server.ResetStats()
			start := time.Now()
			_, resp, err := c.Events.List(ctx, &client.EventListOptions{ListOptions: client.ListOptions{PerPage: 5}})
			elapsed := time.Since(start)
			tc.check(t, resp, err)
			if got := ds.Server.Requests("/api/v1/events"); got != tc.wantTries {
				t.Errorf("%d requests, want %d", got, tc.wantTries)
			}
			if elapsed < tc.minTime {
				t.Errorf("call took %v, want at least %v (Retry-After)", elapsed, tc.minTime)
			}
			if elapsed > retry.MaxElapsed+time.Second {
				t.Errorf("call took %v, beyond the retry budget", elapsed)
			}
		})
	}
}

// wantTransportError fails t unless err is a *TransportError and not an
// *APIError.
func wantTransportError(t *testing.T, resp *client.Response, err error) {
	t.Helper()
	var te *client.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err %v (%T), want *client.TransportError", err, err)
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		t.Fatalf("transport failure also matches *APIError: %v", err)
	}
	if te.Path != "/api/v1/events" || te.Method != http.MethodGet || strings.Contains(err.Error(), "per_page") {
		t.Fatalf("TransportError %+v (%v)", te, err)
	}
	if resp != nil {
		t.Fatalf("resp %+v with a transport error", resp)
	}
}

// primeFault sends one request to url so that the fault dice advance.
func primeFault(t *testing.T, ctx context.Context, rt http.RoundTripper, url string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatalf("prime: %v", err)
	}
	_ = res.Body.Close()
}

// faultHook is a RoundTripper that clears the server's faults once it sees
// a response with status clearOn: the outage ends after the first failure.
type faultHook struct {
	rt      http.RoundTripper
	srv     *devserver.Server
	clearOn int
}

// RoundTrip implements http.RoundTripper.
func (h *faultHook) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := h.rt.RoundTrip(r)
	if err == nil && h.clearOn != 0 && res.StatusCode == h.clearOn {
		h.srv.SetFaults(devserver.Faults{})
	}
	return res, err
}
