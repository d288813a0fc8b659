package schedule

import (
	"slices"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/bot/wallclock"
)

// HolidayRule is what a channel's reflection prompt does on a public
// holiday (/reflectie feestdagen).
type HolidayRule string

// Holiday rules. The zero value is the default, so that schedules stored
// before there were rules follow it.
const (
	HolidaysNextWorkingDay HolidayRule = ""          // the run moves to the next working day, at the same time
	HolidaysSkip           HolidayRule = "overslaan" // no run that day
	HolidaysIgnore         HolidayRule = "negeren"   // the run goes out as on any other day
)

// Cause is why a run is not at the time its spec gives, or a prep card
// not at the moment its debate gives.
type Cause string

// Causes of a moved or left-out run.
const (
	CauseHoliday Cause = "feestdag"  // a public holiday (Reason.Name)
	CauseRecess  Cause = "reces"     // a recess of the configuration (Reason.Name, From, To)
	CausePause   Cause = "pauze"     // the channel's pause (Reason.From, To)
	CauseSkip    Cause = "overslaan" // /reflectie overslaan
	CauseWeekend Cause = "weekend"   // a Saturday or Sunday (debate preps only)
)

// Reason says why a run moved or was left out. It is data: the name of a
// holiday or recess is shown as it is.
type Reason struct {
	Cause    Cause         `json:",omitempty"`
	Name     string        `json:",omitempty"` // the holiday or the recess
	From, To calendar.Date `json:",omitzero"`  // the recess or the pause, both days included
}

// IsZero reports whether r gives no reason: the run is as planned.
func (r Reason) IsZero() bool { return r == Reason{} }

// period reports whether r covers days from From to To (a recess or a
// pause), rather than one run.
func (r Reason) period() bool { return r.Cause == CauseRecess || r.Cause == CausePause }

// Period is a span of days, both ends included.
type Period struct {
	From, To calendar.Date `json:",omitzero"`
}

// IsZero reports whether p is no period at all.
func (p Period) IsZero() bool { return p == Period{} }

// Contains reports whether d lies in p.
func (p Period) Contains(d calendar.Date) bool {
	return !p.IsZero() && !d.Before(p.From) && !d.After(p.To)
}

// Occurrence is one run of a reflection schedule on the calendar: when its
// spec has it, and when it is posted.
type Occurrence struct {
	Planned time.Time // the time the spec gives
	At      time.Time // when it is posted: Planned, the next working day, or zero when left out
	Why     Reason    // why At is not Planned; zero when it is
}

// Limits of runs on the calendar.
const (
	// maxMove is how far the next working day may lie from a holiday:
	// Goede Vrijdag, a weekend and Tweede Paasdag make four days.
	maxMove = 7
	// horizon is how far ahead the next run is looked for: a pause ends
	// within two years, and a recess is shorter.
	horizon = 3 * 366 * 24 * time.Hour
	// maxLeftOut is how many left-out runs the status lists.
	maxLeftOut = 10
)

// onCalendar is a reflection schedule's runs on the calendar: the spec's
// runs, less those in the channel's pause, in a recess, on a holiday (by
// the channel's rule) or skipped by hand, with a holiday's run moved to the
// next working day by default. Run keys are the times runs are posted
// (Occurrence.At): several planned runs that move to one moment are one run.
type onCalendar struct {
	spec  Spec
	cal   *calendar.Calendar
	rule  HolidayRule
	pause Period
	skip  []time.Time
	// floor: the holiday rule does not touch runs planned at or before it
	// (the schedule was off then, or had another rule), so that a run that
	// went out on a holiday is not moved to the next day after all.
	floor time.Time
}

// runs places sc's runs on the calendar.
func (s *Scheduler) runs(sc Schedule) (onCalendar, error) {
	cs, err := s.spec(sc.Spec, sc.Zone)
	if err != nil {
		return onCalendar{}, err
	}
	c := sc.Choices()
	return onCalendar{spec: cs, cal: s.cal, rule: c.Holidays, pause: c.Pause, skip: c.Skip, floor: later(sc.Since, c.HolidaysSince)}, nil
}

