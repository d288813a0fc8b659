package postgres

import (
	"context"
	"log/slog"
	"testing"

	"github.com/waardenbot/waardenbot/bot/store/storetest"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// open opens a store on dsn, closed when the test ends.
func open(t testing.TB, dsn string) *Store {
	t.Helper()
	st, err := Open(context.Background(), dsn, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestContract(t *testing.T) {
	storetest.Run(t, storetest.Kit{
		Open: func(t *testing.T) (storetest.Store, func() storetest.Store) {
			dsn := storetest.Postgres(t)
			return open(t, dsn), func() storetest.Store { return open(t, dsn) }
		},
		ErrClosed: ErrClosed,
	})
}

// quiet is a logger for tests that read no logs.
func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(&testkit.Buffer{}, nil)) }

func TestVotesWithoutGroupCommitCountExactly(t *testing.T) {
	st, err := Open(context.Background(), storetest.Postgres(t), quiet(), WithoutGroupCommit())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storetest.ConcurrentVotes(t, st)
}
