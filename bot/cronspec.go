package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// DefaultSpec is the reflection schedule when none is given: Monday 09:00.
const DefaultSpec = "0 9 * * 1"

// minInterval is the shortest time between two reflection prompts a spec
// may give. A prompt every minute would flood a channel.
const minInterval = time.Hour

// specParser reads 5-field specs, 6-field specs with seconds first, and
// descriptors such as @weekly and @every 2h.
var specParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// specError says why a cron spec was refused, in words for the user: the
// catalog key and its arguments.
type specError struct {
	Key  string
	Args []any
}

func (e *specError) Error() string { return fmt.Sprintf("cron spec: %s %v", e.Key, e.Args) }

// cronSpec is a parsed spec with the zone it is read in.
type cronSpec struct {
	text  string
	sched cron.Schedule
	loc   *time.Location
}

// parseCron parses spec with robfig/cron and never panics: cron v3.0.1
// panics on some input (a CRON_TZ= prefix with nothing after it), and spec
// is what a user typed.
func parseCron(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("cron parser panicked on %q: %v", spec, r)
		}
	}()
	return specParser.Parse(spec)
}

// parseSpec checks a spec a user typed and returns it in loc. A CRON_TZ= or
// TZ= prefix is read as the zone (it must agree with loc when tz= was also
// given, which the caller checks). It refuses specs that never fire or fire
// more often than minInterval, with reasons that name the field.
func parseSpec(spec string, loc *time.Location, now time.Time) (cronSpec, error) {
	spec = strings.Join(strings.Fields(spec), " ")
	if spec == "" {
		spec = DefaultSpec
	}
	if strings.HasPrefix(spec, "@") && !strings.HasPrefix(spec, "@every ") {
		switch spec {
		case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly":
		default:
			return cronSpec{}, &specError{Key: "spec.descriptor", Args: []any{Quote(spec, 30)}}
		}
	}
	if !strings.HasPrefix(spec, "@") {
		if n := len(strings.Fields(spec)); n != 5 && n != 6 {
			return cronSpec{}, &specError{Key: "spec.fields", Args: []any{n}}
		}
	}
	sched, err := parseCron(spec)
	if err != nil {
		return cronSpec{}, explainSpec(spec)
	}
	cs := cronSpec{text: spec, sched: withLocation(sched, loc), loc: loc}
	prev := cs.next(now)
	if prev.IsZero() {
		return cronSpec{}, &specError{Key: "spec.never"}
	}
	for i := 0; i < 60; i++ {
		t := cs.next(prev)
		if t.IsZero() {
			break
		}
		if t.Sub(prev) < minInterval {
			return cronSpec{}, &specError{Key: "spec.often"}
		}
		prev = t
	}
	return cs, nil
}

// withLocation makes a parsed spec compute in loc, never in the machine's
// zone.
func withLocation(sched cron.Schedule, loc *time.Location) cron.Schedule {
	if ss, ok := sched.(*cron.SpecSchedule); ok {
		ss.Location = loc
	}
	return sched
}

// specFields names the fields of a 6-field spec, seconds first.
var specFields = []string{"second", "minute", "hour", "dom", "month", "dow"}

// explainSpec finds the field that robfig/cron refused by parsing each field
// alone, so that the user hears which one is wrong.
func explainSpec(spec string) error {
	if strings.HasPrefix(spec, "@every ") {
		return &specError{Key: "spec.every", Args: []any{Quote(strings.TrimPrefix(spec, "@every "), 30)}}
	}
	fields := strings.Fields(spec)
	if len(fields) == 5 {
		fields = append([]string{"0"}, fields...)
	}
	for i, f := range fields {
		probe := []string{"0", "0", "0", "*", "*", "*"}
		probe[i] = f
		if _, err := parseCron(strings.Join(probe, " ")); err != nil {
			if specFields[i] == "dow" && strings.Contains(f, "7") {
				return &specError{Key: "spec.sunday", Args: []any{Quote(f, 20)}}
			}
			return &specError{Key: "spec.field." + specFields[i], Args: []any{Quote(f, 20)}}
		}
	}
	return &specError{Key: "spec.invalid", Args: []any{Quote(spec, 60)}}
}

// next returns the first run strictly after t, or the zero time when the
// spec never fires again.
//
// A cron spec is read on the wall clock of its zone, and a time of day
// that daylight saving time skips or repeats is run exactly once: robfig/cron
// would skip 02:30 on the last Sunday of March and run it twice on the last
// Sunday of October in Europe/Amsterdam. So the spec is evaluated on wall
// clock times (as if the zone had no DST) and each wall time is then placed
// in the zone: a skipped time runs when the clock jumps past it (03:00), a
// repeated time runs at its first occurrence. @every runs on elapsed time.
func (c cronSpec) next(t time.Time) time.Time {
	ss, ok := c.sched.(*cron.SpecSchedule)
	if !ok {
		return c.sched.Next(t)
	}
	wall := *ss
	wall.Location = time.UTC
	lt := t.In(c.loc)
	for i := 0; i < 3; i++ {
		w := wall.Next(time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), lt.Second(), 0, time.UTC))
		if w.IsZero() {
			return time.Time{}
		}
		at := placeWall(w, c.loc)
		if at.After(t) {
			return at
		}
		// The wall time fell into a gap that was moved to before t; look on.
		lt = w
	}
	return time.Time{}
}

// placeWall returns the instant at which the wall clock of loc shows w
// (read in UTC): the earlier one when it shows it twice, and the moment the
// clock jumps past it when it never shows it.
func placeWall(w time.Time, loc *time.Location) time.Time {
	at := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
	if sameWall(at.In(loc), w) {
		if earlier := at.Add(-time.Hour); sameWall(earlier.In(loc), w) {
			return earlier
		}
		return at
	}
	// In a gap: time.Date normalised it past the jump; run at the jump.
	start, _ := at.ZoneBounds()
	return start
}

func sameWall(a, w time.Time) bool {
	return a.Year() == w.Year() && a.YearDay() == w.YearDay() && a.Hour() == w.Hour() && a.Minute() == w.Minute() && a.Second() == w.Second()
}

// upcoming returns the next n runs after t.
func (c cronSpec) upcoming(t time.Time, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		t = c.next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}

// errSpecZone is returned by splitSpecArgs when tz= and CRON_TZ= disagree.
var errSpecZone = errors.New("two different zones")

// splitSpecArgs takes the arguments of /reflectie aan apart: the spec, and
// the zone from tz=Zone or a CRON_TZ=/TZ= prefix ("" when none).
func splitSpecArgs(args string) (spec, zone string, err error) {
	var rest []string
	for _, f := range strings.Fields(args) {
		key, val, ok := strings.Cut(f, "=")
		switch k := strings.ToLower(key); {
		case ok && (k == "tz" || k == "cron_tz" || k == "zone"):
			if zone != "" && zone != val {
				return "", "", errSpecZone
			}
			zone = val
			if val == "" {
				zone = "="
			}
		default:
			rest = append(rest, f)
		}
	}
	return strings.Join(rest, " "), zone, nil
}

// loadZone loads an IANA zone a user typed; "Local" and "" are not zones
// a channel can share.
func loadZone(name string) (*time.Location, bool) {
	if name == "" || strings.EqualFold(name, "local") || name == "=" {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}
