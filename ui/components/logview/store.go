package logview

import (
	"strings"
	"time"
)

// Limits of what the viewer holds. Upstream caps each stream at 10 MiB, so a
// well-behaved server never reaches MaxBytes; a misbehaving one makes the
// viewer drop the oldest lines instead of growing without bound.
const (
	// MaxBytes is how many bytes of log text the viewer keeps.
	MaxBytes = 16 << 20
	// MaxLines is how many lines the viewer keeps.
	MaxLines = 400_000
	// maxLineBytes caps one drawn line (a 10 MiB line is drawn cut).
	maxLineBytes = 16 << 10
	// maxPartial is the longest unfinished last line kept as such.
	maxPartial = 4 << 20
)

// truncationMark starts the notice the worker appends when it cuts a stream
// at its size cap.
const truncationMark = "[OUTPUT TRUNCATED: "

// Content is a log split into lines, built off the UI loop by Build and
// handed to the viewer with SetContent.
type Content struct {
	lines   []string
	errs    []int
	partial string
	bytes   int
}

// Build splits a complete log into lines. "\n", "\r\n" and a lone "\r" (a
// progress bar redrawing itself) each end a line. It indexes the lines that
// look like errors. It costs O(len(text)) and belongs in a tea.Cmd.
func Build(text string) Content {
	var c Content
	c.appendText(text)
	return c
}

// Lines returns how many lines c holds (a last line without a newline
// counts).
func (c Content) Lines() int {
	if c.partial != "" {
		return len(c.lines) + 1
	}
	return len(c.lines)
}

// appendText adds text to c, continuing the last partial line.
func (c *Content) appendText(text string) {
	if text == "" {
		return
	}
	c.bytes += len(text)
	s := text
	if c.partial != "" {
		s = c.partial + text
		c.partial = ""
	}
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			if len(s) > maxPartial {
				// A "line" this long never ends: keep it as a line so
				// the caps can drop it like any other.
				c.push(s)
				return
			}
			c.partial = s
			return
		}
		line := s[:i]
		next := i + 1
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			next = i + 2
		} else if s[i] == '\r' && i+1 == len(s) {
			// A trailing CR may be the first half of a CRLF that arrives
			// with the next chunk: keep it pending.
			c.partial = s
			return
		}
		c.push(line)
		s = s[next:]
	}
}

// push adds one complete line.
func (c *Content) push(line string) {
	if looksLikeError(line) {
		c.errs = append(c.errs, len(c.lines))
	}
	c.lines = append(c.lines, line)
}

// line returns line i, the partial last line included.
func (c *Content) line(i int) string {
	if i < len(c.lines) {
		return c.lines[i]
	}
	return strings.TrimSuffix(c.partial, "\r")
}

// errorWords mark a line as error-looking for the jump keys.
var errorWords = [...]string{"Traceback", "ERROR", "Error:", "Exception", "panic:", "FATAL", "CRITICAL", "error:", "[OUTPUT TRUNCATED"}

// looksLikeError reports whether line looks like the start of a failure.
func looksLikeError(line string) bool {
	if len(line) > maxLineBytes {
		line = line[:maxLineBytes]
	}
	for _, w := range errorWords {
		if strings.Contains(line, w) {
			return true
		}
	}
	return false
}

// store is the viewer's text: the lines it holds, when each arrived, and
// how many older lines were dropped to stay within MaxBytes/MaxLines. Line
// numbers are absolute: line n is lines[n-dropped]. Existing elements are
// never modified, only appended or dropped from the front, so a command may
// read a snapshot while the store grows.
type store struct {
	Content
	at      []time.Time // arrival of each line; nil for a downloaded log
	dropped int
}

// total is the absolute number of lines, dropped ones included.
func (s *store) total() int { return s.dropped + s.Lines() }

// get returns absolute line n ("" when it is not held).
func (s *store) get(n int) string {
	i := n - s.dropped
	if i < 0 || i >= s.Lines() {
		return ""
	}
	return s.line(i)
}

// arrival returns when absolute line n arrived (zero when unknown).
func (s *store) arrival(n int) time.Time {
	i := n - s.dropped
	if i < 0 || i >= len(s.at) {
		return time.Time{}
	}
	return s.at[i]
}

// appendAt appends streamed text that arrived at t and enforces the caps.
func (s *store) appendAt(text string, t time.Time) {
	before := len(s.lines)
	s.appendText(text)
	for range len(s.lines) - before {
		s.at = append(s.at, t)
	}
	s.enforce()
}

// enforce drops the oldest lines while the store is over its caps. The
// slices are copied now and then so dropped lines can be collected.
func (s *store) enforce() {
	over := 0
	for over < len(s.lines) && (s.bytes > MaxBytes || len(s.lines)-over > MaxLines) {
		s.bytes -= len(s.lines[over]) + 1
		over++
	}
	if over == 0 {
		return
	}
	s.dropped += over
	s.lines = s.lines[over:]
	if len(s.at) >= over {
		s.at = s.at[over:]
	}
	k := 0
	for k < len(s.errs) && s.errs[k] < over {
		k++
	}
	errs := make([]int, 0, len(s.errs)-k)
	for _, e := range s.errs[k:] {
		errs = append(errs, e-over)
	}
	s.errs = errs
	if cap(s.lines) > 2*len(s.lines)+1024 {
		s.lines = append([]string(nil), s.lines...)
		s.at = append([]time.Time(nil), s.at...)
	}
}

// nextError returns the absolute number of the first error-looking line
// after n (before n when back), or -1.
func (s *store) nextError(n int, back bool) int {
	i := n - s.dropped
	errs := s.errs
	if back {
		for k := len(errs) - 1; k >= 0; k-- {
			if errs[k] < i {
				return errs[k] + s.dropped
			}
		}
		return -1
	}
	for _, e := range errs {
		if e > i {
			return e + s.dropped
		}
	}
	return -1
}

// truncated reports whether the log ends with the worker's truncation
// notice.
func (s *store) truncated() bool {
	for k := s.Lines() - 1; k >= 0 && k >= s.Lines()-3; k-- {
		if strings.HasPrefix(s.line(k), truncationMark) {
			return true
		}
	}
	return false
}
