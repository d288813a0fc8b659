package schedule

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/wallclock"
)

// Rules of debate preps.
const (
	DefaultPrepDays = 3  // days between the prep card and the debate
	MaxPrepDays     = 60 // the most days a prep card may come before its debate
	MaxPlanned      = 25 // planned debates per channel

	prepHour  = 9 // the prep card comes at 09:00
	planAhead = 2 * 365 * 24 * time.Hour
)

// Errors of PlanDebate and CancelDebate.
var (
	ErrDebatePast      = errors.New("debate has begun or is over")
	ErrDebateTooFar    = errors.New("debate more than two years ahead")
	ErrPrepAfterDebate = errors.New("prep moment not before the debate")
	ErrUnknownDebate   = errors.New("no such debate in this channel")
)

// TooManyDebatesError is PlanDebate's error when the channel has
// MaxPlanned debates planned already.
type TooManyDebatesError struct{ Planned int }

func (e *TooManyDebatesError) Error() string {
	return fmt.Sprintf("%d debates planned already", e.Planned)
}

// NotPlannedError is CancelDebate's error for a debate prep that is no
// longer planned.
type NotPlannedError struct{ State DebateState }

func (e *NotPlannedError) Error() string { return "debate prep is " + string(e.State) }

// Debate is a debate that someone plans a prep card for.
type Debate struct {
	Topic    string    // as typed (cleaned)
	At       time.Time // the debate, at the start of its day when it has no time
	HasTime  bool      // a time of day was given
	PrepDays int       // days before the debate's day that the card comes, at 09:00
}

// PrepAt is when the prep card of d comes in loc: at 09:00 on the wall
// clock, PrepDays before the debate's day.
func (d Debate) PrepAt(loc *time.Location) time.Time {
	y, m, day := d.At.In(loc).Date()
	return wallclock.Place(time.Date(y, m, day-d.PrepDays, prepHour, 0, 0, 0, time.UTC), loc)
}

// debateEnd is when a debate counts as begun: its time, or the end of its
// day in loc when it has no time (a debate "today" is still to come all
// day, also on a day of 23 or 25 hours).
func debateEnd(at time.Time, hasTime bool, loc *time.Location) time.Time {
	if hasTime {
		return at
	}
	y, m, d := at.In(loc).Date()
	return wallclock.Place(time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC), loc)
}

// PlanDebate plans the prep card of debate d in channel to; by is who
// planned it. A prep moment on a weekend, a public holiday or in a recess
// moves to 09:00 on the working day before it (PrepMoved says from where
// and why). It refuses a debate that has begun (ErrDebatePast), one more
// than two years ahead (ErrDebateTooFar), a prep moment not before the
// debate's time (ErrPrepAfterDebate) and more than MaxPlanned planned
// debates in a channel (*TooManyDebatesError). When the prep moment has
// passed but the debate has not, the card is due at once: the schedule is
// stored as PrepPosted for the caller to give the card in its reply, and
// is not queued.
func (s *Scheduler) PlanDebate(ctx context.Context, to chat.Destination, by string, d Debate) (Schedule, error) {
	now := s.now()
	switch {
	case !debateEnd(d.At, d.HasTime, s.loc).After(now):
		return Schedule{}, ErrDebatePast
	case d.At.Sub(now) > planAhead:
		return Schedule{}, ErrDebateTooFar
	}
	base := d.PrepAt(s.loc)
	prepAt, why := s.prepOnCalendar(base)
	if d.HasTime && !prepAt.Before(d.At) {
		return Schedule{}, ErrPrepAfterDebate
	}
	st, err := s.store()
	if err != nil {
		return Schedule{}, fmt.Errorf("open schedule store: %w", err)
	}
	planned, err := s.debates(ctx, st, to)
	if err != nil {
		return Schedule{}, fmt.Errorf("list debates: %w", err)
	}
	n := 0
	for _, p := range planned {
		if p.State == PrepPlanned {
			n++
		}
	}
	if n >= MaxPlanned {
		return Schedule{}, &TooManyDebatesError{Planned: n}
	}
	num, err := st.NextNumber(ctx)
	if err != nil {
		return Schedule{}, fmt.Errorf("number debate: %w", err)
	}
	late := !prepAt.After(now)
	sc, err := st.UpdateSchedule(ctx, DebateID(num), func(sc *Schedule) error {
		*sc = Schedule{
			ID: DebateID(num), Kind: DebatePrep, To: to, Version: 1, Created: now, By: by,
			Number: num, Topic: d.Topic, DebateAt: d.At, HasTime: d.HasTime, PrepAt: prepAt, State: PrepPlanned,
		}
		if !why.IsZero() {
			sc.PrepMoved = &PrepMove{From: base, Why: why}
		}
		if late {
			sc.State, sc.Last = PrepPosted, now
		}
		return nil
	})
	if err != nil {
		return Schedule{}, fmt.Errorf("store debate: %w", err)
	}
	s.log.Info("debate planned", "schedule", sc.ID, "debate_at", sc.DebateAt, "prep_at", sc.PrepAt, "moved", !why.IsZero(), "by", sc.By, "prep_now", late)
	if !late {
		s.changed(sc)
	}
	return sc, nil
}

// CancelDebate cancels the planned debate prep with number num of channel
// to: ErrUnknownDebate when the channel has none with that number,
// *NotPlannedError when it is no longer planned.
func (s *Scheduler) CancelDebate(ctx context.Context, to chat.Destination, by string, num uint64) (Schedule, error) {
	st, err := s.store()
	if err != nil {
		return Schedule{}, fmt.Errorf("open schedule store: %w", err)
	}
	sc, err := st.UpdateSchedule(ctx, DebateID(num), func(sc *Schedule) error {
		if sc.Kind != DebatePrep || sc.To != to {
			return ErrUnknownDebate
		}
		if sc.State != PrepPlanned {
			return &NotPlannedError{State: sc.State}
		}
		sc.State, sc.By = PrepCancelled, by
		sc.Version++
		return nil
	})
	var notPlanned *NotPlannedError
	switch {
	case errors.Is(err, ErrUnknownDebate), errors.As(err, &notPlanned):
		return Schedule{}, err
	case err != nil:
		return Schedule{}, fmt.Errorf("cancel debate: %w", err)
	}
	s.changed(sc)
	s.log.Info("debate cancelled", "schedule", sc.ID, "by", sc.By)
	return sc, nil
}

// ComingDebates returns the debate preps of channel to whose debate is
// still to come and that were not cancelled, soonest debate first.
func (s *Scheduler) ComingDebates(ctx context.Context, to chat.Destination) ([]Schedule, error) {
	st, err := s.store()
	if err != nil {
		return nil, fmt.Errorf("open schedule store: %w", err)
	}
	ds, err := s.debates(ctx, st, to)
	if err != nil {
		return nil, fmt.Errorf("list debates: %w", err)
	}
	now := s.now()
	return slices.DeleteFunc(ds, func(d Schedule) bool {
		return d.State == PrepCancelled || !debateEnd(d.DebateAt, d.HasTime, s.loc).After(now)
	}), nil
}

// debates returns the debate preps of a channel, soonest debate first.
func (s *Scheduler) debates(ctx context.Context, st Store, to chat.Destination) ([]Schedule, error) {
	all, err := st.Schedules(ctx, DebatePrefix)
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(all, func(s Schedule) bool { return s.To != to })
	slices.SortFunc(out, func(a, b Schedule) int { return cmp.Compare(a.DebateAt.Unix(), b.DebateAt.Unix()) })
	return out, nil
}
