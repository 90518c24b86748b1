package devserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Runtime logs (LOGS.md §1). Nothing of a log's bytes is stored: its text is
// a pure function of the seed, the execution and its log_version row, and is
// generated on each read (a few KiB; the rare truncated logs are cached).

// LogKind is the flavour of an execution's generated output. Seeded
// executions that started get one of the static kinds, chosen from the seed
// and the execution id; running executions and those started by live
// traffic get LogKindLive.
type LogKind string

// Log kinds. Failed executions always carry a Python traceback in stderr
// (except LogKindEmpty), whatever their kind.
const (
	// LogKindANSI mixes ANSI SGR colours into log lines.
	LogKindANSI LogKind = "ansi"
	// LogKindProgress writes progress bars redrawn with bare \r.
	LogKindProgress LogKind = "progress"
	// LogKindJSON writes one JSON object per line.
	LogKindJSON LogKind = "json"
	// LogKindUTF8 writes mostly multi-byte text (2-, 3- and 4-byte
	// sequences), so that any chunk boundary may fall inside a character.
	LogKindUTF8 LogKind = "utf8"
	// LogKindHostile carries terminal attacks: OSC 52 clipboard writes,
	// cursor movement, an OSC 0 title, screen clears, C1 controls (both
	// UTF-8 encoded and as raw bytes), BEL, backspaces and invalid UTF-8.
	LogKindHostile LogKind = "hostile"
	// LogKindEmpty has both streams empty (0 bytes, still sealed).
	LogKindEmpty LogKind = "empty"
	// LogKindTruncated has a stdout cut at the 10 MiB cap and ending with
	// the worker's truncation notice; only a few executions per seed.
	LogKindTruncated LogKind = "truncated"
	// LogKindLive grows while the execution runs (a few lines per second,
	// some long lines) and is sealed when it ends; a failure appends a
	// traceback to stderr.
	LogKindLive LogKind = "live"
	// LogKindExpired is not stored: the execution started, but retention
	// deleted its log versions. FindLogs accepts it.
	LogKindExpired LogKind = "expired"
)

// Log stream names of the SSE route and the artifact metadata.
const (
	StreamStdout = "stdout"
	StreamStderr = "stderr"
)

// Worker limits (LOGS.md §1).
const (
	// LogCap is the worker's default max_stdout_bytes / max_stderr_bytes.
	LogCap = 10 << 20
	// logNoticeReserve is what the worker keeps free at the cap for the
	// truncation notice.
	logNoticeReserve = 128
	// LogRetention is the default retention of log versions: seeded
	// executions that started longer before the seed base have none.
	LogRetention = 7 * 24 * time.Hour
)

// TruncationNotice returns the text the worker appends to a stream cut at
// the cap ("\n\n[OUTPUT TRUNCATED: stdout exceeded size limit]\n").
func TruncationNotice(stream string) string {
	return "\n\n[OUTPUT TRUNCATED: " + stream + " exceeded size limit]\n"
}

// Live growth: one tick of output every logTick while running, capped so
// that a stuck execution stops growing (a seeded "running" execution that
// started long ago shows its full, idle output).
const (
	logTick     = 400 * time.Millisecond
	logMaxTicks = 600
)

// logInfo is what generating an execution's log needs.
type logInfo struct {
	exec      int64
	actionRef string
	status    string
	errMsg    string // result.error, quoted by the traceback
	timeout   int32
	row       logRow
}

// terminalStatus reports whether an execution in status st has ended.
func terminalStatus(st string) bool {
	switch st {
	case "completed", "failed", "cancelled", "timeout", "abandoned":
		return true
	}
	return false
}

// logRand is the random source of one execution's stream: independent of
// the seed generator's own stream, so logs never shift other seeded data.
func logRand(seed uint64, exec int64, stream string, salt uint64) *rand.Rand {
	s := uint64(0x1095)
	if stream == StreamStderr {
		s = 0x2e77
	}
	return rand.New(rand.NewPCG(seed^0x6c6f6773^salt*0x9e3779b97f4a7c15, uint64(exec)*0x100000001b3^s))
}

// logText generates the bytes of one stream as of now (µs): the whole
// sealed log, or what a running execution has written so far.
func logText(seed uint64, in logInfo, stream string, now int64) []byte {
	if in.row.Kind == LogKindLive {
		return liveText(seed, in, stream, now)
	}
	return staticText(seed, in, stream)
}

