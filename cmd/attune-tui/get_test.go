package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/testutil"
)

// devToken starts a seeded dev server (seed 1, fixed time) and returns
// its URL and an access token for it.
func devToken(t *testing.T, opts testutil.DevOptions) (string, string) {
	t.Helper()
	ds := testutil.StartDevServer(t, opts)
	c, err := client.New(ds.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, _, err := c.Auth.Login(ctx, ds.Login, ds.Password)
	if err != nil {
		t.Fatal(err)
	}
	return ds.URL, tok.AccessToken
}

// runGet runs the command line with stdout and stderr captured.
func runGet(ctx context.Context, stdout io.Writer, args ...string) (string, error) {
	var stderr bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: stdout, stderr: &stderr}
	err := c.execute(ctx, args)
	return stderr.String(), err
}

// TestGetGolden: `get` against the dev server with a fixed seed writes
// exactly the golden bytes for each format (regenerate with -update).
func TestGetGolden(t *testing.T) {
	t.Parallel()
	url, tok := devToken(t, testutil.DevOptions{})
	cases := []struct {
		name string
		args []string
	}{
		{"events_csv", []string{"get", "events", "--limit", "25", "-o", "csv"}},
		{"events_json", []string{"get", "events", "--limit", "5", "-o", "json"}},
		{"events_table_filtered", []string{"get", "events", "--trigger-ref", "core.intervaltimer", "--limit", "8"}},
		{"enforcements_csv", []string{"get", "enforcements", "--rule-ref", "core.heartbeat_echo", "--limit", "10", "-o", "csv"}},
		{"executions_jsonl", []string{"get", "executions", "--limit", "6", "-o", "jsonl"}},
		{"executions_json_empty", []string{"get", "executions", "--action-ref", "no.such_action", "-o", "json"}},
		{"event_json", []string{"get", "event", "5", "-o", "json"}},
		{"execution_table", []string{"get", "execution", "5", "-o", "table"}},
		{"enforcement_json", []string{"get", "enforcement", "3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			stderr, err := runGet(context.Background(), &out, append(tc.args, "--url", url, "--token", tok)...)
			if err != nil {
				t.Fatalf("%v (stderr %q)", err, stderr)
			}
			if strings.Contains(out.String(), tok) || strings.Contains(stderr, tok) {
				t.Fatal("the token was printed")
			}
			golden.RequireEqual(t, out.Bytes())
		})
	}
}

// TestGetCSVIsTerminalSafe: hostile strings (escape sequences, bidi) in
// the adversarial seed reach CSV and table output escaped, never raw.
func TestGetCSVIsTerminalSafe(t *testing.T) {
	t.Parallel()
	url, tok := devToken(t, testutil.DevOptions{Adversarial: true})
	for _, args := range [][]string{{"events", "-o", "csv"}, {"events", "-o", "table"}, {"executions", "-o", "csv"}, {"enforcements", "-o", "table"}} {
		format := strings.Join(args, " ")
		var out bytes.Buffer
		if _, err := runGet(context.Background(), &out, append([]string{"get", "--url", url, "--token", tok}, args...)...); err != nil {
			t.Fatal(err)
		}
		// The hostile rows are the newest: their escapes show, escaped.
		if !strings.Contains(out.String(), `\x1b`) {
			t.Fatalf("%s: no escaped sequence in the output: the hostile rows are missing\n%s", format, out.String())
		}
		for i, r := range out.String() {
			if (r < ' ' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("%s: raw control %U at byte %d", format, r, i)
			}
		}
	}
}

