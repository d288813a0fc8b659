package schedule

import (
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
)

// BenchmarkNextRun measures what the calendar adds to finding a
// reflection schedule's next run, which the scheduler does for every
// schedule at start-up and after every post: the spec alone, and on the
// calendar in an ordinary week, on the Monday after Easter (a holiday to
// move past) and at the start of a zomerreces with an hourly spec (a
// recess to jump over).
func BenchmarkNextRun(b *testing.B) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		b.Fatal(err)
	}
	cal, err := calendar.New([]calendar.Recess{{Name: "zomerreces",
		From: calendar.Date{Year: 2027, Month: 7, Day: 10}, To: calendar.Date{Year: 2027, Month: 8, Day: 29}}}, calendar.Options{})
	if err != nil {
		b.Fatal(err)
	}
	weekly, err := parseStored(DefaultSpec, "Europe/Amsterdam")
	if err != nil {
		b.Fatal(err)
	}
	hourly, err := parseStored("0 * * * *", "Europe/Amsterdam")
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		next func(time.Time) time.Time
		at   time.Time
	}{
		{"spec", weekly.Next, time.Date(2027, 6, 2, 10, 0, 0, 0, ams)},
		{"calendar/week", onCalendar{spec: weekly, cal: cal}.next, time.Date(2027, 6, 2, 10, 0, 0, 0, ams)},
		{"calendar/easter", onCalendar{spec: weekly, cal: cal}.next, time.Date(2027, 3, 29, 10, 0, 0, 0, ams)},
		{"calendar/recess-hourly", onCalendar{spec: hourly, cal: cal}.next, time.Date(2027, 7, 9, 23, 30, 0, 0, ams)},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			cal.Holiday(calendar.DateOf(tc.at)) // the year's holidays, computed once
			for b.Loop() {
				if tc.next(tc.at).IsZero() {
					b.Fatal("no next run")
				}
			}
		})
	}
}
