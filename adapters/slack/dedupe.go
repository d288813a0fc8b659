package slack

import (
	"sync"
	"time"
)

// dedupe remembers event IDs for a while so that an event Slack delivers
// again (it retries when an ack is late) is handled once.
type dedupe struct {
	ttl   time.Duration
	mu    sync.Mutex
	seen  map[string]time.Time
	swept time.Time
}

func newDedupe(ttl time.Duration) *dedupe {
	return &dedupe{ttl: ttl, seen: map[string]time.Time{}}
}

// first reports whether id is new, and remembers it. An empty id is always
// new. Expired IDs are dropped once per ttl, so memory stays bounded by the
// events of two ttls.
func (d *dedupe) first(id string, now time.Time) bool {
	if id == "" {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.seen[id]; ok && now.Sub(t) < d.ttl {
		return false
	}
	if now.Sub(d.swept) >= d.ttl {
		for k, t := range d.seen {
			if now.Sub(t) >= d.ttl {
				delete(d.seen, k)
			}
		}
		d.swept = now
	}
	d.seen[id] = now
	return true
}
