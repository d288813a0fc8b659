package answers

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

func TestGetFindsWhatPutKept(t *testing.T) {
	c := New[string](1 << 10)
	if _, ok := c.Get([]byte("waarde&privacy")); ok {
		t.Fatal("an empty cache found something")
	}
	c.Put([]byte("waarde&privacy"), "Privacy", 7)
	c.Put([]byte("waarde&orde"), "Orde", 4)
	for key, want := range map[string]string{"waarde&privacy": "Privacy", "waarde&orde": "Orde"} {
		if got, ok := c.Get([]byte(key)); !ok || got != want {
			t.Errorf("Get(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
	c.Put([]byte("waarde&orde"), "Orde!", 5)
	if got, _ := c.Get([]byte("waarde&orde")); got != "Orde!" {
		t.Errorf("a second Put did not replace the value: %q", got)
	}
	if n, size := c.Len(); n != 2 || size != len("waarde&privacy")+7+len("waarde&orde")+5+2*Overhead {
		t.Errorf("Len = %d entries, %d bytes", n, size)
	}
}

func TestLeastRecentlyUsedGoesFirstWithinTheBudget(t *testing.T) {
	entry := 10 + 100 + Overhead // a key of 10 bytes, a value of 100
	c := New[int](3 * entry)
	key := func(i int) []byte { return fmt.Appendf(nil, "key-%06d", i) }
	for i := range 3 {
		c.Put(key(i), i, 100)
	}
	c.Get(key(0)) // 1 is now the least recently used
	c.Put(key(3), 3, 100)
	if _, ok := c.Get(key(1)); ok {
		t.Error("the least recently used entry was kept beyond the budget")
	}
	for _, i := range []int{0, 2, 3} {
		if _, ok := c.Get(key(i)); !ok {
			t.Errorf("entry %d was dropped, not the least recently used", i)
		}
	}
	if n, size := c.Len(); n != 3 || size != 3*entry {
		t.Errorf("Len = %d entries, %d bytes; want 3, %d", n, size, 3*entry)
	}
	// A large value makes room for itself; one larger than the budget is
	// not kept, and does not empty the cache.
	c.Put(key(4), 4, 2*100+entry)
	if n, size := c.Len(); n != 1 || size > 3*entry {
		t.Errorf("after a large value: %d entries, %d bytes", n, size)
	}
	c.Put(key(5), 5, 3*entry)
	if _, ok := c.Get(key(5)); ok {
		t.Error("a value larger than the budget was kept")
	}
	if _, ok := c.Get(key(4)); !ok {
		t.Error("a value too large to keep dropped another")
	}
}

func TestNilCacheKeepsNothing(t *testing.T) {
	var c *Cache[string]
	c.Put([]byte("k"), "v", 1)
	if _, ok := c.Get([]byte("k")); ok {
		t.Error("a nil cache found something")
	}
	if n, size := c.Len(); n != 0 || size != 0 {
		t.Errorf("Len = %d, %d", n, size)
	}
}

func TestConcurrentUseStaysWithinTheBudget(t *testing.T) {
	const budget = 50 * (8 + 64 + Overhead)
	c := New[[]byte](budget)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				k := fmt.Appendf(nil, "k%07d", (i*7+g)%120)
				if v, ok := c.Get(k); ok && string(v) != string(k) {
					t.Errorf("Get(%s) = %s", k, v)
					return
				}
				c.Put(k, k, 64)
			}
		})
	}
	wg.Wait()
	if _, size := c.Len(); size > budget {
		t.Errorf("%d bytes held, budget %d", size, budget)
	}
}

func TestGetAllocatesNothing(t *testing.T) {
	c := New[[]byte](1 << 20)
	c.Put([]byte("waarde&privacy"), []byte("{}"), 2)
	key := []byte("waarde&privacy")
	if n := testing.AllocsPerRun(100, func() { c.Get(key) }); n != 0 {
		t.Errorf("Get allocates %.0f times", n)
	}
}

// TestOverheadCoversAnEntry checks that Overhead is at least what an
// entry costs on the heap beyond its key and value, measured over many
// entries.
func TestOverheadCoversAnEntry(t *testing.T) {
	const n = 20000
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "waarde&query-%07d", i) // 20 bytes
	}
	value := make([]byte, 1000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := New[[]byte](1 << 30)
	for _, k := range keys {
		c.Put(k, value, len(value))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perEntry := float64(after.HeapAlloc-before.HeapAlloc) / n
	counted := float64(len(keys[0]) + Overhead) // the value is shared: not on the heap per entry
	t.Logf("an entry costs %.0f bytes besides its value; counted %.0f", perEntry, counted)
	if perEntry > counted {
		t.Errorf("an entry costs %.0f bytes besides its value, more than the %.0f counted", perEntry, counted)
	}
	runtime.KeepAlive(c)
}
