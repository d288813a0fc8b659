package mattermost

import (
	"math/rand/v2"
	"time"
)

// backoff is an exponential wait between attempts, capped, with jitter so
// that many bots do not reconnect to a restarted server at the same moment.
type backoff struct {
	min, max time.Duration
	cur      time.Duration
}

func (a *Adapter) newBackoff() *backoff { return &backoff{min: a.minBackoff, max: a.maxBackoff} }

// next returns the wait before the next attempt: the current step plus up
// to half of it again, never more than max.
func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	d := b.cur + rand.N(b.cur/2+1)
	return min(d, b.max)
}

// reset starts again from the shortest wait, after a connection that worked.
func (b *backoff) reset() { b.cur = 0 }
