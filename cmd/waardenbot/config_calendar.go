package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
)

// RecessConfig is one [[schedule.recess]]: a period the council does not
// meet, both days included. No reflection prompt goes out in it, and a
// debate prep card that would fall in it comes on the working day before.
type RecessConfig struct {
	Name string     `toml:"name"` // as users read it: "geen reflectie tijdens het zomerreces"
	From configDate `toml:"from"` // 2027-07-10, a TOML date (or a string in that form)
	To   configDate `toml:"to"`
}

// configDate is a day in the configuration: a TOML local date
// (from = 2027-07-10) or a string in the same form ("2027-07-10").
type configDate struct {
	calendar.Date
	bad string // why the value is no date; Validate names the key
}

// UnmarshalTOML implements toml.Unmarshaler. It accepts any value and
// keeps what is wrong with it, so that the error can name the recess and
// its key rather than only a line.
func (d *configDate) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case time.Time:
		if h, m, s := v.Clock(); h != 0 || m != 0 || s != 0 || v.Nanosecond() != 0 {
			d.bad = fmt.Sprintf("%s has a time of day; give a date such as 2027-07-10", v.Format("2006-01-02T15:04:05"))
			return nil
		}
		d.Date = calendar.DateOf(v)
	case string:
		day, err := calendar.ParseDate(strings.TrimSpace(v))
		if err != nil {
			d.bad = fmt.Sprintf("%q is not a date such as 2027-07-10", v)
			return nil
		}
		d.Date = day
	default:
		d.bad = fmt.Sprintf("%v is not a date such as 2027-07-10", v)
	}
	return nil
}

// Calendar is the municipality's calendar for bot.Config: the Dutch public
// holidays and the recesses, checked by Validate.
func (c *Config) Calendar() *calendar.Calendar {
	cal, err := c.calendar()
	if err != nil {
		return calendar.Dutch()
	}
	return cal
}

// calendar builds the calendar, or a ConfigError that names the recess's
// key: schedule.recess[2].to is the "to" of the second [[schedule.recess]].
func (c *Config) calendar() (*calendar.Calendar, error) {
	rs := make([]calendar.Recess, len(c.Schedule.Recess))
	for i, r := range c.Schedule.Recess {
		for _, d := range []struct {
			field string
			configDate
		}{{"from", r.From}, {"to", r.To}} {
			if d.bad != "" {
				return nil, &ConfigError{Key: fmt.Sprintf("schedule.recess[%d].%s", i+1, d.field), Problem: d.bad}
			}
		}
		rs[i] = calendar.Recess{Name: strings.TrimSpace(r.Name), From: r.From.Date, To: r.To.Date}
	}
	cal, err := calendar.New(rs, calendar.Options{GoodFriday: c.Schedule.GoodFriday})
	var re *calendar.RecessError
	if errors.As(err, &re) {
		return nil, &ConfigError{Key: fmt.Sprintf("schedule.recess[%d].%s", re.Index+1, re.Field), Problem: re.Problem}
	}
	return cal, err
}
