package calendar

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a day on the calendar, without a time or a zone: what a user
// types for a pause and the configuration gives for a recess. Its text
// form is ISO 8601, "2027-07-10", also in JSON.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// NewDate returns the date y-m-d, and false when it does not exist
// (2027-02-30).
func NewDate(y int, m time.Month, d int) (Date, bool) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return DateOf(t), t.Year() == y && t.Month() == m && t.Day() == d
}

// ParseDate reads a date written as 2027-07-10.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// time is the start of d as a time in UTC, for arithmetic: UTC has no
// days of 23 or 25 hours.
func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return DateOf(d.time().AddDate(0, 0, n)) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

// Compare returns -1, 0 or +1 as d is before, the same as or after e.
func (d Date) Compare(e Date) int {
	if c := cmp.Compare(d.Year, e.Year); c != 0 {
		return c
	}
	if c := cmp.Compare(d.Month, e.Month); c != 0 {
		return c
	}
	return cmp.Compare(d.Day, e.Day)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Days is the number of days from d to e: 1 from one day to the next.
func (d Date) Days(e Date) int { return int(e.time().Sub(d.time()) / (24 * time.Hour)) }

// IsZero reports whether d is the zero Date, no day at all.
func (d Date) IsZero() bool { return d == Date{} }

// At is the wall time hour:min on d, as a time in UTC with those fields,
// for wallclock.Place.
func (d Date) At(hour, min int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, time.UTC)
}

// String writes d as 2027-07-10.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// MarshalText writes d as 2027-07-10; the zero Date as nothing.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads a date written as 2027-07-10; nothing is the zero
// Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
