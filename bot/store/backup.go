package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a copy of the data file to w as it was when the copy
// began, and returns the number of bytes written. The copy is bbolt's own
// (a read transaction's WriteTo), not a copy of a file in use: the bot
// goes on taking votes meanwhile, and a commit is either wholly in the
// copy or not at all. A cancelled ctx stops the copy.
//
// The read transaction stays open while w takes the bytes, and a write
// that must grow the file waits for it: give Backup a local file, not a
// network peer that may stall (see WriteBackup).
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	return n, err
}

// BackupFile writes a copy of the data file at path, which no process may
// hold, to w (`waardenbot backup` when no bot runs). It opens the file
// read-only and fails with ErrInUse when a running bot holds it.
func BackupFile(ctx context.Context, path string, w io.Writer) (int64, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("no data file to back up: %w", err)
	}
	db, err := openReadOnly(path)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	defer db.Close()
	var n int64
	err = db.View(func(tx *bolt.Tx) error {
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	return n, err
}

// ctxWriter stops a copy when its context ends.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Backups is how the running bot keeps copies of its data file: the
// [backup] section of the configuration.
type Backups struct {
	Dir   string        // the folder of the copies, made (mode 0700) when missing
	Every time.Duration // how often a copy is made
	Keep  int           // how many of the newest copies stay; older ones are deleted
}

// A BackupInfo describes one copy written to a folder.
type BackupInfo struct {
	Path string
	Size int64
	Took time.Duration
}

// Names of the copies: waardenbot-20261201T020000Z.db, the time of the
// copy in UTC, so that the names sort by time. Copies being written have a
// name of their own and never count as copies.
const (
	backupPrefix = "waardenbot-"
	backupSuffix = ".db"
	backupStamp  = "20060102T150405Z"
	partialGlob  = ".waardenbot-*.partial"
)

// backupName is the file name of a copy made at t.
func backupName(t time.Time) string {
	return backupPrefix + t.UTC().Format(backupStamp) + backupSuffix
}

// backupTime is the time in a copy's file name, and whether name is one.
func backupTime(name string) (time.Time, bool) {
	stamp, ok := strings.CutPrefix(name, backupPrefix)
	if !ok {
		return time.Time{}, false
	}
	if stamp, ok = strings.CutSuffix(stamp, backupSuffix); !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(backupStamp, stamp)
	return t, err == nil
}

// WriteBackup writes a copy of the data file into dir under a name with the
// time now, mode 0600, through a file of its own that is renamed into
// place once complete and synced: a crash never leaves half a copy under a
// copy's name.
func (s *Store) WriteBackup(ctx context.Context, dir string, now time.Time) (BackupInfo, error) {
	start := time.Now()
	path := filepath.Join(dir, backupName(now))
	size, err := writeFileAtomic(dir, path, func(f *os.File) (int64, error) { return s.Backup(ctx, f) })
	if err != nil {
		return BackupInfo{}, err
	}
	return BackupInfo{Path: path, Size: size, Took: time.Since(start)}, nil
}

// writeFileAtomic makes dir (0700) if needed, writes a new file there with
// write, syncs it and renames it to path, then syncs dir. The file has
// mode 0600.
func writeFileAtomic(dir, path string, write func(*os.File) (int64, error)) (int64, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("make backup folder: %w", err)
	}
	f, err := os.CreateTemp(dir, partialGlob) // mode 0600
	if err != nil {
		return 0, fmt.Errorf("create a file in %s: %w", dir, err)
	}
	tmp := f.Name()
	n, err := write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	return n, syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// listBackups returns the copies in dir with their times, oldest first.
func listBackups(dir string) ([]string, []time.Time, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	var times []time.Time
	for _, e := range entries { // ReadDir sorts by name, and the names by time
		if t, ok := backupTime(e.Name()); ok && e.Type().IsRegular() {
			names, times = append(names, e.Name()), append(times, t)
		}
	}
	return names, times, nil
}

// PruneBackups deletes the copies in dir but the newest keep, and the
// files of copies a crash left unfinished. It touches no other file. It
// returns the names it deleted.
func PruneBackups(dir string, keep int) ([]string, error) {
	names, _, err := listBackups(dir)
	if err != nil {
		return nil, err
	}
	partial, _ := filepath.Glob(filepath.Join(dir, partialGlob))
	var deleted []string
	for _, p := range partial {
		if err := os.Remove(p); err == nil {
			deleted = append(deleted, filepath.Base(p))
		}
	}
	if len(names) <= keep {
		return deleted, nil
	}
	for _, name := range names[:len(names)-keep] {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return deleted, err
		}
		deleted = append(deleted, name)
	}
	return deleted, nil
}

// retryAfterFailure is how soon a failed copy is tried again, at most.
const retryAfterFailure = 15 * time.Minute

// RunBackups writes a copy into b.Dir every b.Every and keeps the newest
// b.Keep, until ctx ends. The first copy is due b.Every after the newest
// copy already in the folder, so that restarts neither skip copies nor
// make extra ones; with none there, it is made at once. Each copy is
// logged with its size and how long it took; a failure is logged with what
// to do and tried again after at most 15 minutes. A copy under way when
// ctx ends is abandoned. RunBackups returns nil when ctx ends: a failing
// copy never stops the bot.
func (s *Store) RunBackups(ctx context.Context, b Backups, log *slog.Logger) error {
	log = log.With("dir", b.Dir)
	next := time.Now()
	if _, times, err := listBackups(b.Dir); err == nil && len(times) > 0 {
		next = times[len(times)-1].Add(b.Every)
	}
	when := "now"
	if time.Until(next) > 0 {
		when = next.Round(time.Second).Format(time.RFC3339)
	}
	log.Info("backups on", "every", b.Every, "keep", b.Keep, "next", when)
	timer := time.NewTimer(time.Until(next))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		info, err := s.WriteBackup(ctx, b.Dir, time.Now())
		switch {
		case err != nil && ctx.Err() != nil:
			return nil // abandoned: the bot is stopping
		case err != nil:
			retry := min(b.Every, retryAfterFailure)
			log.Error("backup failed", "error", err, "retry_in", retry,
				"fix", "check that backup.dir exists or can be made and that the bot's user may write there (under systemd: inside its state directory /var/lib/waardenbot, or add the folder to ReadWritePaths=), and that the disk has room; until then the newest backup grows older")
			timer.Reset(retry)
			continue
		}
		log.Info("backup written", "path", info.Path, "bytes", info.Size, "took", info.Took.Round(time.Millisecond))
		deleted, err := PruneBackups(b.Dir, b.Keep)
		if err != nil {
			log.Error("old backups not deleted", "error", err, "fix", "check that the bot's user may delete files in backup.dir; meanwhile the folder keeps more than backup.keep copies")
		} else if len(deleted) > 0 {
			log.Info("old backups deleted", "files", strings.Join(deleted, " "))
		}
		timer.Reset(b.Every)
	}
}
