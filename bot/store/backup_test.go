package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/store/storetest"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// digest sums every poll, tally and vote in tx, in key order: two files
// with the same digest hold the same polls and votes.
func digest(tx *bolt.Tx) string {
	h := sha256.New()
	for _, name := range [][]byte{bucketPolls, bucketTallies, bucketVotes} {
		tx.Bucket(name).ForEach(func(k, v []byte) error {
			fmt.Fprintf(h, "%s %q %q\n", name, k, v)
			return nil
		})
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// voteKey is the key of voter's vote in poll id.
func voteKey(id, voter string) string { return string(join(id, voter)) }

// keys are the keys of a bucket in a file.
func keys(t *testing.T, path string, bucket []byte) map[string]bool {
	t.Helper()
	db, err := openReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]bool{}
	db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, _ []byte) error { out[string(k)] = true; return nil })
	})
	return out
}

func TestBackupDuringAVoteStormHoldsExactlyTheCommitsBeforeIt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waardenbot.db")
	s := New(path)
	defer s.Close()
	// Every commit records what the file then holds, under its
	// transaction ID; a backup's own ID is that of the last commit before
	// it began.
	var mu sync.Mutex
	committed := map[int]string{}
	s.db.afterWrite = func(tx *bolt.Tx) {
		d := digest(tx)
		mu.Lock()
		committed[tx.ID()] = d
		mu.Unlock()
	}
	const polls, voters, votesEach = 8, 48, 30
	for i := range polls {
		if err := s.CreatePoll(ctx, storetest.Poll(fmt.Sprintf("p%03d", i), "raad")); err != nil {
			t.Fatal(err)
		}
	}

	// The storm: voters vote in every poll, one after the other, while
	// new polls are made; each records which of its votes were
	// acknowledged before the backup began and which began after it
	// ended.
	var (
		acked, votes  atomic.Int64
		began, ended  atomic.Bool
		wg            sync.WaitGroup
		before, after sync.Map // vote or poll key → true
		backupStarted = make(chan struct{})
	)
	for v := range voters {
		wg.Go(func() {
			for i := range votesEach {
				id, voter := fmt.Sprintf("p%03d", i%polls), fmt.Sprintf("u%02d-%d", v, i)
				late := ended.Load()
				if _, _, _, err := s.Vote(ctx, id, storetest.As(voter), storetest.Choose("eens")); err != nil {
					t.Error(err)
					return
				}
				switch {
				case late:
					after.Store(voteKey(id, voter), true)
				case !began.Load():
					before.Store(voteKey(id, voter), true)
				}
				votes.Add(1)
				if acked.Add(1) == voters*votesEach/3 {
					close(backupStarted)
				}
			}
		})
	}
	wg.Go(func() {
		for i := 0; ; i++ {
			id := fmt.Sprintf("n%03d", i)
			late := ended.Load()
			if err := s.CreatePoll(ctx, storetest.Poll(id, "raad")); err != nil {
				t.Error(err)
				return
			}
			switch {
			case late:
				after.Store(id, true)
				return
			case !began.Load():
				before.Store(id, true)
			}
		}
	})
	<-backupStarted
	var buf bytes.Buffer
	began.Store(true)
	n, err := s.Backup(ctx, &buf)
	ended.Store(true)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("backup: %d bytes, %v", n, err)
	}
	wg.Wait()
	t.Logf("%d votes, backup of %d bytes after %d", votes.Load(), n, voters*votesEach/3)

	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(backup, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "restored", "waardenbot.db")
	r, err := Restore(backup, restored, false, storetest.T0)
	if err != nil {
		t.Fatal(err)
	}
	db, err := openReadOnly(restored)
	if err != nil {
		t.Fatal(err)
	}
	var snapshot int
	var got string
	db.View(func(tx *bolt.Tx) error {
		snapshot, got = tx.ID(), digest(tx)
		return nil
	})
	db.Close()
	mu.Lock()
	want, ok := committed[snapshot]
	mu.Unlock()
	if !ok || got != want {
		t.Fatalf("the restored file is not the state of commit %d (recorded: %t)", snapshot, ok)
	}
	inFile := keys(t, restored, bucketVotes)
	for k, v := range keys(t, restored, bucketPolls) {
		inFile[k] = v
	}
	if r.Votes != len(keys(t, restored, bucketVotes)) || r.Polls != len(keys(t, restored, bucketPolls)) {
		t.Errorf("Restore counted %s", r.Summary)
	}
	nBefore, nAfter := 0, 0
	before.Range(func(k, _ any) bool {
		nBefore++
		if !inFile[k.(string)] {
			t.Errorf("%q was acknowledged before the backup began, but is not in it", k)
		}
		return true
	})
	after.Range(func(k, _ any) bool {
		nAfter++
		if inFile[k.(string)] {
			t.Errorf("%q began after the backup ended, but is in it", k)
		}
		return true
	})
	if nBefore == 0 || nAfter == 0 {
		t.Errorf("%d writes before the backup, %d after: the storm did not surround it", nBefore, nAfter)
	}
}

