package devserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/attune-tui/attune-tui/internal/contract"
	"github.com/attune-tui/attune-tui/internal/testutil/poll"
)

// logSeed is the seed every log test shares: big enough for every log kind
// and three truncated logs.
var logSeed = SeedOptions{Seed: 7, Events: 600}

func logServer(tb testing.TB, compat bool) *testServer {
	tb.Helper()
	return startServer(tb, Options{Seed: logSeed, LogStreamCompat: compat, LogPollInterval: 10 * time.Millisecond})
}

func streamPath(exec int64, stream string) string {
	return fmt.Sprintf("/api/v1/executions/%d/logs/%s/stream", exec, stream)
}

// TestLogSeededContent: the seed holds every kind of log the brief asks
// for, and result.stdout matches the stdout log.
func TestLogSeededContent(t *testing.T) {
	t.Parallel()
	ts := logServer(t, false)
	srv := ts.srv
	t.Run("traceback in failed stderr", func(t *testing.T) {
		for _, id := range findLogs(t, srv, LogQuery{Status: "failed", Kind: LogKindANSI}) {
			b, _ := logTextOf(t, srv, id, StreamStderr)
			if !bytes.Contains(b, []byte("Traceback (most recent call last):\n")) {
				t.Errorf("failed execution %d stderr has no traceback: %q", id, b)
			}
		}
	})
	checks := []struct {
		kind LogKind
		want func([]byte) bool
	}{
		{LogKindANSI, func(b []byte) bool { return bytes.Contains(b, []byte("\x1b[32mINFO\x1b[0m")) }},
		{LogKindProgress, func(b []byte) bool { return bytes.Contains(b, []byte("progress 10%\rprogress 20%\r")) }},
		{LogKindJSON, func(b []byte) bool { return json.Valid(bytes.SplitN(b, []byte("\n"), 3)[1]) }},
		{LogKindUTF8, func(b []byte) bool {
			return utf8.Valid(b) && utf8.RuneCount(b)*10 < len(b)*9 && bytes.Contains(b, []byte("→"))
		}},
		{LogKindHostile, func(b []byte) bool { return !utf8.Valid(b) || bytes.Contains(b, []byte("\x1b]")) }},
		{LogKindEmpty, func(b []byte) bool { return len(b) == 0 }},
		{LogKindTruncated, func(b []byte) bool {
			return len(b) <= LogCap && len(b) > LogCap-logNoticeReserve &&
				bytes.HasSuffix(b, []byte("\n\n[OUTPUT TRUNCATED: stdout exceeded size limit]\n"))
		}},
	}
	for _, c := range checks {
		t.Run(string(c.kind), func(t *testing.T) {
			ids := findLogs(t, srv, LogQuery{Kind: c.kind, Limit: 50})
			for _, id := range ids {
				b, info := logTextOf(t, srv, id, StreamStdout)
				if info.Kind != c.kind || !info.Sealed && info.Status != "abandoned" {
					t.Errorf("execution %d: info %+v", id, info)
				}
				if !c.want(b) {
					t.Errorf("execution %d stdout (%d bytes) lacks the %s feature: %.300q", id, len(b), c.kind, b)
				}
			}
			if c.kind == LogKindTruncated && (len(ids) < 1 || len(ids) > 3) {
				t.Errorf("%d truncated logs, want 1-3", len(ids))
			}
		})
	}
	t.Run("hostile sequences", func(t *testing.T) {
		var all []byte
		for _, id := range findLogs(t, srv, LogQuery{Kind: LogKindHostile, Limit: 100}) {
			b, _ := logTextOf(t, srv, id, StreamStdout)
			all = append(all, b...)
		}
		for _, want := range []string{"\x1b]52;c;", "\x1b[2A", "\x1b]0;", "\u009b", "\x9b", "\xff\xfe"} {
			if !bytes.Contains(all, []byte(want)) {
				t.Errorf("no hostile log contains %q", want)
			}
		}
	})
	t.Run("result stdout", func(t *testing.T) {
		for _, kind := range []LogKind{LogKindANSI, LogKindUTF8, LogKindTruncated, LogKindEmpty} {
			for _, id := range findLogs(t, srv, LogQuery{Kind: kind, Limit: 3}) {
				var env struct {
					Data struct {
						Status string         `json:"status"`
						Result map[string]any `json:"result"`
					} `json:"data"`
				}
				ts.getJSON(t, "/api/v1/executions/"+strconv.FormatInt(id, 10), &env)
				b, _ := logTextOf(t, srv, id, StreamStdout)
				got, has := env.Data.Result["stdout"]
				switch kind {
				case LogKindTruncated:
					if has || env.Data.Result["stdout_truncated"] != true {
						t.Errorf("truncated %d: result %v", id, env.Data.Result)
					}
				case LogKindEmpty:
					if has {
						t.Errorf("empty %d: result.stdout present", id)
					}
				default:
					if got != lossy(b) {
						t.Errorf("execution %d: result.stdout %q, log %q", id, got, b)
					}
				}
				if env.Data.Status == "failed" {
					if _, ok := env.Data.Result["stderr_bytes_truncated"]; !ok {
						t.Errorf("failed %d: no stderr_bytes_truncated", id)
					}
				}
			}
		}
	})
	t.Run("expired", func(t *testing.T) {
		id := findLogs(t, srv, LogQuery{Kind: LogKindExpired, Limit: 1})[0]
		b, info := logTextOf(t, srv, id, StreamStdout)
		if b != nil || info.Kind != LogKindExpired {
			t.Fatalf("expired %d: %q %+v", id, b, info)
		}
		if status, body := ts.do(t, http.MethodGet, "/api/v1/executions/"+strconv.FormatInt(id, 10), "", true); status != 200 {
			t.Errorf("execution row of expired log: %d %s", status, body)
		}
		_, body := ts.get(t, "/api/v1/executions/"+strconv.FormatInt(id, 10)+"/artifacts", nil)
		if string(bytes.TrimSpace(body)) != `{"data":[]}` {
			t.Errorf("artifacts of expired execution: %s", body)
		}
		c := ts.openLog(t, streamPath(id, StreamStdout), nil)
		fr := c.rest(t)
		if len(fr) != 1 || fr[0].event != "error" || !strings.Contains(fr[0].text(), `"code":"log_stream_missing"`) {
			t.Errorf("RT-EX2 stream of expired log: %+v", fr)
		}
	})
}

