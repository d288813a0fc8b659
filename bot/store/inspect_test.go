package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

// backupOf makes a data file with polls, votes and a schedule, and returns
// a backup of it.
func backupOf(t *testing.T, polls int) string {
	t.Helper()
	s, _ := openTemp(t)
	ctx := context.Background()
	for i := range polls {
		id := fmt.Sprintf("p%03d", i)
		if err := s.CreatePoll(ctx, storetest.Poll(id, "raad")); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"anna", "bob"} {
			if _, _, _, err := s.Vote(ctx, id, storetest.As(u), storetest.Choose("eens")); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.UpdateSchedule(ctx, "reflectie/console//raad", func(sc *schedule.Schedule) error {
		sc.Kind, sc.Spec = schedule.Reflection, "0 9 * * 1"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	info, err := s.WriteBackup(ctx, t.TempDir(), storetest.T0)
	if err != nil {
		t.Fatal(err)
	}
	return info.Path
}

func TestInspectCountsWhatABackupHolds(t *testing.T) {
	c, err := Inspect(backupOf(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	if c.Polls != 3 || c.Votes != 6 || c.Schedules != 1 || c.Size == 0 {
		t.Errorf("%s", c)
	}
}

func TestRestorePutsTheBackupInPlaceAndKeepsTheFileItReplaced(t *testing.T) {
	backup := backupOf(t, 2)
	s, path := openTemp(t)
	if err := s.CreatePoll(context.Background(), storetest.Poll("zzzz", "raad")); err != nil {
		t.Fatal(err)
	}
	secret, _ := s.Secret(context.Background())
	s.Close()
	// Same installation: the backup carries the data file's secret.
	db, _ := bolt.Open(backup, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySecret, secret) })
	db.Close()

	r, err := Restore(backup, path, false, storetest.T0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Polls != 2 || r.Votes != 4 || r.Schedules != 1 {
		t.Errorf("restored %s", r.Summary)
	}
	if want := path + ".before-restore-20261123T120000Z"; r.Previous != want {
		t.Errorf("previous file kept as %q, want %q", r.Previous, want)
	}
	if c, err := Inspect(r.Previous); err != nil || c.Polls != 1 {
		t.Errorf("the replaced file: %v %v", c, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored file mode %v %v", fi.Mode(), err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, tally, err := s2.Poll(context.Background(), "p001"); err != nil || tally.Voters != 2 {
		t.Errorf("p001 after restore: %+v %v", tally, err)
	}
	// Nothing else is left in the folder.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 2 {
		t.Errorf("folder holds %v", entries)
	}
}

func TestRestoreRefusesWithAClearError(t *testing.T) {
	good := backupOf(t, 40)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := os.Getpagesize()
	write := func(t *testing.T, b []byte) string {
		p := filepath.Join(t.TempDir(), "backup.db")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	random := make([]byte, 64<<10)
	rand.Read(random)
	overwritten := append([]byte(nil), data...)
	for i := 2 * pageSize; i < len(overwritten)-pageSize; i++ {
		overwritten[i] = 0xaa
	}
	foreign := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucket([]byte("config"))
		return b.Put([]byte("k"), []byte("v"))
	})
	db.Close()

	tests := []struct {
		name   string
		backup func(t *testing.T) string
		want   error
		says   string
	}{
		{"random bytes", func(t *testing.T) string { return write(t, random) }, ErrNotDataFile, "not a bbolt database"},
		{"an empty file", func(t *testing.T) string { return write(t, nil) }, ErrNotDataFile, "not a bbolt database"},
		{"a truncated backup", func(t *testing.T) string { return write(t, data[:len(data)/2]) }, ErrDamaged, "truncated"},
		{"a backup whose pages were overwritten", func(t *testing.T) string { return write(t, overwritten) }, ErrDamaged, "damaged"},
		{"a bbolt file of another program", func(t *testing.T) string { return foreign }, ErrNotDataFile, "no installation secret"},
		{"a folder", func(t *testing.T) string { return t.TempDir() }, ErrNotDataFile, "not a regular file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, path := openTemp(t)
			if err := s.CreatePoll(context.Background(), storetest.Poll("keep", "raad")); err != nil {
				t.Fatal(err)
			}
			s.Close()
			before, _ := os.ReadFile(path)
			_, err := Restore(tc.backup(t), path, true, storetest.T0)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want %v saying %q", err, tc.want, tc.says)
			}
			t.Logf("%v", err)
			after, _ := os.ReadFile(path)
			if string(before) != string(after) {
				t.Error("the data file changed")
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
				t.Errorf("the folder holds %v", entries)
			}
		})
	}
}

func TestRestoreRefusesWhileABotHoldsTheDataFile(t *testing.T) {
	backup := backupOf(t, 1)
	_, path := openTemp(t) // held open, as by a running bot
	if _, err := Restore(backup, path, true, storetest.T0); !errors.Is(err, ErrInUse) {
		t.Errorf("got %v, want ErrInUse", err)
	}
}

func TestRestoreOfAnotherInstallationNeedsForceOverAFileWithData(t *testing.T) {
	backup := backupOf(t, 1)
	s, path := openTemp(t)
	if err := s.CreatePoll(context.Background(), storetest.Poll("mine", "raad")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Restore(backup, path, false, storetest.T0); !errors.Is(err, ErrOtherInstallation) {
		t.Fatalf("got %v, want ErrOtherInstallation", err)
	}
	if _, err := Restore(backup, path, true, storetest.T0); err != nil {
		t.Errorf("with force: %v", err)
	}
	// Over an empty file (a bot started once on a new machine) or no file
	// at all, no force is needed.
	empty, emptyPath := openTemp(t)
	empty.Secret(context.Background())
	empty.Close()
	if _, err := Restore(backup, emptyPath, false, storetest.T0); err != nil {
		t.Errorf("over an empty file: %v", err)
	}
	if _, err := Restore(backup, filepath.Join(t.TempDir(), "new", "waardenbot.db"), false, storetest.T0); err != nil {
		t.Errorf("where there is no file: %v", err)
	}
}

func TestRestoreRefusesTheDataFileItself(t *testing.T) {
	s, path := openTemp(t)
	s.Close()
	if _, err := Restore(path, path, true, storetest.T0); err == nil || !strings.Contains(err.Error(), "data file itself") {
		t.Errorf("got %v", err)
	}
}

func TestCheckFileSaysWhatItFoundAndWhatToDo(t *testing.T) {
	dir := t.TempDir()
	if got, err := CheckFile(filepath.Join(dir, "new", "waardenbot.db")); err != nil || !strings.Contains(got, "does not exist yet; the bot will make it (mode 0600) in "+dir) {
		t.Errorf("a new file: %q %v", got, err)
	}
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, nil, 0o600)
	var p *Problem
	if _, err := CheckFile(filepath.Join(notDir, "waardenbot.db")); !errors.As(err, &p) || !strings.Contains(p.What, "not a folder") {
		t.Errorf("under a file: %v", err)
	}
	s, path := openTemp(t)
	if got, err := CheckFile(path); err != nil || !strings.Contains(got, "held by a running waardenbot") {
		t.Errorf("a held file: %q %v", got, err)
	}
	s.Close()
	os.Chmod(path, 0o644)
	if got, err := CheckFile(path); err != nil || !strings.Contains(got, "0 polls, 0 votes, 0 schedules") || !strings.Contains(got, "mode 0644, which the bot makes 0600") {
		t.Errorf("a closed file: %q %v", got, err)
	}
	os.WriteFile(path, make([]byte, 4096), 0o600)
	if _, err := CheckFile(path); !errors.As(err, &p) || !strings.Contains(p.Fix, "waardenbot restore") {
		t.Errorf("a damaged file: %v", err)
	}
}

func TestCheckBackupDirCountsTheCopies(t *testing.T) {
	s, _ := openTemp(t)
	dir := filepath.Join(t.TempDir(), "backups")
	if got, err := CheckBackupDir(dir); err != nil || !strings.Contains(got, "does not exist yet") {
		t.Errorf("%q %v", got, err)
	}
	for i := range 2 {
		if _, err := s.WriteBackup(context.Background(), dir, storetest.T0.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := CheckBackupDir(dir); err != nil || !strings.Contains(got, "2 copies, the newest from") {
		t.Errorf("%q %v", got, err)
	}
}
