package client_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
)

const emptyPage = `{"items":[],"pagination":{"page":1,"page_size":50,"has_previous":false,"has_next":false}}`

func TestRetries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		statuses   []int  // answers before a 200
		retryAfter string // Retry-After on the failures
		wantCalls  int32
		wantErr    bool
	}{
		{"503 with Retry-After seconds", []int{503}, "0", 2, false},
		{"429 with Retry-After date", []int{429}, time.Now().Add(-time.Second).UTC().Format(http.TimeFormat), 2, false},
		{"502 then 504", []int{502, 504}, "", 3, false},
		{"attempts are bounded", []int{503, 503, 503, 503}, "", 3, true},
		{"500 is not retried", []int{500}, "", 1, true},
		{"404 is not retried", []int{404}, "", 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var calls atomic.Int32
			mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, _ *http.Request) {
				n := int(calls.Add(1))
				if n <= len(tc.statuses) {
					if tc.retryAfter != "" {
						w.Header().Set("Retry-After", tc.retryAfter)
					}
					writeJSON(w, tc.statuses[n-1], []byte(`{"error":"Database operation temporarily unavailable; please retry","code":"RETRYABLE_DATABASE_ERROR"}`))
					return
				}
				writeJSON(w, 200, []byte(emptyPage))
			})
			_, resp, err := c.Events.List(t.Context(), nil)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("calls = %d, want %d", got, tc.wantCalls)
			}
			if resp == nil || resp.Attempts != int(tc.wantCalls) {
				t.Errorf("Response.Attempts = %+v, want %d", resp, tc.wantCalls)
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	policy := fastRetry()
	policy.MaxDelay = time.Second
	c, mux := setup(t, client.WithRetryPolicy(policy))
	var calls atomic.Int32
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 503, nil)
			return
		}
		writeJSON(w, 200, []byte(emptyPage))
	})
	start := time.Now()
	if _, _, err := c.Events.List(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retried after %v, want about the 1 s of Retry-After", d)
	}
}

func TestRetryAfterBeyondBudgetGivesUp(t *testing.T) {
	t.Parallel()
	policy := fastRetry()
	policy.MaxDelay = time.Hour
	policy.MaxElapsed = 100 * time.Millisecond
	c, mux := setup(t, client.WithRetryPolicy(policy))
	var calls atomic.Int32
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", strconv.Itoa(3600))
		writeJSON(w, 503, nil)
	})
	start := time.Now()
	_, _, err := c.Events.List(t.Context(), nil)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("err = %v, want the 503", err)
	}
	if calls.Load() != 1 || time.Since(start) > time.Second {
		t.Errorf("calls = %d after %v: a wait beyond MaxElapsed must not start", calls.Load(), time.Since(start))
	}
}

func TestNoRetryOnPost(t *testing.T) {
	t.Parallel()
	c, mux := setupWith(t)
	var calls atomic.Int32
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "0")
		writeJSON(w, 503, nil)
	})
	_, _, err := c.Auth.Login(t.Context(), testLogin, testPassword)
	if err == nil || calls.Load() != 1 {
		t.Errorf("err = %v, calls = %d; want one attempt", err, calls.Load())
	}
}

func TestRetryOnTransportError(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			// Drop the connection without an answer.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		writeJSON(w, 200, []byte(emptyPage))
	})
	if _, _, err := c.Events.List(t.Context(), nil); err != nil {
		t.Fatalf("err = %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("calls = %d, want 2", calls.Load())
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	policy := client.RetryPolicy{MaxAttempts: 5, BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second, MaxElapsed: time.Minute}
	c, mux := setup(t, client.WithRetryPolicy(policy))
	failed := make(chan struct{}, 1)
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 503, nil)
		select {
		case failed <- struct{}{}:
		default:
		}
	})
	// One measurement: the time from cancel to List returning, while the
	// client waits out a 5-10 s backoff.
	measure := func() (time.Duration, error) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		type result struct {
			err error
			at  time.Time
		}
		done := make(chan result, 1)
		go func() {
			_, _, err := c.Events.List(ctx, nil)
			done <- result{err, time.Now()}
		}()
		<-failed // the first attempt failed; the client now waits 5-10 s
		cancelled := time.Now()
		cancel()
		r := <-done
		return r.at.Sub(cancelled), r.err
	}
	// A client that kept waiting would take seconds every time; a loaded
	// machine running -race may miss 50 ms once by scheduling alone, so the
	// best of three measurements must be within it.
	var took []time.Duration
	for range 3 {
		d, err := measure()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if d <= 50*time.Millisecond {
			return
		}
		took = append(took, d)
	}
	t.Errorf("returned %v after cancel, want within 50 ms", took)
}
