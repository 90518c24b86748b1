package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/config"
	"github.com/attune-tui/attune-tui/internal/devserver"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui"
	"github.com/attune-tui/attune-tui/ui/common"
	"github.com/attune-tui/attune-tui/ui/components/filterbar"
	"github.com/attune-tui/attune-tui/ui/views/enforcements"
	"github.com/attune-tui/attune-tui/ui/views/events"
	"github.com/attune-tui/attune-tui/ui/views/executions"
)

// getFlags are the flags of `get`.
type getFlags struct {
	tuiFlags
	output string
	all    bool
	limit  int
}

// defaultGetLimit is how many rows `get` writes without --all or --limit.
const defaultGetLimit = 50

// getCmd is `attune-tui get`: lists and single entities for scripts.
func (c *cli) getCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "get (events|enforcements|executions|event|enforcement|execution) [ID] [flags]",
		Short: "Print events, enforcements or executions for scripts (table, JSON, JSONL, CSV)",
		Long: `Prints a list (newest first) or one entity without starting the TUI, with
the same configuration as the TUI (--url/--token/--context, or --demo).

  attune-tui get events --trigger-ref core.webhook -o csv
  attune-tui get executions --rule-ref r.x -o jsonl --all > executions.jsonl
  attune-tui get event 4812 -o json

Lists write --limit rows (default ` + strconv.Itoa(defaultGetLimit) + `), or every row with --all (progress on
stderr). Ctrl-C stops an export cleanly: what was written stays valid (whole
JSONL lines and CSV rows, a closed JSON array) and the exit code is 1.
Text in table and CSV output is made terminal-safe (escape sequences shown,
never passed through); JSON and JSONL carry the values as the API sent them.`,
		Args: rootArgs, // an unknown word names the closest command
		RunE: func(*cobra.Command, []string) error {
			return usagef("get: say what to get: events, enforcements, executions, event ID, enforcement ID or execution ID")
		},
	}
	cmd.SuggestionsMinimumDistance = 2
	cmd.AddCommand(
		c.getListCmd("events", events.FilterFields(), listEvents),
		c.getListCmd("enforcements", enforcements.FilterFields(), listEnforcements),
		c.getListCmd("executions", executions.FilterFields(), listExecutions),
		c.getOneCmd("event", func(ctx context.Context, api *common.API, id int64) (any, error) {
			return value(api.Events.Get(ctx, id))
		}),
		c.getOneCmd("enforcement", func(ctx context.Context, api *common.API, id int64) (any, error) {
			return value(api.Enforcements.Get(ctx, id))
		}),
		c.getOneCmd("execution", func(ctx context.Context, api *common.API, id int64) (any, error) {
			return value(api.Executions.Get(ctx, id))
		}),
	)
	return cmd
}

// value is an entity get's answer without its response.
func value[T any](v T, _ *client.Response, err error) (any, error) { return v, err }

// lister fetches one page of a list for `get`.
type lister func(ctx context.Context, api *common.API, filter string, page, perPage int) (rows []getRow, hasNext bool, err error)

// getRow is one list row: the item as JSON and its table/CSV cells.
type getRow struct {
	id    int64
	item  any
	cells []string
}

// getListCmd is `get events|enforcements|executions`.
func (c *cli) getListCmd(noun string, fields []filterbar.Field, list lister) *cobra.Command {
	var f getFlags
	cmd := &cobra.Command{
		Use:   noun + " [--FILTER VALUE]... [-o table|json|jsonl|csv] [--all | --limit N]",
		Short: "Print " + noun + ", newest first",
		Args:  usageArgs(cobra.NoArgs),
	}
	addGetFlags(cmd, &f, "table|json|jsonl|csv")
	cmd.Flags().BoolVar(&f.all, "all", false, "page through every row (progress on stderr)")
	cmd.Flags().IntVar(&f.limit, "limit", 0, "write at most `N` rows (default "+strconv.Itoa(defaultGetLimit)+"; with --all: no limit)")
	filters := addFilterFlags(cmd.Flags(), fields)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		format, err := checkFormat(f.output, "table", "json", "jsonl", "csv")
		if err != nil {
			return err
		}
		if err := f.validate(cmd.Flags()); err != nil {
			return err
		}
		if f.limit < 0 {
			return usagef("--limit %d: want 0 or more", f.limit)
		}
		limit := f.limit
		if limit == 0 && !f.all {
			limit = defaultGetLimit
		}
		words := append([]string{noun}, filters.tokens()...)
		if _, err := ui.ParseDeepLink(words); err != nil { // the filter bar's checks
			return &usageError{err: err}
		}
		filter := strings.Join(words[1:], " ")
		return c.withAPI(cmd.Context(), f.tuiFlags, func(ctx context.Context, api *common.API) error {
			w := newRowWriter(c.stdout, format, columnsOf(noun))
			n, err := exportList(ctx, api, list, filter, limit, f.all, f.perPage, w, progressTo(c.stderr, noun, f.all))
			if cerr := w.close(); err == nil {
				err = cerr
			}
			if err != nil && ctx.Err() != nil {
				return fmt.Errorf("interrupted after %d %s (the output written is complete and valid): %w", n, noun, context.Cause(ctx))
			}
			return err
		})
	}
	return cmd
}

