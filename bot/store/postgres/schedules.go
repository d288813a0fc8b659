package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

// The store implements the schedule package's interfaces.
var (
	_ schedule.Store   = (*Store)(nil)
	_ schedule.Watcher = (*Store)(nil)
)

// Schedules returns the schedules whose ID starts with prefix, in ID order
// (bytewise, as in bbolt: the IDs have the "C" collation).
func (s *Store) Schedules(ctx context.Context, prefix string) ([]schedule.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := pool.Query(ctx, "SELECT id, data FROM schedules WHERE starts_with(id, $1) ORDER BY id", prefix)
	if err != nil {
		return nil, fmt.Errorf("read schedules: %w", err)
	}
	var out []schedule.Schedule
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("read schedules: %w", err)
		}
		var sc schedule.Schedule
		if err := decode(data, &sc); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read schedules: schedule %s: %w", id, err)
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schedules: %w", err)
	}
	return out, nil
}

// Schedule returns the schedule with id, and false when there is none.
func (s *Store) Schedule(ctx context.Context, id string) (schedule.Schedule, bool, error) {
	if err := ctx.Err(); err != nil {
		return schedule.Schedule{}, false, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return schedule.Schedule{}, false, err
	}
	var data []byte
	err = pool.QueryRow(ctx, "SELECT data FROM schedules WHERE id = $1", id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return schedule.Schedule{}, false, nil
	}
	var sc schedule.Schedule
	if err == nil {
		err = decode(data, &sc)
	}
	if err != nil {
		return schedule.Schedule{}, false, fmt.Errorf("read schedule %s: %w", id, err)
	}
	return sc, true, nil
}

// changeSchedule reads schedule id in tx, locked, changes it with fn and
// stores it; an error from fn stores nothing. A schedule that does not
// exist yet is first inserted as JSON null, so that two instances that
// create it at once take turns on its row instead of one failing; the
// transaction that inserted it either stores the schedule or rolls the
// row back, so nobody ever reads the null.
func changeSchedule(ctx context.Context, tx pgx.Tx, id string, fn func(*schedule.Schedule) error) (schedule.Schedule, error) {
	sc := schedule.Schedule{ID: id}
	if _, err := tx.Exec(ctx, "INSERT INTO schedules (id, data) VALUES ($1, 'null') ON CONFLICT (id) DO NOTHING", id); err != nil {
		return sc, fmt.Errorf("schedule %s: %w", id, err)
	}
	var data []byte
	if err := tx.QueryRow(ctx, "SELECT data FROM schedules WHERE id = $1 FOR UPDATE", id).Scan(&data); err != nil {
		return sc, fmt.Errorf("schedule %s: %w", id, err)
	}
	if string(data) != "null" {
		if err := decode(data, &sc); err != nil {
			return sc, fmt.Errorf("schedule %s: %w", id, err)
		}
	}
	if err := fn(&sc); err != nil {
		return sc, err
	}
	sc.ID = id
	data, err := encode(sc)
	if err != nil {
		return sc, err
	}
	if _, err := tx.Exec(ctx, "UPDATE schedules SET data = $2 WHERE id = $1", id, data); err != nil {
		return sc, fmt.Errorf("schedule %s: %w", id, err)
	}
	return sc, nil
}

// UpdateSchedule reads, changes and stores one schedule in one transaction.
func (s *Store) UpdateSchedule(ctx context.Context, id string, fn func(*schedule.Schedule) error) (schedule.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return schedule.Schedule{}, err
	}
	var out schedule.Schedule
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if out, err = changeSchedule(ctx, tx, id, fn); err != nil {
			return err
		}
		// The leader's timer hears of it when the transaction commits
		// (WatchSchedules). A claim needs no notification: the leader
		// learns of another instance's claim when its own fails.
		_, err = tx.Exec(ctx, "SELECT pg_notify('waardenbot_' || md5(current_schema()), $1)", id)
		return err
	})
	if err != nil {
		return schedule.Schedule{}, err
	}
	return out, nil
}

// NextNumber returns the next value of the sequence numbers.
func (s *Store) NextNumber(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := pool.QueryRow(ctx, "SELECT nextval('numbers')").Scan(&n); err != nil {
		return 0, fmt.Errorf("next number: %w", err)
	}
	return uint64(n), nil
}

// ClaimRun records a run as claimed and changes its schedule in one
// transaction. The run's row is inserted first: its primary key makes the
// claim unique in the database, so of two instances that claim one run
// (a leader and its successor) the second waits for the first to commit
// and then gets ErrRunClaimed; if the first rolls back, the second claims
// it. fn runs once per call.
func (s *Store) ClaimRun(ctx context.Context, id string, at time.Time, fn func(*schedule.Schedule) error) (schedule.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return schedule.Schedule{}, err
	}
	var out schedule.Schedule
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO runs (schedule_id, at_ns, state, updated) VALUES ($1, $2, $3, now())
			ON CONFLICT (schedule_id, at_ns) DO NOTHING`, id, at.UnixNano(), string(schedule.RunClaimed))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return schedule.ErrRunClaimed
		}
		out, err = changeSchedule(ctx, tx, id, fn)
		return err
	})
	if err != nil {
		return schedule.Schedule{}, err
	}
	return out, nil
}

// FinishRun records how a claimed run ended.
func (s *Store) FinishRun(ctx context.Context, id string, at time.Time, state schedule.RunState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `INSERT INTO runs (schedule_id, at_ns, state, updated) VALUES ($1, $2, $3, now())
		ON CONFLICT (schedule_id, at_ns) DO UPDATE SET state = excluded.state, updated = excluded.updated`,
		id, at.UnixNano(), string(state))
	if err != nil {
		return fmt.Errorf("finish run %s at %s: %w", id, at, err)
	}
	return nil
}

// Runs returns the runs in state, oldest first.
func (s *Store) Runs(ctx context.Context, state schedule.RunState) ([]schedule.Run, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := pool.Query(ctx, "SELECT schedule_id, at_ns FROM runs WHERE state = $1 ORDER BY at_ns, schedule_id", string(state))
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	var out []schedule.Run
	for rows.Next() {
		var id string
		var ns int64
		if err := rows.Scan(&id, &ns); err != nil {
			return nil, fmt.Errorf("read runs: %w", err)
		}
		out = append(out, schedule.Run{ScheduleID: id, At: time.Unix(0, ns), State: state})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	return out, nil
}

// PruneRuns deletes the runs scheduled before t.
func (s *Store) PruneRuns(ctx context.Context, t time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return 0, err
	}
	tag, err := pool.Exec(ctx, "DELETE FROM runs WHERE at_ns < $1", t.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("prune runs: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
