package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// An error in the log is something an operator must act on: each says
// what to do, in a "fix" attribute (fix=… in text, "fix": … in JSON), so
// that the message says what happened and the fix what to do about it.
// This test reads every logging call in the module's code.
func TestEveryErrorLogSaysWhatToDo(t *testing.T) {
	logger := regexp.MustCompile(`(^|\.)(log|Log)$`)
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata"):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Error" || !logger.MatchString(exprString(sel.X)) {
				return true
			}
			n++
			for i := 1; i < len(call.Args); i += 2 {
				if lit, ok := call.Args[i].(*ast.BasicLit); ok && lit.Value == `"fix"` {
					return true
				}
			}
			t.Errorf("%s: an Error log without a \"fix\" attribute saying what to do", fset.Position(call.Pos()))
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d Error logs, each with a fix", n)
	if n < 30 {
		t.Errorf("found only %d Error logs: does the test still find them?", n)
	}
}

// exprString is the source of a receiver such as a.log or u.a.log.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	}
	return ""
}
