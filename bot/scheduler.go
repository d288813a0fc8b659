package bot

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// DefaultGrace is how late a missed run may still be posted at start-up.
const DefaultGrace = 12 * time.Hour

// runRetention is how long run records are kept. Only runs after a
// schedule's Last can matter for exactly-once; a month is ample.
const runRetention = 30 * 24 * time.Hour

// maxSleep bounds how long the loop sleeps, so that a wall clock that
// jumps (a suspended laptop, an NTP correction) is noticed within a minute.
const maxSleep = time.Minute

// postWorkers is how many posts run at once when many runs are due
// together (10,000 channels on Monday 09:00).
const postWorkers = 8

// claimChunk is how many due runs are claimed before they are posted.
const claimChunk = 64

// postTimeout bounds one post, so that a platform that hangs cannot stop
// the other channels' posts.
const postTimeout = 30 * time.Second

// errStale aborts a claim for a run whose schedule changed or ended after
// the run was queued.
var errStale = errors.New("schedule changed since the run was queued")

// errNoStore means the bot was built without a place to keep schedules.
var errNoStore = errors.New("no schedule store configured")

// Scheduler posts reflection prompts and debate prep cards at their times,
// exactly once each, through a Poster.
//
// It drives timing itself instead of using cron.Cron's runner, and uses
// robfig/cron only to parse specs: cron.Cron reads the real clock (tests
// could not move time), never replays a missed run, has no hook to claim a
// run in the store before it runs, and sorts all its entries on every wake.
// Here one goroutine sleeps on one timer until the earliest run in a
// min-heap, so 10,000 idle schedules cost a heap entry each and nothing per
// tick. Times come from the bot's clock (WithClock); RunDue runs what is due
// at that clock, which is what tests call.
type Scheduler struct {
	b     *Bot
	open  func() (ScheduleStore, error)
	grace time.Duration
	log   *slog.Logger

	openOnce sync.Once
	st       ScheduleStore
	stErr    error

	mu        sync.Mutex
	poster    Poster // set by Restore
	loaded    bool
	restoring bool     // Restore is reading the store
	pending   []string // schedules changed while Restore was reading
	queue     runQueue
	queued    map[string]*queuedRun
	specs     map[string]cronSpec // parsed specs by zone and text; most channels share one
	wake      chan struct{}
}

func newScheduler(b *Bot, open func() (ScheduleStore, error)) *Scheduler {
	grace := b.cfg.Grace
	if grace == 0 {
		grace = DefaultGrace
	}
	return &Scheduler{
		b: b, open: open, grace: grace, log: b.log,
		queued: map[string]*queuedRun{}, specs: map[string]cronSpec{},
		wake: make(chan struct{}, 1),
	}
}

// store opens the store the first time something needs it.
func (s *Scheduler) store() (ScheduleStore, error) {
	s.openOnce.Do(func() {
		if s.open == nil {
			s.stErr = errNoStore
			return
		}
		s.st, s.stErr = s.open()
	})
	return s.st, s.stErr
}

// Len is the number of runs waiting in the queue.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Run restores the schedules, posts missed runs within the grace period,
// then posts every run at its time through p until ctx is cancelled. It
// returns when the posts it started have finished. When Restore has run
// already, Run does not restore again: a caller that must finish start-up
// before it goes on (the console, before its first prompt) calls Restore
// itself, then Run.
func (s *Scheduler) Run(ctx context.Context, p Poster) error {
	s.mu.Lock()
	restored := s.loaded
	if restored {
		s.poster = p
	}
	s.mu.Unlock()
	if !restored {
		if err := s.Restore(ctx, p); err != nil {
			return err
		}
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		next := s.RunDue(ctx)
		wait := maxSleep
		if !next.IsZero() {
			wait = min(max(next.Sub(s.b.now()), 0), maxSleep)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-s.wake:
			timer.Stop() // since Go 1.23 a stopped timer delivers no stale tick
		}
	}
}

