// Package atomicfile replaces files so that a reader, or a crash, sees
// either the old contents or the new ones, never a mix.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrChanged reports that a file no longer holds the contents it was
// expected to hold, so it was not replaced.
var ErrChanged = errors.New("file changed on disk since it was read")

// Replace writes data to path, which must exist and hold exactly old. It
// writes a temporary file in the same directory, syncs it, gives it path's
// permission bits and renames it over path. If path no longer holds old,
// Replace writes nothing and returns an error wrapping ErrChanged.
func Replace(path string, old, data []byte) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	cur, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, old) {
		return fmt.Errorf("%s: %w", path, ErrChanged)
	}
	return write(path, data, fi.Mode().Perm())
}

// WriteFile writes data to path atomically with permission bits perm,
// creating or replacing it.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm)
}

func write(path string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tracegen-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the platform allows it; failure
// only weakens durability, not atomicity, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