// TestLogSSEFrames: RT-EX2 frames of a sealed log, headers, CR splitting,
// chunking and the id-before-event order.
func TestLogSSEFrames(t *testing.T) {
	t.Parallel()
	ts := logServer(t, false)
	srv := ts.srv
	id := findLogs(t, srv, LogQuery{Kind: LogKindProgress, Sealed: ptr(true)})[0]
	want, _ := logTextOf(t, srv, id, StreamStdout)
	c := ts.openLog(t, streamPath(id, StreamStdout), nil)
	h := c.resp.Header
	if c.resp.StatusCode != 200 || h.Get("Content-Type") != "text/event-stream" || h.Get("Cache-Control") != "no-cache" ||
		h.Get("X-Accel-Buffering") != "no" {
		t.Fatalf("status %d headers %v", c.resp.StatusCode, h)
	}
	frames := c.rest(t)
	if n := len(frames); n < 3 || frames[0].event != "content" || !frames[n-2].isCmt ||
		frames[n-2].comment != "initial-catchup-complete" || frames[n-1].event != "done" || frames[n-1].text() != "Log stream sealed" {
		t.Fatalf("frames %+v", frames)
	}
	got, last := rebuild(t, frames)
	if got != wireText(want) || last != int64(len(want)) {
		t.Errorf("rebuilt %q (last id %d), want %q (%d bytes)", got, last, wireText(want), len(want))
	}
	raw := c.raw.String()
	if !strings.HasPrefix(raw, "id: "+strconv.Itoa(len(want))+"\nevent: content\ndata: ") {
		t.Errorf("wire starts %.80q", raw)
	}
	if !strings.Contains(raw, "\ndata: progress 0%\ndata: progress 10%\ndata: progress 20%\n") {
		t.Errorf("\\r does not start a data line: %.400q", raw)
	}
	if !strings.HasSuffix(raw, "\n\n: initial-catchup-complete\n\nevent: done\ndata: Log stream sealed\n\n") {
		t.Errorf("wire ends %q", raw[max(0, len(raw)-120):])
	}

	t.Run("1 MiB chunks on whole characters", func(t *testing.T) {
		t.Parallel()
		big := findLogs(t, srv, LogQuery{Kind: LogKindTruncated})[0]
		want, _ := logTextOf(t, srv, big, StreamStdout)
		frames := ts.openLog(t, streamPath(big, StreamStdout), nil).rest(t)
		got, last := rebuild(t, frames)
		if got != wireText(want) || last != int64(len(want)) {
			t.Fatalf("rebuilt %d bytes (last id %d), want %d", len(got), last, len(want))
		}
		prev := int64(0)
		for _, f := range frames {
			if f.event != "content" {
				continue
			}
			id, _ := strconv.ParseInt(f.id, 10, 64)
			if id-prev > chunkRTEX2 || (id < int64(len(want)) && id-prev < chunkRTEX2-3) || insideRune(want, int(id)) {
				t.Errorf("chunk %d..%d: %d bytes or split character", prev, id, id-prev)
			}
			prev = id
		}
	})
}

