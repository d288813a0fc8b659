package postgres

import (
	"context"
	"fmt"
	"time"
)

// FirstSeen reports whether key is seen for the first time at now by any
// instance that shares the database, and remembers it until until: of all calls
// with one key before its expiry, from any instance, exactly one reports
// true. The adapters ask it for every signed Slack request, every
// trigger_id and event_id, and every Mattermost mention, so that a
// request that reaches two instances (a retry, a replay, a WebSocket
// event every instance receives) is handled once.
//
// The keys live in an unlogged table: no WAL and no fsync per request.
// PostgreSQL empties such a table when it recovers from a crash of its
// own; a repeat that arrives within the few minutes after that is
// handled again.
func (s *Store) FirstSeen(ctx context.Context, key [16]byte, now, until time.Time) (bool, error) {
	pool, err := s.db(ctx)
	if err != nil {
		return false, err
	}
	// A key whose time has passed counts as new again, in its own row.
	var first bool
	err = pool.QueryRow(ctx, `INSERT INTO seen (key, until_ns) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET until_ns = excluded.until_ns WHERE seen.until_ns <= $3
		RETURNING true`, key[:], until.UnixNano(), now.UnixNano()).Scan(&first)
	if err != nil && !isNoRows(err) {
		return false, fmt.Errorf("remember a handled request: %w", err)
	}
	return first, nil
}

// forgetEvery is how often an instance deletes the keys whose time has
// passed.
const forgetEvery = time.Minute

// forgetSeen deletes expired keys until the store is closed.
func (s *Store) forgetSeen() {
	t := time.NewTicker(forgetEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		s.mu.Lock()
		pool := s.pool
		s.mu.Unlock()
		if pool == nil {
			continue // not connected: nothing to forget yet
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if _, err := pool.Exec(ctx, "DELETE FROM seen WHERE until_ns < $1", time.Now().UnixNano()); err != nil {
			s.log.Warn("forget handled requests", "err", err)
		}
		cancel()
	}
}
