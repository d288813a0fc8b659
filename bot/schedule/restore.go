package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// runRetention is how long run records are kept. Only runs after a
// schedule's Last can matter for exactly-once; a month is ample.
const runRetention = 30 * 24 * time.Hour

// errStale aborts a claim or a change for a run whose schedule changed or
// ended after the run was queued.
var errStale = errors.New("schedule changed since the run was queued")

// Restore loads every schedule from the store and queues its next run. A
// run missed while the bot was down is posted now through p when it is at
// most the grace period late (only the latest one of a schedule); older
// misses are skipped and logged. A run that was claimed but never
// confirmed (the bot stopped between claiming and marking it) is not
// posted again: it may have gone out, and never twice comes first.
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
	now := s.now()
	if n, err := st.PruneRuns(ctx, now.Add(-max(runRetention, 2*s.grace))); err != nil {
		return fmt.Errorf("restore schedules: %w", err)
	} else if n > 0 {
		s.log.Debug("pruned old run records", "count", n)
	}
	unconfirmed, err := st.Runs(ctx, RunClaimed)
	if err != nil {
		return fmt.Errorf("restore schedules: %w", err)
	}
	for _, r := range unconfirmed {
		s.log.Warn("run was claimed but not confirmed before the bot stopped; not posting it again",
			"schedule", r.ScheduleID, "at", r.At)
		if err := st.FinishRun(ctx, r.ScheduleID, r.At, RunUnconfirmed); err != nil {
			return fmt.Errorf("restore schedules: %w", err)
		}
	}
	all, err := st.Schedules(ctx, "")
	if err != nil {
		return fmt.Errorf("restore schedules: %w", err)
	}
	var catchUp, queue []queuedRun
	for i := range all {
		sc := &all[i]
		missed, next := s.plan(ctx, st, sc, now)
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
		s.requeue(ctx, st, id)
	}
	s.log.Info("schedules restored", "schedules", len(all), "queued", s.Len(), "catch_up", len(catchUp))
	s.fire(ctx, catchUp)
	return nil
}

// plan decides, at start-up, what to do with one schedule: the missed run
// to post now (if any) and the next run to queue. This is the catch-up
// rule.
func (s *Scheduler) plan(ctx context.Context, st Store, sc *Schedule, now time.Time) (missed queuedRun, next time.Time) {
	cutoff := now.Add(-s.grace)
	switch sc.Kind {
	case Reflection:
		if !sc.On {
			return missed, time.Time{}
		}
		r, err := s.runs(*sc)
		if err != nil {
			s.log.Error("stored reflection schedule no longer parses; skipped", "schedule", sc.ID, "spec", sc.Spec, "zone", sc.Zone, "err", err,
				"fix", "turn it on again in that channel with /reflectie aan and a schedule the bot accepts")
			return missed, time.Time{}
		}
		// Runs the calendar leaves out (a recess, a holiday, a pause) are
		// not runs: they are never caught up. A run it moved to the next
		// working day is one, at the moment it moved to.
		after := later(sc.Last, sc.Since)
		next := r.next(after)
		if next.IsZero() || next.After(now) {
			return missed, next
		}
		// Missed at least one run: post the latest within the grace
		// period, skip the rest.
		first := next
		if next.Before(cutoff) {
			next = r.next(cutoff.Add(-time.Nanosecond))
		}
		var latest time.Time
		for ; !next.IsZero() && !next.After(now); next = r.next(next) {
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
			s.replan(ctx, st, sc, now)
			return missed, sc.PrepAt
		}
		if !sc.PrepAt.Before(cutoff) && debateEnd(sc.DebateAt, sc.HasTime, s.loc).After(now) {
			return queuedRun{id: sc.ID, at: sc.PrepAt, version: sc.Version, late: true}, time.Time{}
		}
		s.log.Warn("missed debate prep skipped: later than the grace period or after the debate",
			"schedule", sc.ID, "prep_at", sc.PrepAt, "debate_at", sc.DebateAt, "grace", s.grace)
		_, err := st.UpdateSchedule(ctx, sc.ID, func(d *Schedule) error {
			if d.State != PrepPlanned || d.Version != sc.Version {
				return errStale
			}
			d.State = PrepMissed
			return nil
		})
		if err != nil && !errors.Is(err, errStale) {
			s.log.Error("mark debate prep missed", "schedule", sc.ID, "err", err, "fix", fixStore)
		}
	}
	return missed, time.Time{}
}

// replan moves a planned prep card again when the calendar changed since it
// was planned (a recess added to the configuration, or removed): from the
// moment its debate gives to the working day before, or back. A card is
// never moved to a moment that has passed or is not before its debate.
func (s *Scheduler) replan(ctx context.Context, st Store, sc *Schedule, now time.Time) {
	base := sc.PrepAt
	if sc.PrepMoved != nil {
		base = sc.PrepMoved.From
	}
	at, why := s.prepOnCalendar(base)
	if at.Equal(sc.PrepAt) || !at.After(now) || sc.HasTime && !at.Before(sc.DebateAt) {
		return
	}
	moved, err := st.UpdateSchedule(ctx, sc.ID, func(d *Schedule) error {
		if d.State != PrepPlanned || d.Version != sc.Version {
			return errStale
		}
		d.PrepAt, d.PrepMoved = at, nil
		if !why.IsZero() {
			d.PrepMoved = &PrepMove{From: base, Why: why}
		}
		return nil
	})
	switch {
	case errors.Is(err, errStale):
	case err != nil:
		s.log.Error("move debate prep on the calendar; the card stays at its earlier time", "schedule", sc.ID, "err", err, "fix", fixStore)
	default:
		s.log.Info("debate prep moved: the calendar changed", "schedule", sc.ID, "from", sc.PrepAt, "to", at, "why", string(why.Cause), "name", why.Name)
		*sc = moved
	}
}