// TestLogSSEResume: offset, Last-Event-ID (query wins), bad header, invalid
// cursors, the drop fault and a resumed read that loses nothing.
func TestLogSSEResume(t *testing.T) {
	t.Parallel()
	ts := logServer(t, false)
	srv := ts.srv
	id := findLogs(t, srv, LogQuery{Kind: LogKindUTF8, Sealed: ptr(true)})[0]
	want, _ := logTextOf(t, srv, id, StreamStdout)
	cut := insideChar(t, want) - 1 // a character boundary
	tail := func(hdr map[string]string, query string) string {
		frames := ts.openLog(t, streamPath(id, StreamStdout)+query, hdr).rest(t)
		got, _ := rebuild(t, frames)
		if frames[len(frames)-1].event != "done" {
			t.Errorf("no done: %+v", frames[len(frames)-1])
		}
		return got
	}
	wantTail := wireText(want[cut:])
	if got := tail(nil, "?offset="+strconv.Itoa(cut)); got != wantTail {
		t.Errorf("offset: %q, want %q", got, wantTail)
	}
	if got := tail(map[string]string{"Last-Event-ID": strconv.Itoa(cut)}, ""); got != wantTail {
		t.Errorf("Last-Event-ID: %q, want %q", got, wantTail)
	}
	if got := tail(map[string]string{"Last-Event-ID": "3"}, "?offset="+strconv.Itoa(cut)); got != wantTail {
		t.Errorf("offset with Last-Event-ID: %q, want %q", got, wantTail)
	}
	resp, body := ts.get(t, streamPath(id, StreamStdout), map[string]string{"Last-Event-ID": "abc"})
	if resp.StatusCode != 400 || string(bytes.TrimSpace(body)) != `{"error":"Last-Event-ID must be an unsigned byte offset","code":"BAD_REQUEST"}` {
		t.Errorf("bad Last-Event-ID: %d %s", resp.StatusCode, body)
	}
	for _, off := range []int{insideChar(t, want), len(want) + 1} {
		frames := ts.openLog(t, streamPath(id, StreamStdout)+"?offset="+strconv.Itoa(off), nil).rest(t)
		if len(frames) != 1 || frames[0].event != "error" {
			t.Fatalf("offset %d: %+v", off, frames)
		}
		var e struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			Retryable bool   `json:"retryable"`
		}
		decode(t, []byte(frames[0].text()), &e)
		if e.Code != "invalid_log_cursor" || e.Retryable || e.Message == "" {
			t.Errorf("offset %d: %+v", off, e)
		}
	}
	if frames := ts.openLog(t, streamPath(id, StreamStdout)+"?offset="+strconv.Itoa(len(want)), nil).rest(t); len(frames) != 2 ||
		frames[1].event != "done" {
		t.Errorf("offset at the end: %+v", frames)
	}

	// An abandoned execution's stream was never sealed: its bytes, then
	// log_stream_incomplete.
	ab := findLogs(t, srv, LogQuery{Status: "abandoned", Sealed: ptr(false), Limit: 1})[0]
	abText, _ := logTextOf(t, srv, ab, StreamStderr)
	frames := ts.openLog(t, streamPath(ab, StreamStderr), nil).rest(t)
	if got, _ := rebuild(t, frames); got != wireText(abText) || frames[len(frames)-1].event != "error" ||
		!strings.Contains(frames[len(frames)-1].text(), `"code":"log_stream_incomplete"`) {
		t.Errorf("abandoned: %+v", frames)
	}

	t.Run("drop fault and resume", func(t *testing.T) {
		ds := logServer(t, false)
		big := findLogs(t, ds.srv, LogQuery{Kind: LogKindJSON, Sealed: ptr(true)})[0]
		want, _ := logTextOf(t, ds.srv, big, StreamStdout)
		ds.srv.SetFaults(Faults{LogStreamDropAfter: 100})
		var got strings.Builder
		offset, conns := int64(0), 0
		for done := false; !done; conns++ {
			if conns > len(want) {
				t.Fatal("no progress")
			}
			c := ds.openLog(t, streamPath(big, StreamStdout)+"?offset="+strconv.FormatInt(offset, 10), nil)
			for {
				f, err := c.next()
				if err != nil {
					break // dropped
				}
				if f.event == "done" {
					done = true
					break
				}
				if f.event == "content" || f.event == "append" {
					got.WriteString(f.text())
					offset, _ = strconv.ParseInt(f.id, 10, 64)
				}
			}
			c.close()
		}
		if got.String() != wireText(want) || conns < 2 {
			t.Errorf("%d connections rebuilt %q, want %q", conns, got.String(), wireText(want))
		}
	})
}

