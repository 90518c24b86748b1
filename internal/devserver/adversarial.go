package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The adversarial corpus (SeedOptions.Adversarial): besides hostile strings
// mixed into payload text, the seed appends a fixed set of hostile events
// (and, where a rule matches them, enforcements and executions) after the
// generated ones. They are the newest events, so they are on the first page
// of every list. Their refs, trace tags, keys, values and statuses carry
// terminal escapes, C1 controls, bidi and zero-width characters, combining
// storms, invalid UTF-8, CJK and emoji, extreme nesting, a huge array,
// integers beyond float64 and null/empty fields. The 50 MB payload is not
// part of the seed: AddHugeEvent inserts it on demand.

// Hostile escape sequences, named for the assertions of tests.
const (
	// HostileClear clears the screen and homes the cursor (CSI 2J, CSI H).
	HostileClear = "\x1b[2J\x1b[H"
	// HostileTitle sets the window title (OSC 0 and OSC 2).
	HostileTitle = "\x1b]0;pwned-title\x07\x1b]2;pwned-title2\x1b\\"
	// HostileLink is an OSC 8 hyperlink.
	HostileLink = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
	// HostileClipboard writes "rm -rf ~" (base64) to the clipboard (OSC 52).
	HostileClipboard = "\x1b]52;c;cm0gLXJmIH4=\x07"
	// HostileDCS is a DCS request (XTGETTCAP) terminated by ST.
	HostileDCS = "\x1bP+q544e\x1b\\"
	// HostileC1 is an 8-bit CSI (U+009B) colouring text red, plus an 8-bit
	// OSC (U+009D) and ST (U+009C).
	HostileC1 = "\u009b31mred\u009d0;c1-title\u009c"
	// HostileCursor moves the cursor up, saves/restores it and erases.
	HostileCursor = "\x1b[5A\x1b[10;10H\x1b7\x1b8\x1b[K\x1b[?25l"
	// HostileBidi holds bidi overrides and isolates.
	HostileBidi = "invoice\u202egnp.exe \u2066iso\u2069 \u202dltr\u202c \u2067rli\u2069 \u2068fsi\u2069"
	// HostileZeroWidth holds zero-width characters and a BOM.
	HostileZeroWidth = "zero\u200bwidth\u200cnon\u200djoiner\u2060wj\ufeffbom"
	// HostileCJK is double-width text and emoji (alignment).
	HostileCJK = "本番環境でエラー🔥👩‍👩‍👧‍👦🇫🇷"
	// HostileErrorMessage is an API error message full of terminal escapes
	// (see HostileErrorHandler).
	HostileErrorMessage = "database " + HostileClear + HostileTitle + HostileClipboard + "down\u202e!\x07\r\nline2"
)

// HostileCombining returns "Z" followed by n combining marks (a "Zalgo"
// storm).
func HostileCombining(n int) string {
	marks := []rune{'\u0300', '\u0301', '\u0302', '\u0303', '\u0308', '\u0327', '\u0489', '\u20dd'}
	var b strings.Builder
	b.WriteString("Z")
	for i := range n {
		b.WriteRune(marks[i%len(marks)])
	}
	b.WriteString("algo")
	return b.String()
}

// HostileStrings returns the hostile strings of the corpus (a new slice on
// every call).
func HostileStrings() []string {
	return []string{
		HostileClear + "screen cleared", HostileTitle, HostileLink, HostileClipboard, HostileDCS, HostileC1,
		HostileCursor, HostileBidi, HostileZeroWidth, HostileCJK, HostileCombining(64),
		"\x1b_APC payload\x1b\\", "\x1b^PM payload\x1b\\", "\x1bXSOS payload\x1b\\",
		"lone ESC \x1b at the end \x1b", "bell\x07 backspace\x08\x08 del\x7f nul\x00 vt\v ff\f",
		"carriage\rreturn overwrite", "tab\there and CRLF\r\nnext line",
		"unterminated OSC \x1b]2;never-ends",
	}
}

