// Package contract is a test helper that checks HTTP requests and responses
// against the Attune OpenAPI subset (../shared/attune-api/openapi.json, an
// OpenAPI 3.1 document) with pb33f/libopenapi-validator.
//
// Both sides of the project use it: the client's tests validate what the
// client sends, and the dev server's tests validate what the server answers.
//
//	spec := contract.Load(t) // skips the test when the spec is absent
//	spec.ValidateRequest(t, req)
//	spec.ValidateResponse(t, req, resp)
//
// CONTRACT.md wins over openapi.json where they disagree. The spec is
// therefore loaded with exactly the documented deviations applied (see
// tolerate), and nothing else is relaxed.
package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"
)

// EnvSpec names the environment variable that overrides the spec location.
const EnvSpec = "ATTUNE_OPENAPI"

// ErrSpecNotFound is returned by Locate when no spec file can be found.
var ErrSpecNotFound = errors.New("attune OpenAPI spec not found")

// Spec is a loaded, validating view of openapi.json. It is safe for
// concurrent use.
type Spec struct {
	path     string
	basePath string
	mu       *sync.Mutex // the validator is shared by WithBasePath copies
	v        validator.Validator
}

// Load locates and loads the spec for a test. When no spec can be found it
// skips tb with a message naming $ATTUNE_OPENAPI; when the spec exists but
// does not load, it fails tb.
func Load(tb testing.TB) *Spec {
	tb.Helper()
	path, err := Locate()
	if err != nil {
		tb.Skipf("contract: %v (set %s or check out shared/attune-api beside the repository)", err, EnvSpec)
	}
	s, err := LoadFile(path)
	if err != nil {
		tb.Fatalf("contract: %v", err)
	}
	return s
}

// Locate returns the path of openapi.json: $ATTUNE_OPENAPI when set,
// otherwise ../shared/attune-api/openapi.json relative to the repository
// root, found by walking up from the working directory to the first go.mod.
func Locate() (string, error) {
	if p := os.Getenv(EnvSpec); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: $%s: %w", ErrSpecNotFound, EnvSpec, err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrSpecNotFound, err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "..", "shared", "attune-api", "openapi.json")
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("%w: no ../shared/attune-api/openapi.json next to the repository root", ErrSpecNotFound)
			}
			return filepath.Clean(p), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no go.mod above the working directory", ErrSpecNotFound)
		}
		dir = parent
	}
}

// LoadFile loads the spec at path, applies the documented deviations and
// builds the validator.
func LoadFile(path string) (*Spec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parse spec %s: %w", path, err)
	}
	if err := tolerate(doc); err != nil {
		return nil, fmt.Errorf("patch spec %s: %w", path, err)
	}
	patched, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode patched spec: %w", err)
	}
	d, err := libopenapi.NewDocument(patched)
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", path, err)
	}
	v, errs := validator.NewValidator(d)
	if len(errs) > 0 {
		return nil, fmt.Errorf("build validator for %s: %w", path, errors.Join(errs...))
	}
	return &Spec{path: path, mu: &sync.Mutex{}, v: v}, nil
}

// Path returns the file the spec was loaded from.
func (s *Spec) Path() string { return s.path }

// FixturesDir returns the fixtures folder that sits beside the spec.
func (s *Spec) FixturesDir() string { return filepath.Join(filepath.Dir(s.path), "fixtures") }

// Fixture returns the contents of fixtures/name, failing tb when it cannot
// be read.
func (s *Spec) Fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(s.FixturesDir(), name))
	if err != nil {
		tb.Fatalf("contract: fixture: %v", err)
	}
	return b
}

// WithBasePath returns a view of s that strips prefix (e.g. "/attune") from
// request paths before matching them, for servers mounted under a prefix.
func (s *Spec) WithBasePath(prefix string) *Spec {
	cp := *s
	cp.basePath = strings.TrimRight(prefix, "/")
	return &cp
}

// ValidateRequest reports every way req violates the spec as a test error.
// req's body is read and restored.
func (s *Spec) ValidateRequest(tb testing.TB, req *http.Request) {
	tb.Helper()
	if err := s.CheckRequest(req); err != nil {
		tb.Errorf("contract: %v", err)
	}
}

// ValidateResponse reports every way resp (the answer to req) violates the
// spec as a test error. resp's body is read and restored.
func (s *Spec) ValidateResponse(tb testing.TB, req *http.Request, resp *http.Response) {
	tb.Helper()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Errorf("contract: read response body: %v", err)
		return
	}
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	s.ValidateResponseBody(tb, req, resp.StatusCode, resp.Header, body)
}

// ValidateResponseBody is ValidateResponse for a status, header and body
// captured elsewhere (e.g. by an httptest.ResponseRecorder).
func (s *Spec) ValidateResponseBody(tb testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	tb.Helper()
	if err := s.CheckResponse(req, status, header, body); err != nil {
		tb.Errorf("contract: %v", err)
	}
}

// CheckRequest returns an error describing every way req violates the spec,
// or nil. req's body is read and restored.
func (s *Spec) CheckRequest(req *http.Request) error {
	r, err := s.normalise(req)
	if err != nil {
		return err
	}
	s.mu.Lock()
	ok, verrs := s.v.ValidateHttpRequestSync(r)
	s.mu.Unlock()
	if ok {
		return nil
	}
	return describe("request "+req.Method+" "+r.URL.Path, verrs)
}

// CheckResponse returns an error describing every way a response with this
// status, header and body, answering req, violates the spec, or nil.
func (s *Spec) CheckResponse(req *http.Request, status int, header http.Header, body []byte) error {
	r, err := s.normalise(req)
	if err != nil {
		return err
	}
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	resp := &http.Response{
		StatusCode:    status,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}
	s.mu.Lock()
	ok, verrs := s.v.ValidateHttpResponse(r, resp)
	s.mu.Unlock()
	if ok {
		return nil
	}
	return describe(fmt.Sprintf("response %d to %s %s", status, req.Method, r.URL.Path), verrs)
}

// normalise returns a copy of req with the base path stripped and its body
// buffered (req's own body is restored).
func (s *Spec) normalise(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	if s.basePath != "" {
		u := *r.URL
		p, ok := strings.CutPrefix(u.Path, s.basePath)
		if !ok {
			return nil, fmt.Errorf("path %s is not under base path %s", u.Path, s.basePath)
		}
		u.Path = p
		if u.RawPath != "" {
			u.RawPath = strings.TrimPrefix(u.RawPath, s.basePath)
		}
		r.URL = &u
		r.RequestURI = ""
	}
	return r, nil
}

// describe joins validation errors into one error.
func describe(what string, verrs []*verrors.ValidationError) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s violates the spec:", what)
	for _, e := range verrs {
		fmt.Fprintf(&b, "\n  - %s", e.Message)
		if e.Reason != "" && e.Reason != e.Message {
			fmt.Fprintf(&b, ": %s", e.Reason)
		}
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n      %s", f.Error())
		}
	}
	return errors.New(b.String())
}
