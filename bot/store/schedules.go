package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot"
)

// Buckets for schedules. A schedule is one JSON value under its ID; a run
// is keyed by schedule ID, a zero byte and its scheduled time (big-endian
// Unix nanoseconds), so the runs of a schedule sort by time.
var (
	schedulesBucket = []byte("schedules")
	runsBucket      = []byte("runs")
)

// The store implements bot's interface.
var _ bot.ScheduleStore = (*Store)(nil)

// run is a run record as stored.
type run struct {
	State   bot.RunState `json:"state"`
	Updated time.Time    `json:"updated"`
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
func (s *Store) Schedules(prefix string) ([]bot.Schedule, error) {
	var out []bot.Schedule
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(schedulesBucket)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		p := []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var sc bot.Schedule
			if err := json.Unmarshal(v, &sc); err != nil {
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
func (s *Store) Schedule(id string) (bot.Schedule, bool, error) {
	var sc bot.Schedule
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
		return json.Unmarshal(v, &sc)
	})
	if err != nil {
		return bot.Schedule{}, false, fmt.Errorf("read schedule %s: %w", id, err)
	}
	return sc, found, nil
}

// getSchedule reads a schedule in tx, or a zero one with only its ID.
func getSchedule(b *bolt.Bucket, id string) (bot.Schedule, error) {
	sc := bot.Schedule{ID: id}
	if v := b.Get([]byte(id)); v != nil {
		if err := json.Unmarshal(v, &sc); err != nil {
			return sc, fmt.Errorf("decode schedule %s: %w", id, err)
		}
	}
	return sc, nil
}

func putSchedule(b *bolt.Bucket, sc bot.Schedule) error {
	v, err := json.Marshal(sc)
	if err != nil {
		return fmt.Errorf("encode schedule %s: %w", sc.ID, err)
	}
	return b.Put([]byte(sc.ID), v)
}

// UpdateSchedule reads, changes and stores one schedule in one transaction.
func (s *Store) UpdateSchedule(id string, fn func(*bot.Schedule) error) (bot.Schedule, error) {
	var out bot.Schedule
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(schedulesBucket)
		sc, err := getSchedule(b, id)
		if err != nil {
			return err
		}
		if err := fn(&sc); err != nil {
			return err
		}
		sc.ID = id
		out = sc
		return putSchedule(b, sc)
	})
	if err != nil {
		return bot.Schedule{}, err
	}
	return out, nil
}

// NextNumber returns the schedules bucket's next sequence number.
func (s *Store) NextNumber() (uint64, error) {
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
func (s *Store) ClaimRun(id string, at time.Time, fn func(*bot.Schedule) error) (bot.Schedule, error) {
	var out bot.Schedule
	key := runKey(id, at)
	err := s.db.Batch(func(tx *bolt.Tx) error {
		runs := tx.Bucket(runsBucket)
		if runs.Get(key) != nil {
			return bot.ErrRunClaimed
		}
		b := tx.Bucket(schedulesBucket)
		sc, err := getSchedule(b, id)
		if err != nil {
			return err
		}
		if err := fn(&sc); err != nil {
			return err
		}
		sc.ID = id
		if err := putSchedule(b, sc); err != nil {
			return err
		}
		v, err := json.Marshal(run{State: bot.RunClaimed, Updated: time.Now().UTC()})
		if err != nil {
			return err
		}
		out = sc
		return runs.Put(key, v)
	})
	if err != nil {
		return bot.Schedule{}, err
	}
	return out, nil
}

// FinishRun records how a claimed run ended.
func (s *Store) FinishRun(id string, at time.Time, state bot.RunState) error {
	v, err := json.Marshal(run{State: state, Updated: time.Now().UTC()})
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
func (s *Store) Runs(state bot.RunState) ([]bot.Run, error) {
	var out []bot.Run
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(runsBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var r run
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode run: %w", err)
			}
			if r.State != state {
				return nil
			}
			id, at, ok := splitRunKey(k)
			if !ok {
				return errors.New("malformed run key")
			}
			out = append(out, bot.Run{ScheduleID: id, At: at, State: r.State})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	sortRuns(out)
	return out, nil
}

// PruneRuns deletes the runs scheduled before t.
func (s *Store) PruneRuns(t time.Time) (int, error) {
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

func sortRuns(rs []bot.Run) {
	slices.SortFunc(rs, func(a, b bot.Run) int { return a.At.Compare(b.At) })
}