// hostileRef builds a ref-like string around an escape.
func hostileRef(prefix, esc string) string { return prefix + "." + esc + "ref" }

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil { // strings always marshal
		panic(fmt.Sprintf("devserver: marshal string: %v", err))
	}
	return string(b)
}

// hostileKitchenSink is a payload whose keys and values carry every hostile
// string, plus lone surrogates, raw invalid UTF-8 bytes, big numbers and
// awkward keys. It is written by hand: encoding/json would replace the
// invalid bytes.
func hostileKitchenSink() json.RawMessage {
	var b strings.Builder
	b.WriteString(`{`)
	for i, s := range HostileStrings() {
		fmt.Fprintf(&b, `"v%02d":%s,`, i, jsonString(s))
		fmt.Fprintf(&b, `%s:%d,`, jsonString(fmt.Sprintf("k%02d %s", i, s)), i)
	}
	b.WriteString(`"lone_surrogates":"\ud800 and \udfff and \udc00\ud800",`)
	b.WriteString("\"raw_invalid_utf8\":\"bad \xff\xfe bytes \xc3\x28 \xed\xa0\x80\",")
	b.WriteString("\"raw \xff key\":true,")
	b.WriteString(`"escaped_controls":"\u001b[2J\u001b]0;t\u0007\u009b1m\u0000",`)
	b.WriteString(`"big_int":12345678901234567890123,"neg_big":-98765432109876543210987654321,`)
	b.WriteString(`"huge_float":1e400,"tiny":1e-400,"neg_zero":-0,"exp":6.02214076E+23,`)
	b.WriteString(`"a.b":1,"a[0]":2,"[\"x\"]":3,"":4,"$.x":5,"a..b":6,"[*]":7,"key with spaces":8,`)
	b.WriteString(`"cjk":"本番環境でエラーが発生しました","emoji":"🔥🚀👩‍👩‍👧‍👦🇫🇷","wide_key_日本":"x",`)
	b.WriteString(`"empty_string":"","null":null,"empty_object":{},"empty_array":[],`)
	b.WriteString(`"nested":{"` + "\\u001b]2;nested-title\\u0007" + `":[{"` + "\\u202e" + `":null}]}`)
	b.WriteString(`}`)
	return json.RawMessage(b.String())
}

// hostileDeep is depth levels of alternating objects and arrays.
func hostileDeep(depth int) json.RawMessage {
	var b strings.Builder
	b.Grow(depth * 8)
	for i := range depth {
		if i%2 == 0 {
			b.WriteString(`{"d":`)
		} else {
			b.WriteString(`[`)
		}
	}
	b.WriteString(`"bottom \u001b[2J"`)
	for i := depth - 1; i >= 0; i-- {
		if i%2 == 0 {
			b.WriteString(`}`)
		} else {
			b.WriteString(`]`)
		}
	}
	return json.RawMessage(b.String())
}

// hostileArray is {"items":[0,1,...]} with n elements.
func hostileArray(n int) json.RawMessage {
	b := make([]byte, 0, n*3+16)
	b = append(b, `{"items":[`...)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(i%100), 10)
	}
	b = append(b, `]}`...)
	return b
}

// Sizes of the structural extremes of the corpus.
const (
	// HostileDepth is the nesting depth of the deep payload.
	HostileDepth = 10_000
	// HostileArrayLen is the element count of the huge array payload.
	HostileArrayLen = 1_000_000
)

// hostileEvent describes one event of the corpus.
type hostileEvent struct {
	trigger    *int64
	triggerRef string
	sourceRef  *string
	ruleRef    *string
	traceTag   *string
	config     json.RawMessage
	payload    json.RawMessage
}

// HostileEventCount is how many events the adversarial seed appends.
const HostileEventCount = 9