// staticText is the sealed output of a seeded execution.
func staticText(seed uint64, in logInfo, stream string) []byte {
	rng := logRand(seed, in.exec, stream, 0)
	var b bytes.Buffer
	if in.row.Kind == LogKindEmpty {
		return []byte{}
	}
	if stream == StreamStdout {
		switch in.row.Kind {
		case LogKindTruncated:
			return truncatedText(in, stream)
		default:
			fmt.Fprintf(&b, "→ starting %s (execution %d) ✓ 日本語\n", in.actionRef, in.exec)
			writeKindLines(&b, rng, in, in.row.Kind, 6+rng.IntN(10))
		}
		switch in.status {
		case "completed":
			fmt.Fprintf(&b, "✓ %s finished OK\n", in.actionRef)
		case "timeout":
			b.WriteString("still waiting for rollout…\n")
		}
		return b.Bytes()
	}
	// stderr
	switch in.row.Kind {
	case LogKindHostile:
		writeKindLines(&b, rng, in, LogKindHostile, 3)
	case LogKindANSI:
		b.WriteString("\x1b[33mWARNING\x1b[0m: certificate for internal.example expires in 9 days\n")
	case LogKindJSON:
		b.WriteString(`{"level":"warn","msg":"retrying request","attempt":2}` + "\n")
	}
	writeTail(&b, in, stream)
	return b.Bytes()
}

// writeTail writes what a stream ends with given the final status: the
// failure traceback, the timeout kill or the cancellation.
func writeTail(b *bytes.Buffer, in logInfo, stream string) {
	if stream != StreamStderr {
		return
	}
	switch in.status {
	case "failed":
		b.WriteString(traceback(in))
	case "timeout":
		fmt.Fprintf(b, "Killed: execution exceeded its timeout of %d seconds\n", in.timeout)
	case "cancelled":
		b.WriteString("Received SIGTERM, shutting down\n")
	}
}

// traceback renders a Python traceback ending in the result's error.
func traceback(in logInfo) string {
	msg := in.errMsg
	if msg == "" {
		msg = "action failed"
	}
	exc := "RuntimeError: " + msg
	if strings.Contains(msg, ":") && !strings.Contains(msg, " ") {
		exc = msg
	} else if strings.HasPrefix(msg, "KeyError") {
		exc = msg
	}
	pack, name, _ := strings.Cut(in.actionRef, ".")
	return "Traceback (most recent call last):\n" +
		"  File \"/opt/attune/packs/" + pack + "/actions/" + name + ".py\", line 42, in run\n" +
		"    result = self.client.call(**params)\n" +
		"  File \"/usr/lib/python3.11/site-packages/attune_sdk/client.py\", line 118, in call\n" +
		"    raise RuntimeError(response.text)\n" +
		exc + "\n"
}

// writeKindLines writes n lines in the style of kind.
func writeKindLines(b *bytes.Buffer, rng *rand.Rand, in logInfo, kind LogKind, n int) {
	steps := []string{"resolving parameters", "connecting to api.internal.example", "fetching state",
		"applying change", "verifying result", "waiting for rollout", "collecting metrics"}
	for i := range n {
		step := steps[rng.IntN(len(steps))]
		switch kind {
		case LogKindANSI:
			switch rng.IntN(4) {
			case 0:
				fmt.Fprintf(b, "\x1b[31mERROR\x1b[0m %s: transient failure, retrying\n", step)
			case 1:
				fmt.Fprintf(b, "\x1b[1;33mWARN\x1b[0m  %s took %d ms\n", step, 200+rng.IntN(4000))
			default:
				fmt.Fprintf(b, "\x1b[32mINFO\x1b[0m  %s \x1b[2m(step %d)\x1b[0m\n", step, i+1)
			}
		case LogKindProgress:
			if i%3 == 0 {
				for p := 0; p <= 100; p += 10 {
					fmt.Fprintf(b, "progress %d%%\r", p)
				}
				b.WriteString("\n")
			} else {
				fmt.Fprintf(b, "downloading layer %d [%s>%s] %d%%\r", i, strings.Repeat("=", i%20), strings.Repeat(" ", 20-i%20), 5*(i%20))
				fmt.Fprintf(b, "downloading layer %d done\r\n", i)
			}
		case LogKindJSON:
			line, _ := json.Marshal(map[string]any{
				"level": []string{"info", "info", "debug", "warn"}[rng.IntN(4)], "msg": step, "step": i + 1,
				"execution": in.exec, "elapsed_ms": rng.IntN(5000),
			})
			b.Write(line)
			b.WriteByte('\n')
		case LogKindUTF8:
			words := []string{"日本語のログ", "→", "✓", "Grüße", "naïve café", "Привет", "🚀", "𝄞 clef", "Ω≈ç√∫", "한국어"}
			fmt.Fprintf(b, "%s %s %s — %s\n", words[rng.IntN(len(words))], step, words[rng.IntN(len(words))], words[rng.IntN(len(words))])
		case LogKindHostile:
			hostile := []string{
				"\x1b]52;c;ZWNobyBwd25lZCB8IHNo\x07copied to your clipboard",
				"\x1b[2A\x1b[10Cmoved the cursor up two lines",
				"\x1b]0;root@prod: rm -rf /\x07title changed",
				"\x1b[2J\x1b[Hscreen cleared",
				"C1 CSI \u009b31m as UTF-8, raw \x9b32m byte",
				"invalid UTF-8: \xff\xfe \xc3( \xe6\x97 end",
				"bell\x07 and backspace\x08\x08xx",
				"\x1bP+q544e\x1b\\ DCS query",
				"bidi \u202egnp.exe\u202c and zero\u200bwidth",
			}
			fmt.Fprintf(b, "%s: %s\n", step, hostile[(i+rng.IntN(3))%len(hostile)])
		default:
			fmt.Fprintf(b, "%s (step %d)\n", step, i+1)
		}
	}
}