// getOneCmd is `get event|enforcement|execution ID`.
func (c *cli) getOneCmd(noun string, get func(context.Context, *common.API, int64) (any, error)) *cobra.Command {
	var f getFlags
	cmd := &cobra.Command{
		Use:   noun + " ID [-o json|table]",
		Short: "Print one " + noun + " with everything the API returns for it",
		Args:  usageArgs(cobra.ExactArgs(1)),
	}
	addGetFlags(cmd, &f, "json|table")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		format, err := checkFormat(f.output, "json", "table")
		if err != nil {
			return err
		}
		if err := f.validate(cmd.Flags()); err != nil {
			return err
		}
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || id <= 0 {
			return usagef("get %s: %q is not a positive id", noun, args[0])
		}
		return c.withAPI(cmd.Context(), f.tuiFlags, func(ctx context.Context, api *common.API) error {
			v, err := get(ctx, api, id)
			if err != nil {
				return fmt.Errorf("get %s %d: %w", noun, id, err)
			}
			return writeOne(c.stdout, format, v)
		})
	}
	return cmd
}

// addGetFlags defines the configuration flags, --demo and -o.
func addGetFlags(cmd *cobra.Command, f *getFlags, formats string) {
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVarP(&f.output, "output", "o", "", "output format: "+formats+" (default the first)")
	fs.BoolVar(&f.demo, "demo", false, "read from a seeded dev server started in-process (no live traffic)")
	fs.Uint64Var(&f.seed, "seed", 1, "with --demo: seed of the generated data")
	fs.IntVar(&f.events, "events", 3000, "with --demo: number of seeded events")
	addConfigFlags(fs, &f.tuiFlags, "sign in as `name` with the password in "+config.EnvPassword+" (never asked)")
	fs.IntVar(&f.perPage, "per-page", client.MaxPageSize, "rows per request (1-100)")
}

// checkFormat returns the -o value, the first allowed one when empty.
func checkFormat(got string, allowed ...string) (string, error) {
	if got == "" {
		return allowed[0], nil
	}
	for _, a := range allowed {
		if got == a {
			return got, nil
		}
	}
	return "", usagef("-o %q: want %s", got, strings.Join(allowed, ", "))
}

// withAPI resolves the configuration (or starts the demo server) and runs
// fn with a signed-in API. Nothing is asked interactively: without a token
// or a login with ATTUNE_PASSWORD it fails.
func (c *cli) withAPI(ctx context.Context, f tuiFlags, fn func(context.Context, *common.API) error) error {
	logger := slog.New(slog.DiscardHandler)
	if f.demo {
		demo, err := devserver.StartDemo(ctx, devserver.DemoOptions{Seed: f.seed, Events: f.events, LiveRate: -1})
		if err != nil {
			return fmt.Errorf("start demo server: %w", err)
		}
		defer func() { _ = demo.Close() }()
		cl, err := client.New(demo.URL, client.WithCredentials(demo.Login, demo.Password))
		if err != nil {
			return fmt.Errorf("demo client: %w", err)
		}
		if _, _, err := cl.Auth.Login(ctx, demo.Login, demo.Password); err != nil {
			return fmt.Errorf("sign in to the demo server: %w", err)
		}
		return fn(ctx, ui.NewAPI(cl))
	}
	r, err := resolveRemote(f, logger, func(msg string) { fmt.Fprintln(c.stderr, "warning:", msg) })
	if err != nil {
		return err
	}
	if r.client == nil {
		return errors.New("get needs a token (--token-file, ATTUNE_TOKEN, a context's token) or --login with the password in ATTUNE_PASSWORD: it does not ask")
	}
	if r.signIn {
		if _, _, err := r.client.Auth.Login(ctx, r.cfg.Login, r.cfg.Password.Reveal()); err != nil {
			return fmt.Errorf("sign in: %w", err)
		}
	}
	return fn(ctx, ui.NewAPI(r.client))
}

