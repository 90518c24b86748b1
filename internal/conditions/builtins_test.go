package conditions

import (
	"go/ast"
	goparser "go/parser"
	gotoken "go/token"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestBuiltinTable checks the table of built-in functions against the list
// CONDITIONS.md gives, and for each name that it is reachable with every
// accepted argument count and rejected, with the exact message, with one
// argument too few or too many.
func TestBuiltinTable(t *testing.T) {
	t.Parallel()
	type arity struct {
		least, most int
		text        string // the counts as the error message says them
	}
	want := map[string]arity{
		"string": {1, 1, "1"}, "number": {1, 1, "1"}, "int": {1, 1, "1"}, "bool": {1, 1, "1"},
		"type_of": {1, 1, "1"}, "length": {1, 1, "1"}, "keys": {1, 1, "1"}, "values": {1, 1, "1"},
		"abs": {1, 1, "1"}, "floor": {1, 1, "1"}, "ceil": {1, 1, "1"}, "round": {1, 1, "1"},
		"min": {2, 2, "2"}, "max": {2, 2, "2"}, "sum": {1, 1, "1"},
		"lower": {1, 1, "1"}, "upper": {1, 1, "1"}, "trim": {1, 1, "1"},
		"split": {2, 2, "2"}, "join": {2, 2, "2"}, "replace": {3, 3, "3"},
		"starts_with": {2, 2, "2"}, "ends_with": {2, 2, "2"}, "match": {2, 2, "2"}, "contains": {2, 2, "2"},
		"reversed": {1, 1, "1"}, "sort": {1, 1, "1"}, "unique": {1, 1, "1"}, "flat": {1, 1, "1"},
		"zip": {2, 2, "2"}, "range": {1, 2, "1 or 2"}, "slice": {2, 3, "2 or 3"},
		"index_of": {2, 2, "2"}, "count": {2, 2, "2"}, "merge": {2, 2, "2"}, "chunks": {2, 2, "2"},
	}
	table := builtinTable(t)
	for name, ar := range want {
		if got, ok := table[name]; !ok {
			t.Errorf("%s is missing from the table in runBuiltin", name)
		} else if got != [2]int{ar.least, ar.most} {
			t.Errorf("%s takes %d..%d arguments in the table, want %d..%d", name, got[0], got[1], ar.least, ar.most)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(table)) {
		if _, ok := want[name]; !ok {
			t.Errorf("the table in runBuiltin has %s, which this test does not know", name)
		}
	}
	for name, ar := range want {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for argc := max(0, ar.least-1); argc <= ar.most+1; argc++ {
				expr := name + "(" + strings.TrimSuffix(strings.Repeat("1, ", argc), ", ") + ")"
				got := evalExpr(expr, `{}`)
				if argc < ar.least || argc > ar.most {
					msg := "error: " + name + "() takes " + ar.text + " argument(s), got " + strconv.Itoa(argc)
					if got != msg {
						t.Errorf("%s = %s, want %s", expr, got, msg)
					}
				} else if strings.HasPrefix(got, "error: unknown function") || strings.Contains(got, "argument(s)") {
					t.Errorf("%s = %s, want the function to run", expr, got)
				}
			}
		})
	}
	for _, name := range []string{"nope", "len", "Lower", "type", "startswith"} {
		for _, args := range []string{"", "1", "1, 2, 3, 4"} {
			expr := name + "(" + args + ")"
			if got, msg := evalExpr(expr, `{}`), `error: unknown function "`+name+`"`; got != msg {
				t.Errorf("%s = %s, want %s", expr, got, msg)
			}
		}
	}
}

// builtinTable reads the names and argument counts of the built-in table
// (the switch in runBuiltin) from the source, so that a name added there
// without a line above fails the test.
func builtinTable(t *testing.T) map[string][2]int {
	t.Helper()
	f, err := goparser.ParseFile(gotoken.NewFileSet(), "builtins.go", nil, 0)
	if err != nil {
		t.Fatalf("parse builtins.go: %v", err)
	}
	table := map[string][2]int{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "runBuiltin" {
			continue
		}
		ast.Inspect(fn.Body, func(x ast.Node) bool {
			cc, ok := x.(*ast.CaseClause)
			if !ok {
				return true
			}
			ret, ok := cc.Body[0].(*ast.ReturnStmt)
			if !ok || len(cc.Body) != 1 || len(ret.Results) != 1 {
				t.Fatalf("a case of runBuiltin is not one return line")
			}
			call, ok := ret.Results[0].(*ast.CallExpr)
			if !ok || len(call.Args) != 5 {
				t.Fatalf("a case of runBuiltin does not return ev.checked(n, args, least, most, run)")
			}
			var ar [2]int
			for i := range ar {
				lit, ok := call.Args[2+i].(*ast.BasicLit)
				if !ok {
					t.Fatalf("an argument count in runBuiltin is not a literal")
				}
				ar[i], _ = strconv.Atoi(lit.Value)
			}
			for _, e := range cc.List {
				lit, ok := e.(*ast.BasicLit)
				if !ok {
					t.Fatalf("a case of runBuiltin is not a string literal")
				}
				name, _ := strconv.Unquote(lit.Value)
				table[name] = ar
			}
			return false
		})
	}
	if len(table) == 0 {
		t.Fatalf("no table found in runBuiltin")
	}
	return table
}
