package rewrite

import (
	"bytes"
	"go/parser"
	"go/token"
	"testing"
)

// FuzzRewrite checks the rewriter's promises on any source that parses:
// the output parses, applying again changes nothing, and stripping gives
// back the input byte for byte (for gofmt-clean input without generated
// code or reserved tracegen names, which is what strip promises to restore).
func FuzzRewrite(f *testing.F) {
	for _, src := range goldenInputs(f) {
		f.Add(src)
	}
	f.Add([]byte("package p\n\nimport \"context\"\n\n//trace:span tags=n\nfunc F(ctx context.Context, n int) (int, error) { return n, nil }\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, err := parser.ParseFile(token.NewFileSet(), "in.go", src, parser.SkipObjectResolution); err != nil {
			return
		}
		if bytes.Contains(src, []byte(marker[:len("//tracegen:")])) {
			return // the marker namespace is reserved for generated code
		}
		out, diags, err := Source("in.go", src, Apply, nil)
		if err != nil {
			t.Fatalf("Source on parsable input: %v", err)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "out.go", out, parser.SkipObjectResolution); err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, out)
		}
		again, _, err := Source("out.go", out, Apply, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\nfirst:\n%s\nsecond:\n%s", out, again)
		}
		if hasError(diags) || bytes.Contains(src, []byte("tracegen")) || !isGofmt(src) {
			return
		}
		back, _, err := Source("out.go", out, Strip, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(back, src) {
			t.Fatalf("strip(apply(x)) != x:\ninput:\n%s\napplied:\n%s\nstripped:\n%s", src, out, back)
		}
	})
}

func hasError(diags []Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == Error {
			return true
		}
	}
	return false
}
