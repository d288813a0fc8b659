package replay

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

func TestFirstReportsARepeatUntilItsExpiry(t *testing.T) {
	g := New(100)
	k := KeyOf("trigger:1.2.3")
	until := t0.Add(5 * time.Minute)
	steps := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"first", t0, true},
		{"at once again", t0, false},
		{"a second before the expiry", until.Add(-time.Second), false},
		{"at the expiry", until, true},
	}
	for _, s := range steps {
		first, err := g.First(k, s.at, until)
		if err != nil || first != s.want {
			t.Errorf("%s: First = %v, %v; want %v", s.name, first, err, s.want)
		}
	}
}

func TestKeysAreIndependent(t *testing.T) {
	g := New(100)
	until := t0.Add(time.Minute)
	for _, id := range []string{"event:Ev1", "event:Ev2", "trigger:Ev1"} {
		if first, err := g.First(KeyOf(id), t0, until); !first || err != nil {
			t.Errorf("%s: First = %v, %v; want true", id, first, err)
		}
	}
}

func TestSameKeyFromManyGoroutinesExactlyOneWins(t *testing.T) {
	g := New(1000)
	const goroutines = 64
	for round := range 20 {
		k := KeyOf(fmt.Sprint("trigger:", round))
		var wins atomic.Int32
		var start, done sync.WaitGroup
		start.Add(1)
		for range goroutines {
			done.Go(func() {
				start.Wait()
				first, err := g.First(k, t0, t0.Add(time.Minute))
				if err != nil {
					t.Error(err)
				}
				if first {
					wins.Add(1)
				}
			})
		}
		start.Done()
		done.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("round %d: %d goroutines were first, want exactly 1", round, n)
		}
	}
}

func TestFullGuardFailsClosedUntilKeysExpire(t *testing.T) {
	g := New(3)
	for i := range 3 {
		if first, err := g.First(KeyOf(fmt.Sprint(i)), t0, t0.Add(time.Minute)); !first || err != nil {
			t.Fatalf("key %d: %v, %v", i, first, err)
		}
	}
	fresh := KeyOf("fresh")
	if first, err := g.First(fresh, t0.Add(time.Second), t0.Add(time.Minute)); first || !errors.Is(err, ErrFull) {
		t.Fatalf("full guard: First = %v, %v; want false, ErrFull", first, err)
	}
	// A repeat is still recognised while full.
	if first, err := g.First(KeyOf("1"), t0.Add(time.Second), t0.Add(time.Minute)); first || err != nil {
		t.Errorf("repeat in a full guard: First = %v, %v; want false, nil", first, err)
	}
	// Once the keys have expired they make room, and the fresh key was
	// not remembered while refused.
	later := t0.Add(2 * time.Minute)
	if first, err := g.First(fresh, later, later.Add(time.Minute)); !first || err != nil {
		t.Errorf("after expiry: First = %v, %v; want true, nil", first, err)
	}
	if n := g.Len(); n > 3 {
		t.Errorf("Len = %d, above the maximum 3", n)
	}
}

func TestExpiredKeysAreSweptAsTheGuardGrows(t *testing.T) {
	g := New(1 << 20)
	now := t0
	// 100,000 keys, each valid for one simulated second, one per 100 µs:
	// about 10,000 are live at a time.
	for i := range 100_000 {
		now = now.Add(100 * time.Microsecond)
		if first, err := g.First(KeyOf(fmt.Sprint(i)), now, now.Add(time.Second)); !first || err != nil {
			t.Fatalf("key %d: %v, %v", i, first, err)
		}
	}
	// Each shard sweeps when it has doubled, so the guard holds at most
	// about twice the live keys (plus the floor per shard).
	if n := g.Len(); n > 2*10_000+maxShards*minSweep {
		t.Errorf("Len = %d after 100,000 keys with about 10,000 live; expired keys are not swept", n)
	}
}

func TestGuardNeverHoldsMoreThanItsMaximum(t *testing.T) {
	const limit = 1000
	g := New(limit)
	var full atomic.Int32
	var wg sync.WaitGroup
	for w := range runtime.GOMAXPROCS(0) * 2 {
		wg.Go(func() {
			for i := range 2000 {
				_, err := g.First(KeyOf(fmt.Sprint(w, "/", i)), t0, t0.Add(time.Hour))
				if errors.Is(err, ErrFull) {
					full.Add(1)
				}
				if n := g.Len(); n > limit {
					t.Errorf("Len = %d, above %d", n, limit)
					return
				}
			}
		})
	}
	wg.Wait()
	if g.Len() != limit || full.Load() == 0 {
		t.Errorf("Len = %d, %d refused; want full at %d with refusals", g.Len(), full.Load(), limit)
	}
}

// BenchmarkFirst adds new keys that expire after five simulated minutes,
// at a steady rate, so that the guard holds about live keys, swept as it
// goes.
func BenchmarkFirst(b *testing.B) {
	for _, live := range []int{1_000, 30_000, 300_000} {
		b.Run(fmt.Sprint("live=", live), func(b *testing.B) {
			g := New(1 << 20)
			step := 5 * time.Minute / time.Duration(live)
			now := t0
			var k Key
			b.ReportAllocs()
			for i := uint64(0); b.Loop(); i++ {
				now = now.Add(step)
				k = newKey(i)
				if _, err := g.First(k, now, now.Add(5*time.Minute)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRepeat is the answer to a repeat: one lookup.
func BenchmarkRepeat(b *testing.B) {
	g := New(1 << 20)
	k := KeyOf("trigger:1")
	g.First(k, t0, t0.Add(time.Hour))
	b.ReportAllocs()
	for b.Loop() {
		if first, _ := g.First(k, t0, t0.Add(time.Hour)); first {
			b.Fatal("repeat reported as first")
		}
	}
}

// BenchmarkFirstParallel adds new keys from every core at once, with about
// 30,000 live.
func BenchmarkFirstParallel(b *testing.B) {
	g := New(1 << 20)
	var seq atomic.Uint64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			now := t0.Add(time.Duration(i) * 10 * time.Microsecond)
			if _, err := g.First(newKey(i), now, now.Add(300*time.Millisecond)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// newKey is a unique key for i that looks like a digest: its bytes are
// spread as a hash's are, without the cost of hashing.
func newKey(i uint64) Key {
	var k Key
	x := i * 0x9E3779B97F4A7C15
	for j := range 8 {
		k[j] = byte(x >> (8 * j))
		k[8+j] = byte(i >> (8 * j))
	}
	return k
}
