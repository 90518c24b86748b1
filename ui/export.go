package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/common"
)

// exportFormats are the file formats of a list export.
var exportFormats = []string{"jsonl", "json", "csv"}

// createExport creates a new file named base[-N].ext in dir with mode 0600,
// never replacing one that exists (nor following a symbolic link).
func createExport(dir, base, ext string) (*os.File, string, error) {
	if dir == "" {
		dir = "."
	}
	for i := 1; i <= 1000; i++ {
		name := base
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		path := filepath.Join(dir, name+"."+ext)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("create export file: %w", err)
		}
		if err := f.Chmod(0o600); err != nil { // whatever the umask did
			_ = f.Close()
			return nil, "", fmt.Errorf("create export file: %w", err)
		}
		return f, path, nil
	}
	return nil, "", fmt.Errorf("create export file: %s.%s and 999 numbered names exist in %s", base, ext, dir)
}

// exportName is the base name of an export of noun made at t.
func exportName(noun string, t time.Time) string {
	return "attune-" + noun + "-" + t.UTC().Format("20060102-150405")
}

// rowWriter writes rows in one of exportFormats; what it has written is a
// valid file after every row once close has run.
type rowWriter struct {
	out    io.Writer
	format string
	n      int
	cols   []string
	csv    *csv.Writer
}

// write appends one row (an API item).
func (w *rowWriter) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode row: %w", err)
	}
	switch w.format {
	case "jsonl":
		_, err = w.out.Write(append(b, '\n'))
	case "json":
		var ind bytes.Buffer
		if err := json.Indent(&ind, b, "  ", "  "); err != nil {
			return fmt.Errorf("encode row: %w", err)
		}
		lead := ",\n  "
		if w.n == 0 {
			lead = "[\n  "
		}
		_, err = io.WriteString(w.out, lead+ind.String())
	case "csv":
		err = w.writeCSV(b)
	}
	if err != nil {
		return fmt.Errorf("write row: %w", err)
	}
	w.n++
	return nil
}

// writeCSV writes a row as CSV: the columns are the first row's fields in
// the API's order; strings are made terminal-safe, objects stay JSON.
func (w *rowWriter) writeCSV(b []byte) error {
	keys, fields, err := objectFields(b)
	if err != nil {
		return err
	}
	if w.csv == nil {
		w.csv = csv.NewWriter(w.out)
		w.cols = keys
		safe := make([]string, len(keys))
		for i, k := range keys {
			safe[i] = textsafe.Line(k)
		}
		if err := w.csv.Write(safe); err != nil {
			return err
		}
	}
	rec := make([]string, len(w.cols))
	for i, k := range w.cols {
		rec[i] = csvCell(fields[k])
	}
	if err := w.csv.Write(rec); err != nil {
		return err
	}
	w.csv.Flush()
	return w.csv.Error()
}

// close ends the file: a JSON array is closed (an empty one when no row
// was written).
func (w *rowWriter) close() error {
	var err error
	switch w.format {
	case "json":
		if w.n == 0 {
			_, err = io.WriteString(w.out, "[]\n")
		} else {
			_, err = io.WriteString(w.out, "\n]\n")
		}
	case "csv":
		if w.csv != nil {
			w.csv.Flush()
			err = w.csv.Error()
		}
	}
	if err != nil {
		return fmt.Errorf("finish export: %w", err)
	}
	return nil
}

// objectFields returns the keys of the JSON object b in order and their
// raw values.
func objectFields(b []byte) ([]string, map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, fmt.Errorf("row is not a JSON object")
	}
	var keys []string
	vals := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("row: %w", err)
		}
		k, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, fmt.Errorf("row: %w", err)
		}
		keys = append(keys, k)
		vals[k] = raw
	}
	return keys, vals, nil
}

// csvCell renders one JSON value as a CSV cell.
func csvCell(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return textsafe.Line(s)
	}
	return textsafe.Line(string(raw))
}

// exportJob is one running export of a list; its steps run one after the
// other, so only the step in flight touches the file.
type exportJob struct {
	id     int
	noun   string
	path   string
	f      *os.File
	w      *rowWriter
	pages  common.Pages
	per    int
	ctx    context.Context
	cancel context.CancelFunc
}

// exportMsg reports a step of export job id: rows written so far, the
// next page to read (0: finished), or the error that ended it.
type exportMsg struct {
	id   int
	path string
	rows int
	next int
	err  error
}

// exportStartCmd creates the file and writes the loaded rows (loaded
// non-nil) or reads the first page.
func exportStartCmd(job *exportJob, dir string, now time.Time, format string, loaded []any) tea.Cmd {
	return func() tea.Msg {
		f, path, err := createExport(dir, exportName(job.noun, now), format)
		if err != nil {
			return exportMsg{id: job.id, err: err}
		}
		job.f, job.path, job.w = f, path, &rowWriter{out: f, format: format}
		if loaded == nil {
			return exportPage(job, 1)
		}
		for _, v := range loaded {
			if err := job.w.write(v); err != nil {
				return exportMsg{id: job.id, path: path, rows: job.w.n, err: err}
			}
		}
		return exportMsg{id: job.id, path: path, rows: job.w.n}
	}
}

