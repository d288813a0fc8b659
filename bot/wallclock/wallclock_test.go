package wallclock

import (
	"testing"
	"time"
)

// TestPlaceWallPutsEveryWallTimeAtItsFirstMoment checks Place against
// real transitions of the tz database (verified by scanning the zone minute
// by minute): a repeated time is placed at its first occurrence, a skipped
// time at the jump, whatever the size and hour of the change and on either
// side of UTC.
func TestPlaceWallPutsEveryWallTimeAtItsFirstMoment(t *testing.T) {
	tests := []struct {
		name, zone, wall, want string // wall in the zone, want in UTC
	}{
		{"Amsterdam spring forward skips 02:30", "Europe/Amsterdam", "2026-03-29 02:30", "2026-03-29 01:00"},
		{"Amsterdam fall back repeats 02:30", "Europe/Amsterdam", "2026-10-25 02:30", "2026-10-25 00:30"},
		{"Amsterdam summer noon", "Europe/Amsterdam", "2026-06-01 12:00", "2026-06-01 10:00"},
		{"London spring forward skips 01:30", "Europe/London", "2026-03-29 01:30", "2026-03-29 01:00"},
		{"London fall back repeats 01:30", "Europe/London", "2026-10-25 01:30", "2026-10-25 00:30"},
		{"New York spring forward skips 02:30", "America/New_York", "2026-03-08 02:30", "2026-03-08 07:00"},
		{"New York spring forward skips 02:00", "America/New_York", "2026-03-08 02:00", "2026-03-08 07:00"},
		{"New York fall back repeats 01:30", "America/New_York", "2026-11-01 01:30", "2026-11-01 05:30"},
		{"Sao Paulo skipped midnight", "America/Sao_Paulo", "2018-11-04 00:00", "2018-11-04 03:00"},
		{"Sao Paulo skipped 00:30", "America/Sao_Paulo", "2018-11-04 00:30", "2018-11-04 03:00"},
		{"Sao Paulo repeated 23:30", "America/Sao_Paulo", "2019-02-16 23:30", "2019-02-17 01:30"},
		{"Santiago skipped midnight", "America/Santiago", "2026-09-06 00:00", "2026-09-06 04:00"},
		{"Santiago repeated 23:30", "America/Santiago", "2026-04-04 23:30", "2026-04-05 02:30"},
		{"Sydney spring forward skips 02:30", "Australia/Sydney", "2026-10-04 02:30", "2026-10-03 16:00"},
		{"Sydney fall back repeats 02:30", "Australia/Sydney", "2026-04-05 02:30", "2026-04-04 15:30"},
		{"Lord Howe half-hour spring forward skips 02:15", "Australia/Lord_Howe", "2026-10-04 02:15", "2026-10-03 15:30"},
		{"Lord Howe half-hour fall back repeats 01:45", "Australia/Lord_Howe", "2026-04-05 01:45", "2026-04-04 14:45"},
		{"Chatham spring forward skips 03:00", "Pacific/Chatham", "2026-09-27 03:00", "2026-09-26 14:00"},
		{"Chatham fall back repeats 03:00", "Pacific/Chatham", "2026-04-05 03:00", "2026-04-04 13:15"},
		{"Troll two-hour spring forward skips 02:00", "Antarctica/Troll", "2026-03-29 02:00", "2026-03-29 01:00"},
		{"Troll two-hour fall back repeats 01:30", "Antarctica/Troll", "2026-10-25 01:30", "2026-10-24 23:30"},
		{"Samoa skipped all of 30 December 2011", "Pacific/Apia", "2011-12-30 12:00", "2011-12-30 10:00"},
		{"Samoa's first moment after the skipped day", "Pacific/Apia", "2011-12-31 00:00", "2011-12-30 10:00"},
		{"Havana skipped midnight hour", "America/Havana", "2026-03-08 00:30", "2026-03-08 05:00"},
		{"Kolkata has no transitions", "Asia/Kolkata", "2026-03-29 02:30", "2026-03-28 21:00"},
		{"UTC", "UTC", "2026-03-29 02:30", "2026-03-29 02:30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc := mustZone(t, tc.zone)
			wall, want := mustUTC(t, tc.wall), mustUTC(t, tc.want)
			got := Place(wall, loc)
			if !got.Equal(want) {
				t.Errorf("Place(%s, %s) = %s (%s), want %s (%s)", tc.wall, tc.zone,
					got.UTC().Format(time.DateTime), got.In(loc).Format("15:04 -0700"),
					want.Format(time.DateTime), want.In(loc).Format("15:04 -0700"))
			}
			if got.Location() != loc {
				t.Errorf("Place returned a time in %s, want %s", got.Location(), loc)
			}
		})
	}
}

func TestPlaceWallInAFixedZone(t *testing.T) {
	loc := time.FixedZone("UTC-3", -3*3600)
	if got, want := Place(mustUTC(t, "2026-01-01 00:00"), loc), mustUTC(t, "2026-01-01 03:00"); !got.Equal(want) {
		t.Errorf("Place in UTC-3 = %s, want %s", got.UTC(), want)
	}
}

func mustUTC(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