// day is the date of t on the spec's wall clock.
func (r onCalendar) day(t time.Time) calendar.Date {
	return calendar.DateOf(wallclock.Of(t, r.spec.loc))
}

// leftOut says whether no run may go out on d, and why: the channel's
// pause or a recess.
func (r onCalendar) leftOut(d calendar.Date) (Reason, bool) {
	if r.pause.Contains(d) {
		return Reason{Cause: CausePause, From: r.pause.From, To: r.pause.To}, true
	}
	if rc, ok := r.cal.Recess(d); ok {
		return Reason{Cause: CauseRecess, Name: rc.Name, From: rc.From, To: rc.To}, true
	}
	return Reason{}, false
}

// place puts the spec's run at planned on the calendar.
func (r onCalendar) place(planned time.Time) Occurrence {
	o := Occurrence{Planned: planned, At: planned}
	wall := wallclock.Of(planned, r.spec.loc)
	d := calendar.DateOf(wall)
	if why, ok := r.leftOut(d); ok {
		return Occurrence{Planned: planned, Why: why}
	}
	if name, ok := r.cal.Holiday(d); ok && r.rule != HolidaysIgnore && planned.After(r.floor) {
		o.Why = Reason{Cause: CauseHoliday, Name: name}
		if r.rule == HolidaysSkip {
			o.At = time.Time{}
			return o
		}
		next := d.AddDays(1)
		for i := 1; !r.cal.WorkingDay(next); i++ {
			if i == maxMove {
				o.At = time.Time{} // no working day near: cannot happen in the Netherlands
				return o
			}
			next = next.AddDays(1)
		}
		if why, ok := r.leftOut(next); ok {
			return Occurrence{Planned: planned, Why: why}
		}
		o.At = wallclock.Place(time.Date(next.Year, next.Month, next.Day,
			wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), time.UTC), r.spec.loc)
	}
	if slices.ContainsFunc(r.skip, o.At.Equal) {
		return Occurrence{Planned: planned, Why: Reason{Cause: CauseSkip}}
	}
	return o
}

// lookBack is where to start reading the spec for runs posted after t: at
// t, or earlier when a holiday's run from before t may have moved past it.
func (r onCalendar) lookBack(t time.Time) time.Time {
	if r.rule != HolidaysNextWorkingDay || r.spec.every() {
		return t
	}
	today := r.day(t)
	h, ok := r.cal.FirstHoliday(today.AddDays(-maxMove), today)
	if !ok {
		return t
	}
	return wallclock.Place(h.At(0, 0), r.spec.loc).Add(-time.Nanosecond)
}

// pastPeriod returns where to read on after a run that why left out: past
// the recess or pause that covers planned, so that an hourly spec does not
// walk through a summer recess hour by hour. An @every spec keeps its
// rhythm and walks on.
func (r onCalendar) pastPeriod(planned time.Time, why Reason) time.Time {
	if !why.period() || r.spec.every() || !(Period{why.From, why.To}).Contains(r.day(planned)) {
		return planned
	}
	end := wallclock.Place(why.To.AddDays(1).At(0, 0), r.spec.loc).Add(-time.Nanosecond)
	return later(planned, end)
}

// next returns the first run posted after t, or the zero time when there
// is none within the horizon.
func (r onCalendar) next(t time.Time) time.Time { return r.nextRun(t).At }

// nextRun returns the first run posted after t, with when it was planned.
// Moving runs can change their order (a Friday holiday's run moves past
// Saturday's), so it reads the spec from lookBack on until no later
// planned run can come earlier: a run is never posted before it was
// planned.
func (r onCalendar) nextRun(t time.Time) Occurrence {
	var best Occurrence
	end := t.Add(horizon)
	for c := r.spec.Next(r.lookBack(t)); !c.IsZero() && !c.After(end); c = r.spec.Next(c) {
		if !best.At.IsZero() && c.After(best.At) {
			break
		}
		o := r.place(c)
		if o.At.After(t) && (best.At.IsZero() || o.At.Before(best.At) || o.At.Equal(best.At) && o.Why.IsZero()) {
			best = o
		}
		if !best.At.IsZero() && !best.At.After(c) {
			break
		}
		if o.At.IsZero() {
			c = r.pastPeriod(c, o.Why)
		}
	}
	return best
}

