package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestReplaceKeepsModeAndContents(t *testing.T) {
	t.Parallel()
	for _, mode := range []os.FileMode{0o600, 0o644, 0o755} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "x.go")
			if err := os.WriteFile(path, []byte("old"), mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			if err := Replace(path, []byte("old"), []byte("new")); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != "new" {
				t.Fatalf("contents = %q, %v; want \"new\"", got, err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != mode {
				t.Errorf("mode = %v, want %v", fi.Mode().Perm(), mode)
			}
			assertNoTempFiles(t, filepath.Dir(path))
		})
	}
}

func TestReplaceRefusesChangedFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.go")
	if err := os.WriteFile(path, []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Replace(path, []byte("old"), []byte("new"))
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("Replace = %v, want ErrChanged", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "edited" {
		t.Errorf("file = %q, want it untouched", got)
	}
	assertNoTempFiles(t, filepath.Dir(path))
}

func TestWriteFileFailureLeavesNoTemp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Renaming a file over a non-empty directory fails after the temp
	// file is written.
	target := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(target, "f"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, []byte("x"), 0o644); err == nil {
		t.Fatal("WriteFile over a directory succeeded")
	}
	assertNoTempFiles(t, dir)
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if matched, _ := filepath.Match(".*.tracegen-*", e.Name()); matched {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestBatch(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	var wg sync.WaitGroup
	for i := range 10 {
		path := filepath.Join(dir, fmt.Sprintf("f%d.go", i))
		if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.Replace(path, []byte("old"), []byte("new")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	b.Sync()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 10 {
		t.Errorf("%d files in the directory, want 10 (no temporary files left)", len(entries))
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		got, _ := os.ReadFile(path)
		fi, _ := os.Stat(path)
		if string(got) != "new" || fi.Mode().Perm() != 0o640 {
			t.Errorf("%s: %q %v, want \"new\" -rw-r-----", e.Name(), got, fi.Mode().Perm())
		}
	}
	if err := b.Replace(filepath.Join(dir, "f0.go"), []byte("old"), []byte("newer")); !errors.Is(err, ErrChanged) {
		t.Errorf("Replace of a changed file: %v, want ErrChanged", err)
	}
}

func TestReplaceRefusesReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.go")
	if err := os.WriteFile(path, []byte("old"), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := Replace(path, []byte("old"), []byte("new")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Replace on a read-only file = %v, want ErrReadOnly", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("read-only file now holds %q", b)
	}
}

func TestReplaceWritesThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.go")
	link := filepath.Join(dir, "link.go")
	if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.go", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	var b Batch
	if err := b.Replace(link, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	b.Sync()
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v %v", fi, err)
	}
	got, _ := os.ReadFile(target)
	fi, _ := os.Stat(target)
	if string(got) != "new" || fi.Mode().Perm() != 0o640 {
		t.Errorf("target holds %q with mode %v, want new with 0640", got, fi.Mode().Perm())
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{".a.go.tracegen-123", ".b.go.tracegen-x", "a.go", ".hidden"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n := RemoveStale(dir); n != 2 {
		t.Errorf("RemoveStale removed %d files, want 2", n)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if fmt.Sprint(left) != "[.hidden a.go]" {
		t.Errorf("left %v, want [.hidden a.go]", left)
	}
}
