package schedule_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store"
)

// seedChannels stores n channels with the default weekly reflection, as
// /reflectie aan in each would, using several writers as many channels
// typing at once would.
func seedChannels(tb testing.TB, st schedule.Store, n int, since time.Time) {
	tb.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < n; i += 16 {
				d := chat.Destination{Platform: "slack", Team: "T1", Channel: fmt.Sprintf("C%06d", i)}
				id := schedule.ReflectionID(d)
				_, err := st.UpdateSchedule(ctx, id, func(s *schedule.Schedule) error {
					*s = schedule.Schedule{ID: id, Kind: schedule.Reflection, To: d, Version: 1, Created: since, Since: since,
						On: true, Spec: schedule.DefaultSpec, Zone: "Europe/Amsterdam"}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// countingPoster counts posts per channel.
type countingPoster struct {
	mu  sync.Mutex
	per map[string]int
}

func (p *countingPoster) Post(_ context.Context, c schedule.Claimed) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.per[c.Schedule.To.Channel]++
	return nil
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestTenThousandChannelsRestoreAndPostEachOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 channels: run without -short")
	}
	const n = 10_000
	path := filepath.Join(t.TempDir(), "w.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Now()
	seedChannels(t, st, n, local(2026, 11, 23, 10, 0))
	t.Logf("stored %d schedules in %s", n, time.Since(t0))

	clock := testkit.NewClock(local(2026, 11, 30, 8, 0))
	s := schedule.New(book, st, schedule.Config{Location: ams, Now: clock.Now}, discard)
	poster := &countingPoster{per: map[string]int{}}
	before := heapInUse()
	t0 = time.Now()
	if err := s.Restore(ctx, poster); err != nil {
		t.Fatal(err)
	}
	t.Logf("restored %d schedules in %s, heap +%d KiB", n, time.Since(t0), (int64(heapInUse())-int64(before))/1024)
	if got := s.Len(); got != n {
		t.Fatalf("%d runs queued, want %d", got, n)
	}
	if next := s.RunDue(ctx); !next.Equal(local(2026, 11, 30, 9, 0)) || len(poster.per) != 0 {
		t.Fatalf("idle RunDue: next %s, %d posts", next, len(poster.per))
	}
	clock.Set(local(2026, 11, 30, 9, 0))
	t0 = time.Now()
	s.RunDue(ctx)
	t.Logf("posted %d due runs in %s", n, time.Since(t0))
	s.RunDue(ctx)
	if len(poster.per) != n {
		t.Errorf("%d channels got a post, want %d", len(poster.per), n)
	}
	for ch, c := range poster.per {
		if c != 1 {
			t.Errorf("channel %s got %d posts", ch, c)
		}
	}
	if got := s.Len(); got != n {
		t.Errorf("%d runs queued after the posts, want %d (next week)", got, n)
	}
}

// benchStore returns a store with n seeded channels, shared by the
// benchmarks of one size.
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	st, err := store.Open(filepath.Join(b.TempDir(), "w.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	seedChannels(b, st, n, local(2026, 11, 23, 10, 0))
	return st
}

func benchScheduler(st schedule.Store, now time.Time) *schedule.Scheduler {
	clock := testkit.NewClock(now)
	return schedule.New(book, st, schedule.Config{Location: ams, Now: clock.Now}, discard)
}

// BenchmarkRestore measures start-up: reading every schedule from bbolt
// and queueing its next run. heap-B/schedule is the memory the queued
// schedules keep after start-up.
func BenchmarkRestore(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			st := benchStore(b, n)
			poster := &countingPoster{per: map[string]int{}}
			b.ReportAllocs()
			var kept uint64
			for b.Loop() {
				b.StopTimer()
				before := heapInUse()
				b.StartTimer()
				s := benchScheduler(st, local(2026, 11, 30, 8, 0))
				if err := s.Restore(ctx, poster); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				kept = heapInUse() - before
				runtime.KeepAlive(s)
				b.StartTimer()
			}
			b.ReportMetric(float64(kept)/float64(n), "heap-B/schedule")
		})
	}
}

// BenchmarkRunDueIdle measures a wake-up with nothing due: it must not
// grow with the number of idle schedules.
func BenchmarkRunDueIdle(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			st := benchStore(b, n)
			s := benchScheduler(st, local(2026, 11, 30, 8, 0))
			if err := s.Restore(ctx, &countingPoster{per: map[string]int{}}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				s.RunDue(ctx)
			}
		})
	}
}
