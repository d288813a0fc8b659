package schedule

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/wallclock"
)

// closeChanges is a made-up zone (the tz database has nothing this dense)
// with four changes within three hours on 10 January 2026, from UTC+0:
// forward 1h at 00:00 UTC (wall 00:00–01:00 skipped), back 30 minutes at
// 00:30 (01:00–01:30 shown twice), forward 1h30 at 01:00 (01:30–03:00
// skipped) and back 2h at 03:00 (03:00–05:00 shown twice).
func closeChanges(t testing.TB) *time.Location {
	t.Helper()
	base := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC).Unix()
	changes := []struct {
		at   int64
		kind byte
	}{{base, 1}, {base + 1800, 3}, {base + 3600, 2}, {base + 3*3600, 0}}
	kinds := []struct {
		offset    int32
		dst, name byte
	}{{0, 0, 0}, {3600, 1, 4}, {7200, 1, 8}, {1800, 1, 12}}
	names := "AAA\x00BBB\x00CCC\x00DDD\x00"
	// A version 1 TZif file (RFC 8536): header, counts, data.
	b := append([]byte("TZif"), make([]byte, 16)...)
	for _, n := range []int{0, 0, 0, len(changes), len(kinds), len(names)} {
		b = binary.BigEndian.AppendUint32(b, uint32(n))
	}
	for _, c := range changes {
		b = binary.BigEndian.AppendUint32(b, uint32(c.at))
	}
	for _, c := range changes {
		b = append(b, c.kind)
	}
	for _, k := range kinds {
		b = append(binary.BigEndian.AppendUint32(b, uint32(k.offset)), k.dst, k.name)
	}
	loc, err := time.LoadLocationFromTZData("Test/Close", append(b, names...))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestPlaceWallWithSeveralChangesCloseTogether(t *testing.T) {
	loc := closeChanges(t)
	tests := []struct{ wall, want string }{ // 10 January 2026, want in UTC
		{"23:59", "23:59"}, // 9 January, before the changes
		{"00:00", "00:00"}, // skipped: the first jump
		{"00:30", "00:00"},
		{"01:00", "00:00"}, // what the clock shows after the first jump
		{"01:10", "00:10"}, // shown twice: the first time
		{"01:29", "00:29"},
		{"01:30", "01:00"}, // skipped: the second jump
		{"02:59", "01:00"},
		{"03:00", "01:00"},
		{"03:30", "01:30"}, // shown twice: the first time
		{"04:59", "02:59"},
		{"05:00", "05:00"}, // after the last change
	}
	for _, tc := range tests {
		day := "2026-01-10 "
		if tc.wall == "23:59" {
			day = "2026-01-09 "
		}
		wall, want := mustUTC(t, day+tc.wall), mustUTC(t, day+tc.want)
		if got := wallclock.Place(wall, loc); !got.Equal(want) {
			t.Errorf("wallclock.Place(%s) = %s UTC, want %s UTC", tc.wall, got.UTC().Format("15:04"), want.Format("15:04"))
		}
	}
	cs := rawSpec(t, "0,30 * * * *", loc)
	var got []string
	for _, r := range cs.Upcoming(mustUTC(t, "2026-01-09 22:45"), 9) {
		got = append(got, r.UTC().Format("15:04"))
	}
	want := "23:00 23:30 00:00 01:00 01:30 02:00 02:30 05:00 05:30"
	if strings.Join(got, " ") != want {
		t.Errorf("runs of 0,30 * * * * (UTC): %s, want %s", strings.Join(got, " "), want)
	}
}

// rawSpec parses spec without ParseSpec's checks of how often it fires.
func rawSpec(t testing.TB, spec string, loc *time.Location) Spec {
	t.Helper()
	sched, err := parseCron(spec)
	if err != nil {
		t.Fatalf("spec %q does not parse: %v", spec, err)
	}
	return newSpec(spec, sched, loc)
}

// propertyZones have varied rules: DST of one hour, half an hour, two
// hours; changes at midnight, before and after UTC midnight, on either
// side of UTC; zones that dropped DST; Ramadan breaks; no DST at all.
var propertyZones = []string{
	"Europe/Amsterdam", "Europe/London", "Europe/Dublin", "Atlantic/Azores",
	"America/New_York", "America/St_Johns", "America/Havana", "America/Santiago",
	"America/Sao_Paulo", "America/Asuncion", "America/Nuuk", "Asia/Tehran",
	"Asia/Beirut", "Africa/Casablanca", "Asia/Gaza", "Antarctica/Troll",
	"Australia/Sydney", "Australia/Lord_Howe", "Australia/Adelaide", "Pacific/Chatham",
	"Pacific/Apia", "Asia/Kolkata", "Asia/Kathmandu", "UTC",
}

