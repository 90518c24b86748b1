// Package client is a typed, read-only client for the Attune REST API
// (events, enforcements, executions, rules, triggers, sensors, traces,
// artifacts and execution logs).
//
// Create one with New, then use the services hung off the Client:
//
//	c, err := client.New("https://attune.example.com", client.WithCredentials("alice", pw))
//	page, _, err := c.Events.List(ctx, &client.EventListOptions{TriggerRef: "core.webhook"})
//	for ev, err := range c.Events.All(ctx, nil) { ... }
//
// Every method takes a context first and returns the decoded value, a
// *Response (status, headers, parsed pagination) and an error. Each method's
// documentation ends with the endpoint it calls.
//
// # Models
//
// Models follow the contract field by field. Optional fields are pointers;
// a field the server omits and one it sends as null both decode to nil.
// Free-form JSON (payload, config, conditions, result, ...) stays
// json.RawMessage and is nil when the server sent null or nothing. Enums are
// string types: an unknown value from a newer server is kept, never an error.
//
// # Paging
//
// Events, enforcements and executions page with page/per_page and count only
// when ListOptions.IncludeTotal is set; the executions of an enforcement,
// rules and the rules of a trigger page with page/page_size (PageOptions) and
// always count. Unset options are not sent; page sizes above MaxPageSize are
// clamped to it. All-style methods iterate over every page.
//
// # Errors
//
// A non-2xx answer is an *APIError; errors.Is(err, ErrUnauthorized),
// ErrForbidden and ErrNotFound match on its status. A failure to talk to the
// server at all is a *TransportError. Arguments that must not reach the
// server (empty or "[redacted]" refs, refs with "..", non-positive ids) fail
// with ErrInvalidArgument before any request.
//
// # Authentication
//
// WithToken sends a static bearer token. WithCredentials (or Auth.Login)
// signs in lazily; on a 401 the client refreshes once, shared by all
// concurrent callers, signs in again if the refresh fails, and retries the
// request once. Tokens and passwords never appear in errors or in the
// formatted form of any client value.
//
// # Retries and limits
//
// GET requests are retried after transport errors and 429/502/503/504
// answers, honouring Retry-After, within a RetryPolicy. Success bodies are
// capped by WithMaxBodySize, error bodies at 1 MiB, each attempt by
// WithTimeout.
//
// # Execution logs
//
// Executions.TailLog follows a running (or finished) execution's stdout or
// stderr over SSE: LogTail.Next returns text chunks and stream state, and
// resumes by itself from a byte cursor after dropped connections, 429/503
// answers and idle connections, without losing or repeating text. A stream
// has no total timeout; it is bounded by its context, an idle timeout and
// Close. Executions.Log reads the complete log of a finished execution from
// its runtime-log artifact version (never the artifact's latest version,
// which belongs to the action's newest run), with byte ranges, and falls back
// to the result's stdout. Artifacts reads artifacts and downloads versions.
package client
