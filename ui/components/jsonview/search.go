package jsonview

import (
	"bytes"
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
)

// matcher tests keys and values against a search query. A query with an
// upper-case letter is case-sensitive; otherwise ASCII letters match either
// case (other characters must match exactly).
type matcher struct {
	needle []byte
	fold   bool
}

func newMatcher(query string) matcher {
	fold := strings.IndexFunc(query, unicode.IsUpper) < 0
	needle := []byte(query)
	if fold {
		needle = bytes.ToLower(needle)
	}
	return matcher{needle: needle, fold: fold}
}

func (mt matcher) contains(hay []byte) bool {
	if len(mt.needle) == 0 {
		return false
	}
	if mt.fold {
		return containsFold(hay, mt.needle)
	}
	return bytes.Contains(hay, mt.needle)
}

// str returns the decoded content of a string token without allocating when
// it has no escapes.
func str(tok []byte, esc bool) []byte {
	if !esc {
		return tok[1 : len(tok)-1]
	}
	s, _ := unquote(tok, true, 0)
	return []byte(s)
}

// key reports whether the key of node n matches.
func (mt matcher) key(d *Document, n int32) bool {
	nd := &d.nodes[n]
	return nd.keyLen > 0 && mt.contains(str(d.raw[nd.key:nd.key+nd.keyLen], nd.flags&flagKeyEsc != 0))
}

// value reports whether the scalar value of node n matches.
func (mt matcher) value(d *Document, n int32) bool {
	nd := &d.nodes[n]
	tok := d.raw[nd.off : nd.off+nd.size]
	switch nd.kind {
	case kindObject, kindArray:
		return false
	case kindString:
		return mt.contains(str(tok, nd.flags&flagValEsc != 0))
	case kindNumber, kindBool, kindNull, kindRaw:
		return mt.contains(tok)
	}
	return false
}

// searchCmd searches doc for query off the UI loop. The document is
// immutable, so the command shares it safely.
func searchCmd(doc *Document, seq int, query string) tea.Cmd {
	return func() tea.Msg {
		return searchDoneMsg{doc: doc, seq: seq, query: query, matches: doc.search(newMatcher(query))}
	}
}

// search returns the nodes whose key or scalar value matches, in document
// order.
func (d *Document) search(mt matcher) []int32 {
	if d == nil || len(mt.needle) == 0 {
		return nil
	}
	var out []int32
	for i := range d.nodes {
		if mt.key(d, int32(i)) || mt.value(d, int32(i)) {
			out = append(out, int32(i))
		}
	}
	return out
}

// containsFold reports whether hay contains needle (already lower-case),
// folding ASCII letters of hay.
func containsFold(hay, needle []byte) bool {
	first := needle[0]
	upper := first
	if first >= 'a' && first <= 'z' {
		upper = first - 'a' + 'A'
	}
	for i := 0; i+len(needle) <= len(hay); i++ {
		if c := hay[i]; c != first && c != upper {
			continue
		}
		j := 1
		for ; j < len(needle); j++ {
			c := hay[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				break
			}
		}
		if j == len(needle) {
			return true
		}
	}
	return false
}
