// Package wallclock turns a date and time on the wall clock of a time zone
// into an instant, following the zone's real transitions, and back. It is
// the one place waardenbot does this: cron runs, debate dates, prep times
// and poll deadlines all go through Place.
package wallclock

import "time"

// maxOffset bounds how far a zone's wall clock is from UTC. The tz database
// stays within about 16 hours (the local mean time of Manila and Sitka
// before 1867); Place also copes with a time.FixedZone beyond it.
const maxOffset = 26 * time.Hour

// Place is how waardenbot turns a date and time on the wall clock of a
// zone into an instant: cron runs, debate dates, prep times, poll
// deadlines. It reads the date and clock fields of w (in w's own location)
// as a wall time in loc and returns, in loc, the first instant at which
// the wall clock of loc shows that time or a later one. So
//
//   - a wall time the clock shows once is that instant;
//   - a wall time it shows twice (the clock was set back) is the first of
//     the two;
//   - a wall time it never shows (the clock jumped past it) is the moment
//     of the jump, the first valid moment after it.
//
// It follows the zone's real transitions, whatever their size, direction
// or hour, also at midnight and with several close together, and it never
// decreases as w grows, which a cron schedule relies on. (So a wall time that
// one change skips and a later change brings back counts as reached at the
// jump; no zone in the tz database does that, checked for 1800–2040.)
// time.Date and time.ParseInLocation do not do this: for a skipped time
// they pick either side of the jump, backwards in zones west of UTC.
func Place(w time.Time, loc *time.Location) time.Time {
	w = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
	// Start at an instant whose clock shows less than w, then walk the
	// zone's periods (spans of one offset) forward. In a period [start, end)
	// with offset o the clock shows [start+o, end+o); the first period that
	// gets past w shows w at w−o, or, when it begins past w, jumped over w
	// at its start.
	t := w.Add(-maxOffset)
	for !Of(t, loc).Before(w) {
		t = t.Add(-maxOffset)
	}
	for {
		start, end := t.In(loc).ZoneBounds() // zero end: the last period, it lasts for ever
		o := offset(t, loc)
		if end.IsZero() || end.Add(o).After(w) {
			at := w.Add(-o)
			if at.Before(start) {
				at = start
			}
			return at.In(loc)
		}
		t = end
	}
}

// wallOf returns what the wall clock of loc shows at t, as a time in UTC
// with those fields: the inverse of Place for a time the clock shows.
// Arithmetic on it is arithmetic on the wall clock.
func Of(t time.Time, loc *time.Location) time.Time {
	return t.UTC().Add(offset(t, loc))
}

// offset is loc's offset from UTC at t.
func offset(t time.Time, loc *time.Location) time.Duration {
	_, off := t.In(loc).Zone()
	return time.Duration(off) * time.Second
}
