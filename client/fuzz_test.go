package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/client"
)

// fuzzTransport answers every request with the fuzzed status, content type
// and body, without a socket. A body that is cut short (truncate) ends with
// io.ErrUnexpectedEOF.
type fuzzTransport struct {
	status   int
	ctype    string
	body     []byte
	truncate bool
}

func (f fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body io.Reader = bytes.NewReader(f.body)
	if f.truncate {
		body = io.MultiReader(body, errReader{io.ErrUnexpectedEOF})
	}
	h := http.Header{}
	h.Set("Content-Type", f.ctype)
	h.Set("Retry-After", "0")
	return &http.Response{
		StatusCode: f.status, Status: http.StatusText(f.status), Header: h, Body: io.NopCloser(body),
		Request: r, ProtoMajor: 1, ProtoMinor: 1, ContentLength: -1,
	}, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// FuzzResponseDecoding serves fuzzed bodies (and statuses) to every kind of
// call: the client must not panic, must return a value or an error, and its
// errors must be typed: *APIError, *TransportError, ErrMalformedResponse or
// ErrResponseTooLarge.
func FuzzResponseDecoding(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{200, `{"data":{"id":1,"trigger_ref":"core.x","payload":{"a":1},"created":"2026-01-01T00:00:00Z"}}`},
		{200, `{"items":[{"id":1,"trigger_ref":"\u001b]2;x\u0007","created":"2026-01-01T00:00:00Z"}],"pagination":{"page":1,"per_page":20,"has_next":false,"has_previous":false}}`},
		{200, `{"data":{"id":12345678901234567890123}}`},
		{200, `{"data":{"payload":` + string(bytes.Repeat([]byte("["), 10_010)) + `}}`},
		{200, "{\"data\":{\"trigger_ref\":\"bad \xff\xfe\",\"payload\":\"\\ud800\"}}"},
		{200, `{"items": [{"id": 1, "trigger_ref": "core.`},
		{200, ``},
		{200, `null`},
		{200, `{"data":null}`},
		{200, `[]`},
		{200, `{"data":{"status":"\u001b[31mweird"}}`},
		{404, `{"error":"Event with ID 1 not found","code":"NOT_FOUND"}`},
		{401, `{"error":{"code":401,"message":"Invalid token"}}`},
		{500, "{\"error\":\"\x1b]52;c;cm0=\x07\",\"code\":\"INTERNAL_SERVER_ERROR\"}"},
		{503, `<html>busy</html>`},
		{302, ``},
		{204, ``},
		{999, `{}`},
	}
	for i, s := range seeds {
		f.Add(uint16(s.status), []byte(s.body), byte(i%4))
	}
	f.Fuzz(func(t *testing.T, status uint16, body []byte, mode byte) {
		st := int(status%500) + 100
		rt := fuzzTransport{status: st, body: body, ctype: "application/json", truncate: mode&1 == 1}
		if mode&2 == 2 {
			rt.ctype = "text/html"
		}
		c, err := client.New("http://attune.test", client.WithTransport(rt), client.WithToken("tok"),
			client.WithMaxBodySize(1<<20),
			client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxElapsed: time.Second}))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		calls := []struct {
			name string
			call func() (bool, error)
		}{
			{"events.list", func() (bool, error) { p, _, err := c.Events.List(ctx, nil); return p != nil, err }},
			{"events.get", func() (bool, error) { v, _, err := c.Events.Get(ctx, 1); return v != nil, err }},
			{"enforcements.get", func() (bool, error) { v, _, err := c.Enforcements.Get(ctx, 1); return v != nil, err }},
			{"executions.list", func() (bool, error) { p, _, err := c.Executions.List(ctx, nil); return p != nil, err }},
			{"executions.get", func() (bool, error) { v, _, err := c.Executions.Get(ctx, 1); return v != nil, err }},
			{"rules.get", func() (bool, error) { v, _, err := c.Rules.Get(ctx, "core.x"); return v != nil, err }},
			{"traces.get", func() (bool, error) { v, _, err := c.Traces.Get(ctx, "tag"); return v != nil, err }},
			{"auth.me", func() (bool, error) { v, _, err := c.Auth.Me(ctx); return v != nil, err }},
		}
		for _, cl := range calls {
			got, err := cl.call()
			if err == nil {
				if !got {
					t.Errorf("%s: status %d: nil value without an error", cl.name, st)
				}
				continue
			}
			var apiErr *client.APIError
			var trErr *client.TransportError
			switch {
			case errors.As(err, &apiErr), errors.As(err, &trErr),
				errors.Is(err, client.ErrMalformedResponse), errors.Is(err, client.ErrResponseTooLarge):
			default:
				t.Errorf("%s: status %d: untyped error %T: %v", cl.name, st, err, err)
			}
		}
	})
}
