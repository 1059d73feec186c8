package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/tracegen/tracegen/rewrite"
)

func TestGoStyleFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"one dash long", []string{"-tags=a,b", "./..."}, []string{"--tags=a,b", "./..."}},
		{"separate value", []string{"-template", "otel", "check"}, []string{"--template", "otel", "check"}},
		{"two dashes kept", []string{"--tags", "x"}, []string{"--tags", "x"}},
		{"shorthands kept", []string{"-v", "-d"}, []string{"-v", "-d"}},
		{"unknown kept", []string{"-tagz"}, []string{"-tagz"}},
		{"after --", []string{"--", "-tags"}, []string{"--", "-tags"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := gocmp.Diff(tt.want, goStyleFlags(tt.in, longFlags(newRootCmd()))); diff != "" {
				t.Errorf("goStyleFlags(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestShortPath(t *testing.T) {
	t.Parallel()
	dir := filepath.FromSlash("/work/mod")
	tests := []struct{ path, want string }{
		{"/work/mod/a.go", "./a.go"},
		{"/work/mod/sub/b.go", "./sub/b.go"},
		{"/work/other/c.go", "../other/c.go"},
		{"/elsewhere/d.go", "../../elsewhere/d.go"},
		{"rel.go", "rel.go"},
	}
	for _, tt := range tests {
		got := filepath.ToSlash(shortPath(dir, filepath.FromSlash(tt.path)))
		if got != tt.want {
			t.Errorf("shortPath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestInsideAny(t *testing.T) {
	t.Parallel()
	roots := []string{"/work/a", "/work/b"}
	tests := []struct {
		path string
		want bool
	}{
		{"/work/a/x.go", true},
		{"/work/b/sub/y.go", true},
		{"/work/ab/z.go", false},
		{"/work/c/z.go", false},
		{"/work/a/../c/z.go", false},
	}
	for _, tt := range tests {
		if got := insideAny(roots, filepath.Clean(tt.path)); got != tt.want {
			t.Errorf("insideAny(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestWriterRefusesOutsideModule: a file outside the modules of the
// current directory is never written, even if the rewriter returned it.
func TestWriterRefusesOutsideModule(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.go")
	if err := os.WriteFile(path, []byte("package x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	roots, err := moduleRoots()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	w := newWriter(roots)
	w.write(rewrite.File{Path: path, Old: []byte("package x\n"), New: []byte("package y\n")})
	if w.wait(&stderr, false) {
		t.Error("the writer reported success")
	}
	if got, _ := os.ReadFile(path); string(got) != "package x\n" {
		t.Errorf("file = %q, want it untouched", got)
	}
	if want := "not in a loaded module; not written"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to say %q", stderr.String(), want)
	}
}
