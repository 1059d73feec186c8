package rewrite

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchModule writes a module of pkgs packages of files files of funcs
// traced functions each, instrumented already when applied is true.
func benchModule(b *testing.B, pkgs, files, funcs int, applied bool) string {
	b.Helper()
	dir := b.TempDir()
	root, _ := filepath.Abs("..")
	sum, err := os.ReadFile("../go.sum")
	if err != nil {
		b.Fatal(err)
	}
	tree := map[string][]byte{
		"go.mod": []byte("module example.com/bench\n\ngo 1.26\n\nrequire github.com/tracegen/tracegen/runtime v0.0.0\n\nreplace github.com/tracegen/tracegen/runtime => " + filepath.Join(root, "runtime") + "\n"),
		"go.sum": sum,
	}
	for p := range pkgs {
		for f := range files {
			var src strings.Builder
			fmt.Fprintf(&src, "package p%d\n\nimport (\n\t\"context\"\n\t\"errors\"\n)\n", p)
			for fn := range funcs {
				fmt.Fprintf(&src, `
// F%[1]d_%[2]d does some work.
//
//trace:span tags=n
func F%[1]d_%[2]d(ctx context.Context, n int) (int, error) {
	if n < 0 {
		return 0, errors.New("negative")
	}
	s := 0
	for i := range n {
		s += i
	}
	return s, ctx.Err()
}
`, f, fn)
			}
			tree[fmt.Sprintf("p%d/f%d.go", p, f)] = []byte(src.String())
		}
	}
	writeTree(b, dir, tree)
	if applied {
		res, err := Run(Config{Dir: dir, Patterns: []string{"./..."}})
		if err != nil || res.HasErrors() {
			b.Fatalf("apply: %v %v", err, res.Diagnostics)
		}
		for _, f := range res.Files {
			if err := os.WriteFile(f.Path, f.New, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	return dir
}

// BenchmarkRun measures Run on a 100-file, 2,000-function module: applying
// to fresh source, checking up-to-date source (nothing to change) and
// stripping. cmd/tracegen has the 1,000-file comparison with go vet.
func BenchmarkRun(b *testing.B) {
	for _, bc := range []struct {
		name    string
		applied bool
		mode    Mode
	}{
		{"apply", false, Apply},
		{"check", true, Apply},
		{"strip", true, Strip},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir := benchModule(b, 5, 20, 20, bc.applied)
			b.ReportAllocs()
			for b.Loop() {
				res, err := Run(Config{Dir: dir, Patterns: []string{"./..."}, Mode: bc.mode})
				if err != nil || res.HasErrors() {
					b.Fatalf("%v %v", err, res.Diagnostics)
				}
				if bc.name == "check" && len(res.Files) != 0 {
					b.Fatalf("check: %d files would change", len(res.Files))
				}
			}
		})
	}
}
