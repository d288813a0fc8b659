package schedule

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// postWorkers is how many posts run at once when many runs are due
// together (10,000 channels on Monday 09:00).
const postWorkers = 8

// claimChunk is how many due runs are claimed before they are posted.
const claimChunk = 64

// postTimeout bounds one post, so that a platform that hangs cannot stop
// the other channels' posts.
const postTimeout = 30 * time.Second

// Claimed is a run whose claim has committed: the store holds the run as
// claimed and the schedule moved on (the rotation's next value taken, the
// debate prep marked posted, Last set). Its message is made from
// Schedule: for a reflection, the value is Schedule.Turn.Current.
type Claimed struct {
	Schedule Schedule  // as the claim stored it
	At       time.Time // the scheduled time: the run's idempotency key
	Late     bool      // a catch-up of a run missed while the bot was down

	// A reflection run that a holiday moved to the next working day: when
	// its spec had it, and why it moved. Zero otherwise.
	Planned time.Time
	Why     Reason
}

// Poster makes the message of a claimed run and posts it in
// c.Schedule.To. The scheduler calls it after the claim has committed and
// outside any transaction, once per claimed run, from several goroutines
// at once. An error means the post failed: the run is not tried again, and
// what the claim took is given back.
type Poster interface {
	Post(ctx context.Context, c Claimed) error
}

// fire posts runs and waits for them, in chunks of claimChunk: claim the
// chunk (concurrent claims share bbolt transactions through db.Batch),
// post it with postWorkers workers, then record the outcomes (again in
// shared transactions). A crash can therefore lose at most one chunk's
// posts, which are then "claimed" and never posted twice; and 10,000 runs
// due at one moment need a few hundred transactions, not 20,000.
func (s *Scheduler) fire(ctx context.Context, runs []queuedRun) {
	if len(runs) == 0 {
		return // a wake-up with nothing due costs nothing here
	}
	st, err := s.store()
	if err != nil {
		s.log.Error("post scheduled runs", "err", err, "fix", fixStore)
		return
	}
	// What was claimed is recorded even when ctx ends meanwhile (the bot
	// is stopping): a run left "claimed" would be given up at start-up.
	record := context.WithoutCancel(ctx)
	for len(runs) > 0 {
		chunk := runs[:min(claimChunk, len(runs))]
		runs = runs[len(chunk):]
		ready := make([]*claimedRun, len(chunk))
		var wg sync.WaitGroup
		for i, q := range chunk {
			wg.Go(func() { ready[i] = s.claim(ctx, st, q) })
		}
		wg.Wait()
		ready = slices.DeleteFunc(ready, func(c *claimedRun) bool { return c == nil })
		work := make(chan *claimedRun)
		for range min(postWorkers, len(ready)) {
			wg.Go(func() {
				for c := range work {
					c.err = s.post(ctx, c)
				}
			})
		}
		for _, c := range ready {
			work <- c
		}
		close(work)
		wg.Wait()
		for _, c := range ready {
			wg.Go(func() { s.finish(record, st, c) })
		}
		wg.Wait()
	}
}

// claimedRun is a run claimed in the store and ready to post.
type claimedRun struct {
	q    queuedRun
	sc   Schedule // as stored by the claim
	turn Rotation // the rotation before the claim, to give back on failure
	err  error    // from the poster
}

// claim claims one run and moves its schedule on (the rotation, the
// debate's state, Last) in one transaction, deciding state only: the
// message is made after the commit, from what the claim stored, because
// the store may run the closure more than once. It returns nil when the
// run must not be posted: claimed before, or its schedule changed since it
// was queued.
func (s *Scheduler) claim(ctx context.Context, st Store, q queuedRun) *claimedRun {
	var turn Rotation
	sc, err := st.ClaimRun(ctx, q.id, q.at, func(sc *Schedule) error {
		turn = Rotation{}
		if sc.Version != q.version || sc.Kind == "" {
			return errStale
		}
		switch sc.Kind {
		case Reflection:
			if !sc.On {
				return errStale
			}
			turn = sc.Turn
			sc.Turn.Next(s.kb, sc.ID)
		case DebatePrep:
			if sc.State != PrepPlanned {
				return errStale
			}
			sc.State = PrepPosted
		}
		sc.Last = later(sc.Last, q.at)
		return nil
	})
	switch {
	case errors.Is(err, ErrRunClaimed):
		s.log.Info("run already claimed; not posting it again", "schedule", q.id, "at", q.at)
		s.requeue(ctx, st, q.id)
		return nil
	case errors.Is(err, errStale):
		return nil // whoever changed the schedule queued its new run
	case err != nil && ctx.Err() != nil:
		s.log.Debug("scheduled run not claimed: stopping", "schedule", q.id, "at", q.at)
		s.retry(q)
		return nil
	case err != nil:
		s.log.Error("claim scheduled run; trying again in a minute", "schedule", q.id, "at", q.at, "err", err, "fix", fixStore)
		s.retry(q)
		return nil
	}
	return &claimedRun{q: q, sc: sc, turn: turn}
}

