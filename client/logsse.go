package client

import (
	"bytes"
	"errors"
	"io"
	"strings"
)

// maxSSELine caps one line of a log stream, and maxSSEData the joined data
// of one event, so that a hostile server cannot grow memory without bound.
// An RT-EX2 chunk is at most 1 MiB of raw log, which decodes to at most
// 3 MiB of text (every invalid byte becomes U+FFFD).
const (
	maxSSELine = 4 << 20
	maxSSEData = 4 << 20
)

// errSSETooLarge is returned for a line or event over the caps.
var errSSETooLarge = errors.New("log stream: line or event over 4 MiB")

// sseFrame is one thing the SSE reader produced: a comment or a complete
// event.
type sseFrame struct {
	comment bool   // a ":" line; text holds what follows (one space stripped)
	text    string // comment text
	name    string // event name ("" when the event had no "event" field)
	data    string // data lines joined with "\n"
	id      string // the event's "id" field
	hasID   bool
}

// sseReader splits a text/event-stream body into frames. Lines end in
// "\n", "\r\n" or "\r"; an event ends at a blank line and is dispatched even
// when it has no data (the log stream's "done" may carry none). An event cut
// short by the end of the body is dropped, as the SSE spec says. "retry" and
// unknown fields are ignored.
type sseReader struct {
	r        io.Reader
	buf      []byte
	pos, end int
	rerr     error // the error that ended the body, after buf is drained
	skipLF   bool  // the last line ended in "\r": a "\n" right after belongs to it
	line     []byte

	name    string
	data    []byte
	hasData bool
	id      string
	hasID   bool
}

// newSSEReader returns a reader of r.
func newSSEReader(r io.Reader) *sseReader {
	return &sseReader{r: r, buf: make([]byte, 32<<10)}
}

// readLine returns the next line without its terminator. The slice is valid
// until the next call. A line cut short by the end of the body is dropped
// and the body's error returned.
func (p *sseReader) readLine() ([]byte, error) {
	p.line = p.line[:0]
	for {
		if p.pos == p.end {
			if p.rerr != nil {
				return nil, p.rerr
			}
			n, err := p.r.Read(p.buf)
			p.pos, p.end, p.rerr = 0, n, err
			continue
		}
		chunk := p.buf[p.pos:p.end]
		if p.skipLF {
			p.skipLF = false
			if chunk[0] == '\n' {
				p.pos++
				continue
			}
		}
		i := bytes.IndexAny(chunk, "\r\n")
		if i < 0 {
			if len(p.line)+len(chunk) > maxSSELine {
				return nil, errSSETooLarge
			}
			p.line = append(p.line, chunk...)
			p.pos = p.end
			continue
		}
		if len(p.line)+i > maxSSELine {
			return nil, errSSETooLarge
		}
		p.line = append(p.line, chunk[:i]...)
		p.skipLF = chunk[i] == '\r'
		p.pos += i + 1
		return p.line, nil
	}
}

// next returns the next comment or complete event.
func (p *sseReader) next() (sseFrame, error) {
	for {
		line, err := p.readLine()
		if err != nil {
			return sseFrame{}, err
		}
		if len(line) == 0 {
			if p.name == "" && !p.hasData && !p.hasID {
				continue
			}
			f := sseFrame{name: p.name, data: string(p.data), id: p.id, hasID: p.hasID}
			p.name, p.data, p.hasData, p.id, p.hasID = "", p.data[:0], false, "", false
			return f, nil
		}
		if line[0] == ':' {
			return sseFrame{comment: true, text: strings.TrimPrefix(string(line[1:]), " ")}, nil
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(field) {
		case "event":
			p.name = string(value)
		case "data":
			if p.hasData {
				p.data = append(p.data, '\n')
			}
			if len(p.data)+len(value) > maxSSEData {
				return sseFrame{}, errSSETooLarge
			}
			p.data = append(p.data, value...)
			p.hasData = true
		case "id":
			if bytes.IndexByte(value, 0) < 0 {
				p.id, p.hasID = string(value), true
			}
		}
	}
}
