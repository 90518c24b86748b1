package jsonview

import (
	"strconv"
	"strings"
)

// SelectedPath returns the jq-style path of the selected node, such as
// `.alerts[0].labels.severity`; keys that are not identifiers are quoted,
// as in `["a.b"]`, with control characters escaped. The root is ".". It is
// empty when there is no parsed document.
func (m Model) SelectedPath() string {
	if m.doc.Empty() || m.doc.err != nil {
		return ""
	}
	return m.doc.path(m.cursor.n, 0)
}

// path returns the path of node n. With limit > 0 it stops once the path is
// at least limit bytes long and marks the cut with a leading "…", so that
// the cost stays bounded for very deep nodes.
func (d *Document) path(n int32, limit int) string {
	var segs []string
	size := 0
	cut := false
	for ; n >= 0 && d.nodes[n].parent >= 0; n = d.nodes[n].parent {
		if limit > 0 && size >= limit {
			cut = true
			break
		}
		s := d.segment(n, limit)
		segs = append(segs, s)
		size += len(s)
	}
	if len(segs) == 0 {
		return "."
	}
	var b strings.Builder
	b.Grow(size + 3)
	if cut {
		b.WriteString("…")
	}
	for i := len(segs) - 1; i >= 0; i-- {
		b.WriteString(segs[i])
	}
	return b.String()
}

// segment returns the path segment of node n within its parent. With
// limit > 0 a longer key is cut and marked with "…".
func (d *Document) segment(n int32, limit int) string {
	nd := &d.nodes[n]
	if d.nodes[nd.parent].kind == kindArray {
		return "[" + strconv.Itoa(int(nd.key)) + "]"
	}
	k, cut := unquote(d.raw[nd.key:nd.key+nd.keyLen], nd.flags&flagKeyEsc != 0, limit)
	if isIdent(k) && !cut {
		return "." + k
	}
	q := strconv.Quote(k)
	if cut {
		q = q[:len(q)-1] + "…\""
	}
	return "[" + q + "]"
}

// isIdent reports whether k can follow a "." in a path unquoted.
func isIdent(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9') {
			continue
		}
		return false
	}
	return true
}
