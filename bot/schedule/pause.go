package schedule

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/wallclock"
)

// MaxSkipped is how many coming runs a channel can skip at once.
const MaxSkipped = 10

// Errors of SetHolidays, Pause, Resume and SkipNext.
var (
	ErrUnknownRule   = errors.New("unknown holiday rule")
	ErrPauseOrder    = errors.New("pause ends before it starts")
	ErrPauseOver     = errors.New("pause ends before today")
	ErrPauseTooFar   = errors.New("pause ends more than two years ahead")
	ErrNotPaused     = errors.New("no pause and no skipped run")
	ErrNoRunToSkip   = errors.New("no coming run to skip")
	ErrTooManySkips  = errors.New("too many runs skipped")
	errNothingChange = errors.New("nothing to change")
)

// SetHolidays sets what a public holiday does to channel to's reflection
// prompt. It applies to runs planned from now on; a run that went out on a
// holiday earlier today is not moved to the next working day after all.
func (s *Scheduler) SetHolidays(ctx context.Context, to chat.Destination, by string, rule HolidayRule) (Schedule, error) {
	switch rule {
	case HolidaysNextWorkingDay, HolidaysSkip, HolidaysIgnore:
	default:
		return Schedule{}, ErrUnknownRule
	}
	now := s.now()
	sc, err := s.changeReflection(ctx, to, by, func(sc *Schedule) error {
		if sc.Choices().Holidays == rule {
			return errNothingChange
		}
		sc.choose(func(c *ChannelCalendar) { c.Holidays, c.HolidaysSince = rule, now })
		return nil
	})
	if err != nil {
		return Schedule{}, err
	}
	s.log.Info("reflection holiday rule", "schedule", sc.ID, "rule", string(rule), "by", by)
	return sc, nil
}

// Pause pauses channel to's reflection prompt on the days of p, both
// included: no run goes out then, and none is caught up afterwards. A zero
// p.From is today. It replaces an earlier pause. It refuses with
// ErrAlreadyOff when the prompt is off, ErrPauseOrder, ErrPauseOver (p.To
// is before today) and ErrPauseTooFar. It returns the next run after the
// change (zero when there is none).
func (s *Scheduler) Pause(ctx context.Context, to chat.Destination, by string, p Period) (Schedule, time.Time, error) {
	now := s.now()
	sc, err := s.changeReflection(ctx, to, by, func(sc *Schedule) error {
		if !sc.On {
			return ErrAlreadyOff
		}
		today := s.today(*sc, now)
		if p.From.IsZero() {
			p.From = today
		}
		switch {
		case p.To.Before(today):
			return ErrPauseOver
		case p.To.Before(p.From):
			return ErrPauseOrder
		case today.Days(p.To) > int(planAhead/(24*time.Hour)):
			return ErrPauseTooFar
		}
		sc.choose(func(c *ChannelCalendar) { c.Pause = p })
		return nil
	})
	if err != nil {
		return Schedule{}, time.Time{}, err
	}
	s.log.Info("reflection paused", "schedule", sc.ID, "from", p.From, "to", p.To, "by", by)
	return sc, s.nextRun(sc, now), nil
}

// Resume ends channel to's pause and takes back the runs skipped with
// SkipNext; ErrNotPaused when there was neither. It returns the next run.
func (s *Scheduler) Resume(ctx context.Context, to chat.Destination, by string) (Schedule, time.Time, error) {
	now := s.now()
	sc, err := s.changeReflection(ctx, to, by, func(sc *Schedule) error {
		pruneSkips(sc, now)
		c := sc.Choices()
		if (c.Pause.IsZero() || c.Pause.To.Before(s.today(*sc, now))) && len(c.Skip) == 0 {
			return ErrNotPaused // nothing paused, or a pause that is over
		}
		sc.choose(func(c *ChannelCalendar) { c.Pause, c.Skip = Period{}, nil })
		return nil
	})
	if err != nil {
		return Schedule{}, time.Time{}, err
	}
	s.log.Info("reflection resumed", "schedule", sc.ID, "by", by)
	return sc, s.nextRun(sc, now), nil
}

