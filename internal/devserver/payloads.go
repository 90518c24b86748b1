package devserver

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Payload generators: realistic nested event payloads per trigger. They only
// draw from the given *rand.Rand, so the same seed gives the same bytes.

// vocabulary holds the word lists payloads are drawn from. It is built per
// generator so that no package-level state exists.
type vocabulary struct {
	repoNames      []string
	people         []string
	services       []string
	namespaces     []string
	podReasons     []string
	alarmNames     []string
	alarmStates    []string
	regions        []string
	channels       []string
	commitMsgs     []string
	slackTexts     []string
	hostileStrings []string
}

func newVocabulary() *vocabulary {
	return &vocabulary{
		repoNames:   []string{"acme/checkout", "acme/payments", "acme/web", "acme/infra", "acme/docs"},
		people:      []string{"alice", "bob", "chloé", "dmitri", "eun-ji", "farah", "gustavo", "hana"},
		services:    []string{"checkout", "payments", "search", "auth", "inventory"},
		namespaces:  []string{"default", "checkout", "payments", "kube-system", "monitoring"},
		podReasons:  []string{"Started", "Killing", "CrashLoopBackOff", "OOMKilled", "BackOff", "Pulled", "Unhealthy"},
		alarmNames:  []string{"HighCPU", "StatusCheckFailed", "DiskQueueDepth", "5xxRate", "LatencyP99"},
		alarmStates: []string{"ALARM", "OK", "INSUFFICIENT_DATA"},
		regions:     []string{"eu-west-1", "us-east-1", "ap-northeast-1"},
		channels:    []string{"#general", "#incidents", "#deploys", "#oncall", "#random"},
		commitMsgs: []string{
			"Fix rounding in tax calculation",
			"Bump dependencies",
			"Refactor retry logic for flaky upstreams",
			"Add Japanese translations: 日本語の翻訳を追加",
			"Corrige l'affichage des accents — déjà vu",
			"Revert \"Enable new cache\"",
			"security: rotate signing keys",
			"Update README 📚",
		},
		slackTexts: []string{
			"deploy finished ✅",
			"anyone seeing 502s on checkout? @oncall",
			"Déploiement terminé sans erreur",
			"本番環境でエラーが発生しました @oncall",
			"Привет! Can someone review #4711?",
			"lunch 🍜?",
			"rollback done, metrics look normal again",
			"@oncall pager is quiet but latency p99 is 2.3s",
			"Ω≈ç√∫ — math is hard",
		},
		// hostileStrings are used only with SeedOptions.Adversarial: terminal
		// escapes, bidi overrides, zero-width characters and control bytes.
		hostileStrings: []string{
			"\x1b[2J\x1b[Hscreen cleared",
			"\x1b]0;pwned title\x07",
			"\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
			"invoice\u202egnp.exe",
			"zero\u200bwidth\u200djoiner\ufeff",
			"carriage\rreturn overwrite",
			"bell\x07 and backspace\x08\x08",
			"\x1bP+q544e\x1b\\ DCS query",
			"C1 control \u009b31m red",
			"tab\there and CRLF\r\nnext line",
		},
	}
}

type payloadGen struct {
	v           *vocabulary
	rng         *rand.Rand
	adversarial bool
}

func (p payloadGen) pick(list []string) string { return list[p.rng.IntN(len(list))] }

// text returns a pick from list, or a hostile string in adversarial mode.
func (p payloadGen) text(list []string) string {
	if p.adversarial && p.rng.IntN(4) == 0 {
		return p.pick(p.v.hostileStrings)
	}
	return p.pick(list)
}

func (p payloadGen) hex(n int) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for range n {
		b.WriteByte(digits[p.rng.IntN(16)])
	}
	return b.String()
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps, slices and scalars built here are marshalled.
		panic(fmt.Sprintf("devserver: marshal seed payload: %v", err))
	}
	return b
}

