package schedule

// The reference for TestSpecRunsMatchTheWallClock: cron specs generated
// and read without robfig/cron, and their runs found by reading a zone's
// wall clock minute by minute.

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

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
