package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

// The contract both stores keep (package storetest) runs here on bbolt
// files; below are the tests of what only the file does.
func TestContract(t *testing.T) {
	storetest.Run(t, storetest.Kit{
		Open: func(t *testing.T) (storetest.Store, func() storetest.Store) {
			path := filepath.Join(t.TempDir(), "sub", "waardenbot.db")
			open := func() storetest.Store {
				s, err := Open(path)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			return open(), open
		},
		ErrClosed: ErrClosed,
		Roster: func(st storetest.Store, id string) (int, int, error) {
			return st.(*Store).rosterLen(id)
		},
		Leftovers: func(st storetest.Store) ([]string, error) {
			var left []string
			err := st.(*Store).db.View(func(tx *bolt.Tx) error {
				for _, b := range [][]byte{bucketRosters, bucketOrigins, bucketReminders} {
					tx.Bucket(b).ForEach(func(k, _ []byte) error {
						left = append(left, fmt.Sprintf("%s: %q", b, k))
						return nil
					})
				}
				return nil
			})
			return left, err
		},
	})
}

// rosterLen is how many people poll id's roster holds, and how many of
// them were claimed.
func (s *Store) rosterLen(id string) (n, claimed int, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRosters).Cursor()
		prefix := append([]byte(id), 0)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var e rosterEntry
			if err := decode(v, &e); err != nil {
				return err
			}
			n++
			if e.Claimed {
				claimed++
			}
		}
		return nil
	})
	return n, claimed, err
}

func openTemp(t *testing.T, opts ...Option) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "waardenbot.db")
	s, err := Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenMakesAPrivateFileAndRefusesASecondOpener(t *testing.T) {
	_, path := openTemp(t)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	if _, err := Open(path); !errors.Is(err, ErrInUse) {
		t.Errorf("second Open: %v, want ErrInUse", err)
	}
}

func TestEveryCommitModeCountsConcurrentVotesExactly(t *testing.T) {
	modes := map[string][]Option{"group": nil, "boltbatch": {WithBoltBatch()}, "solo": {WithoutBatch()}}
	for name, opts := range modes {
		t.Run(name, func(t *testing.T) {
			s, _ := openTemp(t, opts...)
			storetest.ConcurrentVotes(t, s)
		})
	}
}

func TestRunKeyRoundTripsTimesWithZeroBytes(t *testing.T) {
	for _, at := range []time.Time{
		time.Unix(0, 0),
		time.Unix(1_800_000_000, 0), // ends in zero bytes
		time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC),
		time.Unix(0, 256),
	} {
		id, got, ok := splitRunKey(runKey("reflectie/console//a", at))
		if !ok || id != "reflectie/console//a" || !got.Equal(at) {
			t.Errorf("runKey(%s) splits into %q, %s, %v", at, id, got, ok)
		}
	}
}
