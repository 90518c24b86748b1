package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. An *APIError matches ErrUnauthorized, ErrForbidden or
// ErrNotFound with errors.Is according to its status code.
var (
	// ErrUnauthorized matches API errors with status 401.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden matches API errors with status 403.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound matches API errors with status 404.
	ErrNotFound = errors.New("not found")
	// ErrInvalidArgument is wrapped by errors for arguments rejected before
	// any request is sent: an empty, redacted or path-traversing ref, or an
	// id that is not positive.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrResponseTooLarge is wrapped when a response body exceeds the limit
	// set with WithMaxBodySize.
	ErrResponseTooLarge = errors.New("response body too large")
	// ErrMalformedResponse is wrapped when a successful response body cannot
	// be decoded as the contract says.
	ErrMalformedResponse = errors.New("malformed response")
)

// maxErrorBody is how much of an error body is read.
const maxErrorBody = 1 << 20

// maxSnippet is how many bytes of a non-JSON error body are quoted.
const maxSnippet = 200

// APIError is a non-2xx answer from the server. It is parsed from both error
// bodies the server sends: the handler shape {"error":"msg","code":"CODE"} and
// the auth middleware shape {"error":{"code":401,"message":"..."}}. For a
// plain-text, HTML or empty body, Message holds a short sanitised snippet (or
// the HTTP status text) and Code is empty.
//
// Message comes from the server and is untrusted: sanitise it before drawing.
type APIError struct {
	// StatusCode is the HTTP status code.
	StatusCode int
	// Code is the server's error code (e.g. "NOT_FOUND"), empty when the
	// body did not carry a string code.
	Code string
	// Message is the server's error message.
	Message string
	// Method is the HTTP method of the request.
	Method string
	// Path is the API path of the request without query string or base path,
	// e.g. "/api/v1/events/42".
	Path string
	// Hint says what to do about the error, when the client knows (e.g. how
	// to sign in again after a final 401). It may be empty.
	Hint string
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "attune: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return b.String()
}

// Is reports whether e matches target: ErrUnauthorized for 401, ErrForbidden
// for 403 and ErrNotFound for 404.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	}
	return false
}

// TransportError is a failure to exchange a request with the server at all:
// connection refused, TLS failure, timeout, a body cut short, or the caller's
// context ending. It wraps the cause, so errors.Is(err, context.Canceled)
// works; use errors.As to tell it apart from *APIError.
type TransportError struct {
	// Method is the HTTP method of the request.
	Method string
	// Path is the API path of the request without query string.
	Path string
	// Err is the underlying error.
	Err error
	// After is how long the client waited when the failure is a timeout
	// (the per-attempt timeout, or the time since the call started when the
	// caller's deadline ended it); zero for any other failure.
	After time.Duration
}

// Error implements error.
func (e *TransportError) Error() string {
	return fmt.Sprintf("attune: %s %s: transport: %v", e.Method, e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// wireError is the union of both error body shapes; "error" is a string in
// the handler shape and an object in the auth middleware shape.
type wireError struct {
	Error json.RawMessage `json:"error"`
	Code  json.RawMessage `json:"code"`
}

// authErrorDetail is the object form of "error".
type authErrorDetail struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// newAPIError builds an *APIError from a non-2xx response body.
func newAPIError(method, path string, status int, body []byte) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path}
	e.Code, e.Message = parseErrorBody(body)
	if e.Message == "" && e.Code == "" {
		e.Message = snippet(body)
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// parseErrorBody extracts code and message from either error shape. It
// returns empty strings when the body is not one of them.
func parseErrorBody(body []byte) (code, message string) {
	var w wireError
	if err := json.Unmarshal(body, &w); err != nil || len(w.Error) == 0 {
		return "", ""
	}
	var s string
	if err := json.Unmarshal(w.Error, &s); err == nil {
		var c string
		_ = json.Unmarshal(w.Code, &c) // absent or non-string code: leave empty
		return sanitize(c, maxSnippet), sanitize(s, maxErrorBody)
	}
	var d authErrorDetail
	if err := json.Unmarshal(w.Error, &d); err == nil {
		return "", sanitize(d.Message, maxErrorBody)
	}
	return "", ""
}

// snippet returns a short, single-line, printable rendering of a body that is
// not a JSON error, for HTML pages and plain-text framework rejections.
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return ""
	}
	return sanitize(strings.Join(strings.Fields(s), " "), maxSnippet)
}

// sanitize makes s printable on one line: control and format characters and
// invalid UTF-8 are escaped Go-style, and the result is cut to about max
// bytes with a marker. Views still pass it through textsafe; this only keeps
// error strings (which may end up in logs) harmless.
func sanitize(s string, maxLen int) string {
	var b strings.Builder
	for i, r := range s {
		if b.Len() >= maxLen {
			fmt.Fprintf(&b, "…(+%d bytes)", len(s)-i)
			break
		}
		switch {
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case strconv.IsGraphic(r) && r != '\u00ad':
			b.WriteRune(r)
		default:
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

// RedirectError is a redirect the client refused to follow. Only GET
// requests follow redirects, and only within the API's origin (scheme, host
// and port): a token, password or refresh token never travels to another
// server. Location is sanitised and has no query string.
type RedirectError struct {
	// Method is the HTTP method of the request.
	Method string
	// Path is the API path of the request without query string.
	Path string
	// StatusCode is the redirect's status (301, 302, 303, 307 or 308).
	StatusCode int
	// Location is where the server redirected to, sanitised, without query
	// string or user information.
	Location string
	// Reason says why the redirect was not followed.
	Reason string
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("attune: %s %s: redirect (%d) to %s not followed: %s", e.Method, e.Path, e.StatusCode, e.Location, e.Reason)
}
