package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// Why Inspect or Restore refuses a file.
var (
	// ErrNotDataFile means the file is not a waardenbot data file: not a
	// bbolt file at all, or one without waardenbot's buckets and
	// installation secret.
	ErrNotDataFile = errors.New("not a waardenbot data file")
	// ErrDamaged means the file is a bbolt file whose pages or values do
	// not check out: truncated, overwritten or corrupt.
	ErrDamaged = errors.New("the file is damaged")
	// ErrOtherInstallation means a backup comes from another installation
	// than the data file it would replace (their secrets differ).
	ErrOtherInstallation = errors.New("the backup comes from another installation")
)

// Summary is what a data file holds, as Inspect counts it.
type Summary struct {
	Polls     int
	Votes     int
	Schedules int
	Size      int64 // bytes

	secret []byte // the installation's secret
}

// Empty reports whether the file holds no poll, vote or schedule.
func (c Summary) Empty() bool { return c.Polls == 0 && c.Votes == 0 && c.Schedules == 0 }

func (c Summary) String() string {
	return fmt.Sprintf("%s, %s, %s, %d bytes", count(c.Polls, "poll"), count(c.Votes, "vote"), count(c.Schedules, "schedule"), c.Size)
}

// count is n things: "1 poll", "2 polls".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// openReadOnly opens the bbolt file at path read-only, which no process
// may hold for writing: a running bot's file gives ErrInUse after a
// second. It never creates or changes the file. Its errors do not name
// the file; the caller does.
func openReadOnly(path string) (db *bolt.DB, err error) {
	err = safely(func() error {
		db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: openTimeout})
		return err
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, ErrInUse
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%w: not a bbolt database (%v)", ErrNotDataFile, err)
	case errors.Is(err, berrors.ErrChecksum):
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	case err != nil && !errors.Is(err, fs.ErrPermission) && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: not a readable bbolt database (%v)", ErrDamaged, err)
	}
	return db, err
}

// Inspect checks the data file or backup at path without changing it and
// counts what it holds. It refuses (ErrNotDataFile) a file that is not a
// bbolt file or lacks the installation's secret, and (ErrDamaged) one
// that is truncated, fails bbolt's consistency check or holds a poll that
// does not decode. A file a running bot holds gives ErrInUse.
func Inspect(path string) (Summary, error) {
	c, err := inspect(path)
	if err != nil {
		return Summary{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// plausible refuses what cannot be a data file before bbolt opens it:
// bbolt would write its first pages into an empty file.
func plausible(fi os.FileInfo) error {
	switch {
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%w: not a regular file", ErrNotDataFile)
	case fi.Size() < minFileSize:
		return fmt.Errorf("%w: not a bbolt database (%d bytes)", ErrNotDataFile, fi.Size())
	}
	return nil
}

// minFileSize is less than the smallest bbolt file (four pages).
const minFileSize = 1024

// inspect is Inspect with errors that do not name the file.
func inspect(path string) (Summary, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Summary{}, err
	}
	if err := plausible(fi); err != nil {
		return Summary{}, err
	}
	db, err := openReadOnly(path)
	if err != nil {
		return Summary{}, err
	}
	defer db.Close()
	c := Summary{Size: fi.Size()}
	if err := db.View(func(tx *bolt.Tx) error { return inspectTx(tx, fi.Size(), &c) }); err != nil {
		return Summary{}, err
	}
	return c, nil
}

// safely runs fn, which reads a file that may be damaged: a damaged file
// can make bbolt read beyond the end of the file through its memory map
// (a fault) or panic on a broken page. Both become ErrDamaged instead of
// ending the process.
func safely(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w (%v)", ErrDamaged, r)
		}
	}()
	return fn()
}

// inspectTx checks and counts in tx, safely. The size check comes first:
// bbolt's own check runs in a goroutine of its own, where reading a page
// beyond the end of a truncated file would end the process.
func inspectTx(tx *bolt.Tx, fileSize int64, c *Summary) error {
	return safely(func() error { return checkTx(tx, fileSize, c) })
}

