package replay

import (
	"context"
	"time"
)

// Shared is a memory of handled requests that several instances of the
// bot share: package bot/store/postgres keeps one in PostgreSQL, so that
// a request that reaches two instances (a Slack retry that a load
// balancer sends elsewhere, a capture replayed to another instance, a
// Mattermost mention that every instance's WebSocket delivers) is handled
// by one.
type Shared interface {
	// FirstSeen reports whether key is seen for the first time at now,
	// by any instance, and remembers it until until. Of all calls with
	// one key before its expiry exactly one reports true.
	FirstSeen(ctx context.Context, key [16]byte, now, until time.Time) (bool, error)
}

// Memory is what an adapter asks whether a request is new: its own Guard,
// or, when the instances share a memory, that one instead (it knows what
// this instance handled too, and a key remembered here but refused there
// would be lost if the shared memory failed in between).
type Memory struct {
	Local  *Guard
	Shared Shared // nil: this process alone answers the platform
}

// First reports whether k is new, as Guard.First does; the shared memory's
// errors (the database cannot be reached) count as ErrFull does: the
// caller cannot tell, and refuses the request.
func (m Memory) First(ctx context.Context, k Key, now, until time.Time) (bool, error) {
	if m.Shared != nil {
		return m.Shared.FirstSeen(ctx, [16]byte(k), now, until)
	}
	return m.Local.First(k, now, until)
}

// FirstSeen makes a Guard a Shared memory for the adapters of one process:
// tests play several instances with one Guard.
func (g *Guard) FirstSeen(_ context.Context, key [16]byte, now, until time.Time) (bool, error) {
	return g.First(Key(key), now, until)
}

// Healthy reports why the instance cannot serve, for /healthz: the shared
// memory cannot be reached, so every request would be refused. A shared
// memory that can be pinged (the PostgreSQL store) is pinged, for at most
// two seconds; without one the answer is always yes.
func (m Memory) Healthy(ctx context.Context) (bool, string) {
	p, ok := m.Shared.(interface{ Ping(context.Context) error })
	if !ok {
		return true, ""
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := p.Ping(ctx); err != nil {
		return false, "the database the instances share does not answer: requests are refused until it does"
	}
	return true, ""
}
