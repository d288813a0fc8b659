package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
)

// ErrAlreadyOff means TurnOff found the channel's reflection schedule off
// (or found none).
var ErrAlreadyOff = errors.New("reflection schedule is off")

// TurnOn turns the reflection prompt of channel to on, posting on spec,
// and queues its next run, which it returns. by is who did it. The
// rotation carries on where it was.
func (s *Scheduler) TurnOn(ctx context.Context, to chat.Destination, by string, spec Spec) (Schedule, time.Time, error) {
	st, err := s.store()
	if err != nil {
		return Schedule{}, time.Time{}, fmt.Errorf("open schedule store: %w", err)
	}
	now := s.now()
	zone := spec.loc.String()
	sc, err := st.UpdateSchedule(ctx, ReflectionID(to), func(sc *Schedule) error {
		sc.Kind, sc.To, sc.By = Reflection, to, by
		if sc.Created.IsZero() {
			sc.Created = now
		}
		if (sc.Spec != spec.text || sc.Zone != zone) && sc.Last.After(now) {
			// A prompt given with PromptNow stood in for a run of the old
			// schedule, not of this one.
			sc.Last = now
		}
		sc.On, sc.Spec, sc.Zone, sc.Since = true, spec.text, zone, now
		sc.Version++
		return nil
	})
	if err != nil {
		return Schedule{}, time.Time{}, fmt.Errorf("store reflection schedule: %w", err)
	}
	s.changed(sc)
	s.log.Info("reflection schedule on", "schedule", sc.ID, "spec", sc.Spec, "zone", sc.Zone, "by", sc.By)
	r, err := s.runs(sc)
	if err != nil {
		return Schedule{}, time.Time{}, fmt.Errorf("parse stored spec: %w", err)
	}
	return sc, r.next(later(now, sc.Last)), nil
}

// TurnOff turns the reflection prompt of channel to off, keeping its
// rotation; ErrAlreadyOff when it was not on.
func (s *Scheduler) TurnOff(ctx context.Context, to chat.Destination, by string) (Schedule, error) {
	st, err := s.store()
	if err != nil {
		return Schedule{}, fmt.Errorf("open schedule store: %w", err)
	}
	sc, err := st.UpdateSchedule(ctx, ReflectionID(to), func(sc *Schedule) error {
		if sc.Kind != Reflection || !sc.On {
			return ErrAlreadyOff
		}
		sc.On, sc.By = false, by
		sc.Version++
		return nil
	})
	switch {
	case errors.Is(err, ErrAlreadyOff):
		return Schedule{}, err
	case err != nil:
		return Schedule{}, fmt.Errorf("store reflection schedule: %w", err)
	}
	s.changed(sc)
	s.log.Info("reflection schedule off", "schedule", sc.ID, "by", sc.By)
	return sc, nil
}

// Status is a channel's reflection schedule as /reflectie status shows it.
type Status struct {
	Schedule Schedule // a zero Schedule when the channel never had one
	Spec     Spec     // when Schedule.On
	// Next holds, when Schedule.On, the next runs (At set; Why says why
	// one moved) and, in order between them, the runs the calendar leaves
	// out (At zero): a recess or pause once, first with no Planned time
	// when it has begun, and each holiday or skipped run.
	Next      []Occurrence
	NextValue string // the value the rotation gives next, once it has begun
}

// Reflection returns the reflection schedule of channel to with its next n
// runs and what the calendar leaves out before them.
func (s *Scheduler) Reflection(ctx context.Context, to chat.Destination, n int) (Status, error) {
	st, err := s.store()
	if err != nil {
		return Status{}, fmt.Errorf("open schedule store: %w", err)
	}
	sc, _, err := st.Schedule(ctx, ReflectionID(to))
	if err != nil {
		return Status{}, fmt.Errorf("read reflection schedule: %w", err)
	}
	out := Status{Schedule: sc}
	if sc.On {
		r, err := s.runs(sc)
		if err != nil {
			return Status{}, fmt.Errorf("parse stored spec: %w", err)
		}
		out.Spec = r.spec
		out.Next = r.upcoming(later(s.now(), sc.Last), n)
	}
	if len(sc.Turn.Order) > 0 {
		if v := sc.Turn.Peek(s.kb, sc.ID); v != nil {
			out.NextValue = v.Name
		}
	}
	return out, nil
}

// Prompt is a reflection prompt given on request (PromptNow), claimed and
// recorded as posted; its message is made from Claimed.
type Prompt struct {
	Claimed
	Counts bool           // it stands in for the scheduled run at At
	Loc    *time.Location // the zone of the schedule that At belongs to
}

// PromptTakenError is PromptNow's error when the run the prompt would
// stand in for was claimed before: by an earlier PromptNow, or (with the
// schedule off) by one in the same minute. It wraps ErrRunClaimed.
type PromptTakenError struct {
	Next time.Time      // the scheduled run after the one claimed; zero when the schedule is off
	Loc  *time.Location // the zone of Next
}

func (e *PromptTakenError) Error() string { return "reflection prompt: " + ErrRunClaimed.Error() }

func (e *PromptTakenError) Unwrap() error { return ErrRunClaimed }

// PromptNow takes the next value of channel to's rotation for a prompt
// given at once. When the schedule is on, the prompt takes the place of
// the next scheduled run: it claims that run, so that the scheduler will
// not post it, and a second PromptNow before it fails with
// *PromptTakenError.
func (s *Scheduler) PromptNow(ctx context.Context, to chat.Destination, by string) (Prompt, error) {
	st, err := s.store()
	if err != nil {
		return Prompt{}, fmt.Errorf("open schedule store: %w", err)
	}
	id := ReflectionID(to)
	now := s.now()
	sc, ok, err := st.Schedule(ctx, id)
	if err != nil {
		return Prompt{}, fmt.Errorf("read reflection schedule: %w", err)
	}
	at, loc := now.Truncate(time.Minute), s.loc
	var r onCalendar
	on := ok && sc.On
	if on {
		if r, err = s.runs(sc); err != nil {
			return Prompt{}, fmt.Errorf("parse stored spec: %w", err)
		}
		// The next scheduled run from now, on the calendar: when PromptNow
		// already claimed it, the claim below refuses a second one.
		if next := r.next(now); !next.IsZero() {
			at, loc = next, r.spec.loc
		} else {
			on = false
		}
	}
	var counts bool
	sc, err = st.ClaimRun(ctx, id, at, func(sc *Schedule) error {
		if sc.Kind == "" {
			sc.Kind, sc.To, sc.Created, sc.By = Reflection, to, now, by
		}
		counts = on && sc.On
		if counts {
			sc.Last = later(sc.Last, at)
		}
		sc.Turn.Next(s.kb, sc.ID)
		return nil
	})
	switch {
	case errors.Is(err, ErrRunClaimed) && on:
		return Prompt{}, &PromptTakenError{Next: r.next(at), Loc: loc}
	case errors.Is(err, ErrRunClaimed):
		return Prompt{}, &PromptTakenError{Loc: loc}
	case err != nil:
		return Prompt{}, fmt.Errorf("claim reflection run: %w", err)
	}
	if err := st.FinishRun(ctx, id, at, RunPosted); err != nil {
		s.log.Error("record run outcome", "schedule", id, "err", err, "fix", fixStore)
	}
	s.log.Info("reflection prompt on request", "schedule", id, "counts_for", at, "by", by)
	return Prompt{Claimed: Claimed{Schedule: sc, At: at}, Counts: counts, Loc: loc}, nil
}
