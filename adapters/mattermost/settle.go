package mattermost

import (
	"context"
	"sync"
	"time"
)

// Mattermost applies the update in the answer to a click when that answer
// arrives. Two clicks on one poll in the same moment are answered in the
// order the store committed them, but their updates may be applied the
// other way round, leaving the post one vote behind. So when clicks on a
// poll overlap, the bot redraws the post once more, settleDelay after the
// last of them, from the store.
const settleDelay = time.Second

// clicks counts the clicks being handled per poll and notices overlap.
type clicks struct {
	mu         sync.Mutex
	active     map[string]int
	overlapped map[string]bool
}

// begin notes a click on poll.
func (c *clicks) begin(poll string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active == nil {
		c.active, c.overlapped = map[string]int{}, map[string]bool{}
	}
	c.active[poll]++
	if c.active[poll] > 1 {
		c.overlapped[poll] = true
	}
}

// end notes that a click on poll is answered, and reports whether it was
// the last of clicks that overlapped.
func (c *clicks) end(poll string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.active[poll]--
	if c.active[poll] > 0 {
		return false
	}
	o := c.overlapped[poll]
	delete(c.active, poll)
	delete(c.overlapped, poll)
	return o
}

// settle redraws the poll's post after settleDelay; calls in the meantime
// share that one redraw.
func (a *Adapter) settle(poll string) {
	a.settleMu.Lock()
	if a.settling == nil {
		a.settling = map[string]bool{}
	}
	if a.settling[poll] {
		a.settleMu.Unlock()
		return
	}
	a.settling[poll] = true
	a.settleMu.Unlock()
	a.inflight.Add(1)
	time.AfterFunc(a.settleDelay, func() {
		defer a.inflight.Done()
		a.settleMu.Lock()
		delete(a.settling, poll)
		a.settleMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := a.redraw(ctx, poll); err != nil {
			a.log.Warn("poll post not settled after overlapping clicks", "poll", poll, "error", err)
		}
	})
}