func hostileEvents() []hostileEvent {
	webhook, interval := int64(3), int64(1)
	return []hostileEvent{
		{ // escapes everywhere a ref is shown
			trigger: &interval, triggerRef: hostileRef("core", HostileClear+HostileTitle),
			sourceRef: ptr(hostileRef("sensor", HostileClipboard)), ruleRef: ptr(hostileRef("rule", HostileLink)),
			traceTag: ptr("trace" + HostileDCS + HostileC1), config: json.RawMessage(`{"` + "\\u001b]2;cfg\\u0007" + `":"\u009b2J"}`),
			payload: hostileKitchenSink(),
		},
		{ // bidi, zero-width and combining storms
			trigger: &webhook, triggerRef: hostileRef("core", HostileBidi),
			sourceRef: ptr(hostileRef("sensor", HostileZeroWidth)), ruleRef: ptr(HostileCombining(200)),
			traceTag: ptr("tag\u202eevil\u200b" + HostileCombining(20)),
			payload:  json.RawMessage(`{"body":{"text":` + jsonString(HostileBidi+" "+HostileCombining(500)) + `}}`),
		},
		{ // CJK and emoji in refs (alignment)
			trigger: &webhook, triggerRef: "core." + HostileCJK, sourceRef: ptr("センサー." + HostileCJK),
			ruleRef: ptr("規則.🔥"), traceTag: ptr("追跡-🔥-" + HostileCJK),
			payload: json.RawMessage(`{"message":` + jsonString(HostileCJK+HostileCursor) + `}`),
		},
		{ // cursor movement and 8-bit controls in refs
			trigger: &interval, triggerRef: hostileRef("core", HostileCursor),
			sourceRef: ptr(hostileRef("sensor", HostileC1)), ruleRef: ptr(hostileRef("rule", HostileDCS)),
			traceTag: ptr("\x1b]0;tag-title\x07"),
			payload:  json.RawMessage(`{"unterminated":` + jsonString("\x1b]2;never-ends") + `,"apc":` + jsonString("\x1b_x\x1b\\") + `}`),
		},
		{ // nested 10,000 levels deep
			triggerRef: "hostile.deep", payload: hostileDeep(HostileDepth),
		},
		{ // one array of 1,000,000 elements
			triggerRef: "hostile.array", payload: hostileArray(HostileArrayLen),
		},
		{ // big numbers and awkward keys only
			triggerRef: "hostile.numbers",
			payload: json.RawMessage(`{"id":12345678901234567890123,"f":1e400,"a.b":{"c[0]":[{"":null}]},` +
				`"ids":[9007199254740993,-9007199254740993,18446744073709551616]}`),
		},
		{ // every nullable field null
			triggerRef: "hostile.nulls",
		},
		{ // empty strings and a JSON null payload
			triggerRef: "", sourceRef: ptr(""), ruleRef: ptr(""), traceTag: ptr(""),
			config: json.RawMessage(`null`), payload: json.RawMessage(`null`),
		},
	}
}