// Restore loads every schedule from the store and queues its next run. A
// run missed while the bot was down is posted now when it is at most the
// grace period late (only the latest one of a schedule); older misses are
// skipped and logged. A run that was claimed but never confirmed (the bot
// stopped between claiming and marking it) is not posted again: it may
// have gone out, and never twice comes first.
func (s *Scheduler) Restore(ctx context.Context, p Poster) error {
	st, err := s.store()
	if err != nil {
		return fmt.Errorf("restore schedules: %w", err)
	}
	s.mu.Lock()
	s.restoring = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.restoring = false
		s.mu.Unlock()
	}()
	now := s.b.now()
	if n, err := st.PruneRuns(now.Add(-max(runRetention, 2*s.grace))); err != nil {
		return fmt.Errorf("restore schedules: %w", err)
	} else if n > 0 {
		s.log.Debug("pruned old run records", "count", n)
	}
	unconfirmed, err := st.Runs(RunClaimed)
	if err != nil {
		return fmt.Errorf("restore schedules: %w", err)
	}
	for _, r := range unconfirmed {
		s.log.Warn("run was claimed but not confirmed before the bot stopped; not posting it again",
			"schedule", r.ScheduleID, "at", r.At)
		if err := st.FinishRun(r.ScheduleID, r.At, RunUnconfirmed); err != nil {
			return fmt.Errorf("restore schedules: %w", err)
		}
	}
	all, err := st.Schedules("")
	if err != nil {
		return fmt.Errorf("restore schedules: %w", err)
	}
	var catchUp, queue []queuedRun
	for i := range all {
		sc := &all[i]
		missed, next := s.plan(sc, now)
		if !missed.at.IsZero() {
			catchUp = append(catchUp, missed)
		}
		if !next.IsZero() {
			queue = append(queue, queuedRun{id: sc.ID, at: next, version: sc.Version})
		}
	}
	s.mu.Lock()
	s.poster = p
	s.queue = s.queue[:0]
	clear(s.queued)
	for _, q := range queue {
		s.push(q)
	}
	s.loaded = true
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	// A command may have changed a schedule after it was read above.
	for _, id := range pending {
		s.requeue(id)
	}
	s.log.Info("schedules restored", "schedules", len(all), "queued", s.Len(), "catch_up", len(catchUp))
	s.fire(ctx, catchUp)
	return nil
}

// plan decides, at start-up, what to do with one schedule: the missed run
// to post now (if any) and the next run to queue.
func (s *Scheduler) plan(sc *Schedule, now time.Time) (missed queuedRun, next time.Time) {
	cutoff := now.Add(-s.grace)
	switch sc.Kind {
	case Reflection:
		if !sc.On {
			return missed, time.Time{}
		}
		cs, err := s.spec(sc.Spec, sc.Zone)
		if err != nil {
			s.log.Error("stored reflection schedule no longer parses; skipped", "schedule", sc.ID, "spec", sc.Spec, "zone", sc.Zone, "err", err)
			return missed, time.Time{}
		}
		after := later(sc.Last, sc.Since)
		next := cs.next(after)
		if next.IsZero() || next.After(now) {
			return missed, next
		}
		// Missed at least one run: post the latest within the grace
		// period, skip the rest.
		first := next
		if next.Before(cutoff) {
			next = cs.next(cutoff.Add(-time.Nanosecond))
		}
		var latest time.Time
		for ; !next.IsZero() && !next.After(now); next = cs.next(next) {
			latest = next
		}
		if latest.IsZero() || first.Before(latest) {
			s.log.Warn("missed reflection runs skipped: only the latest within the grace period is posted",
				"schedule", sc.ID, "first_missed", first, "grace", s.grace)
		}
		if !latest.IsZero() {
			missed = queuedRun{id: sc.ID, at: latest, version: sc.Version, late: true}
		}
		return missed, next
	case DebatePrep:
		if sc.State != PrepPlanned {
			return missed, time.Time{}
		}
		if sc.PrepAt.After(now) {
			return missed, sc.PrepAt
		}
		if !sc.PrepAt.Before(cutoff) && debateEnd(sc.DebateAt, sc.HasTime, s.b.cfg.Location).After(now) {
			return queuedRun{id: sc.ID, at: sc.PrepAt, version: sc.Version, late: true}, time.Time{}
		}
		s.log.Warn("missed debate prep skipped: later than the grace period or after the debate",
			"schedule", sc.ID, "prep_at", sc.PrepAt, "debate_at", sc.DebateAt, "grace", s.grace)
		if st, err := s.store(); err == nil {
			_, err := st.UpdateSchedule(sc.ID, func(d *Schedule) error {
				if d.State != PrepPlanned || d.Version != sc.Version {
					return errStale
				}
				d.State = PrepMissed
				return nil
			})
			if err != nil && !errors.Is(err, errStale) {
				s.log.Error("mark debate prep missed", "schedule", sc.ID, "err", err)
			}
		}
	}
	return missed, time.Time{}
}