// exportList writes the rows of filter to w, page by page, until limit
// rows (0: no limit) or the last page (or the first page unless all). It
// returns how many rows were written. A row repeated on the next page (new
// rows arrived at the top meanwhile) is written once.
func exportList(ctx context.Context, api *common.API, list lister, filter string, limit int, all bool, perPage int, w *rowWriter, progress func(rows, page int, done bool)) (int, error) {
	if limit > 0 && limit < perPage {
		perPage = limit
	}
	n := 0
	prev := map[int64]bool{}
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		rows, hasNext, err := list(ctx, api, filter, page, perPage)
		if err != nil {
			return n, fmt.Errorf("page %d: %w", page, err)
		}
		seen := make(map[int64]bool, len(rows))
		for _, r := range rows {
			seen[r.id] = true
			if prev[r.id] {
				continue
			}
			if err := w.write(r); err != nil {
				return n, err
			}
			n++
			if limit > 0 && n >= limit {
				progress(n, page, true)
				return n, nil
			}
		}
		prev = seen
		if !hasNext || !all && limit > 0 && page*perPage >= limit || len(rows) == 0 {
			progress(n, page, true)
			return n, nil
		}
		progress(n, page, false)
	}
}

// progressTo reports --all's progress on stderr (nothing without --all).
func progressTo(stderr io.Writer, noun string, all bool) func(rows, page int, done bool) {
	return func(rows, page int, done bool) {
		if !all {
			return
		}
		if done {
			fmt.Fprintf(stderr, "attune-tui: %d %s written (%d pages)\n", rows, noun, page)
			return
		}
		fmt.Fprintf(stderr, "attune-tui: %d %s… (page %d)\n", rows, noun, page)
	}
}

// listEvents is the events lister.
func listEvents(ctx context.Context, api *common.API, filter string, page, perPage int) ([]getRow, bool, error) {
	q, err := events.ParseQuery(ctx, api, filter)
	if err != nil {
		return nil, false, err
	}
	q.Page, q.PerPage = page, perPage
	p, _, err := api.Events.List(ctx, &q)
	if err != nil {
		return nil, false, fmt.Errorf("list events: %w", err)
	}
	rows := make([]getRow, len(p.Items))
	for i, e := range p.Items {
		rows[i] = getRow{id: e.ID, item: e, cells: []string{
			fmtID(e.ID), stamp(e.Created), e.TriggerRef, fmtStr(e.RuleRef), fmtStr(e.SourceRef), fmtStr(e.TraceTag), strconv.FormatBool(e.HasPayload),
		}}
	}
	return rows, p.Pagination.HasNext, nil
}

// listEnforcements is the enforcements lister.
func listEnforcements(ctx context.Context, api *common.API, filter string, page, perPage int) ([]getRow, bool, error) {
	q, err := enforcements.ParseQuery(ctx, api, filter)
	if err != nil {
		return nil, false, err
	}
	q.Page, q.PerPage = page, perPage
	p, _, err := api.Enforcements.List(ctx, &q)
	if err != nil {
		return nil, false, fmt.Errorf("list enforcements: %w", err)
	}
	rows := make([]getRow, len(p.Items))
	for i, e := range p.Items {
		rows[i] = getRow{id: e.ID, item: e, cells: []string{
			fmtID(e.ID), stamp(e.Created), string(e.Status), e.RuleRef, e.TriggerRef, fmtIDp(e.Event), string(e.Condition), fmtStr(e.TraceTag),
		}}
	}
	return rows, p.Pagination.HasNext, nil
}

// listExecutions is the executions lister.
func listExecutions(ctx context.Context, api *common.API, filter string, page, perPage int) ([]getRow, bool, error) {
	q, err := executions.ParseQuery(ctx, api, filter)
	if err != nil {
		return nil, false, err
	}
	q.Page, q.PerPage = page, perPage
	p, _, err := api.Executions.List(ctx, &q)
	if err != nil {
		return nil, false, fmt.Errorf("list executions: %w", err)
	}
	rows := make([]getRow, len(p.Items))
	for i, e := range p.Items {
		started := ""
		if e.StartedAt != nil {
			started = stamp(*e.StartedAt)
		}
		rows[i] = getRow{id: e.ID, item: e, cells: []string{
			fmtID(e.ID), stamp(e.Created), string(e.Status), e.ActionRef, fmtIDp(e.Enforcement), fmtIDp(e.Parent),
			fmtStr(e.RuleRef), fmtStr(e.TriggerRef), fmtStr(e.TraceTag), started, stamp(e.Updated),
		}}
	}
	return rows, p.Pagination.HasNext, nil
}

