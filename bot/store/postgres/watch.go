package postgres

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// WatchSchedules calls changed with the ID of every schedule that any
// instance stores with UpdateSchedule, until ctx ends, and with ""
// whenever it (re)starts listening, since changes may have been missed
// while nobody listened. It is how the leader's timer hears of a
// /reflectie or /debat that another instance handled (schedule.Watcher).
//
// It uses LISTEN on a connection of its own; a store's UpdateSchedule
// sends NOTIFY in its transaction, so the notification arrives only when
// the change has committed.
func (s *Store) WatchSchedules(ctx context.Context, changed func(id string)) error {
	if _, err := s.db(ctx); err != nil {
		return err
	}
	for {
		err := s.listen(ctx, changed)
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("listening for schedule changes failed; trying again", "in", leaderRetry, "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(leaderRetry):
		}
	}
}

func (s *Store) listen(ctx context.Context, changed func(id string)) error {
	conn, err := pgx.ConnectConfig(ctx, s.cfg.ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect to listen: %w", err)
	}
	defer func() {
		closing, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn.Close(closing)
		cancel()
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{notifyChannel(s.schema)}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	changed("")
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		changed(n.Payload)
	}
}

// notifyChannel is the channel of the schema's schedule changes; the SQL
// in changeSchedule computes the same name.
func notifyChannel(schema string) string {
	sum := md5.Sum([]byte(schema))
	return "waardenbot_" + hex.EncodeToString(sum[:])
}
