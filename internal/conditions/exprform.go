package conditions

// evalExpression evaluates the expression form (§4).
func evalExpression(src string, ev Event) Result {
	return Result{Shape: Expression, Reason: "expression form: evaluator not implemented yet (never reported as a match)",
		Expr: &ExprResult{Source: src, Err: "not implemented yet", ErrStart: -1, ErrEnd: -1}}
}