// TestLogSSECompat: RT-EX frames: Log stream found, content, waiting while
// idle, done "Execution complete"; done without data for a terminal
// execution without a stream; Last-Event-ID ignored; 64 KiB chunks whose
// ids count split UTF-8 bytes.
func TestLogSSECompat(t *testing.T) {
	t.Parallel()
	ts := logServer(t, true)
	srv := ts.srv
	id := findLogs(t, srv, LogQuery{Kind: LogKindANSI, Sealed: ptr(true)})[0]
	want, _ := logTextOf(t, srv, id, StreamStdout)
	c := ts.openLog(t, streamPath(id, StreamStdout), map[string]string{"Last-Event-ID": "5"})
	if c.resp.Header.Get("X-Accel-Buffering") != "" {
		t.Error("RT-EX sends x-accel-buffering")
	}
	frames := c.rest(t)
	var names []string
	for _, f := range frames {
		if f.isCmt {
			names = append(names, ":"+f.comment)
		} else {
			names = append(names, f.event+"="+f.text())
		}
	}
	wantNames := []string{"waiting=Log stream found", "content=" + wireText(want), ":initial-catchup-complete",
		"waiting=Waiting for log output", "waiting=Waiting for log output", "done=Execution complete"}
	if strings.Join(names, "|") != strings.Join(wantNames, "|") {
		t.Errorf("frames\n%q\nwant\n%q", names, wantNames)
	}

	ab := findLogs(t, srv, LogQuery{Status: "abandoned", Sealed: ptr(false), Limit: 1})[0]
	if frames := ts.openLog(t, streamPath(ab, StreamStdout), nil).rest(t); frames[len(frames)-1].text() != "Execution complete" {
		t.Errorf("abandoned in RT-EX: %+v", frames[len(frames)-1])
	}

	exp := findLogs(t, srv, LogQuery{Kind: LogKindExpired, Limit: 1})[0]
	c = ts.openLog(t, streamPath(exp, StreamStderr), nil)
	frames = c.rest(t)
	if len(frames) != 1 || frames[0].event != "done" || frames[0].hasData || !strings.HasSuffix(c.raw.String(), "event: done\n\n") {
		t.Errorf("expired log in RT-EX: %+v", frames)
	}

	big := findLogs(t, srv, LogQuery{Kind: LogKindTruncated})[0]
	want, _ = logTextOf(t, srv, big, StreamStdout)
	frames = ts.openLog(t, streamPath(big, StreamStdout), nil).rest(t)
	got, last := rebuild(t, frames)
	if got != wireText(want) || last != int64(len(want)) {
		t.Fatalf("rebuilt %d bytes (last id %d), want %d", len(got), last, len(want))
	}
	split := 0
	for _, f := range frames {
		if f.event != "content" {
			continue
		}
		id, _ := strconv.Atoi(f.id)
		if id%chunkRTEX != 0 && id != len(want) {
			t.Fatalf("id %d is not a 64 KiB step", id)
		}
		if insideRune(want, id) {
			split++
		}
	}
	if split == 0 {
		t.Error("no chunk boundary fell inside a character; the split accounting is untested")
	}
}