// payload builds the payload of an event of trigger ref at created (µs).
// big asks for a ~200 KB payload.
func (p payloadGen) payload(ref string, id, created int64, big bool) json.RawMessage {
	at := fromMicros(created).Format(time.RFC3339)
	var v map[string]any
	switch ref {
	case "core.intervaltimer":
		v = map[string]any{"type": "interval", "interval_seconds": 60, "fired_at": at, "execution_count": id}
	case "core.crontimer":
		v = map[string]any{"type": "cron", "expression": "0 3 * * *", "timezone": "Europe/Paris", "fired_at": at}
	case "core.webhook":
		v = map[string]any{
			"method":  "POST",
			"headers": map[string]any{"content-type": "application/json", "user-agent": "curl/8.7.1", "x-request-id": p.hex(16)},
			"body":    map[string]any{"source": p.pick(p.v.services), "message": p.text(p.v.slackTexts), "count": p.rng.IntN(100)},
		}
	case "github.push":
		repo := p.pick(p.v.repoNames)
		r := "refs/heads/main"
		switch p.rng.IntN(6) {
		case 0, 1:
			r = "refs/heads/feature/" + p.hex(4)
		case 2:
			r = "refs/tags/v1." + strconv.Itoa(p.rng.IntN(30)) + ".0"
		}
		n := 1 + p.rng.IntN(3)
		commits := make([]any, 0, n)
		for range n {
			commits = append(commits, map[string]any{
				"id": p.hex(40), "message": p.text(p.v.commitMsgs), "author": map[string]any{"name": p.pick(p.v.people)},
				"added": []any{}, "modified": []any{"src/main.go"}, "removed": []any{},
			})
		}
		v = map[string]any{
			"ref": r, "before": p.hex(40), "after": p.hex(40), "forced": p.rng.IntN(20) == 0,
			"repository": map[string]any{"full_name": repo, "private": true, "default_branch": "main"},
			"pusher":     map[string]any{"name": p.pick(p.v.people)},
			"commits":    commits, "head_commit": commits[len(commits)-1],
		}
	case "github.pull_request":
		actions := []string{"opened", "opened", "synchronize", "closed", "reopened", "edited"}
		title := p.text(p.v.commitMsgs)
		v = map[string]any{
			"action": p.pick(actions), "number": 1000 + p.rng.IntN(4000),
			"pull_request": map[string]any{
				"title": title, "draft": p.rng.IntN(4) == 0, "user": map[string]any{"login": p.pick(p.v.people)},
				"additions": p.rng.IntN(500), "deletions": p.rng.IntN(300), "labels": []any{"needs-review"},
			},
			"repository": map[string]any{"full_name": p.pick(p.v.repoNames)},
		}
	case "pagerduty.incident_triggered":
		urg := "low"
		if p.rng.IntN(2) == 0 {
			urg = "high"
		}
		svc := p.pick(p.v.services)
		v = map[string]any{
			"event_type":  "incident.triggered",
			"occurred_at": at,
			"incident": map[string]any{
				"id": "Q" + strings.ToUpper(p.hex(7)), "number": p.rng.IntN(90000), "urgency": urg,
				"title":     svc + ": " + p.pick(p.v.alarmNames) + " above threshold",
				"service":   map[string]any{"id": "P" + strings.ToUpper(p.hex(6)), "name": svc},
				"assignees": []any{map[string]any{"summary": p.pick(p.v.people)}},
			},
		}
	case "slack.message":
		v = map[string]any{
			"channel": p.pick(p.v.channels), "user": "U" + strings.ToUpper(p.hex(8)), "text": p.text(p.v.slackTexts),
			"ts": strconv.FormatInt(created/1_000_000, 10) + "." + pad(int(created%1_000_000), 6),
		}
	case "kubernetes.pod_event":
		ns := p.pick(p.v.namespaces)
		dep := p.pick(p.v.services)
		v = map[string]any{
			"namespace": ns, "deployment": dep, "pod": dep + "-" + p.hex(10)[:5] + "-" + p.hex(5),
			"reason": p.pick(p.v.podReasons), "restart_count": p.rng.IntN(8),
			"container": map[string]any{"name": dep, "image": "registry.example/" + dep + ":" + p.hex(7)},
			"node":      "ip-10-0-" + strconv.Itoa(p.rng.IntN(255)) + "-" + strconv.Itoa(p.rng.IntN(255)),
			"message":   p.text([]string{"Back-off restarting failed container", "Container was OOM killed", "Liveness probe failed: HTTP probe failed with statuscode: 503"}),
		}
		if big {
			lines := make([]any, 0, 2000)
			for i := range 2000 {
				lines = append(lines, fmt.Sprintf("%s %05d level=info msg=\"request handled\" path=/api/v1/orders/%d latency_ms=%d ✓",
					at, i, p.rng.IntN(1_000_000), p.rng.IntN(900)))
			}
			v["logs"] = lines
		}
	case "aws.cloudwatch_alarm":
		v = map[string]any{
			"account": "123456789012", "region": p.pick(p.v.regions),
			"alarm": map[string]any{
				"name": p.pick(p.v.alarmNames) + "-" + p.pick(p.v.services), "metric": p.pick(p.v.alarmNames),
				"new_state": p.pick(p.v.alarmStates), "old_state": p.pick(p.v.alarmStates),
				"reason":     "Threshold Crossed: 1 datapoint [" + strconv.Itoa(p.rng.IntN(100)) + ".0] was greater than the threshold (80.0).",
				"dimensions": map[string]any{"InstanceId": "i-0" + p.hex(16)},
			},
		}
	default:
		v = map[string]any{"raw": true}
	}
	return mustJSON(v)
}

// renderParams renders a rule's action_params against an event the way the
// executor does for the simple templates used in the seed: a string that is
// exactly one "{{ expr }}" becomes the referenced value; other strings get
// each "{{ expr }}" replaced by the value's text. Supported expressions are
// event.id, event.trigger and event.payload.<path>.
func renderParams(params string, ev *eventRow) json.RawMessage {
	var v any
	if err := json.Unmarshal([]byte(params), &v); err != nil {
		return json.RawMessage(params)
	}
	var payload any
	_ = json.Unmarshal(ev.Payload, &payload)
	return mustJSON(renderValue(v, ev, payload))
}

func renderValue(v any, ev *eventRow, payload any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = renderValue(x, ev, payload)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = renderValue(x, ev, payload)
		}
		return out
	case string:
		return renderString(t, ev, payload)
	default:
		return v
	}
}

func renderString(s string, ev *eventRow, payload any) any {
	trim := strings.TrimSpace(s)
	if strings.HasPrefix(trim, "{{") && strings.HasSuffix(trim, "}}") && strings.Count(trim, "{{") == 1 {
		return lookupExpr(strings.TrimSpace(trim[2:len(trim)-2]), ev, payload)
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		val := lookupExpr(strings.TrimSpace(s[i+2:i+j]), ev, payload)
		switch x := val.(type) {
		case string:
			b.WriteString(x)
		case nil:
		default:
			b.Write(mustJSON(x))
		}
		s = s[i+j+2:]
	}
	return b.String()
}

func lookupExpr(expr string, ev *eventRow, payload any) any {
	switch {
	case expr == "event.id":
		return ev.ID
	case expr == "event.trigger" || expr == "event.trigger_ref":
		return ev.TriggerRef
	case strings.HasPrefix(expr, "event.payload."):
		cur := payload
		for _, seg := range strings.Split(strings.TrimPrefix(expr, "event.payload."), ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[seg]
		}
		return cur
	case expr == "event.payload":
		return payload
	}
	return nil
}