// TestGetAllPages: --all walks every page (a small --per-page makes many),
// writes each row once, newest first, and reports progress on stderr.
func TestGetAllPages(t *testing.T) {
	t.Parallel()
	url, tok := devToken(t, testutil.DevOptions{})
	var out bytes.Buffer
	stderr, err := runGet(context.Background(), &out, "get", "events", "--all", "--per-page", "7", "-o", "jsonl", "--url", url, "--token", tok)
	if err != nil {
		t.Fatal(err)
	}
	ids := jsonlIDs(t, out.Bytes())
	if len(ids) != testutil.DefaultDevEvents {
		t.Fatalf("%d rows, want %d", len(ids), testutil.DefaultDevEvents)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			t.Fatalf("row %d: id %d after %d", i, ids[i], ids[i-1])
		}
	}
	pages := (testutil.DefaultDevEvents + 6) / 7
	if !strings.Contains(stderr, "attune-tui: 300 events written ("+strconv.Itoa(pages)+" pages)\n") ||
		strings.Count(stderr, "events… (page") != pages-1 {
		t.Errorf("progress:\n%s", stderr)
	}
	// --limit caps --all.
	out.Reset()
	if _, err := runGet(context.Background(), &out, "get", "events", "--all", "--limit", "20", "--per-page", "7", "-o", "jsonl", "--url", url, "--token", tok); err != nil {
		t.Fatal(err)
	}
	if got := jsonlIDs(t, out.Bytes()); len(got) != 20 || got[0] != ids[0] || got[19] != ids[19] {
		t.Errorf("--limit 20: %v", got)
	}
}

// jsonlIDs parses JSONL and returns each line's id; every line must be a
// whole JSON object.
func jsonlIDs(t *testing.T, b []byte) []int64 {
	t.Helper()
	var ids []int64
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil || row.ID == 0 {
			t.Fatalf("line %d is not a whole row: %q (%v)", len(ids)+1, sc.Text(), err)
		}
		ids = append(ids, row.ID)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Fatal("the last line is cut")
	}
	return ids
}

// cancelWriter cancels the export once output reaches it (the buffered
// writer flushed a few pages' worth), as Ctrl-C would mid-export.
type cancelWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

// Write implements io.Writer.
func (w *cancelWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cancel()
	return w.buf.Write(p)
}

// TestGetCancelMidExport: a cancel (Ctrl-C) in the middle of --all stops
// the export with exit code 1, and what was written is valid: whole JSONL
// lines, whole CSV rows, a closed JSON array.
func TestGetCancelMidExport(t *testing.T) {
	t.Parallel()
	url, tok := devToken(t, testutil.DevOptions{})
	for _, format := range []string{"jsonl", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			w := &cancelWriter{cancel: cancel}
			_, err := runGet(ctx, w, "get", "events", "--all", "--per-page", "5", "-o", format, "--url", url, "--token", tok)
			if err == nil || !strings.Contains(err.Error(), "interrupted after") || exitCode(err) != exitError {
				t.Fatalf("err = %v, want an interruption (exit 1)", err)
			}
			b := w.buf.Bytes()
			var n int
			switch format {
			case "jsonl":
				n = len(jsonlIDs(t, b))
			case "csv":
				recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil {
					t.Fatalf("csv: %v", err)
				}
				for i, r := range recs {
					if len(r) != 7 {
						t.Fatalf("record %d has %d fields", i, len(r))
					}
				}
				n = len(recs) - 1
			case "json":
				var rows []map[string]any
				if err := json.Unmarshal(b, &rows); err != nil {
					t.Fatalf("json: %v\n%s", err, b)
				}
				n = len(rows)
			}
			if n == 0 || n >= testutil.DefaultDevEvents {
				t.Fatalf("%d rows written: the cancel did not land mid-export", n)
			}
			if !strings.Contains(err.Error(), "interrupted after "+strconv.Itoa(n)+" events") {
				t.Errorf("err %q does not count the %d rows written", err, n)
			}
		})
	}
}

// TestGetUsage: bad get command lines are usage errors (exit 2).
func TestGetUsage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"get", "events", "-o", "xml"}, `-o "xml": want table, json, jsonl, csv`},
		{[]string{"get", "event", "5", "-o", "csv"}, `-o "csv": want json, table`},
		{[]string{"get", "event", "x"}, `get event: "x" is not a positive id`},
		{[]string{"get", "events", "--limit", "-1"}, "--limit -1: want 0 or more"},
		{[]string{"get", "events", "--action-ref", "x"}, "unknown flag --action-ref"},
		{[]string{"get", "rules"}, `unknown command "rules"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			_, err := runGet(context.Background(), io.Discard, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || exitCode(err) != exitUsage {
				t.Fatalf("err = %v (exit %d), want usage error %q", err, exitCode(err), tc.want)
			}
		})
	}
}
