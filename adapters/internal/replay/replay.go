// Package replay remembers which requests an adapter has already handled,
// so that one that arrives again is answered without doing its work twice:
// a signed request captured and sent again within its signature's
// validity, or a delivery the platform retries.
//
// A [Guard] holds keys, each until an expiry the caller chooses: as long as
// a repeat could still be accepted (a signature's validity window, the time
// a platform retries in). A [Key] is 16 bytes: the first 16 bytes of a
// digest that already identifies the request (an HMAC signature), or
// [KeyOf] an identifier such as a trigger_id or an event_id.
//
// Guarantees:
//
//   - Of all calls of [Guard.First] with the same key before its expiry,
//     from any number of goroutines, exactly one reports true (none, if
//     the guard is full for all of them). The key is remembered from that
//     call until its expiry; after the expiry it may be forgotten, and then
//     reports true again.
//   - The guard never holds more than its maximum number of keys. When it
//     is full, First remembers nothing and returns [ErrFull]: it cannot
//     tell a repeat from a new request, and the caller must refuse the
//     request rather than risk doing it twice (fail closed). A repeat of a
//     remembered key is still recognised while full.
//   - First costs one map lookup (and for a new key one insert) under the
//     lock of one of up to 16 shards. Expired keys are swept in bulk, one
//     shard at a time: when the shard has doubled since its last sweep
//     (amortised O(1) per new key), and when it is full, at most once a
//     second; so a full guard may refuse for up to a second after keys
//     expired. No call walks the whole guard.
//   - Memory is 30 to 60 bytes per key held (Go's maps grow by doubling):
//     at most about 14 MB for 262,144 keys. It grows only with the keys
//     actually added, and is not given back after a peak.
//
// Nothing is written to disk: after a restart the guard is empty, and a
// request from before the restart that is still valid counts as new.
package replay

import (
	"crypto/sha256"
	"errors"
	"math"
	"sync"
	"time"
)

// FixFlood is what the adapters' logs tell an operator when a full guard
// makes them refuse requests.
const FixFlood = "a flood of requests filled the guard against repeats: if it lasts, find its source (your proxy's access log) and block it; requests are refused until the flood passes"

// FixShared is what the logs tell an operator when the memory the
// instances share (the PostgreSQL store) cannot be asked.
const FixShared = "the database the instances share does not answer: check it (waardenbot check, the database's own logs); meanwhile requests are refused, so that none is done twice"

// Fix is the fix attribute for an error of First: FixFlood for ErrFull,
// else FixShared.
func Fix(err error) string {
	if errors.Is(err, ErrFull) {
		return FixFlood
	}
	return FixShared
}

// Key identifies a request. Use the first 16 bytes of a cryptographic
// digest that is unique to the request (Key(sig[:16]) for an HMAC-SHA256
// signature), or KeyOf for an identifier.
type Key [16]byte

// KeyOf is the key of an identifier: the first 16 bytes of its SHA-256.
// When one guard holds several kinds of identifier, give each kind its own
// prefix ("event:"+id, "trigger:"+id), so that they cannot collide.
func KeyOf(id string) Key {
	sum := sha256.Sum256([]byte(id))
	return Key(sum[:16])
}

// ErrFull means that the guard (the shard of the key) is full and cannot
// make room now, so it cannot remember one more key and cannot tell
// whether the request is new. The caller should refuse the request (HTTP
// 503) and log it.
var ErrFull = errors.New("replay guard full: cannot tell a repeat from a new request")

const (
	maxShards = 16 // a power of two
	// shardKeys is the fewest keys a shard is made for: a small guard has
	// one shard, so that its maximum is exact.
	shardKeys = 1024
	// minSweep is the size below which a shard is not swept for growth.
	minSweep = 64
	// fullSweepGap is how often a full shard may be swept.
	fullSweepGap = int64(time.Second)
)

// Guard remembers keys until their expiry. It is safe for concurrent use.
// The zero value is not usable; call New.
type Guard struct {
	shards []shard
	mask   byte
}

// shard is one part of the guard: a key's shard is picked by the low bits
// of its first byte.
type shard struct {
	mu        sync.Mutex
	keys      map[Key]int64 // expiry, Unix nanoseconds
	max       int
	sweepAt   int   // sweep when the shard holds this many keys
	earliest  int64 // no key in the shard expires before this
	lastSweep int64
	_         [64]byte // keep shards on separate cache lines
}

// New returns a guard that holds at most limit keys (at least 1). A guard
// of more than 2,048 keys is split into up to 16 shards of limit/shards
// keys each, so it may report ErrFull when one shard is full, a few
// percent before it holds limit keys in all.
func New(limit int) *Guard {
	limit = max(limit, 1)
	n := 1
	for n < maxShards && limit/(2*n) >= shardKeys {
		n *= 2
	}
	g := &Guard{shards: make([]shard, n), mask: byte(n - 1)}
	for i := range g.shards {
		g.shards[i] = shard{keys: map[Key]int64{}, max: limit / n, sweepAt: minSweep, earliest: math.MaxInt64}
	}
	return g
}

// First reports whether k is seen for the first time, and remembers it
// until until. It reports false for a key that is remembered and has not
// expired at now: a repeat, whose work must not be done again. With
// ErrFull it remembers nothing (see ErrFull). A key whose until is not
// after now is forgotten at once: the caller refuses such a request
// before asking.
func (g *Guard) First(k Key, now, until time.Time) (bool, error) {
	t, exp := now.UnixNano(), until.UnixNano()
	s := &g.shards[k[0]&g.mask]
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.keys[k]; ok {
		if old > t {
			return false, nil
		}
		s.keys[k] = exp // expired: new again, in the same place
		s.earliest = min(s.earliest, exp)
		return true, nil
	}
	switch {
	case len(s.keys) >= s.max:
		// Full: sweep only when a key has expired, and not more than once
		// a second, so that a full guard costs no walk per request.
		if t < s.earliest || t-s.lastSweep < fullSweepGap {
			return false, ErrFull
		}
		s.sweep(t)
		if len(s.keys) >= s.max {
			return false, ErrFull
		}
	case len(s.keys) >= s.sweepAt:
		s.sweep(t)
	}
	s.keys[k] = exp
	s.earliest = min(s.earliest, exp)
	return true, nil
}

// sweep deletes the expired keys of s, whose lock is held, and sets when
// it is swept next: when it has doubled.
func (s *shard) sweep(t int64) {
	earliest := int64(math.MaxInt64)
	for k, exp := range s.keys {
		if exp <= t {
			delete(s.keys, k)
		} else {
			earliest = min(earliest, exp)
		}
	}
	s.earliest, s.lastSweep = earliest, t
	s.sweepAt = max(2*len(s.keys), minSweep)
}

// Len returns how many keys the guard holds, including expired keys that
// have not been swept yet.
func (g *Guard) Len() int {
	n := 0
	for i := range g.shards {
		s := &g.shards[i]
		s.mu.Lock()
		n += len(s.keys)
		s.mu.Unlock()
	}
	return n
}