// columnsOf names the table/CSV columns of a list.
func columnsOf(noun string) []string {
	switch noun {
	case "events":
		return []string{"id", "created", "trigger_ref", "rule_ref", "source_ref", "trace_tag", "has_payload"}
	case "enforcements":
		return []string{"id", "created", "status", "rule_ref", "trigger_ref", "event", "condition", "trace_tag"}
	default:
		return []string{"id", "created", "status", "action_ref", "enforcement", "parent", "rule_ref", "trigger_ref", "trace_tag", "started_at", "updated"}
	}
}

func fmtID(v int64) string { return strconv.FormatInt(v, 10) }

func fmtIDp(v *int64) string {
	if v == nil {
		return ""
	}
	return fmtID(*v)
}

func fmtStr(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// rowWriter writes list rows in one format. Each row is written whole or
// not at all as far as the format goes; close ends the document (the JSON
// array's "]") and flushes.
type rowWriter struct {
	out    *bufio.Writer
	format string
	cols   []string
	n      int
	csv    *csv.Writer
	tab    *tabwriter.Writer
}

// newRowWriter starts a document of format on out.
func newRowWriter(out io.Writer, format string, cols []string) *rowWriter {
	w := &rowWriter{out: bufio.NewWriter(out), format: format, cols: cols}
	switch format {
	case "csv":
		w.csv = csv.NewWriter(w.out)
	case "table":
		w.tab = tabwriter.NewWriter(w.out, 0, 0, 2, ' ', 0)
	}
	return w
}

// write adds one row.
func (w *rowWriter) write(r getRow) error {
	if w.n == 0 {
		if err := w.begin(); err != nil {
			return err
		}
	}
	w.n++
	switch w.format {
	case "json", "jsonl":
		b, err := json.Marshal(r.item)
		if err != nil {
			return fmt.Errorf("encode row %d: %w", r.id, err)
		}
		if w.format == "json" {
			var ind bytes.Buffer
			if err := json.Indent(&ind, b, "  ", "  "); err != nil {
				return fmt.Errorf("encode row %d: %w", r.id, err)
			}
			sep := ",\n  "
			if w.n == 1 {
				sep = "  "
			}
			_, err = w.out.WriteString(sep + ind.String())
			return err
		}
		b = append(b, '\n')
		_, err = w.out.Write(b)
		return err
	case "csv":
		return w.csv.Write(safeCells(r.cells))
	default:
		_, err := io.WriteString(w.tab, strings.Join(safeCells(r.cells), "\t")+"\n")
		return err
	}
}

// begin writes what comes before the first row.
func (w *rowWriter) begin() error {
	switch w.format {
	case "json":
		_, err := w.out.WriteString("[\n")
		return err
	case "csv":
		return w.csv.Write(w.cols)
	case "table":
		_, err := io.WriteString(w.tab, strings.ToUpper(strings.Join(w.cols, "\t"))+"\n")
		return err
	}
	return nil
}

// close ends the document and flushes everything written.
func (w *rowWriter) close() error {
	var err error
	switch w.format {
	case "json":
		if w.n == 0 {
			_, err = w.out.WriteString("[]\n")
		} else {
			_, err = w.out.WriteString("\n]\n")
		}
	case "csv":
		if w.n == 0 {
			err = w.csv.Write(w.cols)
		}
		w.csv.Flush()
		err = errors.Join(err, w.csv.Error())
	case "table":
		if w.n == 0 {
			err = w.begin()
		}
		err = errors.Join(err, w.tab.Flush())
	}
	if ferr := w.out.Flush(); ferr != nil {
		err = errors.Join(err, fmt.Errorf("write output: %w", ferr))
	}
	return err
}

// safeCells makes every cell terminal-safe (one line, escapes visible).
func safeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = textsafe.Line(c)
	}
	return out
}

// writeOne writes one entity: indented JSON, or a FIELD/VALUE table in
// the API's field order (nested values as compact JSON, terminal-safe).
func writeOne(out io.Writer, format string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if format == "json" {
		var ind bytes.Buffer
		if err := json.Indent(&ind, b, "", "  "); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		ind.WriteByte('\n')
		_, err = out.Write(ind.Bytes())
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return fmt.Errorf("decode: %w", err)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tVALUE")
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		val := string(raw)
		var s string
		if json.Unmarshal(raw, &s) == nil {
			val = s
		} else {
			var c bytes.Buffer
			if json.Compact(&c, raw) == nil {
				val = c.String()
			}
		}
		fmt.Fprintf(tw, "%s\t%s\n", textsafe.Line(fmt.Sprint(k)), textsafe.LineN(val, 1000))
	}
	return tw.Flush()
}