// hostile appends the adversarial corpus after the generated events. It
// follows the same rules as react: an enforcement exactly for every
// candidate rule whose conditions match.
func (g *generator) hostile(s sink) error {
	created := micros(g.base) + 1_000 // just after the newest generated event
	for i, h := range hostileEvents() {
		ev := &eventRow{
			ID:         g.idBase + int64(g.n+1+i),
			Trigger:    h.trigger,
			TriggerRef: h.triggerRef,
			Config:     h.config,
			Payload:    h.payload,
			SourceRef:  h.sourceRef,
			RuleRef:    h.ruleRef,
			TraceTag:   h.traceTag,
			Created:    created + int64(i)*1_000,
		}
		if err := s.event(ev); err != nil {
			return err
		}
		for k, r := range g.cat.candidateRules(ev) {
			if !ruleMatches(json.RawMessage(r.conditions), ev) {
				continue
			}
			if err := g.hostileEnforcement(ev, r, k, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// hostileEnforcement emits a processed enforcement of r for ev whose text
// fields are hostile, with a parent execution and one child.
func (g *generator) hostileEnforcement(ev *eventRow, r *ruleDef, k int, s sink) error {
	tag := ev.TraceTag
	enf := &enforcementRow{
		ID:         g.nextEnf,
		Rule:       ptr(r.id),
		RuleRef:    hostileRef("rule", HostileTitle+HostileBidi),
		TriggerRef: ev.TriggerRef,
		Config:     hostileKitchenSink(),
		Event:      ptr(ev.ID),
		Status:     "processed",
		Condition:  "all",
		Conditions: json.RawMessage(r.conditions),
		TraceTag:   tag,
		Created:    ev.Created + 100 + int64(k),
		ResolvedAt: ptr(ev.Created + 200 + int64(k)),
	}
	g.nextEnf++
	if err := s.enforcement(enf); err != nil {
		return err
	}
	act := g.cat.actions[r.action]
	parent := g.newExecution(act, hostileKitchenSink(), "failed", *enf.ResolvedAt+100, tag)
	parent.ActionRef = hostileRef("action", HostileClipboard+HostileClear)
	parent.PackName = "pack" + HostileC1
	parent.Enforcement = ptr(enf.ID)
	parent.RuleRef = ptr(enf.RuleRef)
	parent.TriggerRef = ptr(ev.TriggerRef)
	parent.Result = json.RawMessage(`{"succeeded":false,"error":` + jsonString(HostileErrorMessage) +
		`,"stdout":` + jsonString(strings.Join(HostileStrings(), "\n")) + `,"exit_code":12345678901234567890123}`)
	parent.RetentionPolicy = ptr("\x1b]2;policy\x07")
	if err := s.execution(parent); err != nil {
		return err
	}
	child := g.newExecution(act, json.RawMessage(`{}`), "\x1b[31mweird-status\x1b[0m", parent.Created+100, tag)
	child.ActionRef = hostileRef("action", HostileCJK)
	child.PackName = ""
	child.Parent = ptr(parent.ID)
	child.WorkflowTask = json.RawMessage(`{"task_name":` + jsonString(HostileLink) + `}`)
	return s.execution(child)
}

// DefaultHugePayload is the payload size AddHugeEvent uses for size <= 0:
// 50 MB, above the client's default body limit.
const DefaultHugePayload = 50 << 20

// AddHugeEvent inserts, on demand, a new newest event whose payload is about
// size bytes (DefaultHugePayload when size <= 0) of JSON string data with a
// few hostile strings, and returns its id. It is not part of the seed so
// that ordinary tests stay fast.
func (s *Server) AddHugeEvent(ctx context.Context, size int) (int64, error) {
	if size <= 0 {
		size = DefaultHugePayload
	}
	chunk := strings.Repeat("A", 1<<20)
	var b strings.Builder
	b.Grow(size + 1024)
	b.WriteString(`{"head":` + jsonString(HostileClear+HostileTitle) + `,"chunks":[`)
	for n := 0; b.Len() < size; n++ {
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + chunk[:min(len(chunk), max(size-b.Len()-2, 1))] + `"`)
	}
	b.WriteString(`],"tail":` + jsonString(HostileClipboard) + `}`)
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	var id, last int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) + 1, COALESCE(max(created), 0) FROM event`).
		Scan(&id, &last); err != nil {
		return 0, fmt.Errorf("devserver: huge event: read ids: %w", err)
	}
	created := max(micros(s.now()), last+1)
	if _, err := s.db.ExecContext(ctx, insertEventSQL, id, nil, "hostile.huge", nil, b.String(), nil, nil, nil, nil,
		nil, created); err != nil {
		return 0, fmt.Errorf("devserver: huge event: insert: %w", err)
	}
	return id, nil
}

// HostileErrorHandler answers every request with status and the API error
// body of CONTRACT.md whose message is msg (HostileErrorMessage when msg is
// empty). Tests put it in front of the server to check that error text is
// made safe before it is drawn.
func HostileErrorHandler(status int, msg string) http.Handler {
	if msg == "" {
		msg = HostileErrorMessage
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, status, "INTERNAL_SERVER_ERROR", msg)
	})
}
