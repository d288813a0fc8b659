package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/waardenbot/waardenbot/bot/wallclock"
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
	if cs.next(now).IsZero() {
		return cronSpec{}, &specError{Key: "spec.never"}
	}
	if cs.tooOften(now) {
		return cronSpec{}, &specError{Key: "spec.often"}
	}
	return cs, nil
}

// tooOften reports whether two of the next 60 times of the spec after now
// lie closer together than minInterval. Times of a cron spec are compared
// on the wall clock: how often a spec fires is a property of the spec, and
// a run that a DST change moves to the jump (02:30 to 03:00, just before a
// 03:30 run) must not make a spec acceptable on one day and refused on
// another. @every is compared on elapsed time.
func (c cronSpec) tooOften(now time.Time) bool {
	step, prev := c.sched.Next, now
	if wall, ok := c.wallSchedule(); ok {
		step, prev = wall.Next, wallclock.Of(now, c.loc)
	}
	prev = step(prev)
	for range 60 {
		t := step(prev)
		if t.IsZero() {
			return false
		}
		if t.Sub(prev) < minInterval {
			return true
		}
		prev = t
	}
	return false
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
// A cron spec is read on the wall clock of its zone, and a time of day that
// a change of offset skips or repeats is run exactly once: robfig/cron
// would skip 02:30 on the last Sunday of March and run it twice on the last
// Sunday of October in Europe/Amsterdam. So the spec is evaluated on wall
// times (in UTC, which has no changes) and each wall time it allows runs at
// placeWall's instant: its first occurrence, or the jump past it when the
// clock skips it. @every runs on elapsed time.
//
// placeWall never decreases as the wall time grows, and a wall time placed
// after t is later than the clock shows at t; so the next run is the first
// allowed wall time after the clock at t that is placed after t. Allowed
// wall times placed at or before t are passed over: t is in a repeated
// hour and they ran at their first occurrence, or they were skipped and
// ran at a jump with an earlier one. The loop ends: wallclock.Place(w) is never
// before w−maxOffset, so the first allowed wall time past t+maxOffset is
// placed after t.
func (c cronSpec) next(t time.Time) time.Time {
	wall, ok := c.wallSchedule()
	if !ok {
		return c.sched.Next(t)
	}
	for w := wallclock.Of(t, c.loc); ; {
		if w = wall.Next(w); w.IsZero() {
			return time.Time{}
		}
		if at := wallclock.Place(w, c.loc); at.After(t) {
			return at
		}
	}
}

// wallSchedule returns the spec computing on wall times, in UTC; false for
// @every, which counts elapsed time.
func (c cronSpec) wallSchedule() (*cron.SpecSchedule, bool) {
	ss, ok := c.sched.(*cron.SpecSchedule)
	if !ok {
		return nil, false
	}
	wall := *ss
	wall.Location = time.UTC
	return &wall, true
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