// upcoming returns the next n runs posted after t, and between them, in
// order, the runs the calendar leaves out: a recess or pause once (first,
// with no Planned time, when t lies in it), a holiday or a skipped run
// each.
func (r onCalendar) upcoming(t time.Time, n int) []Occurrence {
	if n <= 0 {
		return nil
	}
	var posted, left []Occurrence
	if why, ok := r.leftOut(r.day(t)); ok {
		left = append(left, Occurrence{Why: why})
	}
	end := t.Add(horizon)
	for c := r.spec.Next(r.lookBack(t)); !c.IsZero() && !c.After(end); c = r.spec.Next(c) {
		if len(posted) >= n && c.After(posted[n-1].At) {
			break
		}
		o := r.place(c)
		switch {
		case o.At.After(t):
			posted = insertRun(posted, o)
		case o.At.IsZero() && c.After(t):
			if len(left) < maxLeftOut && (!o.Why.period() || !slices.ContainsFunc(left, func(l Occurrence) bool { return l.Why == o.Why })) {
				left = append(left, o)
			}
			c = r.pastPeriod(c, o.Why)
		}
	}
	posted = posted[:min(n, len(posted))]
	if len(posted) == n {
		last := posted[n-1].At
		left = slices.DeleteFunc(left, func(l Occurrence) bool { return l.Planned.After(last) })
	}
	out := append(left, posted...)
	key := func(o Occurrence) time.Time {
		if o.At.IsZero() {
			return o.Planned
		}
		return o.At
	}
	slices.SortStableFunc(out, func(a, b Occurrence) int { return key(a).Compare(key(b)) })
	return out
}

// insertRun adds o to runs sorted by At; a run at the same moment is one
// run, as planned rather than moved when one of them is.
func insertRun(runs []Occurrence, o Occurrence) []Occurrence {
	i, found := slices.BinarySearchFunc(runs, o.At, func(e Occurrence, t time.Time) int { return e.At.Compare(t) })
	if found {
		if o.Why.IsZero() {
			runs[i] = o
		}
		return runs
	}
	return slices.Insert(runs, i, o)
}

// occurrence returns the run of sc posted at at, with when it was planned
// and why it moved; for the note on a moved prompt.
func (s *Scheduler) occurrence(sc Schedule, at time.Time) Occurrence {
	r, err := s.runs(sc)
	if err != nil {
		return Occurrence{Planned: at, At: at}
	}
	if o := r.nextRun(at.Add(-time.Nanosecond)); o.At.Equal(at) {
		return o
	}
	return Occurrence{Planned: at, At: at}
}

// dayOff says whether d is no day for a debate prep card, and why: a
// recess, a public holiday or a weekend.
func (s *Scheduler) dayOff(d calendar.Date) (Reason, bool) {
	if rc, ok := s.cal.Recess(d); ok {
		return Reason{Cause: CauseRecess, Name: rc.Name, From: rc.From, To: rc.To}, true
	}
	if name, ok := s.cal.Holiday(d); ok {
		return Reason{Cause: CauseHoliday, Name: name}, true
	}
	if calendar.Weekend(d) {
		return Reason{Cause: CauseWeekend}, true
	}
	return Reason{}, false
}

// maxPrepMove is how many days before its planned moment a prep card may
// move: past a summer recess.
const maxPrepMove = 120

// prepOnCalendar moves a prep moment that falls on a weekend, a holiday
// or in a recess to 09:00 on the working day before it (never later, so
// never after the debate), and says why. A moment that cannot move stays.
func (s *Scheduler) prepOnCalendar(at time.Time) (time.Time, Reason) {
	d := calendar.DateOf(at.In(s.loc))
	why, off := s.dayOff(d)
	if !off {
		return at, Reason{}
	}
	for range maxPrepMove {
		d = d.AddDays(-1)
		if _, off := s.dayOff(d); !off {
			return wallclock.Place(d.At(prepHour, 0), s.loc), why
		}
	}
	return at, Reason{}
}
