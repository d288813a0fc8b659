package postgres

import (
	"context"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5"

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
		Roster: func(st storetest.Store, id string) (n, claimed int, err error) {
			pool, err := st.(*Store).db(context.Background())
			if err != nil {
				return 0, 0, err
			}
			err = pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM rosters WHERE poll_id = $1),
				(SELECT count(*) FROM reminder_claims WHERE poll_id = $1)`, id).Scan(&n, &claimed)
			return n, claimed, err
		},
		Leftovers: func(st storetest.Store) ([]string, error) {
			pool, err := st.(*Store).db(context.Background())
			if err != nil {
				return nil, err
			}
			rows, err := pool.Query(context.Background(), `SELECT 'rosters: ' || poll_id || ' ' || key FROM rosters
				UNION ALL SELECT 'reminder_claims: ' || poll_id || ' ' || key FROM reminder_claims
				UNION ALL SELECT 'origins: ' || origin || ' ' || poll_id FROM origins
				UNION ALL SELECT 'polls.remind_ns: ' || id FROM polls WHERE remind_ns IS NOT NULL`)
			if err != nil {
				return nil, err
			}
			return pgx.CollectRows(rows, pgx.RowTo[string])
		},
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
