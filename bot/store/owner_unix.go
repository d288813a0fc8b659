//go:build unix

package store

import (
	"os"
	"syscall"
)

// ownLike gives the file at path the owner and group of the folder dir,
// when the process may (as root): a data file that root restores into a
// service's state directory must stay the service's. Otherwise it does
// nothing; the file then belongs to whoever made it.
func ownLike(path, dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || os.Geteuid() != 0 {
		return nil
	}
	return os.Chown(path, int(st.Uid), int(st.Gid))
}
