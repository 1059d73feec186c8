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

// ErrReadOnly reports a file without write permission: it is not
// replaced, as gofmt -w does not write it.
var ErrReadOnly = errors.New("permission denied: the file is read-only")

// Replace writes data to path, which must exist and hold exactly old. It
// writes a temporary file in the same directory, syncs it, gives it path's
// permission bits, owner and group and renames it over path; a symbolic
// link is written through, to the file it points to, and stays a link. If
// path no longer holds old, Replace writes nothing and returns an error
// wrapping ErrChanged; a read-only file gets ErrReadOnly.
func Replace(path string, old, data []byte) error {
	target, fi, err := Check(path, old)
	if err != nil {
		return err
	}
	return write(target, data, fi)
}

// Check reports whether path may be replaced: it must hold exactly old and
// be writable. It returns the file path stands for (through symbolic
// links) and its information.
func Check(path string, old []byte) (string, os.FileInfo, error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", nil, err
	}
	fi, err := os.Stat(target)
	if err != nil {
		return "", nil, err
	}
	if fi.Mode().Perm()&0o200 == 0 {
		return "", nil, fmt.Errorf("%s: %w", path, ErrReadOnly)
	}
	cur, err := os.ReadFile(target)
	if err != nil {
		return "", nil, err
	}
	if !bytes.Equal(cur, old) {
		return "", nil, fmt.Errorf("%s: %w", path, ErrChanged)
	}
	return target, fi, nil
}

// tempPattern names the temporary files: .NAME.tracegen-RANDOM.
const tempPattern = ".%s.tracegen-*"

// RemoveStale removes from dir the temporary files a run that was killed
// before it could remove them left there. It returns how many it removed.
func RemoveStale(dir string) int {
	names, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf(tempPattern, "*")))
	n := 0
	for _, name := range names {
		if os.Remove(name) == nil {
			n++
		}
	}
	return n
}

// WriteFile writes data to path atomically with permission bits perm,
// creating or replacing it.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return write(path, data, newFileInfo(perm))
}

func write(path string, data []byte, fi os.FileInfo) error {
	dir, err := replace(path, data, fi)
	if err == nil {
		syncDir(dir)
	}
	return err
}

// replace writes a temporary file in path's directory with the mode and
// owner of fi, syncs it and renames it over path; it returns the
// directory, to be synced.
func replace(path string, data []byte, fi os.FileInfo) (dir string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, fmt.Sprintf(tempPattern, base))
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
	if err = f.Chmod(fi.Mode().Perm()); err != nil {
		return "", err
	}
	if err = keepOwner(f, fi); err != nil {
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
	target, fi, err := Check(path, old)
	if err != nil {
		return err
	}
	dir, err := replace(target, data, fi)
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

// fileInfo is the mode of a file to create.
type fileInfo struct {
	os.FileInfo
	mode os.FileMode
}

func newFileInfo(perm os.FileMode) fileInfo { return fileInfo{mode: perm} }

func (fi fileInfo) Mode() os.FileMode { return fi.mode }
func (fi fileInfo) Sys() any          { return nil }
