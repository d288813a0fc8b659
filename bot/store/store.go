// Package store keeps waardenbot's state in one bbolt file: polls, votes,
// schedules and the installation's secret. It implements the storage
// interfaces that package bot defines.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrInUse means another process has the data file open.
var ErrInUse = errors.New("database in use by another waardenbot process")

// openTimeout is how long Open waits for another process to let go of the
// file before it gives up with ErrInUse.
const openTimeout = time.Second

// Store is the bbolt file. It is safe for concurrent use.
type Store struct {
	db     *bolt.DB
	secret []byte     // the installation's key for anonymous voters
	mode   commitMode // how votes share commits

	mu            sync.RWMutex      // guards closed against sends on votes
	closed        bool              // Close was called
	votes         chan *voteRequest // votes waiting for the committer
	committerDone chan struct{}     // closed when the committer has stopped
}

// Option changes how a Store works.
type Option func(*Store)

// Open opens the data file at path, creating it (mode 0600) and its
// directory (mode 0700) when needed. A file that another process holds
// gives ErrInUse after a second instead of waiting forever. A new file gets
// its buckets and a random secret for anonymous polls.
func Open(path string, opts ...Option) (*Store, error) {
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
	s := &Store{db: db, votes: make(chan *voteRequest, maxGroup), committerDone: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	if err := s.prepare(); err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare %s: %w", path, err)
	}
	go s.commitVotes()
	return s, nil
}

// Close commits the votes still waiting, then closes the file. Calls after
// the first return nil.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.votes)
	s.mu.Unlock()
	<-s.committerDone
	return s.db.Close()
}

// Path is the file's path.
func (s *Store) Path() string { return s.db.Path() }
