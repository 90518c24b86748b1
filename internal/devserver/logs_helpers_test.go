package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/attune-tui/attune-tui/internal/contract"
)

// sseFrame is one parsed SSE frame (an event or a comment).
type sseFrame struct {
	comment string
	isCmt   bool
	id      string
	hasID   bool
	event   string
	data    []string
	hasData bool
}

// text joins the data lines as a client rebuilds a chunk.
func (f sseFrame) text() string { return strings.Join(f.data, "\n") }

// sseConn is an open log stream.
type sseConn struct {
	resp   *http.Response
	rd     *bufio.Reader
	cancel context.CancelFunc
	raw    strings.Builder
}

// openLog GETs path with the bearer token and extra headers.
func (ts *testServer) openLog(tb testing.TB, path string, hdr map[string]string) *sseConn {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.url+path, nil)
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ts.token)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		tb.Fatalf("GET %s: %v", path, err)
	}
	c := &sseConn{resp: resp, rd: bufio.NewReader(resp.Body), cancel: cancel}
	tb.Cleanup(c.close)
	return c
}

func (c *sseConn) close() {
	c.cancel()
	_ = c.resp.Body.Close()
}

// next reads one frame; io.EOF (or another error) when the body ended.
func (c *sseConn) next() (sseFrame, error) {
	var f sseFrame
	started := false
	for {
		line, err := c.rd.ReadString('\n')
		c.raw.WriteString(line)
		if err != nil {
			if err == io.EOF && started {
				return f, io.ErrUnexpectedEOF
			}
			return f, err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if started {
				return f, nil
			}
			continue
		}
		started = true
		switch {
		case strings.HasPrefix(line, ":"):
			f.isCmt, f.comment = true, strings.TrimPrefix(strings.TrimPrefix(line, ":"), " ")
		case strings.HasPrefix(line, "id: "):
			f.hasID, f.id = true, strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			f.event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			f.hasData = true
			f.data = append(f.data, strings.TrimPrefix(line, "data: "))
		default:
			return f, io.ErrUnexpectedEOF
		}
	}
}

// until reads frames until stop returns true (returning them all), or
// fails the test when the body ends first.
func (c *sseConn) until(tb testing.TB, stop func(sseFrame) bool) []sseFrame {
	tb.Helper()
	var out []sseFrame
	for {
		f, err := c.next()
		if err != nil {
			tb.Fatalf("stream ended before the expected frame (%v) after %d frames: %.600q", err, len(out), c.raw.String())
		}
		out = append(out, f)
		if stop(f) {
			return out
		}
	}
}

// rest reads frames until the body ends cleanly.
func (c *sseConn) rest(tb testing.TB) []sseFrame {
	tb.Helper()
	var out []sseFrame
	for {
		f, err := c.next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			tb.Fatalf("stream: %v after %d frames", err, len(out))
		}
		out = append(out, f)
	}
}

func isEvent(name string) func(sseFrame) bool {
	return func(f sseFrame) bool { return f.event == name }
}

func isComment(text string) func(sseFrame) bool {
	return func(f sseFrame) bool { return f.isCmt && f.comment == text }
}

// rebuild joins the log text of content and append events and returns the
// last id.
func rebuild(tb testing.TB, frames []sseFrame) (string, int64) {
	tb.Helper()
	var b strings.Builder
	last := int64(-1)
	for _, f := range frames {
		if f.event != "content" && f.event != "append" {
			continue
		}
		if !f.hasID {
			tb.Fatalf("%s event without id", f.event)
		}
		id, err := strconv.ParseInt(f.id, 10, 64)
		if err != nil || id <= last {
			tb.Fatalf("id %q not increasing after %d", f.id, last)
		}
		last = id
		b.WriteString(f.text())
	}
	return b.String(), last
}

// wireText is how a log's bytes come back from the SSE data lines: invalid
// UTF-8 as U+FFFD, each \r as \n.
func wireText(b []byte) string {
	return strings.ReplaceAll(lossy(b), "\r", "\n")
}

// findLogs is FindLogs that fails the test when nothing matches.
func findLogs(tb testing.TB, srv *Server, q LogQuery) []int64 {
	tb.Helper()
	ids, err := srv.FindLogs(context.Background(), q)
	if err != nil {
		tb.Fatal(err)
	}
	if len(ids) == 0 {
		tb.Fatalf("no execution with a log matching %+v", q)
	}
	return ids
}

// logText is Server.LogText that fails the test on error.
func logTextOf(tb testing.TB, srv *Server, exec int64, stream string) ([]byte, LogInfo) {
	tb.Helper()
	b, info, err := srv.LogText(context.Background(), exec, stream)
	if err != nil {
		tb.Fatal(err)
	}
	return b, info
}

// get sends an authenticated GET with extra headers and returns the
// response (body read).
func (ts *testServer) get(tb testing.TB, path string, hdr map[string]string) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.url+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ts.token)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("GET %s: read: %v", path, err)
	}
	return resp, b
}

// getValid is get plus validation against openapi.json.
func (ts *testServer) getValid(tb testing.TB, spec *contract.Spec, path string) (*http.Response, []byte) {
	tb.Helper()
	resp, b := ts.get(tb, path, nil)
	vreq, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.url+path, nil)
	spec.ValidateResponseBody(tb, vreq, resp.StatusCode, resp.Header, b)
	return resp, b
}

// decode unmarshals a JSON body or fails.
func decode(tb testing.TB, b []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("decode %.300s: %v", b, err)
	}
}

// manualClock is a settable clock for live growth.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// insideChar finds an offset inside a multi-byte character of b.
func insideChar(tb testing.TB, b []byte) int {
	tb.Helper()
	for i := 0; i < len(b); {
		_, size := utf8.DecodeRune(b[i:])
		if size > 1 {
			return i + 1
		}
		i += size
	}
	tb.Fatal("no multi-byte character")
	return 0
}