// truncatedSource is how much a truncated stream's process wrote.
const truncatedSource = 14 << 20

// truncatedText is a stream at the cap: repeated numbered lines (with
// multi-byte text) cut at LogCap-128 bytes, on a character boundary, then
// the notice.
func truncatedText(in logInfo, stream string) []byte {
	limit := LogCap - logNoticeReserve
	b := make([]byte, 0, LogCap)
	b = fmt.Appendf(b, "→ starting %s (execution %d) ✓ 日本語\n", in.actionRef, in.exec)
	for n := 1; len(b) < limit; n++ {
		b = append(b, "row "...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ": exported record → ok ✓ 日本語 payload=0123456789abcdef0123456789abcdef\n"...)
	}
	cut := limit
	for cut > 0 && b[cut]&0xC0 == 0x80 {
		cut--
	}
	b = append(b[:cut], TruncationNotice(stream)...)
	return b
}

// liveTicks is how many ticks a live log shows at now (µs).
func liveTicks(row logRow, now int64) int {
	end := now
	if row.Sealed != nil {
		end = *row.Sealed
	}
	if end < row.Created {
		return 0
	}
	return min(int((end-row.Created)/logTick.Microseconds())+1, logMaxTicks)
}

// liveNextChange is when (µs) a pending live log next grows, or 0 when it
// will not grow by time alone.
func liveNextChange(row logRow, now int64) int64 {
	if row.Sealed != nil || row.Kind != LogKindLive {
		return 0
	}
	k := liveTicks(row, now)
	if k >= logMaxTicks {
		return 0
	}
	return row.Created + int64(k)*logTick.Microseconds()
}

// liveText is a live log: the ticks written by now (or by the seal), plus
// the status tail once sealed.
func liveText(seed uint64, in logInfo, stream string, now int64) []byte {
	var b bytes.Buffer
	ticks := liveTicks(in.row, now)
	for k := range ticks {
		rng := logRand(seed, in.exec, stream, uint64(k)+1)
		if stream == StreamStderr {
			if k%10 == 9 {
				fmt.Fprintf(&b, "WARNING: slow response from api.internal.example (%d ms)\n", 500+rng.IntN(3000))
			}
			continue
		}
		if k == 0 {
			fmt.Fprintf(&b, "→ starting %s (execution %d) ✓ 日本語\n", in.actionRef, in.exec)
			continue
		}
		for range 1 + rng.IntN(3) {
			switch rng.IntN(8) {
			case 0:
				fmt.Fprintf(&b, "payload %s\n", strings.Repeat("ab→", 100+rng.IntN(600)))
			case 1:
				fmt.Fprintf(&b, "progress %d%%\r", rng.IntN(100))
			case 2:
				fmt.Fprintf(&b, "\x1b[32mINFO\x1b[0m tick %d ✓\n", k)
			default:
				fmt.Fprintf(&b, "step %d: processed %d items\n", k, rng.IntN(1000))
			}
		}
	}
	if in.row.Sealed != nil {
		if stream == StreamStdout && in.status == "completed" {
			fmt.Fprintf(&b, "✓ %s finished OK\n", in.actionRef)
		}
		writeTail(&b, in, stream)
	}
	return b.Bytes()
}