// RunDue posts every queued run that is due at the bot's clock and returns
// when the next run is due (zero when none is queued). It does nothing
// before Restore.
func (s *Scheduler) RunDue(ctx context.Context) time.Time {
	now := s.b.now()
	var due []queuedRun
	s.mu.Lock()
	if !s.loaded {
		s.mu.Unlock()
		return time.Time{}
	}
	for len(s.queue) > 0 && !s.queue[0].due().After(now) {
		q := heap.Pop(&s.queue).(*queuedRun)
		delete(s.queued, q.id)
		due = append(due, *q)
	}
	s.mu.Unlock()
	s.fire(ctx, due)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		return time.Time{}
	}
	return s.queue[0].due()
}

// fire posts runs and waits for them, in chunks of claimChunk: claim the
// chunk (concurrent claims share bbolt transactions through db.Batch),
// post it with postWorkers workers, then record the outcomes (again in
// shared transactions). A crash can therefore lose at most one chunk's
// posts, which are then "claimed" and never posted twice; and 10,000 runs
// due at one moment need a few hundred transactions, not 20,000.
func (s *Scheduler) fire(ctx context.Context, runs []queuedRun) {
	st, err := s.store()
	if err != nil {
		s.log.Error("post scheduled runs", "err", err)
		return
	}
	for len(runs) > 0 {
		chunk := runs[:min(claimChunk, len(runs))]
		runs = runs[len(chunk):]
		ready := make([]*claimedRun, len(chunk))
		var wg sync.WaitGroup
		for i, q := range chunk {
			wg.Go(func() { ready[i] = s.claim(st, q) })
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
			wg.Go(func() { s.finish(st, c) })
		}
		wg.Wait()
	}
}

// claimedRun is a run claimed in the store and ready to post.
type claimedRun struct {
	q     queuedRun
	sc    Schedule // as stored by the claim
	reply Reply
	turn  Rotation // the rotation before the claim, to give back on failure
	err   error    // from the poster
}

// claim claims one run and moves its schedule on (the rotation, the
// debate's state, Last) in one transaction. It returns nil when the run
// must not be posted: claimed before, or its schedule changed since it
// was queued.
func (s *Scheduler) claim(st ScheduleStore, q queuedRun) *claimedRun {
	var reply Reply
	var turn Rotation
	sc, err := st.ClaimRun(q.id, q.at, func(sc *Schedule) error {
		reply, turn = Reply{}, Rotation{}
		if sc.Version != q.version || sc.Kind == "" {
			return errStale
		}
		switch sc.Kind {
		case Reflection:
			if !sc.On {
				return errStale
			}
			turn = sc.Turn
			reply = s.b.reflectionPrompt(sc, s.lateNote(q, sc.Zone))
		case DebatePrep:
			if sc.State != PrepPlanned {
				return errStale
			}
			sc.State = PrepPosted
			reply = s.b.prepCard(sc, s.lateNote(q, ""))
		}
		sc.Last = later(sc.Last, q.at)
		return nil
	})
	switch {
	case errors.Is(err, ErrRunClaimed):
		s.log.Info("run already claimed; not posting it again", "schedule", q.id, "at", q.at)
		s.requeue(q.id)
		return nil
	case errors.Is(err, errStale):
		return nil // whoever changed the schedule queued its new run
	case err != nil:
		s.log.Error("claim scheduled run; trying again in a minute", "schedule", q.id, "at", q.at, "err", err)
		s.retry(q)
		return nil
	}
	return &claimedRun{q: q, sc: sc, reply: reply, turn: turn}
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
	return p.Post(ctx, c.sc.To, c.reply)
}

