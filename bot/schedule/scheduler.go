package schedule

import (
	"container/heap"
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/knowledge"
)

// fixStore is what the log says when the data file failed a read or a
// write.
const fixStore = "check the disk (free space, errors in the system log) and run waardenbot check; if it reports the data file damaged, stop the bot and restore the newest backup (waardenbot restore FILE)"

// DefaultGrace is how late a missed run may still be posted at start-up.
const DefaultGrace = 12 * time.Hour

// maxSleep bounds how long the loop sleeps, so that a wall clock that
// jumps (a suspended laptop, an NTP correction) is noticed within a minute.
const maxSleep = time.Minute

// ErrNoStore means the scheduler was made without a place to keep
// schedules.
var ErrNoStore = errors.New("no schedule store configured")

// Config is how a Scheduler works.
type Config struct {
	// Location is the zone debates are planned in (the bot's). Nil means
	// UTC.
	Location *time.Location

	// Grace is how late a run missed while the bot was down may still be
	// posted at start-up: zero means DefaultGrace, negative means missed
	// runs are never caught up.
	Grace time.Duration

	// Now is the clock; nil means time.Now. Tests move it by hand and call
	// RunDue.
	Now func() time.Time

	// Calendar is the municipality's: its public holidays and recesses.
	// Nil means the Dutch public holidays without Goede Vrijdag and no
	// recesses (calendar.Dutch).
	Calendar *calendar.Calendar
}

// Scheduler keeps the schedules of every channel and posts each run at its
// time, exactly once, through a Poster. It is safe for concurrent use.
//
// It drives timing itself instead of using cron.Cron's runner, and uses
// robfig/cron only to parse specs: cron.Cron reads the real clock (tests
// could not move time), never replays a missed run, has no hook to claim a
// run in the store before it runs, and sorts all its entries on every wake.
// Here one goroutine sleeps on one timer until the earliest run in a
// min-heap, so 10,000 idle schedules cost a heap entry each and nothing per
// tick.
type Scheduler struct {
	kb    *knowledge.Base
	st    Store // nil: no store, every call that needs one fails with ErrNoStore
	loc   *time.Location
	cal   *calendar.Calendar
	grace time.Duration
	now   func() time.Time
	log   *slog.Logger

	mu        sync.Mutex
	poster    Poster // set by Restore
	loaded    bool
	restoring bool     // Restore is reading the store
	pending   []string // schedules changed while Restore was reading
	queue     runQueue
	queued    map[string]*queuedRun
	specs     map[string]Spec // parsed specs by zone and text; most channels share one
	wake      chan struct{}
}

// New returns a scheduler for the schedules in st, with reflection prompts
// that rotate through the values of kb. The scheduler touches st only when
// a command or its loop needs it (package bot/store opens its file on first
// use); a nil st makes every call that needs the store fail with
// ErrNoStore.
func New(kb *knowledge.Base, st Store, cfg Config, log *slog.Logger) *Scheduler {
	s := &Scheduler{
		kb: kb, st: st, loc: cfg.Location, cal: cfg.Calendar, grace: cfg.Grace, now: cfg.Now, log: log,
		queued: map[string]*queuedRun{}, specs: map[string]Spec{},
		wake: make(chan struct{}, 1),
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.cal == nil {
		s.cal = calendar.Dutch()
	}
	if s.grace == 0 {
		s.grace = DefaultGrace
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// store is the scheduler's store, or ErrNoStore.
func (s *Scheduler) store() (Store, error) {
	if s.st == nil {
		return nil, ErrNoStore
	}
	return s.st, nil
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
			if ctx.Err() != nil {
				return nil // stopped while restoring: not a failure
			}
			return err
		}
	}
	if w, ok := s.st.(Watcher); ok {
		// Other processes change schedules too: queue their changes.
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Go(func() {
			if err := w.WatchSchedules(ctx, func(id string) { s.heard(ctx, id) }); err != nil {
				s.log.Error("watch schedule changes", "err", err, "fix", "check that the shared PostgreSQL database answers (waardenbot check, the database's logs); the leader rereads every schedule once it is back")
			}
		})
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		next := s.RunDue(ctx)
		wait := maxSleep
		if !next.IsZero() {
			wait = min(max(next.Sub(s.now()), 0), maxSleep)
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

// heard queues the change of schedule id that a Watcher reported, or of
// every schedule when id is "".
func (s *Scheduler) heard(ctx context.Context, id string) {
	if id != "" {
		s.requeue(ctx, s.st, id)
		return
	}
	all, err := s.st.Schedules(ctx, "")
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("read schedules again after missed changes", "err", err, "fix", fixStore)
		}
		return
	}
	for _, sc := range all {
		s.changed(sc)
	}
}

// RunDue posts every queued run that is due at the scheduler's clock and
// returns when the next run is due (zero when none is queued). It does
// nothing before Restore.
func (s *Scheduler) RunDue(ctx context.Context) time.Time {
	now := s.now()
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

// changed takes a schedule that was just stored and queues (or drops) its
// next run. Before Restore (as in `waardenbot ask`) it does nothing: the
// next start-up reads the store.
func (s *Scheduler) changed(sc Schedule) {
	var next time.Time
	switch {
	case sc.Kind == Reflection && sc.On:
		r, err := s.runs(sc)
		if err != nil {
			return
		}
		next = r.next(later(s.now(), sc.Last))
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
func (s *Scheduler) spec(text, zone string) (Spec, error) {
	key := zone + " " + text
	s.mu.Lock()
	cs, ok := s.specs[key]
	s.mu.Unlock()
	if ok {
		return cs, nil
	}
	cs, err := parseStored(text, zone)
	if err != nil {
		return Spec{}, err
	}
	s.mu.Lock()
	s.specs[key] = cs
	s.mu.Unlock()
	return cs, nil
}
