package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

// Buckets for schedules. A schedule is one value under its ID; a run is
// keyed by schedule ID, a zero byte and its scheduled time (big-endian
// Unix nanoseconds), so the runs of a schedule sort by time.
var (
	schedulesBucket = []byte("schedules")
	runsBucket      = []byte("runs")
)

// The store implements the schedule package's interface.
var _ schedule.Store = (*Store)(nil)

// run is a run record as stored.
type run struct {
	State   schedule.RunState `json:"state"`
	Updated time.Time         `json:"updated"`
}

func runKey(id string, at time.Time) []byte {
	k := make([]byte, 0, len(id)+9)
	k = append(k, id...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(at.UnixNano()))
}

func splitRunKey(k []byte) (string, time.Time, bool) {
	i := len(k) - 9
	if i < 0 || k[i] != 0 {
		return "", time.Time{}, false
	}
	return string(k[:i]), time.Unix(0, int64(binary.BigEndian.Uint64(k[i+1:]))), true
}

// Schedules returns the schedules whose ID starts with prefix, in ID order.
func (s *Store) Schedules(ctx context.Context, prefix string) ([]schedule.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []schedule.Schedule
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(schedulesBucket)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		p := []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var sc schedule.Schedule
			if err := decode(v, &sc); err != nil {
				return fmt.Errorf("schedule %s: %w", k, err)
			}
			out = append(out, sc)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read schedules: %w", err)
	}
	return out, nil
}

// Schedule returns the schedule with id, and false when there is none.
func (s *Store) Schedule(ctx context.Context, id string) (schedule.Schedule, bool, error) {
	if err := ctx.Err(); err != nil {
		return schedule.Schedule{}, false, err
	}
	var sc schedule.Schedule
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(schedulesBucket)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(id))
		if v == nil {
			return nil
		}
		found = true
		return decode(v, &sc)
	})
	if err != nil {
		return schedule.Schedule{}, false, fmt.Errorf("read schedule %s: %w", id, err)
	}
	return sc, found, nil
}

// getSchedule reads a schedule in tx, or a zero one with only its ID.
func getSchedule(b *bolt.Bucket, id string) (schedule.Schedule, error) {
	sc := schedule.Schedule{ID: id}
	if v := b.Get([]byte(id)); v != nil {
		if err := decode(v, &sc); err != nil {
			return sc, fmt.Errorf("schedule %s: %w", id, err)
		}
	}
	return sc, nil
}

// changeSchedule reads schedule id in b, changes it with fn and stores it;
// an error from fn stores nothing.
func changeSchedule(b *bolt.Bucket, id string, fn func(*schedule.Schedule) error) (schedule.Schedule, error) {
	sc, err := getSchedule(b, id)
	if err != nil {
		return sc, err
	}
	if err := fn(&sc); err != nil {
		return sc, err
	}
	sc.ID = id
	if err := put(b, []byte(id), sc); err != nil {
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
	err := s.db.Update(func(tx *bolt.Tx) error {
		sc, err := changeSchedule(tx.Bucket(schedulesBucket), id, fn)
		out = sc
		return err
	})
	if err != nil {
		return schedule.Schedule{}, err
	}
	return out, nil
}

// NextNumber returns the schedules bucket's next sequence number.
func (s *Store) NextNumber(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.Bucket(schedulesBucket).NextSequence()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("next number: %w", err)
	}
	return n, nil
}

// ClaimRun records a run as claimed and changes its schedule in one
// transaction. It uses db.Batch: many runs due at one moment are claimed
// by several workers, and Batch commits them together. Batch may call the
// transaction function again, which is why fn must not act outside the
// schedule it is given.
func (s *Store) ClaimRun(ctx context.Context, id string, at time.Time, fn func(*schedule.Schedule) error) (schedule.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return schedule.Schedule{}, err
	}
	var out schedule.Schedule
	key := runKey(id, at)
	err := s.db.Batch(func(tx *bolt.Tx) error {
		runs := tx.Bucket(runsBucket)
		if runs.Get(key) != nil {
			return schedule.ErrRunClaimed
		}
		sc, err := changeSchedule(tx.Bucket(schedulesBucket), id, fn)
		if err != nil {
			return err
		}
		out = sc
		return put(runs, key, run{State: schedule.RunClaimed, Updated: time.Now().UTC()})
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
	v, err := encode(run{State: state, Updated: time.Now().UTC()})
	if err != nil {
		return err
	}
	err = s.db.Batch(func(tx *bolt.Tx) error {
		runs := tx.Bucket(runsBucket)
		return runs.Put(runKey(id, at), v)
	})
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
	var out []schedule.Run
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(runsBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var r run
			if err := decode(v, &r); err != nil {
				return err
			}
			if r.State != state {
				return nil
			}
			id, at, ok := splitRunKey(k)
			if !ok {
				return errors.New("malformed run key")
			}
			out = append(out, schedule.Run{ScheduleID: id, At: at, State: r.State})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	slices.SortFunc(out, func(a, b schedule.Run) int { return a.At.Compare(b.At) })
	return out, nil
}

// PruneRuns deletes the runs scheduled before t.
func (s *Store) PruneRuns(ctx context.Context, t time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(runsBucket)
		if b == nil {
			return nil
		}
		var old [][]byte
		err := b.ForEach(func(k, _ []byte) error {
			if _, at, ok := splitRunKey(k); !ok || at.Before(t) {
				old = append(old, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune runs: %w", err)
	}
	return n, nil
}
