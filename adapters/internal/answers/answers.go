// Package answers keeps what an adapter made of the bot's answers that
// depend on nothing but the command and its arguments (bot.Bot.Cacheable:
// the lookups and the help): the message rendered for the platform and
// encoded for the wire, so that the same question asked again is
// answered with the same bytes without asking the bot, rendering or
// encoding again.
//
// Guarantees:
//
//   - A [Cache] holds at most its budget of bytes: each entry counts its
//     key, the size its caller gives for the value and [Overhead]. When a
//     new entry does not fit, the least recently used entries go first;
//     an entry larger than the whole budget is not kept.
//   - Get costs one map lookup and moving the entry to the front of a
//     list, under one lock; it allocates nothing. Put allocates the key
//     and the entry.
//   - A value is handed out as it was put: the caller must not change it
//     after Put, nor change what Get returns (share it, write it).
//   - Nothing expires: a kept answer stays right for as long as the bot
//     that made it runs (its knowledge base and language do not change).
//     The cache is empty at start-up and grows only with the answers
//     asked for.
//
// A nil *Cache keeps nothing: Get finds nothing and Put does nothing.
package answers

import "sync"

// Overhead is what an entry is counted for besides its key and its
// value's size: the entry itself and its place in the map (about 110
// bytes on 64-bit platforms, TestOverheadCoversAnEntry measures it).
const Overhead = 128

// Cache keeps values by key within a budget of bytes, least recently used
// out first. It is safe for concurrent use. Make one with New.
type Cache[V any] struct {
	mu     sync.Mutex
	budget int
	size   int
	byKey  map[string]*entry[V]
	ring   entry[V] // ring.next is the most recently used entry, ring.prev the least
}

type entry[V any] struct {
	key        string
	value      V
	size       int // counted against the budget: key, value and Overhead
	prev, next *entry[V]
}

// New returns an empty cache that holds at most budget bytes.
func New[V any](budget int) *Cache[V] {
	c := &Cache[V]{budget: budget, byKey: map[string]*entry[V]{}}
	c.ring.prev, c.ring.next = &c.ring, &c.ring
	return c
}

// Get returns the value kept for key, and whether there is one. It makes
// the entry the most recently used.
func (c *Cache[V]) Get(key []byte) (V, bool) {
	if c == nil {
		var zero V
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[string(key)]
	if !ok {
		var zero V
		return zero, false
	}
	c.unlink(e)
	c.front(e)
	return e.value, true
}

// Put keeps v, which takes size bytes, for key, in place of what was kept
// for it before, and makes room for it by dropping the least recently
// used entries. A value that does not fit in the whole budget is not
// kept.
func (c *Cache[V]) Put(key []byte, v V, size int) {
	if c == nil {
		return
	}
	total := len(key) + size + Overhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.byKey[string(key)]; ok {
		c.drop(old)
	}
	if total > c.budget {
		return
	}
	for c.size+total > c.budget {
		c.drop(c.ring.prev)
	}
	e := &entry[V]{key: string(key), value: v, size: total}
	c.byKey[e.key] = e
	c.size += total
	c.front(e)
}

// Len returns how many entries the cache holds and how many bytes they
// count for.
func (c *Cache[V]) Len() (entries, bytes int) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byKey), c.size
}

// drop removes e, whose lock is held.
func (c *Cache[V]) drop(e *entry[V]) {
	c.unlink(e)
	delete(c.byKey, e.key)
	c.size -= e.size
}

func (c *Cache[V]) unlink(e *entry[V]) {
	e.prev.next, e.next.prev = e.next, e.prev
}

func (c *Cache[V]) front(e *entry[V]) {
	e.prev, e.next = &c.ring, c.ring.next
	c.ring.next.prev = e
	c.ring.next = e
}