// finish records how a claimed run went and queues the schedule's next
// run. A failed post is not retried: the poster may have delivered it.
func (s *Scheduler) finish(st ScheduleStore, c *claimedRun) {
	q, state := c.q, RunPosted
	if c.err != nil {
		state = RunFailed
		s.log.Error("post scheduled run failed; not retried, so that it cannot appear twice",
			"schedule", q.id, "at", q.at, "err", c.err)
		s.undo(st, c.sc, c.turn)
	} else {
		s.log.Debug("posted scheduled run", "schedule", q.id, "at", q.at, "late", q.late)
	}
	if err := st.FinishRun(q.id, q.at, state); err != nil {
		s.log.Error("record run outcome", "schedule", q.id, "at", q.at, "err", err)
	}
	if c.sc.Kind == Reflection {
		s.queueNext(c.sc)
	}
}

// lateNote tells the channel that a caught-up run comes late.
func (s *Scheduler) lateNote(q queuedRun, zone string) string {
	if !q.late {
		return ""
	}
	loc, ok := loadZone(zone)
	if !ok {
		loc = s.b.cfg.Location
	}
	return s.b.msg.T("run.late", s.b.when(q.at, loc))
}

// undo gives back what a failed post took: the value of the rotation (so
// that it comes next time and no value is left out of the round), or
// marks the debate prep as failed.
func (s *Scheduler) undo(st ScheduleStore, claimed Schedule, before Rotation) {
	_, err := st.UpdateSchedule(claimed.ID, func(sc *Schedule) error {
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
		s.log.Error("undo failed run", "schedule", claimed.ID, "err", err)
	}
}

// requeue reads a schedule again and queues its next run.
func (s *Scheduler) requeue(id string) {
	st, err := s.store()
	if err != nil {
		return
	}
	sc, ok, err := st.Schedule(id)
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
		q.retryAt = s.b.now().Add(time.Minute)
		s.push(q)
	}
}

// queueNext queues the run of a reflection after its last one.
func (s *Scheduler) queueNext(sc Schedule) {
	cs, err := s.spec(sc.Spec, sc.Zone)
	if err != nil {
		return
	}
	next := cs.next(later(s.b.now(), sc.Last))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded && !next.IsZero() {
		s.push(queuedRun{id: sc.ID, at: next, version: sc.Version})
	}
}

// changed takes a schedule that a command just stored and queues (or
// drops) its next run. Before Restore (as in `waardenbot ask`) it does
// nothing: the next start-up reads the store.
func (s *Scheduler) changed(sc Schedule) {
	var next time.Time
	switch {
	case sc.Kind == Reflection && sc.On:
		cs, err := s.spec(sc.Spec, sc.Zone)
		if err != nil {
			return
		}
		next = cs.next(later(s.b.now(), sc.Last))
	case sc.Kind == DebatePrep && sc.State == PrepPlanned:
		next = sc.PrepAt
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded {
		if s.restoring {
			s.pending = append(s.pending, sc.ID)
		}
		return
	}
	if q, ok := s.queued[sc.ID]; ok {
		if q.version > sc.Version {
			return // a newer change was queued already
		}
		heap.Remove(&s.queue, q.index)
		delete(s.queued, sc.ID)
	}
	if !next.IsZero() {
		s.push(queuedRun{id: sc.ID, at: next, version: sc.Version})
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// push queues a run, replacing the schedule's queued one unless that one
// belongs to a newer version of the schedule (a run that finished while a
// person changed the schedule must not undo the change). s.mu is held.
func (s *Scheduler) push(q queuedRun) {
	if old, ok := s.queued[q.id]; ok {
		if old.version > q.version {
			return
		}
		heap.Remove(&s.queue, old.index)
	}
	qq := &q
	s.queued[q.id] = qq
	heap.Push(&s.queue, qq)
}

// spec parses a stored spec, cached: it was checked when it was stored.
func (s *Scheduler) spec(text, zone string) (cronSpec, error) {
	key := zone + " " + text
	s.mu.Lock()
	cs, ok := s.specs[key]
	s.mu.Unlock()
	if ok {
		return cs, nil
	}
	loc, ok := loadZone(zone)
	if !ok {
		return cronSpec{}, fmt.Errorf("unknown zone %q", zone)
	}
	sched, err := parseCron(text)
	if err != nil {
		return cronSpec{}, err
	}
	cs = cronSpec{text: text, sched: withLocation(sched, loc), loc: loc}
	s.mu.Lock()
	s.specs[key] = cs
	s.mu.Unlock()
	return cs, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
