package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tracegen/tracegen/rewrite"
)

func TestPruneOverlays(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-30 * 24 * time.Hour)
	for name, age := range map[string]time.Time{"old-a.go": old, "old-used.go": old, "new-b.go": time.Now(), "old.json": old} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, age, age); err != nil {
			t.Fatal(err)
		}
	}
	pruneOverlays(dir, overlayJSON{Replace: map[string]string{"/src/a.go": filepath.Join(dir, "old-used.go")}}, time.Now().Add(-overlayMaxAge))
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if len(left) != 2 || left[0] != "new-b.go" || left[1] != "old-used.go" {
		t.Errorf("left %v, want [new-b.go old-used.go]", left)
	}
}

func TestLineMapped(t *testing.T) {
	old := []byte("package p\n\nfunc F() {\n\tx()\n}\n")
	// An edit that inserts a line after the brace, ending with a line
	// comment, as the marker does.
	start := len("package p\n\n")
	end := len("package p\n\nfunc F() {")
	f := rewrite.File{Path: "/src/p.go", Old: old, Edits: []rewrite.Edit{{Start: start, End: end, New: "func F() {\n\tg() //m"}}}
	got := string(lineMapped(f))
	want := "//line /src/p.go:1\npackage p\n\nfunc F() {\n\tg() //m\n/*line /src/p.go:4:1*/\tx()\n}\n"
	if got != want {
		t.Errorf("lineMapped =\n%s\nwant\n%s", got, want)
	}
}