// TestSpecRunsMatchTheWallClock is a property test of Spec.Next: for
// random specs in random zones over some years, the runs are exactly the
// moments at which the zone's wall clock first shows a time the spec allows
// or a later one. So an allowed wall time that exists runs at its first
// occurrence, a skipped one at the jump past it, and nothing is lost or
// doubled. The expected runs are found without the code under test, by
// reading the wall clock of every real minute.
func TestSpecRunsMatchTheWallClock(t *testing.T) {
	seed := uint64(20260329)
	rng := rand.New(rand.NewPCG(seed, seed))
	years, random := 2, 2
	if testing.Short() {
		years, random = 1, 1
	}
	fixed := []string{"30 2 * * *", "0 0 * * *", "15 1 * * 0", "45 23 * * *", "0 3 1 * *"}
	type trial struct {
		spec     genSpec
		loc      *time.Location
		from, to time.Time
	}
	var trials []trial
	randomStart := func() time.Time {
		return time.Date(2010+rng.IntN(16), time.Month(1+rng.IntN(12)), 1, 12, 0, 0, 0, time.UTC)
	}
	for _, zone := range propertyZones {
		for _, text := range fixed {
			from := randomStart()
			trials = append(trials, trial{mustGenSpec(t, text), mustZone(t, zone), from, from.AddDate(years, 0, 0)})
		}
		for range random {
			from := randomStart()
			trials = append(trials, trial{randomSpec(rng), mustZone(t, zone), from, from.AddDate(years, 0, 0)})
		}
	}
	// Samoa skipped a whole day; Brazil and Iran dropped DST.
	for _, z := range []struct {
		zone string
		from time.Time
	}{
		{"Pacific/Apia", time.Date(2011, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"America/Sao_Paulo", time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"Asia/Tehran", time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)},
	} {
		for _, text := range append(fixed, "0 * * * *") {
			trials = append(trials, trial{mustGenSpec(t, text), mustZone(t, z.zone), z.from, z.from.AddDate(1, 0, 0)})
		}
	}
	close := closeChanges(t)
	for _, text := range append(fixed, "0 * * * *", "0,30 * * * *", "15,45 * * * *") {
		from := time.Date(2026, 1, 9, 12, 0, 0, 0, time.UTC)
		trials = append(trials, trial{mustGenSpec(t, text), close, from, from.AddDate(0, 0, 2)})
	}
	for _, tr := range trials {
		loc, to := tr.loc, tr.to
		want := tr.spec.wallClockRuns(t, loc, tr.from, to)
		cs := rawSpec(t, tr.spec.text, loc)
		var got []time.Time
		for at := cs.Next(tr.from); !at.IsZero() && at.Before(to); at = cs.Next(at) {
			if len(got) > 0 && !at.After(got[len(got)-1]) {
				t.Errorf("%q in %s: run %s does not come after %s", tr.spec.text, loc, at, got[len(got)-1])
				break
			}
			got = append(got, at)
			if len(got) > len(want)+1 {
				break
			}
		}
		if msg := firstDifference(got, want, loc); msg != "" {
			t.Errorf("%q in %s from %s: %s", tr.spec.text, loc, tr.from.Format(time.DateOnly), msg)
		}
	}
}

// firstDifference describes where got and want part, or returns "".
func firstDifference(got, want []time.Time, loc *time.Location) string {
	show := func(t time.Time) string {
		return t.UTC().Format("2006-01-02 15:04Z") + " (" + t.In(loc).Format("Mon 2006-01-02 15:04 -0700") + ")"
	}
	for i := range min(len(got), len(want)) {
		if !got[i].Equal(want[i]) {
			return fmt.Sprintf("run %d is %s, want %s", i, show(got[i]), show(want[i]))
		}
	}
	switch {
	case len(got) > len(want):
		return fmt.Sprintf("%d runs, want %d; extra run %s", len(got), len(want), show(got[len(want)]))
	case len(got) < len(want):
		return fmt.Sprintf("%d runs, want %d; missing run %s", len(got), len(want), show(want[len(got)]))
	}
	return ""
}

// TestParseSpecJudgesFrequencyOnTheWallClock: whether a spec fires more
// than once an hour is a property of the spec, not of the day it is typed.
// On a day that DST shortens, a skipped run moves to the jump and may come
// less than an hour before the next one; that must not refuse the spec.
func TestParseSpecJudgesFrequencyOnTheWallClock(t *testing.T) {
	tests := []struct {
		name, spec, zone, now string // now in UTC
		often                 bool
	}{
		{"hourly at :30 the day before spring forward", "30 * * * *", "Europe/Amsterdam", "2026-03-28 12:00", false},
		{"hourly in Lord Howe before its half-hour jump", "0 * * * *", "Australia/Lord_Howe", "2026-10-03 01:00", false},
		{"two minutes in one hour", "0,30 9 * * 1", "Europe/Amsterdam", "2026-03-28 12:00", true},
		{"every 30 minutes", "@every 30m", "Europe/Amsterdam", "2026-03-28 12:00", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSpec(tc.spec, mustZone(t, tc.zone), mustUTC(t, tc.now))
			var se *SpecError
			if often := errors.As(err, &se) && se.Key == "spec.often"; often != tc.often {
				t.Errorf("ParseSpec(%q) = %v; want refused as too often: %v", tc.spec, err, tc.often)
			}
		})
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
