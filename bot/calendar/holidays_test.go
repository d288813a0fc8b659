package calendar_test

import (
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
)

func day(y int, m time.Month, d int) calendar.Date { return calendar.Date{Year: y, Month: m, Day: d} }

// government is what the Dutch government publishes as the official public
// holidays ("Welke datum zijn de officiële feestdagen?", rijksoverheid.nl)
// for 2027 and 2028, written out here rather than computed.
var government = map[calendar.Date]string{
	day(2027, 1, 1):   "Nieuwjaarsdag",
	day(2027, 3, 26):  "Goede Vrijdag",
	day(2027, 3, 28):  "Eerste Paasdag",
	day(2027, 3, 29):  "Tweede Paasdag",
	day(2027, 4, 27):  "Koningsdag",
	day(2027, 5, 5):   "Bevrijdingsdag",
	day(2027, 5, 6):   "Hemelvaartsdag",
	day(2027, 5, 16):  "Eerste Pinksterdag",
	day(2027, 5, 17):  "Tweede Pinksterdag",
	day(2027, 12, 25): "Eerste Kerstdag",
	day(2027, 12, 26): "Tweede Kerstdag",

	day(2028, 1, 1):   "Nieuwjaarsdag",
	day(2028, 4, 14):  "Goede Vrijdag",
	day(2028, 4, 16):  "Eerste Paasdag",
	day(2028, 4, 17):  "Tweede Paasdag",
	day(2028, 4, 27):  "Koningsdag",
	day(2028, 5, 5):   "Bevrijdingsdag",
	day(2028, 5, 25):  "Hemelvaartsdag",
	day(2028, 6, 4):   "Eerste Pinksterdag",
	day(2028, 6, 5):   "Tweede Pinksterdag",
	day(2028, 12, 25): "Eerste Kerstdag",
	day(2028, 12, 26): "Tweede Kerstdag",
}

// TestHolidaysAreTheGovernmentsFor2027And2028 walks every day of both
// years: each published holiday is one, with its name, and no other day is.
func TestHolidaysAreTheGovernmentsFor2027And2028(t *testing.T) {
	for _, goodFriday := range []bool{true, false} {
		c, err := calendar.New(nil, calendar.Options{GoodFriday: goodFriday})
		if err != nil {
			t.Fatal(err)
		}
		for d := day(2027, 1, 1); d.Year <= 2028; d = d.AddDays(1) {
			want, ok := government[d]
			if ok && want == "Goede Vrijdag" && !goodFriday {
				want, ok = "", false
			}
			got, is := c.Holiday(d)
			if is != ok || got != want {
				t.Errorf("good_friday=%t: %s (%s) is %q (holiday %t), want %q (holiday %t)", goodFriday, d, d.Weekday(), got, is, want, ok)
			}
		}
	}
}

// easter is Easter Sunday by the Gregorian computus as Knuth writes it
// (The Art of Computer Programming, 1.3.2, exercise 14): golden number,
// century, the solar and lunar corrections, the epact. It is another
// algorithm than the library's (Meeus/Jones/Butcher), so that the two
// check each other.
func easter(y int) calendar.Date {
	g := y%19 + 1
	c := y/100 + 1
	x := 3*c/4 - 12
	z := (8*c+5)/25 - 5
	d := 5*y/4 - x - 10
	e := (11*g + 20 + z - x) % 30
	if (e == 25 && g > 11) || e == 24 {
		e++
	}
	n := 44 - e
	if n < 21 {
		n += 30
	}
	n += 7 - (d+n)%7
	if n > 31 {
		return day(y, time.April, n-31)
	}
	return day(y, time.March, n)
}

// TestEasterHolidaysFollowTheComputus checks the library's Easter and the
// holidays counted from it against our own computus for three centuries.
func TestEasterHolidaysFollowTheComputus(t *testing.T) {
	c, err := calendar.New(nil, calendar.Options{GoodFriday: true})
	if err != nil {
		t.Fatal(err)
	}
	if e := easter(2027); e != day(2027, 3, 28) {
		t.Fatalf("our computus: Easter 2027 on %s, want 2027-03-28", e)
	}
	for y := 1950; y <= 2250; y++ {
		e := easter(y)
		for _, h := range []struct {
			offset int
			name   string
		}{
			{-2, "Goede Vrijdag"}, {0, "Eerste Paasdag"}, {1, "Tweede Paasdag"},
			{39, "Hemelvaartsdag"}, {49, "Eerste Pinksterdag"}, {50, "Tweede Pinksterdag"},
		} {
			d := e.AddDays(h.offset)
			if got, _ := c.Holiday(d); got != h.name {
				if h.name == "Hemelvaartsdag" && got == "Bevrijdingsdag" {
					continue // both on 5 May: the first of the year is named
				}
				t.Errorf("%d: %s is %q, want %s (Easter %s)", y, d, got, h.name, e)
			}
		}
	}
}

// TestKoningsdagMovesToSaturdayWhenThe27thIsASunday: 2025 and 2031 have
// Koningsdag on 26 April; the Sunday the 27th is then no holiday.
func TestKoningsdagMovesToSaturdayWhenThe27thIsASunday(t *testing.T) {
	c := calendar.Dutch()
	for y := 2024; y <= 2040; y++ {
		want := day(y, time.April, 27)
		if want.Weekday() == time.Sunday {
			want = day(y, time.April, 26)
		}
		for _, d := range []calendar.Date{day(y, 4, 26), day(y, 4, 27)} {
			name, ok := c.Holiday(d)
			if (d == want) != (ok && name == "Koningsdag") {
				t.Errorf("%s (%s): %q %t, Koningsdag %d is on %s", d, d.Weekday(), name, ok, y, want)
			}
		}
	}
	for _, d := range []calendar.Date{day(2025, 4, 26), day(2031, 4, 26), day(2036, 4, 26)} {
		if name, _ := c.Holiday(d); name != "Koningsdag" {
			t.Errorf("%s is %q, want Koningsdag", d, name)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	c := calendar.Dutch()
	for _, tc := range []struct {
		d    calendar.Date
		want bool
	}{
		{day(2027, 3, 26), true}, // Goede Vrijdag, not counted by default
		{day(2027, 3, 27), false},
		{day(2027, 3, 29), false}, // Tweede Paasdag
		{day(2027, 3, 30), true},
		{day(2027, 5, 6), false}, // Hemelvaartsdag
		{day(2027, 5, 7), true},
		{day(2027, 12, 27), true},
	} {
		if got := c.WorkingDay(tc.d); got != tc.want {
			t.Errorf("WorkingDay(%s) = %t, want %t", tc.d, got, tc.want)
		}
	}
}
