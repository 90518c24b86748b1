package conditions

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// runWordVM reports whether prog (compiled from a translated pattern)
// matches anywhere in s, with Rust's Unicode word boundaries.
//
// It is an NFA simulation of prog over the runes of s: at every position
// the set of live instructions is closed over the empty-width steps, a
// new thread starts (unanchored search), and each rune instruction that
// accepts the next rune moves on to the following position. Each
// instruction is visited at most once per position. This decides exactly
// whether some path through prog accepts some substring of s, which is what
// regexp.MatchString decides for the same program; the only differences are
// the assertions:
//
//   - \b and \B use isWordRune (Rust's Unicode \w) instead of ASCII word
//     characters; the text edges count as non-word characters;
//   - the empty group a special word boundary was translated to passes only
//     where that assertion holds (looks maps its opening capture index).
//
// Positions are rune boundaries, as in Rust's search of a &str.
//
// The work is at most len(prog.Inst) steps per rune, as for Go's own NFA
// (which regexp uses on large text), and s is bounded by MaxValueBytes, so
// there is no limit of its own.
func runWordVM(prog *syntax.Prog, looks map[int]lookKind, s string) bool {
	n := len(prog.Inst)
	cur, next := newPCSet(n), newPCSet(n)
	var stack []uint32
	anchored := prog.StartCond()&syntax.EmptyBeginText != 0
	prev := rune(-1) // the rune before pos, -1 at the start
	for pos := 0; ; {
		r, width := rune(-1), 0
		if pos < len(s) {
			r, width = utf8.DecodeRuneInString(s[pos:])
		}
		before, after := isWordRune(prev), isWordRune(r)
		ctx := syntax.EmptyOpContext(prev, r) &^ (syntax.EmptyWordBoundary | syntax.EmptyNoWordBoundary)
		if before != after {
			ctx |= syntax.EmptyWordBoundary
		} else {
			ctx |= syntax.EmptyNoWordBoundary
		}
		// Close the threads that reached pos (in next) plus a new one.
		cur.clear()
		stack = append(stack[:0], next.dense...)
		if pos == 0 || !anchored {
			stack = append(stack, uint32(prog.Start))
		}
		next.clear()
		for len(stack) > 0 {
			pc := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !cur.add(pc) {
				continue
			}
			inst := &prog.Inst[pc]
			switch inst.Op {
			case syntax.InstMatch:
				return true
			case syntax.InstAlt, syntax.InstAltMatch:
				stack = append(stack, inst.Out, inst.Arg)
			case syntax.InstNop:
				stack = append(stack, inst.Out)
			case syntax.InstCapture:
				if k, ok := looks[int(inst.Arg)]; !ok || lookHolds(k, before, after) {
					stack = append(stack, inst.Out)
				}
			case syntax.InstEmptyWidth:
				if syntax.EmptyOp(inst.Arg)&^ctx == 0 {
					stack = append(stack, inst.Out)
				}
			}
		}
		if r < 0 {
			return false
		}
		// Step the rune instructions over r.
		for _, pc := range cur.dense {
			inst := &prog.Inst[pc]
			var ok bool
			switch inst.Op {
			case syntax.InstRune1:
				ok = r == inst.Rune[0]
			case syntax.InstRune:
				ok = inst.MatchRune(r)
			case syntax.InstRuneAny:
				ok = true
			case syntax.InstRuneAnyNotNL:
				ok = r != '\n'
			}
			if ok {
				next.add(inst.Out)
			}
		}
		if anchored && len(next.dense) == 0 {
			return false
		}
		prev, pos = r, pos+width
	}
}

// lookHolds evaluates a special word boundary between a rune that is (or
// is not) a word character and the next one.
func lookHolds(k lookKind, before, after bool) bool {
	switch k {
	case lookWordStart:
		return !before && after
	case lookWordEnd:
		return before && !after
	case lookWordStartHalf:
		return !before
	default: // lookWordEndHalf
		return !after
	}
}

// isWordRune reports whether r is in Rust's Unicode \w: Alphabetic, M, Nd,
// Pc or Join_Control. It is false for -1 (a text edge).
func isWordRune(r rune) bool {
	if r < 0 {
		return false
	}
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_Alphabetic, unicode.M, unicode.Nd, unicode.Pc, unicode.Join_Control)
}

// pcSet is a sparse set of instruction indexes with insertion order.
type pcSet struct {
	sparse []uint32
	dense  []uint32
}

func newPCSet(n int) *pcSet {
	return &pcSet{sparse: make([]uint32, n), dense: make([]uint32, 0, n)}
}

// add inserts pc and reports whether it was new.
func (s *pcSet) add(pc uint32) bool {
	if i := s.sparse[pc]; int(i) < len(s.dense) && s.dense[i] == pc {
		return false
	}
	s.sparse[pc] = uint32(len(s.dense))
	s.dense = append(s.dense, pc)
	return true
}

func (s *pcSet) clear() { s.dense = s.dense[:0] }
