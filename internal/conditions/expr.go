package conditions

import "encoding/json"

// ExprResult is the evaluation of the expression form.
type ExprResult struct {
	// Source is the expression text after extraction of one outer {{ }}.
	Source string
	// Value is the JSON text of the expression's value, nil on error.
	Value json.RawMessage
	// Truthy is the truthiness of Value (the verdict when Err is empty).
	Truthy bool
	// Err is the tokenizer, parser or evaluation error, if any.
	Err string
	// ErrStart and ErrEnd locate Err in Source (byte offsets), or are -1.
	ErrStart, ErrEnd int
	// Root is the parsed expression tree, nil if parsing failed.
	Root *ExprNode
}

// NodeState says whether a sub-expression was evaluated.
type NodeState string

// States of an expression node after evaluation.
const (
	// NodeEvaluated means Value holds the node's value.
	NodeEvaluated NodeState = "evaluated"
	// NodeError means the node failed; Err says why.
	NodeError NodeState = "error"
	// NodeNotEvaluated means the node was never evaluated (short-circuit,
	// or an earlier error).
	NodeNotEvaluated NodeState = "not_evaluated"
)

// NodeKind is the syntactic kind of an expression node.
type NodeKind string

// Kinds of expression nodes (the eight AST node kinds upstream has).
const (
	// KindLiteral is a number, string, true, false or null literal.
	KindLiteral NodeKind = "literal"
	// KindArray is an array literal; Children are its elements.
	KindArray NodeKind = "array"
	// KindIdent is a variable reference; Name is the identifier.
	KindIdent NodeKind = "ident"
	// KindMember is a.name; Children[0] is a, Name is the member.
	KindMember NodeKind = "member"
	// KindIndex is a[i]; Children are a and i.
	KindIndex NodeKind = "index"
	// KindCall is name(args); Name is the function, Children the arguments.
	KindCall NodeKind = "call"
	// KindUnary is -x or not x; Op is "-" or "not".
	KindUnary NodeKind = "unary"
	// KindBinary is a op b; Op is the operator.
	KindBinary NodeKind = "binary"
)

// ExprNode is one sub-expression with its source span and evaluation state.
type ExprNode struct {
	// Kind is the syntactic kind.
	Kind NodeKind
	// Op is the operator of unary and binary nodes.
	Op string
	// Name is the identifier, member or function name.
	Name string
	// Start and End are the byte offsets of the node's text in Source.
	Start, End int
	// Children are the operands, in source order.
	Children []*ExprNode
	// State says whether the node was evaluated.
	State NodeState
	// Value is the JSON text of the node's value when State is evaluated,
	// nil if Elided.
	Value json.RawMessage
	// Elided reports that the value was larger than MaxNodeValueBytes and
	// is not kept.
	Elided bool
	// Err is the error when State is error.
	Err string
}