// TestLogSSEErrorsAndAdmission: 404 before 400, auth, admission 429 and
// release on disconnect, waiting before the stream exists, a running log
// without done.
func TestLogSSEErrorsAndAdmission(t *testing.T) {
	t.Parallel()
	ts := logServer(t, false)
	srv := ts.srv
	cases := []struct {
		path, token string
		status      int
		body        string
	}{
		{"/api/v1/executions/999999/logs/bogus/stream", ts.token, 404, `{"error":"Execution with ID 999999 not found","code":"NOT_FOUND"}`},
		{"/api/v1/executions/1/logs/bogus/stream", ts.token, 400, `{"error":"Unsupported log stream 'bogus'. Expected 'stdout' or 'stderr'.","code":"BAD_REQUEST"}`},
		{"/api/v1/executions/1/logs/stdout/stream", "", 401, `{"error":"Missing authentication token","code":"UNAUTHORIZED"}`},
		{"/api/v1/executions/1/logs/stdout/stream", "x.y.z", 401, `{"error":"Missing authentication token","code":"UNAUTHORIZED"}`},
	}
	for _, c := range cases {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.url+c.path, nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != c.status || strings.TrimSpace(b.String()) != c.body {
			t.Errorf("%s: %d %s", c.path, resp.StatusCode, b.String())
		}
	}

	running := findLogs(t, srv, LogQuery{Kind: LogKindLive, Sealed: ptr(false)})[0]
	var conns []*sseConn
	for range logStreamsPerIdentity {
		c := ts.openLog(t, streamPath(running, StreamStdout), nil)
		frames := c.until(t, isComment("initial-catchup-complete"))
		if frames[0].event != "content" {
			t.Fatalf("running log: %+v", frames)
		}
		conns = append(conns, c)
	}
	// A running log never ends while idle: comments, no done.
	for _, f := range conns[0].until(t, isComment("log-stream-reconciled")) {
		if f.event == "done" || f.event == "error" {
			t.Fatalf("running log ended: %+v", f)
		}
	}
	resp, body := ts.get(t, streamPath(running, StreamStderr), nil)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" ||
		!strings.Contains(string(body), `"code":"TOO_MANY_REQUESTS"`) || !strings.Contains(string(body), "identity has reached") {
		t.Fatalf("sixth stream: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	conns[0].close()
	waitFor(t, func() bool { return srv.OpenLogStreams() == logStreamsPerIdentity-1 })
	c := ts.openLog(t, streamPath(running, StreamStderr), nil)
	if c.resp.StatusCode != 200 {
		t.Fatalf("after a close: %d", c.resp.StatusCode)
	}
	for _, c := range conns[1:] {
		c.close()
	}
	c.close()
	waitFor(t, func() bool { return srv.OpenLogStreams() == 0 })

	var pending int64
	if err := srv.db.QueryRow(`SELECT max(id) FROM execution WHERE status = 'requested'`).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	c = ts.openLog(t, streamPath(pending, StreamStdout), nil)
	if f, err := c.next(); err != nil || f.event != "waiting" || f.text() != "Waiting for log output" {
		t.Errorf("not yet started: %+v %v", f, err)
	}
	c.close()
	waitFor(t, func() bool { return srv.OpenLogStreams() == 0 })
}

// waitFor polls cond (a server-side state change after a client closed its
// connection, which has no event to wait on).
func waitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	if !poll.Until(10*time.Second, 2*time.Millisecond, cond) {
		tb.Fatal("condition not reached")
	}
}

// TestLogLiveGrowth: a live execution's log grows while it runs (append
// events) and is sealed when it ends (done); its version becomes ready and
// downloads, and result.stdout is its stdout.
func TestLogLiveGrowth(t *testing.T) {
	t.Parallel()
	for _, compat := range []bool{false, true} {
		t.Run(fmt.Sprintf("compat=%v", compat), func(t *testing.T) {
			t.Parallel()
			clk := &manualClock{t: SeedBase().Add(time.Hour)}
			ts := startServer(t, Options{Seed: SeedOptions{Seed: 3, Events: 40}, Now: clk.now,
				LogStreamCompat: compat, LogPollInterval: 10 * time.Millisecond})
			srv := ts.srv
			ctx := context.Background()
			step := func() {
				clk.advance(time.Second)
				if err := srv.LiveStep(ctx); err != nil {
					t.Fatal(err)
				}
			}
			var exec int64
			for i := 0; exec == 0; i++ {
				if i > 100 {
					t.Fatal("no live execution started")
				}
				step()
				ids, err := srv.FindLogs(ctx, LogQuery{Kind: LogKindLive, Status: "running", Sealed: ptr(false), Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				for _, id := range ids {
					if _, info := logTextOf(t, srv, id, StreamStdout); info.Version > 0 {
						var created int64
						_ = srv.db.QueryRow(`SELECT created FROM log_version WHERE execution = ?`, id).Scan(&created)
						if created == micros(srv.liveNow()) {
							exec = id // started by this step: it will grow
						}
					}
				}
			}
			c := ts.openLog(t, streamPath(exec, StreamStdout), nil)
			frames := c.until(t, isComment("initial-catchup-complete"))
			appends, done := 0, false
			for !done {
				step()
				for {
					f, err := c.next()
					if err != nil {
						t.Fatalf("stream ended: %v", err)
					}
					frames = append(frames, f)
					if f.event == "append" {
						appends++
					}
					if f.event == "done" {
						done = true
					}
					if done || f.isCmt || f.event == "waiting" || f.event == "append" {
						break
					}
				}
			}
			want, info := logTextOf(t, srv, exec, StreamStdout)
			got, _ := rebuild(t, frames)
			if !info.Sealed || got != wireText(want) || appends == 0 {
				t.Errorf("sealed %v, %d appends, rebuilt %q, want %q", info.Sealed, appends, got, wireText(want))
			}
			wantDone := "Log stream sealed"
			if compat {
				wantDone = "Execution complete"
			}
			if last := frames[len(frames)-1]; last.text() != wantDone {
				t.Errorf("done %q", last.text())
			}
			// Sealed: the version downloads, result.stdout is the log.
			var env struct {
				Data struct {
					Status string         `json:"status"`
					Result map[string]any `json:"result"`
				} `json:"data"`
			}
			ts.getJSON(t, "/api/v1/executions/"+strconv.FormatInt(exec, 10), &env)
			if env.Data.Result["stdout"] != lossy(want) {
				t.Errorf("result.stdout %q, log %q", env.Data.Result["stdout"], want)
			}
			if env.Data.Status == "failed" {
				if b, _ := logTextOf(t, srv, exec, StreamStderr); !bytes.Contains(b, []byte("Traceback")) {
					t.Errorf("failed live execution without traceback: %q", b)
				}
			}
			action := int64(0)
			_ = srv.db.QueryRow(`SELECT action FROM log_version WHERE execution = ?`, exec).Scan(&action)
			resp, body := ts.get(t, fmt.Sprintf("/api/v1/artifacts/%d/versions/%d/download", action*2-1, info.Version), nil)
			if resp.StatusCode != 200 || !bytes.Equal(body, want) {
				t.Errorf("download: %d %q", resp.StatusCode, body)
			}
		})
	}
}

// testArtifact is the part of ArtifactSummary the tests read.
type testArtifact struct {
	ID             int64  `json:"id"`
	Ref            string `json:"ref"`
	Classification string `json:"classification"`
}

// TestArtifactRoutes: lists, filters, versions per execution, the latest
// trap, Range downloads and their errors; JSON validated against the spec.
func TestArtifactRoutes(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	ts := logServer(t, false)
	srv := ts.srv
	ctx := context.Background()
	// Two sealed executions of one action: two versions, the newer latest.
	var action, older, newer int64
	var vOld, vNew int32
	if err := srv.db.QueryRowContext(ctx, `SELECT a.action, a.execution, a.version, b.execution, b.version
		FROM log_version a JOIN log_version b ON b.action = a.action AND b.version > a.version
		WHERE a.sealed IS NOT NULL AND b.sealed IS NOT NULL AND a.kind = 'ansi' AND b.kind = 'json'
		AND b.version = (SELECT max(version) FROM log_version WHERE action = a.action) LIMIT 1`).
		Scan(&action, &older, &vOld, &newer, &vNew); err != nil {
		t.Fatal(err)
	}
	out := action*2 - 1
	base := fmt.Sprintf("/api/v1/artifacts/%d", out)

	_, body := ts.getValid(t, spec, fmt.Sprintf("/api/v1/executions/%d/artifacts", older))
	var arts struct {
		Data []testArtifact `json:"data"`
	}
	decode(t, body, &arts)
	if len(arts.Data) != 2 || arts.Data[0].ID != action*2 || arts.Data[1].ID != out ||
		!strings.HasSuffix(arts.Data[1].Ref, ".stdout.log") || arts.Data[1].Classification != "runtime_log" {
		t.Fatalf("execution artifacts %s", body)
	}
	ref := arts.Data[1].Ref
	_, body = ts.getValid(t, spec, "/api/v1/artifacts/ref/"+ref)
	var one struct {
		Data map[string]any `json:"data"`
	}
	decode(t, body, &one)
	if one.Data["id"] != float64(out) || one.Data["owner"] != strings.TrimSuffix(ref, ".stdout.log") ||
		one.Data["type"] != "file_text" || one.Data["visibility"] != "private" || one.Data["scope"] != "action" {
		t.Errorf("by ref: %s", body)
	}
	if _, has := one.Data["data"]; has {
		t.Error("ArtifactResponse.data present though null")
	}
	_, body2 := ts.getValid(t, spec, base)
	if !bytes.Equal(body, body2) {
		t.Errorf("by id %s differs from by ref %s", body2, body)
	}

	_, body = ts.getValid(t, spec, base+"/versions")
	var vers struct {
		Data []map[string]any `json:"data"`
	}
	decode(t, body, &vers)
	pos := map[int64]int{}
	for i, v := range vers.Data {
		if i > 0 && v["version"].(float64) >= vers.Data[i-1]["version"].(float64) {
			t.Fatalf("versions not DESC: %s", body)
		}
		pos[int64(v["execution"].(float64))] = int(v["version"].(float64))
	}
	if pos[older] != int(vOld) || pos[newer] != int(vNew) || int(vers.Data[0]["version"].(float64)) != int(vNew) {
		t.Errorf("versions %v; want %d→v%d, %d→v%d", pos, older, vOld, newer, vNew)
	}
	_, body = ts.getValid(t, spec, fmt.Sprintf("%s/versions/%d", base, vOld))
	var ver struct {
		Data struct {
			Execution *int64          `json:"execution"`
			BodyState string          `json:"body_state"`
			CreatedBy *string         `json:"created_by"`
			Meta      json.RawMessage `json:"meta"`
		} `json:"data"`
	}
	decode(t, body, &ver)
	if *ver.Data.Execution != older || ver.Data.BodyState != "ready" || *ver.Data.CreatedBy != "worker" ||
		string(ver.Data.Meta) != fmt.Sprintf(`{"execution_id":%d,"stream":"stdout"}`, older) {
		t.Errorf("version: %s", body)
	}
	_, body = ts.getValid(t, spec, base+"/versions/latest")
	decode(t, body, &ver)
	if *ver.Data.Execution != newer {
		t.Errorf("latest is execution %d, want %d", *ver.Data.Execution, newer)
	}
	wantNew, _ := logTextOf(t, srv, newer, StreamStdout)
	if _, b := ts.get(t, base+"/download", nil); !bytes.Equal(b, wantNew) {
		t.Error("/download is not the newest execution's log")
	}
	if srv.Requests(base+"/download") != 1 {
		t.Error("request counter does not see /download")
	}

	// Range downloads of the older version.
	want, _ := logTextOf(t, srv, older, StreamStdout)
	n := len(want)
	dl := fmt.Sprintf("%s/versions/%d/download", base, vOld)
	ranges := []struct {
		rng    string
		status int
		cr     string
		body   []byte
	}{
		{"", 200, "", want},
		{"bytes=10-", 206, fmt.Sprintf("bytes 10-%d/%d", n-1, n), want[10:]},
		{"bytes=5-9", 206, fmt.Sprintf("bytes 5-9/%d", n), want[5:10]},
		{"bytes=5-99999999", 206, fmt.Sprintf("bytes 5-%d/%d", n-1, n), want[5:]},
		{"bytes=-7", 206, fmt.Sprintf("bytes %d-%d/%d", n-7, n-1, n), want[n-7:]},
		{fmt.Sprintf("bytes=%d-", n), 416, fmt.Sprintf("bytes */%d", n), nil},
		{"bytes=0-1,3-4", 416, fmt.Sprintf("bytes */%d", n), nil},
		{"items=0-1", 416, fmt.Sprintf("bytes */%d", n), nil},
		{"bytes=9-5", 416, fmt.Sprintf("bytes */%d", n), nil},
	}
	for _, r := range ranges {
		hdr := map[string]string{}
		if r.rng != "" {
			hdr["Range"] = r.rng
		}
		resp, b := ts.get(t, dl, hdr)
		if resp.StatusCode != r.status || resp.Header.Get("Content-Range") != r.cr || resp.Header.Get("Accept-Ranges") != "bytes" {
			t.Errorf("%q: %d %q", r.rng, resp.StatusCode, resp.Header.Get("Content-Range"))
			continue
		}
		if r.status != 416 && (!bytes.Equal(b, r.body) || resp.Header.Get("Content-Type") != "text/plain" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment")) {
			t.Errorf("%q: body %q headers %v", r.rng, b, resp.Header)
		}
	}

	// Empty log: 200 empty, any range 416.
	var emptyExec, emptyAction int64
	var emptyV int32
	if err := srv.db.QueryRowContext(ctx, `SELECT execution, action, version FROM log_version WHERE kind = 'empty' AND sealed IS NOT NULL LIMIT 1`).
		Scan(&emptyExec, &emptyAction, &emptyV); err != nil {
		t.Fatal(err)
	}
	edl := fmt.Sprintf("/api/v1/artifacts/%d/versions/%d/download", emptyAction*2, emptyV)
	if resp, b := ts.get(t, edl, nil); resp.StatusCode != 200 || len(b) != 0 {
		t.Errorf("empty log: %d %q", resp.StatusCode, b)
	}
	if resp, _ := ts.get(t, edl, map[string]string{"Range": "bytes=0-"}); resp.StatusCode != 416 || resp.Header.Get("Content-Range") != "bytes */0" {
		t.Errorf("range on empty log: %d %v", resp.StatusCode, resp.Header)
	}

	// Pending version: 404 with upstream's message.
	var pExec, pAction int64
	var pV int32
	if err := srv.db.QueryRowContext(ctx, `SELECT execution, action, version FROM log_version WHERE sealed IS NULL LIMIT 1`).
		Scan(&pExec, &pAction, &pV); err != nil {
		t.Fatal(err)
	}
	resp, b := ts.getValid(t, spec, fmt.Sprintf("/api/v1/artifacts/%d/versions/%d/download", pAction*2-1, pV))
	if resp.StatusCode != 404 || !strings.Contains(string(b), fmt.Sprintf("File for version %d of artifact '", pV)) {
		t.Errorf("pending download: %d %s", resp.StatusCode, b)
	}
	_, b = ts.getValid(t, spec, fmt.Sprintf("/api/v1/artifacts/%d/versions/%d", pAction*2-1, pV))
	if !strings.Contains(string(b), `"body_state":"pending"`) || strings.Contains(string(b), "size_bytes\":0") {
		t.Errorf("pending version: %s", b)
	}

	// Expired by the fault: version gone, artifact routes 404 for it.
	srv.SetFaults(Faults{ExpireLogs: []int64{older}})
	if resp, b := ts.getValid(t, spec, fmt.Sprintf("%s/versions/%d", base, vOld)); resp.StatusCode != 404 {
		t.Errorf("expired version: %d %s", resp.StatusCode, b)
	}
	if resp, _ := ts.get(t, dl, nil); resp.StatusCode != 404 {
		t.Errorf("expired download: %d", resp.StatusCode)
	}
	_, body = ts.get(t, base+"/versions", nil)
	if strings.Contains(string(body), fmt.Sprintf(`"execution":%d,`, older)) {
		t.Error("expired version still listed")
	}
	srv.SetFaults(Faults{})

	// Unknown artifacts, list filters and paging.
	for _, p := range []string{"/api/v1/artifacts/99999", "/api/v1/artifacts/ref/no.such.stdout.log", "/api/v1/artifacts/99999/versions",
		base + "/versions/99999", base + "/versions/99999/download"} {
		if resp, b := ts.getValid(t, spec, p); resp.StatusCode != 404 || !strings.Contains(string(b), `"code":"NOT_FOUND"`) {
			t.Errorf("%s: %d %s", p, resp.StatusCode, b)
		}
	}
	type page struct {
		Items      []testArtifact `json:"items"`
		Pagination paginationMeta `json:"pagination"`
	}
	var all page
	_, body = ts.getValid(t, spec, "/api/v1/artifacts?per_page=100")
	decode(t, body, &all)
	if all.Pagination.TotalItems == nil || int(*all.Pagination.TotalItems) != len(all.Items) || len(all.Items) < 4 {
		t.Fatalf("all artifacts: %s", body)
	}
	filters := []struct {
		query string
		want  int
	}{
		{"classification=runtime_log", len(all.Items)},
		{"classification=general", 0},
		{"scope=action&type=file_text&visibility=private", len(all.Items)},
		{"visibility=public", 0},
		{"owner=" + strings.TrimSuffix(ref, ".stdout.log"), 2},
		{"name=STDOUT", len(all.Items) / 2},
		{fmt.Sprintf("execution=%d", older), 2},
		{"execution=99999999", 0},
	}
	for _, f := range filters {
		var p page
		_, body := ts.getValid(t, spec, "/api/v1/artifacts?per_page=100&"+f.query)
		decode(t, body, &p)
		if len(p.Items) != f.want || *p.Pagination.TotalItems != int64(f.want) {
			t.Errorf("%s: %d items, want %d", f.query, len(p.Items), f.want)
		}
	}
	var p2 page
	_, body = ts.getValid(t, spec, "/api/v1/artifacts?per_page=3&page=2")
	decode(t, body, &p2)
	if len(p2.Items) != min(3, len(all.Items)-3) || p2.Items[0].ID != all.Items[3].ID || !p2.Pagination.HasPrevious {
		t.Errorf("page 2: %s", body)
	}
	if resp, _ := ts.get(t, "/api/v1/artifacts?scope=planet", nil); resp.StatusCode != 400 {
		t.Errorf("bad scope: %d", resp.StatusCode)
	}
}

// TestExecutionStats: the eight buckets, their sums, routing next to
// /executions/{id}, and counts kept current across live steps.
func TestExecutionStats(t *testing.T) {
	t.Parallel()
	spec := contract.Load(t)
	clk := &manualClock{t: SeedBase().Add(time.Hour)}
	ts := startServer(t, Options{Seed: SeedOptions{Seed: 5, Events: 400}, Now: clk.now})
	ctx := context.Background()
	check := func() {
		t.Helper()
		_, body := ts.getValid(t, spec, "/api/v1/executions/stats?ignored=1")
		var env struct {
			Data map[string]int64 `json:"data"`
		}
		decode(t, body, &env)
		if len(env.Data) != 8 {
			t.Fatalf("stats %s", body)
		}
		counts, err := ts.srv.countExecutions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{
			"completed": counts["completed"], "failed": counts["failed"], "running": counts["running"],
			"pending":   counts["requested"] + counts["scheduling"] + counts["scheduled"],
			"cancelled": counts["cancelled"] + counts["canceling"], "timeout": counts["timeout"], "abandoned": counts["abandoned"],
		}
		var sum int64
		for k, v := range want {
			sum += v
			if env.Data[k] != v {
				t.Errorf("%s = %d, want %d", k, env.Data[k], v)
			}
		}
		if env.Data["total"] != sum || sum == 0 {
			t.Errorf("total %d, want %d", env.Data["total"], sum)
		}
	}
	check()
	for range 5 {
		clk.advance(time.Second)
		if err := ts.srv.LiveStep(ctx); err != nil {
			t.Fatal(err)
		}
		check()
	}
	var one struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	ts.getJSON(t, "/api/v1/executions/3", &one)
	if one.Data.ID != 3 {
		t.Error("/executions/{id} shadowed")
	}
}

// TestLogStreamLeaves: a client disconnect ends the handler.
func TestLogStreamLeaves(t *testing.T) {
	t.Parallel()
	ts := logServer(t, true)
	running := findLogs(t, ts.srv, LogQuery{Kind: LogKindLive, Sealed: ptr(false)})[0]
	c := ts.openLog(t, streamPath(running, StreamStdout), nil)
	c.until(t, isEvent("waiting"))
	if ts.srv.OpenLogStreams() != 1 {
		t.Errorf("OpenLogStreams %d, want 1", ts.srv.OpenLogStreams())
	}
	c.close()
	waitFor(t, func() bool { return ts.srv.OpenLogStreams() == 0 })
}