// SkipNext leaves out the next run of channel to's reflection prompt
// (after the runs skipped before), and returns the schedule, that run and
// the run after it. It refuses with ErrAlreadyOff when the prompt is off,
// ErrNoRunToSkip and ErrTooManySkips (MaxSkipped).
func (s *Scheduler) SkipNext(ctx context.Context, to chat.Destination, by string) (sc Schedule, skipped, next time.Time, err error) {
	now := s.now()
	sc, err = s.changeReflection(ctx, to, by, func(sc *Schedule) error {
		if !sc.On {
			return ErrAlreadyOff
		}
		pruneSkips(sc, now)
		if len(sc.Choices().Skip) >= MaxSkipped {
			return ErrTooManySkips
		}
		r, err := s.runs(*sc)
		if err != nil {
			return err
		}
		skipped = r.next(later(now, sc.Last))
		if skipped.IsZero() {
			return ErrNoRunToSkip
		}
		sc.choose(func(c *ChannelCalendar) { c.Skip = append(c.Skip, skipped) })
		return nil
	})
	if err != nil {
		return Schedule{}, time.Time{}, time.Time{}, err
	}
	s.log.Info("reflection run skipped", "schedule", sc.ID, "at", skipped, "by", by)
	return sc, skipped, s.nextRun(sc, now), nil
}

// changeReflection changes channel to's reflection schedule with fn, as a
// person does: with a new version, so that a run queued before is not
// posted, and its next run queued. A channel without one gets one, off.
func (s *Scheduler) changeReflection(ctx context.Context, to chat.Destination, by string, fn func(*Schedule) error) (Schedule, error) {
	st, err := s.store()
	if err != nil {
		return Schedule{}, fmt.Errorf("open schedule store: %w", err)
	}
	now := s.now()
	var refused error // fn's error: a refusal for the caller
	sc, err := st.UpdateSchedule(ctx, ReflectionID(to), func(sc *Schedule) error {
		if sc.Kind == "" {
			sc.Kind, sc.To, sc.Created = Reflection, to, now
		}
		if refused = fn(sc); refused != nil {
			return refused
		}
		sc.By = by
		sc.Version++
		return nil
	})
	switch {
	case errors.Is(refused, errNothingChange):
		// Nothing to store: the schedule is as asked.
		sc, _, err = st.Schedule(ctx, ReflectionID(to))
		if err != nil {
			return Schedule{}, fmt.Errorf("read reflection schedule: %w", err)
		}
		return sc, nil
	case refused != nil:
		return Schedule{}, refused
	case err != nil:
		return Schedule{}, fmt.Errorf("store reflection schedule: %w", err)
	}
	s.changed(sc)
	return sc, nil
}

// today is the day it is at now on sc's wall clock (the bot's when sc has
// no zone yet).
func (s *Scheduler) today(sc Schedule, now time.Time) calendar.Date {
	loc := s.loc
	if l, ok := LoadZone(sc.Zone); ok {
		loc = l
	}
	return calendar.DateOf(wallclock.Of(now, loc))
}

// nextRun is sc's next run after now, zero when it is off or has none.
func (s *Scheduler) nextRun(sc Schedule, now time.Time) time.Time {
	if !sc.On {
		return time.Time{}
	}
	r, err := s.runs(sc)
	if err != nil {
		return time.Time{}
	}
	return r.next(later(now, sc.Last))
}

// pruneSkips forgets skipped runs that have passed.
func pruneSkips(sc *Schedule, now time.Time) {
	sc.choose(func(c *ChannelCalendar) {
		c.Skip = slices.DeleteFunc(c.Skip, func(t time.Time) bool { return !t.After(later(now, sc.Last)) })
		if len(c.Skip) == 0 {
			c.Skip = nil
		}
	})
}
