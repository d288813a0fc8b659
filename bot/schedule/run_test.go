package schedule_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store"
)

// TestTwoWakeUpsRacingPostOnce: two schedulers on one store (and two
// wake-ups of each) reach the same run at once; its claim lets one post.
func TestTwoWakeUpsRacingPostOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(local(2026, 11, 23, 10, 0))
	poster := &fakePoster{}
	a := newHarnessOn(t, path, st, st.Close, clock, poster)
	b := newHarnessOn(t, path, st, func() error { return nil }, clock, poster)
	a.turnOn("")
	a.restore()
	b.restore()
	clock.Set(local(2026, 11, 30, 9, 0))
	var wg sync.WaitGroup
	for _, h := range []*harness{a, b, a, b} {
		wg.Go(func() { h.s.RunDue(ctx) })
	}
	wg.Wait()
	if n := poster.count(); n != 1 {
		t.Errorf("%d posts from two schedulers waking at the same run, want 1", n)
	}
}

func TestRunPostsDueRunOnTheRealClockAndStopsOnCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	// Turned on almost an hour ago with @every 1h: due in about a second.
	_, err = st.UpdateSchedule(ctx, "reflectie/console//fractie", func(s *schedule.Schedule) error {
		*s = schedule.Schedule{ID: s.ID, Kind: schedule.Reflection, To: fractie,
			Version: 1, On: true, Spec: "@every 1h", Zone: "Europe/Amsterdam", Since: now.Add(-time.Hour + time.Second)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	poster := &fakePoster{notify: make(chan schedule.Claimed, 1)}
	s := schedule.New(book, st, schedule.Config{Location: ams}, discard)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- s.Run(runCtx, poster) }()
	select {
	case <-poster.notify:
	case <-time.After(10 * time.Second):
		t.Error("no post from the run loop within 10 seconds")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := poster.count(); n != 1 {
		t.Errorf("%d posts from the run loop, want 1", n)
	}
}

// The console restores before its first prompt, then runs the loop: the
// loop must not restore (and log, and post missed runs) a second time.
func TestRunAfterRestoreDoesNotRestoreAgain(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs strings.Builder
	s := schedule.New(book, st, schedule.Config{}, slog.New(slog.NewTextHandler(&logs, nil)))
	poster := &fakePoster{}
	if err := s.Restore(ctx, poster); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	cancel() // Run returns after its first look at the queue
	if err := s.Run(runCtx, poster); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "schedules restored"); n != 1 {
		t.Errorf("restored %d times, want once:\n%s", n, logs.String())
	}
}

// racingStore runs a command right after Restore has read the schedules,
// as a user typing in the console while the bot starts would.
type racingStore struct {
	schedule.Store
	during func()
}

func (r *racingStore) Schedules(ctx context.Context, prefix string) ([]schedule.Schedule, error) {
	all, err := r.Store.Schedules(ctx, prefix)
	if r.during != nil {
		r.during()
		r.during = nil
	}
	return all, err
}

func TestScheduleTurnedOnDuringRestoreIsQueued(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	racing := &racingStore{Store: st}
	h := newHarnessOn(t, path, racing, st.Close, testkit.NewClock(local(2026, 11, 23, 10, 0)), &fakePoster{})
	racing.during = func() { h.turnOn("") }
	h.restore()
	if n := h.s.Len(); n != 1 {
		t.Fatalf("%d runs queued, want the schedule turned on during start-up", n)
	}
	h.at(local(2026, 11, 30, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
}