// exportPage reads page p of the job's list and writes its rows.
func exportPage(job *exportJob, p int) exportMsg {
	items, more, err := job.pages(job.ctx, p, job.per)
	if err != nil {
		return exportMsg{id: job.id, path: job.path, rows: job.w.n, err: fmt.Errorf("read page %d: %w", p, err)}
	}
	for _, v := range items {
		if err := job.w.write(v); err != nil {
			return exportMsg{id: job.id, path: job.path, rows: job.w.n, err: err}
		}
	}
	next := 0
	if more && len(items) > 0 {
		next = p + 1
	}
	return exportMsg{id: job.id, path: job.path, rows: job.w.n, next: next}
}

// exportPageCmd runs exportPage for page p.
func exportPageCmd(job *exportJob, p int) tea.Cmd {
	return func() tea.Msg { return exportPage(job, p) }
}

// exportClosedMsg reports the end of an export's file.
type exportClosedMsg struct {
	id        int
	path      string
	rows      int
	err       error
	cancelled bool
}

// exportCloseCmd finishes and closes the job's file.
func exportCloseCmd(job *exportJob, rows int, cause error, cancelled bool) tea.Cmd {
	return func() tea.Msg {
		err := cause
		if job.f != nil {
			cerr := job.w.close()
			if ferr := job.f.Close(); cerr == nil && ferr != nil {
				cerr = fmt.Errorf("close export file: %w", ferr)
			}
			if err == nil {
				err = cerr
			}
		}
		return exportClosedMsg{id: job.id, path: job.path, rows: rows, err: err, cancelled: cancelled}
	}
}

// startExport starts exporting the list on screen in format: the loaded
// rows, or every page (all).
func (a *App) startExport(ex common.Exporter, format string, all bool) tea.Cmd {
	if !a.deps.AllowExec {
		return a.say("export: this session (over SSH) writes no files on the server", true)
	}
	if a.export != nil {
		return a.say("an export is running (esc cancels it)", true)
	}
	var loaded []any
	pages := ex.ExportPages()
	if all {
		if pages == nil {
			return a.say("export all: a wildcard list is merged from several lists; export the loaded rows (X) or use an exact ref", true)
		}
	} else {
		loaded = ex.ExportLoaded()
		if loaded == nil {
			loaded = []any{}
		}
	}
	a.exportSeq++
	ctx, cancel := context.WithCancel(a.deps.Lifetime)
	job := &exportJob{id: a.exportSeq, noun: ex.ExportNoun(), pages: pages, per: a.deps.PerPage, ctx: ctx, cancel: cancel}
	a.export = job
	a.cmdline = a.cmdline.SetMessage("exporting "+job.noun+"… (esc cancels)", false)
	return exportStartCmd(job, a.deps.ExportDir, a.deps.Now(), format, loaded)
}

// onExport advances or ends the running export.
func (a *App) onExport(msg exportMsg) tea.Cmd {
	job := a.export
	if job == nil || job.id != msg.id {
		return nil
	}
	file := textsafe.Line(msg.path)
	switch {
	case msg.err != nil && job.ctx.Err() != nil:
		return exportCloseCmd(job, msg.rows, nil, true)
	case msg.err != nil:
		return exportCloseCmd(job, msg.rows, msg.err, false)
	case msg.next > 0:
		a.cmdline = a.cmdline.SetMessage(fmt.Sprintf("exporting %s to %s: %d rows, reading page %d… (esc cancels)", job.noun, file, msg.rows, msg.next), false)
		return exportPageCmd(job, msg.next)
	}
	return exportCloseCmd(job, msg.rows, nil, false)
}

// onExportClosed reports the end of an export.
func (a *App) onExportClosed(msg exportClosedMsg) {
	if a.export == nil || a.export.id != msg.id {
		return
	}
	a.export.cancel()
	noun := a.export.noun
	a.export = nil
	file := textsafe.Line(msg.path)
	switch {
	case msg.err != nil && msg.path == "":
		a.cmdline = a.cmdline.SetMessage("export: "+common.ErrorLine(msg.err), true)
	case msg.err != nil:
		a.cmdline = a.cmdline.SetMessage(fmt.Sprintf("export failed after %d %s (%s holds them): %s", msg.rows, noun, file, common.ErrorLine(msg.err)), true)
	case msg.cancelled:
		a.cmdline = a.cmdline.SetMessage(fmt.Sprintf("export cancelled: %d %s in %s (complete, valid)", msg.rows, noun, file), true)
	default:
		a.cmdline = a.cmdline.SetMessage(fmt.Sprintf("exported %d %s to %s (mode 0600)", msg.rows, noun, file), false)
	}
}

// exportCommand runs ":export [jsonl|json|csv] [all]".
func exportCommand(a *App, args string) tea.Cmd {
	format, all := "jsonl", false
	for _, w := range strings.Fields(args) {
		switch {
		case w == "all":
			all = true
		case w == "loaded":
		case contains(exportFormats, w):
			format = w
		default:
			return a.say("usage: :export [jsonl|json|csv] [all|loaded]", true)
		}
	}
	t := a.top()
	if t == nil {
		return nil
	}
	ex, ok := t.view.(common.Exporter)
	if !ok {
		return a.say("export: this screen has no rows to export (X on an event, enforcement, execution or trace writes an incident bundle)", true)
	}
	return a.startExport(ex, format, all)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
