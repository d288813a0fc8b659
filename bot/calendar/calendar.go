// Package calendar knows which days a council works: weekends, the Dutch
// public holidays and the municipality's recesses. Package schedule asks it
// where a reflection prompt or a debate prep card may go.
//
// The holidays come from github.com/rickar/cal/v2 and its nl package, a
// maintained library, rather than a table of our own: Nieuwjaarsdag,
// Goede Vrijdag (when the municipality counts it: Options.GoodFriday),
// Eerste and Tweede Paasdag, Koningsdag (27 April, or the 26th when the
// 27th is a Sunday), Bevrijdingsdag, Hemelvaartsdag, Eerste and Tweede
// Pinksterdag, Eerste and Tweede Kerstdag. Recesses are named periods the
// configuration lists.
//
// It writes no text: a holiday's name is the library's (Dutch, as the
// government writes it) and a recess's name is the configuration's; both are
// data, shown as they are.
package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/nl"
)

// Recess is a period the council does not meet, both days included.
type Recess struct {
	Name     string // as configured: "zomerreces"
	From, To Date
}

// Contains reports whether d lies in the recess.
func (r Recess) Contains(d Date) bool { return !d.Before(r.From) && !d.After(r.To) }

// Options are the choices a municipality makes about its calendar.
type Options struct {
	// GoodFriday counts Goede Vrijdag as a holiday. It is an official
	// holiday, but many municipalities work on it.
	GoodFriday bool
}

// Calendar is a municipality's calendar. It is safe for concurrent use.
type Calendar struct {
	recesses []Recess // by From; they do not overlap
	holidays []*cal.Holiday
	years    sync.Map // year → *year, the holidays of a year, computed once
}

// year holds the holidays of one year: on each day the holiday's place in
// Calendar.holidays plus one (0: none), and the days in order.
type year struct {
	on   [13][32]uint8
	days []Date
}

// RecessError says which recess of the list given to New is wrong, and
// which field, for a configuration error that names the key.
type RecessError struct {
	Index   int    // from 0, in the order given
	Field   string // "name", "from" or "to"
	Problem string
}

func (e *RecessError) Error() string {
	return fmt.Sprintf("recess %d: %s: %s", e.Index+1, e.Field, e.Problem)
}

// New returns the calendar with the Dutch public holidays and recesses. It
// refuses, with a *RecessError, a recess without a name or a day, one that
// ends before it starts, and one that overlaps an earlier one in the list.
func New(recesses []Recess, opt Options) (*Calendar, error) {
	for i, r := range recesses {
		switch {
		case r.Name == "":
			return nil, &RecessError{Index: i, Field: "name", Problem: "missing"}
		case r.From.IsZero():
			return nil, &RecessError{Index: i, Field: "from", Problem: "missing"}
		case r.To.IsZero():
			return nil, &RecessError{Index: i, Field: "to", Problem: "missing"}
		case r.To.Before(r.From):
			return nil, &RecessError{Index: i, Field: "to", Problem: fmt.Sprintf("%s ends on %s, before it starts (%s)", r.Name, r.To, r.From)}
		}
		for j, o := range recesses[:i] {
			if !r.To.Before(o.From) && !o.To.Before(r.From) {
				return nil, &RecessError{Index: i, Field: "from", Problem: fmt.Sprintf("%s (%s to %s) overlaps recess %d, %s (%s to %s)", r.Name, r.From, r.To, j+1, o.Name, o.From, o.To)}
			}
		}
	}
	c := &Calendar{recesses: slices.Clone(recesses)}
	slices.SortFunc(c.recesses, func(a, b Recess) int { return a.From.Compare(b.From) })
	c.holidays = []*cal.Holiday{nl.Nieuwjaar}
	if opt.GoodFriday {
		c.holidays = append(c.holidays, nl.GoedeVrijdag)
	}
	c.holidays = append(c.holidays,
		nl.EerstePaasdag, nl.TweedePaasdag, nl.Koningsdag, nl.BevrijdingsDag, nl.Hemelvaart,
		nl.EerstePinksterDag, nl.TweedePinksterDag, nl.EersteKerstdag, nl.TweedeKerstdag)
	return c, nil
}

// Dutch is the calendar without recesses and without Goede Vrijdag.
func Dutch() *Calendar {
	c, _ := New(nil, Options{})
	return c
}

// Holiday returns the name of the public holiday on d, if it is one. On
// the rare day with two (Hemelvaartsdag on 5 May), it is the first in the
// order of the year.
func (c *Calendar) Holiday(d Date) (string, bool) {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > 31 {
		return "", false
	}
	i := c.year(d.Year).on[d.Month][d.Day]
	if i == 0 {
		return "", false
	}
	return c.holidays[i-1].Name, true
}

// year returns the holidays of year y, computing them the first time.
func (c *Calendar) year(y int) *year {
	if v, ok := c.years.Load(y); ok {
		return v.(*year)
	}
	t := &year{}
	for i, h := range c.holidays {
		// Observed: Koningsdag moves to the 26th when the 27th is a
		// Sunday. The library computes in its own zone; only the date
		// fields are read.
		_, obs := h.Calc(y)
		if obs.IsZero() || obs.Year() != y {
			continue
		}
		if t.on[obs.Month()][obs.Day()] == 0 {
			t.on[obs.Month()][obs.Day()] = uint8(i + 1)
			t.days = append(t.days, DateOf(obs))
		}
	}
	slices.SortFunc(t.days, Date.Compare)
	v, _ := c.years.LoadOrStore(y, t)
	return v.(*year)
}

// FirstHoliday returns the first public holiday from one day to another,
// both included, if there is one.
func (c *Calendar) FirstHoliday(from, to Date) (Date, bool) {
	for y := from.Year; y <= to.Year; y++ {
		for _, d := range c.year(y).days {
			if d.After(to) {
				return Date{}, false
			}
			if !d.Before(from) {
				return d, true
			}
		}
	}
	return Date{}, false
}

// Weekend reports whether d is a Saturday or a Sunday.
func Weekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// WorkingDay reports whether d is neither a weekend day nor a public
// holiday. A day in a recess can be a working day: the council does not
// meet, but the office works.
func (c *Calendar) WorkingDay(d Date) bool {
	if Weekend(d) {
		return false
	}
	_, holiday := c.Holiday(d)
	return !holiday
}

// Recess returns the recess d lies in, if any.
func (c *Calendar) Recess(d Date) (Recess, bool) {
	// Few recesses a year: a search is not worth it.
	for _, r := range c.recesses {
		if r.From.After(d) {
			break
		}
		if r.Contains(d) {
			return r, true
		}
	}
	return Recess{}, false
}

// Recesses returns the recesses, earliest first.
func (c *Calendar) Recesses() []Recess { return slices.Clone(c.recesses) }