func checkTx(tx *bolt.Tx, fileSize int64, c *Summary) (err error) {
	if tx.Size() > fileSize {
		return fmt.Errorf("%w: truncated (%d bytes, its pages need %d)", ErrDamaged, fileSize, tx.Size())
	}
	for cerr := range tx.Check() {
		if err == nil {
			err = fmt.Errorf("%w: %v", ErrDamaged, cerr)
		}
	}
	if err != nil {
		return err
	}
	meta := tx.Bucket(bucketMeta)
	if meta == nil || len(meta.Get(keySecret)) != 32 || tx.Bucket(bucketPolls) == nil {
		return fmt.Errorf("%w: it has no installation secret", ErrNotDataFile)
	}
	c.secret = bytes.Clone(meta.Get(keySecret))
	err = tx.Bucket(bucketPolls).ForEach(func(k, v []byte) error {
		var p poll.Poll
		if err := decode(v, &p); err != nil {
			return fmt.Errorf("%w: poll %q: %v", ErrDamaged, k, err)
		}
		c.Polls++
		return nil
	})
	if err != nil {
		return err
	}
	c.Votes = keyCount(tx, bucketVotes)
	c.Schedules = keyCount(tx, schedulesBucket)
	return nil
}

func keyCount(tx *bolt.Tx, bucket []byte) int {
	b := tx.Bucket(bucket)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// A Restored file replaced the data file.
type Restored struct {
	Summary
	// Previous is where the data file that was replaced now is, or empty
	// when there was none.
	Previous string
}

// Restore puts a copy of the backup at backup in place of the data file at
// path, when no process holds that file (else ErrInUse). It copies the
// backup next to the data file, checks the copy with Inspect (refusing a
// damaged or foreign file) and renames it into place; the data file it
// replaces is kept beside it as path.before-restore-TIME. The restored
// file has mode 0600 and, when root restores it, the data directory's
// owner. A backup of
// another installation (another secret) replaces a data file that holds
// polls, votes or schedules only with force (else ErrOtherInstallation).
func Restore(backup, path string, force bool, now time.Time) (Restored, error) {
	current, held, err := holdForRestore(path)
	if err != nil {
		return Restored{}, err
	}
	if held != nil {
		defer held.Close()
	}
	fi, err := os.Stat(backup)
	if err != nil {
		return Restored{}, err
	}
	if err := plausible(fi); err != nil {
		return Restored{}, fmt.Errorf("%s: %w", backup, err)
	}
	if cur, err := os.Stat(path); err == nil && os.SameFile(fi, cur) {
		return Restored{}, fmt.Errorf("%s is the data file itself", backup)
	}
	src, err := os.Open(backup)
	if err != nil {
		return Restored{}, err
	}
	defer src.Close()
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Restored{}, fmt.Errorf("make data directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".waardenbot-restore-*.partial") // mode 0600
	if err != nil {
		return Restored{}, err
	}
	defer os.Remove(tmp.Name()) // once renamed, this removes nothing
	_, err = io.Copy(tmp, src)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = ownLike(tmp.Name(), dir)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Restored{}, fmt.Errorf("copy %s: %w", backup, err)
	}
	c, err := inspect(tmp.Name())
	if err != nil {
		return Restored{}, fmt.Errorf("%s: %w", backup, err)
	}
	if current != nil && !force && !current.Empty() && !bytes.Equal(current.secret, c.secret) {
		return Restored{}, fmt.Errorf("%w: its installation secret differs from that of %s, which holds %s", ErrOtherInstallation, path, current)
	}
	var r Restored
	r.Summary = c
	if _, err := os.Stat(path); err == nil {
		r.Previous = path + ".before-restore-" + now.UTC().Format(backupStamp)
		if err := os.Rename(path, r.Previous); err != nil {
			return Restored{}, err
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Restored{}, err
	}
	return r, syncDir(dir)
}

// holdForRestore makes sure no process holds the data file at path and
// keeps others from opening it meanwhile: it opens it read-only, which a
// starting bot waits for. It returns what the file holds, when it could
// be read, and the open file to close afterwards. A missing file or one
// bbolt cannot read (the reason for a restore, often) is no error, since
// no bot can hold it either.
func holdForRestore(path string) (*Summary, *bolt.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, nil, nil
	}
	db, err := openReadOnly(path)
	switch {
	case errors.Is(err, ErrInUse):
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	case err != nil:
		return nil, nil, nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, db, nil
	}
	var c Summary
	if err := db.View(func(tx *bolt.Tx) error { return inspectTx(tx, fi.Size(), &c) }); err != nil {
		return nil, db, nil
	}
	return &c, db, nil
}
