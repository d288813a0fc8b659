//go:build unix

package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

func TestRestoreByRootGivesTheFileTheDataDirectorysOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	backup := backupOf(t, 1)
	dir := t.TempDir()
	os.Chown(dir, 65534, 65534)
	path := filepath.Join(dir, "waardenbot.db")
	if _, err := Restore(backup, path, false, storetest.T0); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 65534 || st.Gid != 65534 {
		t.Errorf("owner %d:%d, want the folder's 65534:65534", st.Uid, st.Gid)
	}
}
