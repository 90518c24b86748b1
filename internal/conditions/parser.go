package conditions

import "fmt"

// node is one node of the parsed expression.
type node struct {
	kind       NodeKind
	op         string // unary/binary operator
	name       string // identifier, member or function name
	lit        any    // literal value
	kids       []*node
	start, end int
}

// parser is a recursive-descent parser with the precedence of §4, lowest
// first: or, and, prefix not, comparisons (== != < > <= >= in, left
// associative), + -, * / %, unary -, postfix (.name, [expr], call).
type parser struct {
	toks  []token
	pos   int
	depth int
}

// parse parses a whole expression; all input must be consumed.
func parse(src string) (*node, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t, "end of expression")
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

// is reports whether the next token is the symbol or keyword s.
func (p *parser) is(s string) bool {
	t := p.peek()
	return (t.kind == tokSymbol || t.kind == tokKeyword) && t.text == s
}

func (p *parser) unexpected(t token, want string) error {
	if t.kind == tokEOF {
		return &syntaxError{fmt.Sprintf("unexpected end of expression, expected %s", want), t.start, t.end}
	}
	return &syntaxError{fmt.Sprintf("unexpected %s, expected %s", describeToken(t), want), t.start, t.end}
}

func describeToken(t token) string {
	switch t.kind {
	case tokInt, tokFloat:
		return "number"
	case tokString:
		return "string"
	case tokIdent:
		return fmt.Sprintf("identifier %q", t.text)
	case tokKeyword:
		return fmt.Sprintf("keyword %q", t.text)
	case tokSymbol:
		return fmt.Sprintf("%q", t.text)
	case tokEOF:
		return "end of expression"
	}
	return "token"
}

// enter guards the recursion depth.
func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		t := p.peek()
		return &syntaxError{fmt.Sprintf("expression nested deeper than %d levels", MaxDepth), t.start, t.end}
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func (p *parser) expr() (*node, error) { return p.or() }

func binary(op string, l, r *node) *node {
	return &node{kind: KindBinary, op: op, kids: []*node{l, r}, start: l.start, end: r.end}
}

func (p *parser) or() (*node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.is("or") {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = binary("or", l, r)
	}
	return l, nil
}

func (p *parser) and() (*node, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.is("and") {
		p.next()
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		l = binary("and", l, r)
	}
	return l, nil
}

func (p *parser) not() (*node, error) {
	if p.is("not") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		t := p.next()
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &node{kind: KindUnary, op: "not", kids: []*node{x}, start: t.start, end: x.end}, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (*node, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if !((t.kind == tokSymbol && (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == ">" ||
			t.text == "<=" || t.text == ">=")) || (t.kind == tokKeyword && t.text == "in")) {
			return l, nil
		}
		p.next()
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		l = binary(t.text, l, r)
	}
}

func (p *parser) additive() (*node, error) {
	l, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	for p.is("+") || p.is("-") {
		t := p.next()
		r, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		l = binary(t.text, l, r)
	}
	return l, nil
}

func (p *parser) multiplicative() (*node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.is("*") || p.is("/") || p.is("%") {
		t := p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = binary(t.text, l, r)
	}
	return l, nil
}

func (p *parser) unary() (*node, error) {
	if p.is("-") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		t := p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &node{kind: KindUnary, op: "-", kids: []*node{x}, start: t.start, end: x.end}, nil
	}
	return p.postfix()
}

func (p *parser) postfix() (*node, error) {
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.is("."):
			p.next()
			t := p.next()
			if t.kind != tokIdent && t.kind != tokKeyword {
				return nil, p.unexpected(t, "a member name after '.' (use [i] for indexes)")
			}
			n = &node{kind: KindMember, name: t.text, kids: []*node{n}, start: n.start, end: t.end}
		case p.is("["):
			if err := p.enter(); err != nil {
				return nil, err
			}
			p.next()
			idx, err := p.expr()
			if err != nil {
				return nil, err
			}
			t := p.next()
			if !(t.kind == tokSymbol && t.text == "]") {
				return nil, p.unexpected(t, "']'")
			}
			p.leave()
			n = &node{kind: KindIndex, kids: []*node{n, idx}, start: n.start, end: t.end}
		default:
			return n, nil
		}
	}
}

func (p *parser) primary() (*node, error) {
	t := p.next()
	switch t.kind {
	case tokInt:
		return &node{kind: KindLiteral, lit: t.i, start: t.start, end: t.end}, nil
	case tokFloat:
		return &node{kind: KindLiteral, lit: t.f, start: t.start, end: t.end}, nil
	case tokString:
		return &node{kind: KindLiteral, lit: t.text, start: t.start, end: t.end}, nil
	case tokKeyword:
		switch t.text {
		case "true":
			return &node{kind: KindLiteral, lit: true, start: t.start, end: t.end}, nil
		case "false":
			return &node{kind: KindLiteral, lit: false, start: t.start, end: t.end}, nil
		case "null":
			return &node{kind: KindLiteral, lit: nil, start: t.start, end: t.end}, nil
		}
	case tokIdent:
		if !p.is("(") {
			return &node{kind: KindIdent, name: t.text, start: t.start, end: t.end}, nil
		}
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.next()
		args, end, err := p.list(")")
		if err != nil {
			return nil, err
		}
		return &node{kind: KindCall, name: t.text, kids: args, start: t.start, end: end}, nil
	case tokSymbol:
		switch t.text {
		case "(":
			if err := p.enter(); err != nil {
				return nil, err
			}
			defer p.leave()
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			c := p.next()
			if !(c.kind == tokSymbol && c.text == ")") {
				return nil, p.unexpected(c, "')'")
			}
			// Keep the parentheses in the span so the UI can point at them.
			x.start, x.end = t.start, c.end
			return x, nil
		case "[":
			if err := p.enter(); err != nil {
				return nil, err
			}
			defer p.leave()
			elems, end, err := p.list("]")
			if err != nil {
				return nil, err
			}
			return &node{kind: KindArray, kids: elems, start: t.start, end: end}, nil
		}
	case tokEOF:
	}
	return nil, p.unexpected(t, "an expression")
}

// list parses comma-separated expressions up to the closing symbol, allowing
// a trailing comma, and returns them with the end offset of the closer.
func (p *parser) list(closer string) ([]*node, int, error) {
	var out []*node
	for {
		if p.is(closer) {
			return out, p.next().end, nil
		}
		x, err := p.expr()
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
		t := p.next()
		switch {
		case t.kind == tokSymbol && t.text == closer:
			return out, t.end, nil
		case t.kind == tokSymbol && t.text == ",":
		default:
			return nil, 0, p.unexpected(t, fmt.Sprintf("',' or '%s'", closer))
		}
	}
}
