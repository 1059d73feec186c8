// Package atomicfile replaces files so that a reader, or a crash, sees
// either the old contents or the new ones, never a mix.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// ErrChanged reports that a file no longer holds the contents it was
// expected to hold, so it was not replaced.
var ErrChanged = errors.New("file changed on disk since it was read")

// Replace writes data to path, which must exist and hold exactly old. It
// writes a temporary file in the same directory, syncs it, gives it path's
// permission bits and renames it over path. If path no longer holds old,
// Replace writes nothing and returns an error wrapping ErrChanged.
func Replace(path string, old, data []byte) error {
	perm, err := check(path, old)
	if err != nil {
		return err
	}
	return write(path, data, perm)
}

// check returns the permission bits of path, which must hold exactly old.
func check(path string, old []byte) (os.FileMode, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	cur, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	if !bytes.Equal(cur, old) {
		return 0, fmt.Errorf("%s: %w", path, ErrChanged)
	}
	return fi.Mode().Perm(), nil
}

// WriteFile writes data to path atomically with permission bits perm,
// creating or replacing it.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm)
}

func write(path string, data []byte, perm os.FileMode) error {
	dir, err := replace(path, data, perm)
	if err == nil {
		syncDir(dir)
	}
	return err
}

// replace writes a temporary file in path's directory, syncs it and
// renames it over path; it returns the directory, to be synced.
func replace(path string, data []byte, perm os.FileMode) (dir string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tracegen-*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return "", err
	}
	if err = f.Chmod(perm); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(tmp, path); err != nil {
		return "", err
	}
	return dir, nil
}

// Batch replaces files like Replace, several at once, and syncs each
// directory once, in Sync, rather than after each rename: the renames are
// as atomic, and durable when Sync returns.
type Batch struct {
	mu   sync.Mutex
	dirs map[string]bool
}

// Replace is Replace, for a file of the batch. It may be called from
// several goroutines.
func (b *Batch) Replace(path string, old, data []byte) error {
	perm, err := check(path, old)
	if err != nil {
		return err
	}
	dir, err := replace(path, data, perm)
	if err == nil {
		b.mu.Lock()
		if b.dirs == nil {
			b.dirs = map[string]bool{}
		}
		b.dirs[dir] = true
		b.mu.Unlock()
	}
	return err
}

// Sync makes the renames of the batch so far durable.
func (b *Batch) Sync() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for dir := range b.dirs {
		syncDir(dir)
	}
	b.dirs = nil
}

// syncDir makes the rename durable where the platform allows it; failure
// only weakens durability, not atomicity, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
