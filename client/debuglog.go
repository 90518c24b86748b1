package client

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"
)

// maxLoggedBody caps a body written to the debug log.
const maxLoggedBody = 4 << 10

// logAttempt writes one debug line for an HTTP attempt, when a logger is
// set. It never writes a token: the Authorization header is not logged, the
// path has no query string, and bodies (only with WithLogBodies) are
// redacted.
func (c *Client) logAttempt(ctx context.Context, r *request, attempt int, d time.Duration, raw *rawResponse, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.method),
		slog.String("path", r.displayPath()),
		slog.Duration("duration", d),
		slog.Int("attempt", attempt),
	}
	if raw != nil {
		attrs = append(attrs, slog.Int("status", raw.status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.auth.scrub(err.Error())))
	}
	if c.logBodies {
		if r.body != nil {
			attrs = append(attrs, slog.String("request_body", c.redactBody(r.body)))
		}
		if raw != nil {
			attrs = append(attrs, slog.String("response_body", c.redactBody(raw.body)))
		}
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "http request", attrs...)
}

// redactBody renders a body for the debug log: JSON with every field whose
// name mentions a password, token or secret replaced, then any known secret
// scrubbed, sanitised to one line and capped.
func (c *Client) redactBody(body []byte) string {
	s := string(body)
	var v any
	if json.Unmarshal(body, &v) == nil {
		if b, err := json.Marshal(redactJSON(v)); err == nil {
			s = string(b)
		}
	}
	return sanitize(c.auth.scrub(s), maxLoggedBody)
}

// redactJSON replaces the values of secret-looking keys in a decoded JSON
// value.
func redactJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			lk := strings.ToLower(k)
			if strings.Contains(lk, "password") || strings.Contains(lk, "token") || strings.Contains(lk, "secret") || strings.Contains(lk, "authorization") {
				t[k] = redactedMark
				continue
			}
			t[k] = redactJSON(val)
		}
	case []any:
		for i := range t {
			t[i] = redactJSON(t[i])
		}
	}
	return v
}
