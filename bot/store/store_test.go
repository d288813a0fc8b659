package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

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
	})
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
