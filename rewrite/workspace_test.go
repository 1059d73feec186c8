package rewrite

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWorkspace checks that every module of a go.work workspace counts as
// a main module.
func TestWorkspace(t *testing.T) {
	t.Setenv("GOFLAGS", "")
	t.Setenv("GOWORK", "")
	dir := t.TempDir()
	tree := map[string][]byte{"go.work": []byte("go 1.26\n\nuse (\n\t./a\n\t./b\n)\n")}
	for _, m := range []string{"a", "b"} {
		tree[m+"/go.mod"] = []byte("module example.com/" + m + "\n\ngo 1.26\n")
		tree[m+"/"+m+".go"] = []byte("package " + m + "\n\n//trace:span root\nfunc F(n int) {}\n")
	}
	writeTree(t, dir, tree)
	res, err := Run(Config{Dir: dir, Patterns: []string{"./a/...", "./b/..."}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Files {
		got = append(got, f.Path)
	}
	want := []string{filepath.Join(dir, "a", "a.go"), filepath.Join(dir, "b", "b.go")}
	if diff := cmp.Diff(want, got); diff != "" || len(res.Diagnostics) > 0 {
		t.Errorf("files (-want +got):\n%s\ndiagnostics: %v", diff, res.Diagnostics)
	}
}
