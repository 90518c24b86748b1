package ui

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/testutil"
	"github.com/attune-tui/attune-tui/ui/uitest"
)

// exportFiles returns the files in dir, checking each is mode 0600.
func exportFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", e.Name(), info.Mode().Perm())
		}
		names = append(names, e.Name())
	}
	return names
}

// TestExportLoadedRows presses X on the event list twice: the loaded rows
// go to a JSONL file exactly as listed, and the second export gets a new
// name instead of replacing the first.
func TestExportLoadedRows(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	dir := t.TempDir()
	d := uitest.Deps(api)
	d.AllowExec, d.ExportDir = true, dir
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1")
	typeKeys(tm, "X")
	wait(t, tm, "exported 20 events to")
	first := filepath.Join(dir, exportName("events", uitest.Now())+".jsonl")
	before, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	typeKeys(tm, "X")
	wait(t, tm, "-2.jsonl")
	if names := exportFiles(t, dir); len(names) != 2 {
		t.Fatalf("files = %q, want two", names)
	}
	after, err := os.ReadFile(first)
	if err != nil || string(after) != string(before) {
		t.Fatalf("the first export changed (%v)", err)
	}
	p, _, err := api.Events.List(t.Context(), &client.EventListOptions{ListOptions: client.ListOptions{Page: 1, PerPage: 20}})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(before)))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != len(p.Items) {
		t.Fatalf("%d lines, want %d", len(lines), len(p.Items))
	}
	for i, it := range p.Items {
		want, _ := json.Marshal(it)
		if lines[i] != string(want) {
			t.Errorf("line %d = %s, want %s", i+1, lines[i], want)
		}
	}
}

// TestExportAllPages runs ":export csv all" over every page of a filtered
// list and checks the CSV against the API's rows.
func TestExportAllPages(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	dir := t.TempDir()
	d := uitest.Deps(api)
	d.AllowExec, d.ExportDir = true, dir
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1")
	typeKeys(tm, ":")
	tm.Type("export csv all")
	typeKeys(tm, "enter")
	wait(t, tm, "exported 300 events to")
	f, err := os.Open(filepath.Join(dir, exportName("events", uitest.Now())+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	if len(recs) != 301 || recs[0][0] != "id" || recs[1][0] != "300" || recs[300][0] != "1" {
		t.Errorf("%d records, header %q, first %q, last %q", len(recs), recs[0], recs[1][0], recs[len(recs)-1][0])
	}
}

// TestExportCancel cancels an export of every page with esc while a page
// is being read: the JSON file holds the pages written, closed and valid.
func TestExportCancel(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	dir := t.TempDir()
	d := uitest.Deps(api)
	d.AllowExec, d.ExportDir = true, dir
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1")
	// Every request from now on is slow enough to be cancelled.
	ds.Server.SetFaults(devserver.Faults{PathPrefix: "/api/v1/events", Latency: time.Second})
	typeKeys(tm, ":")
	tm.Type("export json all")
	typeKeys(tm, "enter")
	wait(t, tm, "reading page 3")
	typeKeys(tm, "esc")
	wait(t, tm, "export cancelled: 40 events")
	raw, err := os.ReadFile(filepath.Join(dir, exportName("events", uitest.Now())+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []client.EventSummary
	if err := json.Unmarshal(raw, &rows); err != nil || len(rows) != 40 {
		t.Fatalf("file: %d rows, %v\n%s", len(rows), err, raw)
	}
	a, _ := final(t, tm)
	if len(a.Views()) != 1 {
		t.Errorf("esc cancelling the export also left the screen: %q", a.Views())
	}
}

// TestExportNeedsLocalFiles checks that a session without local files
// (over SSH) says so and writes nothing.
func TestExportNeedsLocalFiles(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	dir := t.TempDir()
	d := uitest.Deps(api)
	d.ExportDir = dir // AllowExec false, as over SSH
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1")
	typeKeys(tm, "X")
	wait(t, tm, "writes no files on the server")
	if names := exportFiles(t, dir); len(names) != 0 {
		t.Errorf("files %q written", names)
	}
}

// TestBundleFiles presses X on an execution detail twice: each time a
// Markdown and a JSON file, mode 0600, the second pair under new names;
// neither holds the session's token. Over SSH (no files) the Markdown goes
// to the clipboard instead.
func TestBundleFiles(t *testing.T) {
	t.Parallel()
	api, ds, token := tokenDev(t)
	dir := t.TempDir()
	d := uitest.Deps(api)
	d.AllowExec, d.ExportDir, d.ServerURL = true, dir, ds.URL
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1")
	typeKeys(tm, ":")
	tm.Type("execution 191")
	typeKeys(tm, "enter")
	wait(t, tm, "Execution #191")
	typeKeys(tm, "X")
	wait(t, tm, "wrote the incident bundle")
	typeKeys(tm, "X")
	wait(t, tm, "-2.md and")
	names := exportFiles(t, dir)
	base := "attune-bundle-execution-191-" + uitest.Now().UTC().Format("20060102-150405")
	want := []string{base + "-2.json", base + "-2.md", base + ".json", base + ".md"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("files = %q, want %q", names, want)
	}
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{token, ds.Password, "Bearer"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("%s holds %q", n, secret)
			}
		}
		if strings.HasSuffix(n, ".md") && !strings.Contains(string(raw), "RuntimeError: HTTP 502 Bad Gateway") {
			t.Errorf("%s lacks the stderr tail", n)
		}
	}
}

// TestBundleOverSSH checks that without local files the bundle's Markdown
// is offered through OSC 52 and nothing is written.
func TestBundleOverSSH(t *testing.T) {
	t.Parallel()
	api, ds := uitest.StartDev(t, testutil.DevOptions{})
	dir := t.TempDir()
	out := &syncBuffer{}
	d := uitest.Deps(api)
	d.ExportDir, d.Output, d.ServerURL = dir, out, ds.URL
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1")
	typeKeys(tm, ":")
	tm.Type("event 287")
	typeKeys(tm, "enter")
	wait(t, tm, "Payload")
	typeKeys(tm, "X")
	wait(t, tm, "no file is written over SSH")
	got := clipboard(t, out.String())
	if len(got) != 1 || !strings.HasPrefix(got[0], "# Incident bundle: event #287") {
		t.Fatalf("copies = %.200q", got)
	}
	if names := exportFiles(t, dir); len(names) != 0 {
		t.Errorf("files %q written over SSH", names)
	}
}

// TestContextCommand lists the contexts, refuses an unknown one with the
// valid names, and ends the session for a known one (the runner starts a
// fresh session against it).
func TestContextCommand(t *testing.T) {
	t.Parallel()
	api := uitest.SharedDev(t, testutil.DevOptions{})
	d := uitest.Deps(api)
	d.Contexts, d.Context = []string{"prod", "staging"}, "prod"
	tm := start(t, d, 120, 40)
	wait(t, tm, "page 1")
	for _, step := range []struct{ line, want string }{
		{"ctx", "contexts: *prod staging — :ctx NAME switches"},
		{"ctx nosuch", `no context "nosuch"; valid: *prod staging`},
		{"ctx prod", "already on context prod"},
	} {
		typeKeys(tm, ":")
		tm.Type(step.line)
		typeKeys(tm, "enter")
		wait(t, tm, step.want)
	}
	typeKeys(tm, ":")
	tm.Type("ctx staging")
	typeKeys(tm, "enter")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if got := tm.FinalModel(t).(*App).SwitchTo(); got != "staging" {
		t.Errorf("SwitchTo = %q, want staging", got)
	}
}
