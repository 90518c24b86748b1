package listview

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/client"
	"github.com/attune-tui/attune-tui/internal/jqeval"
	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/components/fanout"
)

// Bounds of ":where".
const (
	// WhereMax is how many loaded rows (newest first) a ":where" checks.
	WhereMax = 200
	// whereBatch rows are checked per command, whereParallel of them at a
	// time; the header shows the progress between batches.
	whereBatch    = 8
	whereParallel = 4
)

// whereBounds bound the evaluation of the predicate over one row.
var whereBounds = jqeval.Bounds{Timeout: time.Second, MaxBytes: 1 << 20, MaxResults: 1}

// whereState is a ":where" filter: the rows it checks, the ones that
// matched, and its progress. It is replaced, never changed in place, once
// a model holds it (copies of the model keep theirs).
type whereState[R any] struct {
	text    string // the expression, terminal-safe
	q       *jqeval.Query
	rows    []R // the rows to check (the newest WhereMax loaded)
	next    int // how many were checked
	match   map[int64]bool
	failed  int
	errText string // the first failure, terminal-safe
	running bool
	note    string // how it ended when that needs saying ("cancelled")
	ctx     context.Context
	cancel  context.CancelFunc
	seq     int
}

// whereMsg answers one batch of a ":where".
type whereMsg struct {
	seq     int
	match   map[int64]bool
	checked int
	failed  int
	err     error // the first failure
}

// Where keeps only the loaded rows whose document (Spec.Doc: the row's
// detail as JSON, fetched as needed) makes the jq predicate expr true,
// checking at most the newest WhereMax loaded rows, a batch at a time with
// the progress in the header; esc stops it. An empty expr clears the
// filter. A predicate that does not compile is an error, and nothing
// changes.
func (m Model[R]) Where(expr string) (Model[R], tea.Cmd, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		m = m.endWhere()
		return m.refilter(), nil, nil
	}
	if m.spec.Doc == nil {
		return m, nil, fmt.Errorf("where: %s have no documents to query", m.spec.Noun)
	}
	q, err := jqeval.Compile(expr)
	if err != nil {
		return m, nil, fmt.Errorf("where: %w", err)
	}
	m = m.endWhere()
	items := m.list.Items()
	rows := append([]R(nil), items[:min(len(items), WhereMax)]...)
	ctx, cancel := context.WithCancel(context.Background())
	m.whereSeq++
	m.where = &whereState[R]{
		text: textsafe.LineN(expr, 60), q: q, rows: rows, match: map[int64]bool{},
		running: len(rows) > 0, ctx: ctx, cancel: cancel, seq: m.whereSeq,
	}
	m = m.refilter()
	return m, m.whereCmd(), nil
}

// endWhere stops and forgets a ":where".
func (m Model[R]) endWhere() Model[R] {
	if m.where != nil && m.where.cancel != nil {
		m.where.cancel()
	}
	m.where = nil
	m.whereSeq++
	return m
}

// cancelWhere stops a running ":where" and keeps what it found so far.
func (m Model[R]) cancelWhere() Model[R] {
	w := *m.where
	w.cancel()
	w.running = false
	w.note = fmt.Sprintf("cancelled after %d of %d", w.next, len(w.rows))
	m.where = &w
	m.whereSeq++ // the batch in flight is dropped
	return m
}

// whereCmd checks the next batch of rows of the running ":where".
func (m Model[R]) whereCmd() tea.Cmd {
	w := m.where
	if w == nil || !w.running || w.next >= len(w.rows) {
		return nil
	}
	batch := w.rows[w.next:min(w.next+whereBatch, len(w.rows))]
	doc, id, q, ctx, seq, reqCtx := m.spec.Doc, m.spec.ID, w.q, w.ctx, w.seq, m.reqCtx
	return func() tea.Msg {
		out := whereMsg{seq: seq, match: map[int64]bool{}, checked: len(batch)}
		check := func(ctx context.Context, r R) (bool, error) { return checkRow(ctx, reqCtx, doc, q, r) }
		for _, res := range fanout.Run(ctx, whereParallel, batch, check) {
			switch {
			case res.Err != nil:
				out.failed++
				if out.err == nil {
					out.err = fmt.Errorf("#%d: %w", id(res.Item), res.Err)
				}
			case res.Value:
				out.match[id(res.Item)] = true
			}
		}
		return out
	}
}

// checkRow fetches r's document and evaluates q over it; ctx (the
// ":where") cancels the request.
func checkRow[R any](ctx context.Context, reqCtx func() (context.Context, context.CancelFunc), doc func(context.Context, R) ([]byte, error), q *jqeval.Query, r R) (bool, error) {
	rctx, cancel := reqCtx()
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	raw, err := doc(rctx, r)
	if err != nil {
		if ctx.Err() != nil {
			return false, errors.New("cancelled")
		}
		return false, err
	}
	return q.Truthy(rctx, raw, whereBounds)
}

// applyWhere folds a batch's answer in and asks for the next batch.
func (m Model[R]) applyWhere(msg whereMsg) (Model[R], tea.Cmd) {
	if m.where == nil || msg.seq != m.whereSeq || !m.where.running {
		return m, nil // a stopped or replaced ":where"
	}
	w := *m.where
	w.match = make(map[int64]bool, len(m.where.match)+len(msg.match))
	for id := range m.where.match {
		w.match[id] = true
	}
	for id := range msg.match {
		w.match[id] = true
	}
	w.next += msg.checked
	w.failed += msg.failed
	if msg.err != nil && w.errText == "" {
		w.errText = textsafe.LineN(msg.err.Error(), 120)
	}
	w.running = w.next < len(w.rows)
	m.where = &w
	m = m.refilter()
	return m, m.whereCmd()
}

// refilter applies the filters (SetKeep's and ":where") to the loaded
// rows, keeping the cursor on the same row when it is still shown.
func (m Model[R]) refilter() Model[R] {
	selected := m.SelectedID()
	m = m.filterRows()
	m.table = m.table.SetSource(m.src()).SetCursor(m.indexOf(selected))
	return m
}

// whereHeader is the header's part for a ":where": its progress, or what
// it kept.
func (m Model[R]) whereHeader() string {
	w := m.where
	if w == nil {
		return ""
	}
	s := fmt.Sprintf("where %s: ", w.text)
	switch {
	case w.running:
		s += fmt.Sprintf("%d of %d checked · %d match · esc stops", w.next, len(w.rows), len(w.match))
	case w.note != "":
		s += fmt.Sprintf("%d match · %s", len(w.match), w.note)
	default:
		s += fmt.Sprintf("%d of the newest %d match", len(w.match), len(w.rows))
	}
	if w.failed > 0 {
		s += fmt.Sprintf(" · %d failed (%s)", w.failed, w.errText)
	}
	return s
}

// WhereText returns the running or applied ":where" expression,
// terminal-safe ("" = none).
func (m Model[R]) WhereText() string {
	if m.where == nil {
		return ""
	}
	return m.where.text
}

// JSONDoc returns the document ":where" queries for a row: the entity get
// fetches for the row's id, as JSON; noun names it in errors ("event").
func JSONDoc[R, T any](get func(ctx context.Context, id int64) (T, *client.Response, error), id func(R) int64, noun string) func(ctx context.Context, r R) ([]byte, error) {
	return func(ctx context.Context, r R) ([]byte, error) {
		v, _, err := get(ctx, id(r))
		if err != nil {
			return nil, fmt.Errorf("get %s %d: %w", noun, id(r), err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%s %d: %w", noun, id(r), err)
		}
		return b, nil
	}
}
