package schedule

import (
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

// SpecError says why ParseSpec refused a spec, for the user: a message
// catalog key and its arguments. An argument of type Echo repeats what the
// user typed.
type SpecError struct {
	Key  string
	Args []any
}

func (e *SpecError) Error() string { return fmt.Sprintf("cron spec: %s %v", e.Key, e.Args) }

// Echo is an argument of a SpecError that repeats user input: whoever shows
// it escapes it and shortens it to Max runes.
type Echo struct {
	Text string
	Max  int
}

// Spec is a cron spec that ParseSpec accepted, with the zone whose wall
// clock it is read on.
type Spec struct {
	text  string
	sched cron.Schedule // a *cron.SpecSchedule computes in UTC, on wall times
	loc   *time.Location
}

// Text is the spec as accepted: its fields separated by single spaces.
func (c Spec) Text() string { return c.text }

// every reports whether c is an @every spec, which runs on elapsed time
// rather than on the wall clock.
func (c Spec) every() bool {
	_, wall := c.sched.(*cron.SpecSchedule)
	return !wall
}

// Location is the zone the spec is read in.
func (c Spec) Location() *time.Location { return c.loc }

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

// newSpec keeps a parsed spec for loc. A field spec is evaluated on wall
// times, which are kept in UTC (a zone without changes), never in the
// machine's zone: see Next.
func newSpec(text string, sched cron.Schedule, loc *time.Location) Spec {
	if ss, ok := sched.(*cron.SpecSchedule); ok {
		ss.Location = time.UTC
	}
	return Spec{text: text, sched: sched, loc: loc}
}

// ParseSpec checks a spec a user typed (an empty one is DefaultSpec) and
// returns it read in loc. It refuses, with a *SpecError that names the
// field, specs that do not parse, never fire, or fire more often than once
// an hour. A zone prefix (CRON_TZ=) is not read here: the caller takes the
// zone from the user's text and passes it as loc.
func ParseSpec(spec string, loc *time.Location, now time.Time) (Spec, error) {
	spec = strings.Join(strings.Fields(spec), " ")
	if spec == "" {
		spec = DefaultSpec
	}
	if strings.HasPrefix(spec, "@") && !strings.HasPrefix(spec, "@every ") {
		switch spec {
		case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly":
		default:
			return Spec{}, &SpecError{Key: "spec.descriptor", Args: []any{Echo{spec, 30}}}
		}
	}
	if !strings.HasPrefix(spec, "@") {
		if n := len(strings.Fields(spec)); n != 5 && n != 6 {
			return Spec{}, &SpecError{Key: "spec.fields", Args: []any{n}}
		}
	}
	sched, err := parseCron(spec)
	if err != nil {
		return Spec{}, explainSpec(spec)
	}
	cs := newSpec(spec, sched, loc)
	if cs.Next(now).IsZero() {
		return Spec{}, &SpecError{Key: "spec.never"}
	}
	if cs.tooOften(now) {
		return Spec{}, &SpecError{Key: "spec.often"}
	}
	return cs, nil
}

// parseStored parses a spec that ParseSpec accepted before, with the zone
// it was stored with.
func parseStored(text, zone string) (Spec, error) {
	loc, ok := LoadZone(zone)
	if !ok {
		return Spec{}, fmt.Errorf("unknown zone %q", zone)
	}
	sched, err := parseCron(text)
	if err != nil {
		return Spec{}, err
	}
	return newSpec(text, sched, loc), nil
}

// tooOften reports whether two of the next 60 times of the spec after now
// lie closer together than minInterval. Times of a cron spec are compared
// on the wall clock: how often a spec fires is a property of the spec, and
// a run that a DST change moves to the jump (02:30 to 03:00, just before a
// 03:30 run) must not make a spec acceptable on one day and refused on
// another. @every is compared on elapsed time.
func (c Spec) tooOften(now time.Time) bool {
	prev := now
	if _, ok := c.sched.(*cron.SpecSchedule); ok {
		prev = wallclock.Of(now, c.loc)
	}
	prev = c.sched.Next(prev)
	for range 60 {
		t := c.sched.Next(prev)
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

// specFields names the fields of a 6-field spec, seconds first.
var specFields = []string{"second", "minute", "hour", "dom", "month", "dow"}

// explainSpec finds the field that robfig/cron refused by parsing each field
// alone, so that the user hears which one is wrong.
func explainSpec(spec string) error {
	if strings.HasPrefix(spec, "@every ") {
		return &SpecError{Key: "spec.every", Args: []any{Echo{strings.TrimPrefix(spec, "@every "), 30}}}
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
				return &SpecError{Key: "spec.sunday", Args: []any{Echo{f, 20}}}
			}
			return &SpecError{Key: "spec.field." + specFields[i], Args: []any{Echo{f, 20}}}
		}
	}
	return &SpecError{Key: "spec.invalid", Args: []any{Echo{spec, 60}}}
}

// Next returns the first run strictly after t, or the zero time when the
// spec never fires again.
//
// A cron spec is read on the wall clock of its zone, and a time of day that
// a change of offset skips or repeats is run exactly once: robfig/cron
// would skip 02:30 on the last Sunday of March and run it twice on the last
// Sunday of October in Europe/Amsterdam. So the spec is evaluated on wall
// times (in UTC, which has no changes) and each wall time it allows runs at
// wallclock.Place's instant: its first occurrence, or the jump past it when
// the clock skips it. @every runs on elapsed time.
//
// Place never decreases as the wall time grows, and a wall time placed
// after t is later than the clock shows at t; so the next run is the first
// allowed wall time after the clock at t that is placed after t. Allowed
// wall times placed at or before t are passed over: t is in a repeated
// hour and they ran at their first occurrence, or they were skipped and
// ran at a jump with an earlier one. The loop ends: wallclock.Place(w) is
// never before w−maxOffset, so the first allowed wall time past
// t+maxOffset is placed after t.
func (c Spec) Next(t time.Time) time.Time {
	if _, ok := c.sched.(*cron.SpecSchedule); !ok {
		return c.sched.Next(t)
	}
	for w := wallclock.Of(t, c.loc); ; {
		if w = c.sched.Next(w); w.IsZero() {
			return time.Time{}
		}
		if at := wallclock.Place(w, c.loc); at.After(t) {
			return at
		}
	}
}

// Upcoming returns the next n runs after t.
func (c Spec) Upcoming(t time.Time, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		t = c.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}

// LoadZone loads an IANA zone a user typed or a schedule stored; "Local"
// and "" are not zones a channel can share.
func LoadZone(name string) (*time.Location, bool) {
	if name == "" || strings.EqualFold(name, "local") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}
