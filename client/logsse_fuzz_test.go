package client

import (
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// chunkReader returns its data in reads of 1..n bytes, to move every line
// end across read boundaries.
type chunkReader struct {
	data []byte
	n    int
	i    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(len(c.data), len(p), 1+c.i%c.n)
	c.i++
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

// readFrames reads all frames of body through r.
func readFrames(t *testing.T, r io.Reader) ([]sseFrame, error) {
	t.Helper()
	p := newSSEReader(r)
	var out []sseFrame
	for range 1 << 20 {
		f, err := p.next()
		if err != nil {
			return out, err
		}
		if len(f.data) > maxSSEData {
			t.Fatalf("event data of %d bytes over the cap", len(f.data))
		}
		out = append(out, f)
	}
	t.Fatal("parser did not terminate")
	return nil, nil
}

// axumFrame frames text as one content event the way axum does: every
// "\n" and every "\r" starts a new data line.
func axumFrame(id int, text string) string {
	var b strings.Builder
	b.WriteString("id: " + strconv.Itoa(id) + "\nevent: content\n")
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' || text[i] == '\r' {
			b.WriteString("data: " + text[start:i] + "\n")
			start = i + 1
		}
	}
	b.WriteString("data: " + text[start:] + "\n\n")
	return b.String()
}

// FuzzLogSSE feeds arbitrary bodies to the log stream's SSE reader: it must
// terminate without panicking, produce the same frames however the body is
// split into reads, keep the cursor between the previous cursor and the
// text's end, and round-trip any log text framed the way the server frames
// it ("\r" coming back as "\n").
func FuzzLogSSE(f *testing.F) {
	seeds := []string{
		"event: waiting\ndata: Waiting for log output\n\nid: 29\nevent: content\ndata: probing https://example.test\ndata: \n\n: initial-catchup-complete\n\nevent: done\ndata: Execution complete\n\n",
		"event: done\n\n",
		"event: done\r\n\r\n",
		"id: 3\revent: append\rdata: a\rdata: b\r\r",
		":\n\n: log-stream-changed\n\nevent: error\ndata: {\"code\":\"invalid_log_cursor\",\"message\":\"x\",\"retryable\":false}\n\n",
		"id: 4\nevent: content\ndata: ab\n\nid: 7\nevent: content\ndata: \u20acc\n\n",
		"data:x\nid\nevent\n\nretry: 5\n\n\xff\xfe\n\n",
		"id: 1\x00\nevent: append\ndata: z",
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i+1))
	}
	f.Fuzz(checkSSE)
}

// checkSSE is FuzzLogSSE's property check for one body and read split.
func checkSSE(t *testing.T, body []byte, split uint8) {
	whole, werr := readFrames(t, strings.NewReader(string(body)))
	parts, perr := readFrames(t, &chunkReader{data: body, n: int(split%16) + 1})
	if !errors.Is(werr, io.EOF) || !errors.Is(perr, io.EOF) {
		if !errors.Is(werr, errSSETooLarge) || !errors.Is(perr, errSSETooLarge) {
			t.Fatalf("errors %v / %v", werr, perr)
		}
	}
	if len(whole) != len(parts) {
		t.Fatalf("%d frames whole, %d split", len(whole), len(parts))
	}
	cursor := int64(0)
	for i := range whole {
		if whole[i] != parts[i] {
			t.Fatalf("frame %d: %+v whole, %+v split", i, whole[i], parts[i])
		}
		if next := advance(cursor, whole[i]); next < cursor || next > cursor+int64(len(whole[i].data)) {
			t.Fatalf("cursor %d -> %d for %d bytes", cursor, next, len(whole[i].data))
		} else {
			cursor = next
		}
	}

	text := string(body)
	framed, err := readFrames(t, &chunkReader{data: []byte(axumFrame(len(text), text)), n: int(split%7) + 1})
	if !errors.Is(err, io.EOF) || len(framed) != 1 {
		t.Fatalf("framed text: %d frames, %v", len(framed), err)
	}
	if want := strings.ReplaceAll(text, "\r", "\n"); framed[0].data != want || framed[0].name != "content" {
		t.Fatalf("round trip %q -> %q", want, framed[0].data)
	}
	if got := advance(0, framed[0]); got != int64(len(text)) {
		t.Fatalf("cursor %d after %d bytes", got, len(text))
	}
}

// TestLogSSERandomBodies runs checkSSE on bodies assembled at random (with
// a fixed seed) from the pieces that matter: field names, line ends of all
// three kinds, comments, split UTF-8 and invalid bytes.
func TestLogSSERandomBodies(t *testing.T) {
	t.Parallel()
	pieces := []string{"event: ", "data: ", "data:", "id: ", "retry: 1", ":", ": initial-catchup-complete", "content", "append", "done",
		"waiting", "error", "\n", "\r", "\r\n", "\n\n", "\r\r", "12", "x", " ", "\xe2\x82", "\xac", "\xff", "\x00", "{\"code\":\"a\",\"retryable\":true}"}
	rng := rand.New(rand.NewPCG(7, 9))
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkSSE(t, []byte(b.String()), uint8(rng.IntN(256)))
	}
}