func (s *Scheduler) post(ctx context.Context, c *claimedRun) error {
	s.mu.Lock()
	p := s.poster
	s.mu.Unlock()
	if p == nil {
		return errors.New("no poster")
	}
	ctx, cancel := context.WithTimeout(ctx, postTimeout)
	defer cancel()
	cl := Claimed{Schedule: c.sc, At: c.q.at, Late: c.q.late}
	if c.sc.Kind == Reflection {
		if o := s.occurrence(c.sc, c.q.at); !o.Why.IsZero() {
			cl.Planned, cl.Why = o.Planned, o.Why
		}
	}
	return p.Post(ctx, cl)
}

// finish records how a claimed run went and queues the schedule's next
// run. A failed post is not retried: the poster may have delivered it.
func (s *Scheduler) finish(ctx context.Context, st Store, c *claimedRun) {
	q, state := c.q, RunPosted
	if c.err != nil {
		state = RunFailed
		s.log.Error("post scheduled run failed; not retried, so that it cannot appear twice",
			"schedule", q.id, "at", q.at, "err", c.err,
			"fix", "check that the bot is in that channel and may post there, and that the platform answers (the lines before this one say more); the next run is posted as planned")
		s.undo(ctx, st, c.sc, c.turn)
	} else {
		s.log.Debug("posted scheduled run", "schedule", q.id, "at", q.at, "late", q.late)
	}
	if err := st.FinishRun(ctx, q.id, q.at, state); err != nil {
		s.log.Error("record run outcome", "schedule", q.id, "at", q.at, "err", err, "fix", fixStore)
	}
	if c.sc.Kind == Reflection {
		s.queueNext(c.sc)
	}
}

// undo gives back what a failed post took: the value of the rotation (so
// that it comes next time and no value is left out of the round), or
// marks the debate prep as failed.
func (s *Scheduler) undo(ctx context.Context, st Store, claimed Schedule, before Rotation) {
	_, err := st.UpdateSchedule(ctx, claimed.ID, func(sc *Schedule) error {
		switch {
		case sc.Kind == Reflection && sc.Turn.Round == claimed.Turn.Round && sc.Turn.Pos == claimed.Turn.Pos:
			sc.Turn = before
		case sc.Kind == DebatePrep && sc.State == PrepPosted:
			sc.State = PrepFailed
		default:
			return errStale
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStale) {
		s.log.Error("undo failed run", "schedule", claimed.ID, "err", err, "fix", fixStore)
	}
}

// requeue reads a schedule again and queues its next run.
func (s *Scheduler) requeue(ctx context.Context, st Store, id string) {
	sc, ok, err := st.Schedule(ctx, id)
	if err != nil || !ok {
		return
	}
	s.changed(sc)
}

// retry queues the same run again a minute later: it was not claimed, so
// posting it later cannot post it twice.
func (s *Scheduler) retry(q queuedRun) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.queued[q.id]; !ok && s.loaded {
		q.retryAt = s.now().Add(time.Minute)
		s.push(q)
	}
}

// queueNext queues the run of a reflection after its last one.
func (s *Scheduler) queueNext(sc Schedule) {
	r, err := s.runs(sc)
	if err != nil {
		return
	}
	next := r.next(later(s.now(), sc.Last))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded && !next.IsZero() {
		s.push(queuedRun{id: sc.ID, at: next, version: sc.Version})
	}
}
