package schedule_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// watchedStore is a shared store as two processes see it: a bbolt store
// that tells its watcher of every schedule stored, as PostgreSQL's
// LISTEN/NOTIFY does.
type watchedStore struct {
	*store.Store
	changes chan string
}

func (w *watchedStore) UpdateSchedule(ctx context.Context, id string, fn func(*schedule.Schedule) error) (schedule.Schedule, error) {
	sc, err := w.Store.UpdateSchedule(ctx, id, fn)
	if err == nil {
		w.changes <- id
	}
	return sc, err
}

func (w *watchedStore) WatchSchedules(ctx context.Context, changed func(string)) error {
	changed("")
	for {
		select {
		case <-ctx.Done():
			return nil
		case id := <-w.changes:
			changed(id)
		}
	}
}

func TestAScheduleChangedByAnotherProcessIsPostedByTheRunningOne(t *testing.T) {
	now := local(2026, 11, 30, 8, 0) // a Monday
	clock := testkit.NewClock(now)
	st, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	shared := &watchedStore{Store: st, changes: make(chan string, 10)}
	poster := &fakePoster{}
	leader := newHarnessOn(t, "", shared, st.Close, clock, poster)
	// The other process answers commands and runs no clock.
	other := schedule.New(book, shared, schedule.Config{Location: ams, Now: clock.Now}, discard)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { leader.s.Run(ctx, poster) })
	cs, err := schedule.ParseSpec("0 9 * * 1", ams, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.TurnOn(ctx, fractie, "griffier", cs); err != nil {
		t.Fatal(err)
	}
	if other.Len() != 0 {
		t.Errorf("the process that runs no clock queued a run")
	}
	testkit.WaitFor(t, "the leader to queue the other's schedule", func() bool { return leader.s.Len() == 1 })
	cancel()
	wg.Wait()
	leader.at(now.Add(time.Hour))
	if poster.count() != 1 {
		t.Errorf("%d posts at 09:00, want 1", poster.count())
	}
}