func TestWriteBackupNamesCopiesByTimeAndPruneKeepsTheNewest(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if err := s.CreatePoll(ctx, storetest.Poll("aaaa", "raad")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "backups")
	for i := range 5 {
		info, err := s.WriteBackup(ctx, dir, storetest.T0.Add(time.Duration(i)*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(info.Path); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != info.Size {
			t.Errorf("%s: %v %v, want mode 0600 and %d bytes", info.Path, fi.Mode(), err, info.Size)
		}
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("backup folder %v %v, want 0700", fi.Mode(), err)
	}
	// Files that are not copies stay; an unfinished one goes.
	for _, name := range []string{"notes.txt", "waardenbot-old.db", ".waardenbot-123.partial"} {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600)
	}
	deleted, err := PruneBackups(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := ".waardenbot-123.partial waardenbot-20261123T120000Z.db waardenbot-20261124T120000Z.db"; strings.Join(deleted, " ") != want {
		t.Errorf("deleted %q, want %q", deleted, want)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := "notes.txt waardenbot-20261125T120000Z.db waardenbot-20261126T120000Z.db waardenbot-20261127T120000Z.db waardenbot-old.db"; strings.Join(left, " ") != want {
		t.Errorf("left %q, want %q", left, want)
	}
	c, err := Inspect(filepath.Join(dir, "waardenbot-20261127T120000Z.db"))
	if err != nil || c.Polls != 1 {
		t.Errorf("the newest copy: %v, %v", c, err)
	}
}

func TestRunBackupsCopiesAtOnceAndThenEveryIntervalKeepingTheNewest(t *testing.T) {
	s, _ := openTemp(t)
	dir := filepath.Join(t.TempDir(), "backups")
	var logs testkit.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.RunBackups(ctx, Backups{Dir: dir, Every: 20 * time.Millisecond, Keep: 2}, log) }()
	testkit.WaitFor(t, "three backups in the log", func() bool { return strings.Count(logs.String(), "backup written") >= 3 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunBackups: %v", err)
	}
	// Copies within one second share a name; there are never more than
	// keep.
	if names, _, _ := listBackups(dir); len(names) == 0 || len(names) > 2 {
		t.Errorf("copies %q", names)
	}
	if !strings.Contains(logs.String(), "bytes=") || !strings.Contains(logs.String(), "took=") {
		t.Errorf("the log does not say the size and duration:\n%s", logs.String())
	}
}

func TestRunBackupsAfterARestartWaitsForTheIntervalSinceTheNewestCopy(t *testing.T) {
	s, _ := openTemp(t)
	dir := t.TempDir()
	newest := time.Now().Add(-time.Hour).Truncate(time.Second)
	for _, at := range []time.Time{newest.Add(-24 * time.Hour), newest} {
		if _, err := s.WriteBackup(context.Background(), dir, at); err != nil {
			t.Fatal(err)
		}
	}
	var logs testkit.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- s.RunBackups(ctx, Backups{Dir: dir, Every: 24 * time.Hour, Keep: 14}, slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	want := "next=" + newest.Add(24*time.Hour).Format(time.RFC3339)
	testkit.WaitFor(t, want, func() bool { return strings.Contains(logs.String(), want) })
	cancel()
	<-done
	if strings.Contains(logs.String(), "backup written") {
		t.Errorf("a copy was made although the newest is an hour old:\n%s", logs.String())
	}
}

func TestRunBackupsLogsAFailureWithWhatToDo(t *testing.T) {
	s, _ := openTemp(t)
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	var logs testkit.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- s.RunBackups(ctx, Backups{Dir: filepath.Join(blocker, "backups"), Every: time.Hour, Keep: 1}, slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	testkit.WaitFor(t, "the failure in the log", func() bool { return strings.Contains(logs.String(), "backup failed") })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("a failed backup stopped RunBackups: %v", err)
	}
	if line := logs.String(); !strings.Contains(line, "level=ERROR") || !strings.Contains(line, "fix=") || !strings.Contains(line, "retry_in=15m") {
		t.Errorf("%s", line)
	}
}

func TestBackupFileCopiesAFileNoBotHoldsAndRefusesAHeldOne(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if err := s.CreatePoll(ctx, storetest.Poll("aaaa", "raad")); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := BackupFile(ctx, path, &buf); err == nil || !strings.Contains(err.Error(), ErrInUse.Error()) {
		t.Errorf("a held file: %v", err)
	}
	s.Close()
	if _, err := BackupFile(ctx, path, &buf); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	os.WriteFile(out, buf.Bytes(), 0o600)
	if c, err := Inspect(out); err != nil || c.Polls != 1 {
		t.Errorf("the copy: %v %v", c, err)
	}
	if _, err := BackupFile(ctx, filepath.Join(t.TempDir(), "none.db"), &buf); err == nil {
		t.Error("a missing file was backed up")
	}
}
