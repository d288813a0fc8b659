package schedule

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
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

// genSpec is a 5-field cron spec with the sets of values it allows, read
// independently of robfig/cron.
type genSpec struct {
	text             string
	minutes          uint64 // bit m: minute m
	hours            uint32
	doms             uint32 // bit d: day of month d
	months           uint16 // bit m: month m
	dows             uint8  // bit d: weekday d, Sunday 0
	domStar, dowStar bool   // the field was "*"
}

// allows reports whether the spec allows wall time w (Unix seconds of the
// wall time read as UTC), with cron's rule that day of month and weekday
// are alternatives when both are restricted.
func (g genSpec) allows(w int64) bool {
	if w%60 != 0 {
		return false
	}
	m, h := w/60%60, w/3600%24
	if g.minutes>>m&1 == 0 || g.hours>>h&1 == 0 {
		return false
	}
	d := time.Unix(w, 0).UTC()
	if g.months>>int(d.Month())&1 == 0 {
		return false
	}
	dom, dow := g.doms>>d.Day()&1 == 1, g.dows>>int(d.Weekday())&1 == 1
	if g.domStar || g.dowStar {
		return dom && dow
	}
	return dom || dow
}

// wallClockRuns scans every minute in (from, to) and returns the minutes at
// which the wall clock of loc first reaches a time the spec allows: a
// minute whose wall time is allowed and later than any wall time shown
// since from, or the minute the clock jumps to, past an allowed time it
// never showed. The offset of each minute is that of the zone period
// holding it (ZoneBounds), so the scan costs no lookups per minute.
func (g genSpec) wallClockRuns(t *testing.T, loc *time.Location, from, to time.Time) []time.Time {
	t.Helper()
	var out []time.Time
	_, off := from.In(loc).Zone()
	seen := from.Unix() + int64(off) // the latest wall time shown so far
	minutes := g.minutes             // a local, so that the race detector leaves the hot loop alone
	for p := from.Add(time.Minute); p.Before(to); {
		_, end := p.In(loc).ZoneBounds()
		_, off := p.In(loc).Zone()
		if off%60 != 0 {
			t.Fatalf("%s has an offset of %ds at %s; the scan assumes whole minutes", loc, off, p)
		}
		stop := to.Unix()
		if !end.IsZero() && end.Unix() < stop {
			stop = end.Unix()
		}
		for m := p.Unix(); m < stop; m += 60 {
			wall := m + int64(off)
			switch {
			case wall <= seen: // shown before: the clock was set back
				continue
			case wall == seen+60: // the usual next minute
				if minutes>>(wall/60%60)&1 == 1 && g.allows(wall) {
					out = append(out, time.Unix(m, 0).In(loc))
				}
			default: // the clock jumped past seen+60 … wall-60
				for w := seen + 60; w <= wall; w += 60 {
					if g.allows(w) {
						out = append(out, time.Unix(m, 0).In(loc))
						break
					}
				}
			}
			seen = wall
		}
		p = time.Unix(stop, 0)
	}
	return out
}

// field is one generated cron field: its text and the values it allows.
type field struct {
	text string
	set  uint64
	star bool
}

func values(vs ...int) field {
	var f field
	var parts []string
	for _, v := range vs {
		f.set |= 1 << v
		parts = append(parts, strconv.Itoa(v))
	}
	f.text = strings.Join(parts, ",")
	return f
}

func span(lo, hi, step int) field {
	var f field
	for v := lo; v <= hi; v += step {
		f.set |= 1 << v
	}
	f.text = fmt.Sprintf("%d-%d", lo, hi)
	if step > 1 {
		f.text += "/" + strconv.Itoa(step)
	}
	return f
}

func star(lo, hi int) field {
	f := span(lo, hi, 1)
	f.text, f.star = "*", true
	return f
}

// pick returns one of vs, favouring none.
func pick(rng *rand.Rand, vs ...int) int { return vs[rng.IntN(len(vs))] }

// randomSpec generates a valid 5-field spec, favouring hours and days that
// daylight saving time skips or repeats (00:00–03:59, 23:00, the first and
// last days of a month, Sundays).
func randomSpec(rng *rand.Rand) genSpec {
	minute := values(pick(rng, 0, 15, 30, 45, rng.IntN(60)))
	var hour field
	switch rng.IntN(6) {
	case 0:
		hour = star(0, 23)
	case 1:
		hour = values(pick(rng, 0, 1, 2, 3, 23, rng.IntN(24)))
	case 2:
		a := rng.IntN(4)
		hour = values(a, a+1+rng.IntN(20))
	case 3:
		a := rng.IntN(4)
		hour = span(a, a+1+rng.IntN(3), 1)
	case 4:
		step := 2 + rng.IntN(5)
		hour = span(0, 23, step)
		hour.text = "*/" + strconv.Itoa(step)
	default:
		hour = values(0, 2)
	}
	dom, month, dow := star(1, 31), star(1, 12), star(0, 6)
	switch rng.IntN(8) {
	case 0:
		dom = values(pick(rng, 1, 6, 15, 29, 31, 1+rng.IntN(31)))
	case 1:
		dom = values(1, 15)
	case 2:
		dow = values(pick(rng, 0, 6, rng.IntN(7)))
	case 3:
		dow = span(1, 5, 1)
	case 4:
		dom, dow = values(1+rng.IntN(28)), values(0) // either one
	case 5:
		dom, month = values(1+rng.IntN(28)), values(1+rng.IntN(12)) // yearly
	}
	return genSpec{
		text:    strings.Join([]string{minute.text, hour.text, dom.text, month.text, dow.text}, " "),
		minutes: minute.set, hours: uint32(hour.set), doms: uint32(dom.set), months: uint16(month.set), dows: uint8(dow.set),
		domStar: dom.star, dowStar: dow.star,
	}
}

// mustGenSpec reads a simple spec of numbers, lists, ranges and stars.
func mustGenSpec(t testing.TB, text string) genSpec {
	t.Helper()
	fs := strings.Fields(text)
	bounds := [][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}}
	var parsed []field
	for i, f := range fs {
		if f == "*" {
			parsed = append(parsed, star(bounds[i][0], bounds[i][1]))
			continue
		}
		var vs []int
		for _, part := range strings.Split(f, ",") {
			lo, hi, isRange := strings.Cut(part, "-")
			a, err := strconv.Atoi(lo)
			if err != nil {
				t.Fatalf("spec %q: %v", text, err)
			}
			b := a
			if isRange {
				if b, err = strconv.Atoi(hi); err != nil {
					t.Fatalf("spec %q: %v", text, err)
				}
			}
			for v := a; v <= b; v++ {
				vs = append(vs, v)
			}
		}
		fd := values(vs...)
		fd.text = f
		parsed = append(parsed, fd)
	}
	if len(parsed) != 5 {
		t.Fatalf("spec %q: want 5 fields", text)
	}
	return genSpec{
		text:    text,
		minutes: parsed[0].set, hours: uint32(parsed[1].set), doms: uint32(parsed[2].set), months: uint16(parsed[3].set), dows: uint8(parsed[4].set),
		domStar: parsed[2].star, dowStar: parsed[4].star,
	}
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
