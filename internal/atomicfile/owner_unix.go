//go:build unix

package atomicfile

import (
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of fi's file, when it has them
// and they differ from f's: a file replaced by someone else than its owner
// (root, a group member) stays its owner's.
func keepOwner(f *os.File, fi os.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	cur, err := f.Stat()
	if err != nil {
		return err
	}
	if ct, ok := cur.Sys().(*syscall.Stat_t); ok && ct.Uid == st.Uid && ct.Gid == st.Gid {
		return nil
	}
	return f.Chown(int(st.Uid), int(st.Gid))
}
