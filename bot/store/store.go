// Package store keeps waardenbot's state in one bbolt file: polls, votes,
// the rosters and claims of poll reminders, schedules and the
// installation's secret. It implements poll.Store and schedule.Store,
// which bot.Store joins.
//
// A Store owns its file from start to end. New returns one that opens the
// file the first time a method needs it, so that a process that only
// looks things up (`waardenbot ask '/waarde privacy'`) never touches, or
// waits for, a file a running bot holds; Open opens it at once, for a
// process that holds the file for as long as it runs and wants to hear
// now that another one has it (ErrInUse). Close is final: it commits the
// votes still waiting and closes the file, and every later call returns
// ErrClosed.
//
//	st := store.New(path)
//	defer st.Close()
//	b := bot.New(kb, cfg, log, bot.WithStore(st))
//
// The store also owns the file's copies. Backup writes a consistent copy
// while the bot runs (a read transaction's WriteTo: exactly what was
// committed when it began); RunBackups makes one every so often into a
// folder and keeps the newest ([backup] in the configuration); BackupFile
// copies a file no process holds. Inspect checks a copy (bbolt's
// consistency check, the installation's secret, the counts) and Restore
// puts one in place of a data file no process holds. CheckFile and
// CheckBackupDir answer `waardenbot check`.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/waardenbot/waardenbot/bot/store/internal/groupcommit"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrInUse means another process has the data file open.
var ErrInUse = errors.New("database in use by another waardenbot process")

// openTimeout is how long opening waits for another process to let go of
// the file before it gives up with ErrInUse.
const openTimeout = time.Second

// Store is the bbolt file. It is safe for concurrent use.
type Store struct {
	db     *file      // the bbolt file, opened by the first transaction
	secret []byte     // the installation's key for anonymous voters; set when the file opens
	mode   commitMode // how votes share commits
	votes  *groupcommit.Queue
}

// Option changes how a Store works.
type Option func(*Store)

// New returns a store for the data file at path that opens the file the
// first time a method needs it, creating it (mode 0600) and its directory
// (mode 0700) when needed. A file that another process holds makes that
// method fail with ErrInUse after a second instead of waiting forever, and
// so does every later one (see Err). A new file gets its buckets and a
// random secret for anonymous polls.
func New(path string, opts ...Option) *Store {
	s := &Store{}
	s.db = &file{path: path, prepare: s.prepareFile}
	for _, o := range opts {
		o(s)
	}
	s.votes = groupcommit.Start(maxGroup, s.commitGroup)
	return s
}

// Open is New with the file opened at once: it returns the error of
// opening it (ErrInUse when another process holds it).
func Open(path string, opts ...Option) (*Store, error) {
	s := New(path, opts...)
	if _, err := s.db.open(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Err returns why the file could not be opened when a method needed it
// (ErrInUse, …), or nil when it opened or nothing needed it yet. It never
// opens the file itself.
func (s *Store) Err() error {
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	return s.db.err
}

// Close commits the votes still waiting, then closes the file if it was
// opened. It is final: every later call of a method returns ErrClosed;
// calls of Close after the first return nil.
func (s *Store) Close() error {
	s.votes.Close()
	return s.db.close()
}

// Path is the file's path.
func (s *Store) Path() string { return s.db.path }

// prepareFile readies a file that has just been opened (buckets, the
// secret) through prepare, which works on a store whose file is open.
func (s *Store) prepareFile(db *bolt.DB) error {
	ready := &file{path: s.db.path}
	ready.db.Store(db)
	v := &Store{db: ready}
	if err := v.prepare(); err != nil {
		return err
	}
	s.secret = v.secret
	return nil
}

// file is a Store's bbolt file as the store's methods use it (View,
// Update, Batch, as on bolt.DB): the first transaction opens it.
type file struct {
	path    string
	prepare func(*bolt.DB) error // run once, right after the file opened

	db     atomic.Pointer[bolt.DB] // set once opened and prepared
	mu     sync.Mutex              // guards opening and closing
	err    error                   // why opening failed; kept
	closed bool

	// afterWrite, when set (by tests, before the first transaction), runs
	// inside every write transaction whose function succeeded, last.
	afterWrite func(*bolt.Tx)
}

// open returns the open file, opening it on the first call.
func (f *file) open() (*bolt.DB, error) {
	if db := f.db.Load(); db != nil {
		return db, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch db := f.db.Load(); {
	case f.closed:
		return nil, ErrClosed
	case db != nil:
		return db, nil
	case f.err != nil:
		return nil, f.err
	}
	db, err := openBolt(f.path)
	if err == nil && f.prepare != nil {
		if err = f.prepare(db); err != nil {
			db.Close()
			err = fmt.Errorf("prepare %s: %w", f.path, err)
		}
	}
	if err != nil {
		f.err = err
		return nil, err
	}
	f.db.Store(db)
	return db, nil
}

// openBolt opens the bbolt file at path, creating it and its directory.
func openBolt(path string) (*bolt.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: openTimeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// bbolt applies the mode only when it creates the file; an older file
	// may be more open than it should be.
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("make %s private: %w", path, err)
	}
	return db, nil
}

// close closes the file if it was opened; later transactions get
// ErrClosed.
func (f *file) close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	db := f.db.Swap(nil)
	if db == nil {
		return nil
	}
	return db.Close()
}

// View runs fn in a read transaction, as bolt.DB.View.
func (f *file) View(fn func(*bolt.Tx) error) error {
	db, err := f.open()
	if err != nil {
		return err
	}
	return db.View(fn)
}

// Update runs fn in a read-write transaction, as bolt.DB.Update.
func (f *file) Update(fn func(*bolt.Tx) error) error {
	db, err := f.open()
	if err != nil {
		return err
	}
	return db.Update(f.withAfterWrite(fn))
}

func (f *file) withAfterWrite(fn func(*bolt.Tx) error) func(*bolt.Tx) error {
	if f.afterWrite == nil {
		return fn
	}
	return func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		f.afterWrite(tx)
		return nil
	}
}

// Batch runs fn in a transaction shared with other callers, as
// bolt.DB.Batch: fn may run more than once.
func (f *file) Batch(fn func(*bolt.Tx) error) error {
	db, err := f.open()
	if err != nil {
		return err
	}
	return db.Batch(f.withAfterWrite(fn))
}
