package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

// realisticFile is a data file after a few years of a busy council: 2,000
// polls with 30 votes each and 100 reflection schedules, made through the
// store's own methods.
func realisticFile(b *testing.B) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "waardenbot.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	const polls, voters = 2000, 30
	for i := range polls {
		if err := s.CreatePoll(ctx, storetest.Poll(fmt.Sprintf("p%04d", i), fmt.Sprintf("kanaal-%d", i%40))); err != nil {
			b.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for v := range voters * 10 { // 300 voters at once, as in a storm
		wg.Go(func() {
			for i := v % 10; i < polls; i += 10 {
				s.Vote(ctx, fmt.Sprintf("p%04d", i), storetest.As(fmt.Sprintf("U%05d", v)), storetest.Choose("eens"))
			}
		})
	}
	wg.Wait()
	for i := range 100 {
		s.UpdateSchedule(ctx, fmt.Sprintf("reflectie/slack/T1/C%03d", i), func(sc *schedule.Schedule) error {
			sc.Kind, sc.Spec, sc.On = schedule.Reflection, "0 9 * * 1", true
			return nil
		})
	}
	return s
}

// BenchmarkBackup measures a scheduled copy of a realistic file (to a
// local folder) and the check restore makes of it.
func BenchmarkBackup(b *testing.B) {
	s := realisticFile(b)
	dir := b.TempDir()
	info, err := s.WriteBackup(context.Background(), dir, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	c, err := Inspect(info.Path)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("the file: %s", c)
	b.Run("copy", func(b *testing.B) {
		b.SetBytes(info.Size)
		for b.Loop() {
			if _, err := s.WriteBackup(context.Background(), dir, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("inspect", func(b *testing.B) {
		b.SetBytes(info.Size)
		for b.Loop() {
			if _, err := Inspect(info.Path); err != nil {
				b.Fatal(err)
			}
		}
	})
}
