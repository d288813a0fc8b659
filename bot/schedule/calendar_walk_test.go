package schedule_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/schedule"
)

// The calendar of a municipality for 2027 and 2028, as its griffie would
// configure it. The meireces of 2028 starts on the Tuesday after Tweede
// Paasdag, so that a Monday's run that moves to the next working day lands
// in a recess.
var voorbeeldRecesses = []calendar.Recess{
	{Name: "voorjaarsreces", From: date(2027, 2, 13), To: date(2027, 2, 21)},
	{Name: "meireces", From: date(2027, 4, 24), To: date(2027, 5, 2)},
	{Name: "zomerreces", From: date(2027, 7, 10), To: date(2027, 8, 29)},
	{Name: "herfstreces", From: date(2027, 10, 16), To: date(2027, 10, 24)},
	{Name: "kerstreces", From: date(2027, 12, 18), To: date(2028, 1, 2)},
	{Name: "voorjaarsreces", From: date(2028, 2, 19), To: date(2028, 2, 27)},
	{Name: "meireces", From: date(2028, 4, 18), To: date(2028, 4, 30)},
	{Name: "zomerreces", From: date(2028, 7, 8), To: date(2028, 8, 27)},
	{Name: "herfstreces", From: date(2028, 10, 14), To: date(2028, 10, 22)},
	{Name: "kerstreces", From: date(2028, 12, 23), To: date(2029, 1, 7)},
}

// publicHolidays are the Dutch public holidays of 2027 and 2028 as the
// government publishes them, Goede Vrijdag included (this municipality
// counts it), written out rather than asked from the code under test.
var publicHolidays = map[string]bool{
	"2027-01-01": true, "2027-03-26": true, "2027-03-28": true, "2027-03-29": true, "2027-04-27": true,
	"2027-05-05": true, "2027-05-06": true, "2027-05-16": true, "2027-05-17": true, "2027-12-25": true, "2027-12-26": true,
	"2028-01-01": true, "2028-04-14": true, "2028-04-16": true, "2028-04-17": true, "2028-04-27": true,
	"2028-05-05": true, "2028-05-25": true, "2028-06-04": true, "2028-06-05": true, "2028-12-25": true, "2028-12-26": true,
}

func date(y int, m time.Month, d int) calendar.Date { return calendar.Date{Year: y, Month: m, Day: d} }

func withCalendar(t testing.TB, goodFriday bool, rs ...calendar.Recess) option {
	t.Helper()
	cal, err := calendar.New(rs, calendar.Options{GoodFriday: goodFriday})
	if err != nil {
		t.Fatal(err)
	}
	return func(c *schedule.Config) { c.Calendar = cal }
}

// walkChannel is a channel of the walk and what its people do, for the
// expected list.
type walkChannel struct {
	to      chat.Destination
	spec    string
	weekday time.Weekday
	hour    int
	rules   []ruleChange
	pauses  []pauseSpan
	skips   []time.Time // runs skipped with SkipNext, by when they would be posted
}

type ruleChange struct {
	at   time.Time
	rule schedule.HolidayRule
}

type pauseSpan struct {
	set, lifted time.Time // lifted zero: never
	from, to    calendar.Date
}

// expected computes the runs of ch in 2027 and 2028 from the published
// holidays and the recesses above, on the rules the README states: no run
// in a recess or a pause; on a holiday the channel's rule (by default the
// next day that is no weekend and no holiday, at the same time, unless
// that day is in a recess or pause); a skipped run not at all.
func (ch walkChannel) expected() []time.Time {
	isHoliday := func(d time.Time) bool { return publicHolidays[d.Format(time.DateOnly)] }
	inRecess := func(d time.Time) bool {
		day := calendar.DateOf(d)
		for _, r := range voorbeeldRecesses {
			if !day.Before(r.From) && !day.After(r.To) {
				return true
			}
		}
		return false
	}
	paused := func(d, at time.Time) bool {
		day := calendar.DateOf(d)
		for _, p := range ch.pauses {
			if at.After(p.set) && (p.lifted.IsZero() || at.Before(p.lifted)) && !day.Before(p.from) && !day.After(p.to) {
				return true
			}
		}
		return false
	}
	var out []time.Time
	for d := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2029; d = d.AddDate(0, 0, 1) {
		if d.Weekday() != ch.weekday {
			continue
		}
		planned := local(d.Year(), d.Month(), d.Day(), ch.hour, 0)
		rule := schedule.HolidaysNextWorkingDay
		for _, c := range ch.rules {
			if c.at.Before(planned) {
				rule = c.rule
			}
		}
		day := d
		if inRecess(day) || paused(day, planned) {
			continue
		}
		if isHoliday(day) && rule != schedule.HolidaysIgnore {
			if rule == schedule.HolidaysSkip {
				continue
			}
			for day = day.AddDate(0, 0, 1); isHoliday(day) || day.Weekday() == time.Saturday || day.Weekday() == time.Sunday; day = day.AddDate(0, 0, 1) {
			}
		}
		at := local(day.Year(), day.Month(), day.Day(), ch.hour, 0)
		if inRecess(day) || paused(day, at) || slices.ContainsFunc(ch.skips, at.Equal) {
			continue
		}
		if len(out) > 0 && at.Equal(out[len(out)-1]) {
			continue // two planned runs moved to one moment are one run
		}
		out = append(out, at)
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// downtime is a span the bot was not running.
type downtime struct{ from, to time.Time }

// posted is what the walk expects to see: a run, when it is posted and
// whether late.
type posted struct {
	to   chat.Destination
	at   time.Time
	when time.Time
	late bool
}

// catchUp applies the catch-up rule to the expected runs of one channel:
// a run missed while the bot was down is posted at start-up, late, when it
// is at most 12 hours late and the latest missed; other misses are lost.
func catchUp(to chat.Destination, runs []time.Time, down []downtime) []posted {
	var out []posted
	for i, at := range runs {
		p := posted{to: to, at: at, when: at}
		for _, d := range down {
			if !at.Before(d.from) && at.Before(d.to) {
				p.when, p.late = d.to, true
				if d.to.Sub(at) > schedule.DefaultGrace || i+1 < len(runs) && runs[i+1].Before(d.to) {
					p.when = time.Time{}
				}
			}
		}
		if !p.when.IsZero() {
			out = append(out, p)
		}
	}
	return out
}

// TestWalkThroughTwoYearsOfACouncilCalendar walks a fake clock hour by
// hour through 2027 and 2028 for two channels on the calendar of a
// municipality (recesses, the public holidays with Goede Vrijdag): a
// Monday prompt whose people pause it twice, skip a run, resume a pause
// early and change the holiday rule, and a Friday afternoon prompt on the
// defaults. The bot is restarted every sixth post and is down four times.
// Every post is compared with the list computed above; every post is
// made once; the rotation moves one value per post and not in a recess.
func TestWalkThroughTwoYearsOfACouncilCalendar(t *testing.T) {
	if testing.Short() {
		t.Skip("17,544 hours: run without -short")
	}
	begin := local(2026, 12, 31, 12, 0)
	clock := testkit.NewClock(begin)
	poster := &fakePoster{now: clock.Now}
	path := filepath.Join(t.TempDir(), "w.db")
	opt := withCalendar(t, true, voorbeeldRecesses...)
	h := newHarness(t, path, clock, poster, opt)

	maandag := walkChannel{to: fractie, spec: "0 9 * * 1", weekday: time.Monday, hour: 9,
		rules: []ruleChange{
			{local(2028, 5, 1, 10, 0), schedule.HolidaysSkip},
			{local(2028, 7, 1, 10, 0), schedule.HolidaysNextWorkingDay},
		},
		pauses: []pauseSpan{
			{set: local(2027, 9, 1, 10, 0), from: date(2027, 9, 13), to: date(2027, 9, 26)},
			{set: local(2028, 2, 1, 10, 0), from: date(2028, 2, 1), to: date(2028, 2, 14)},
			{set: local(2028, 9, 1, 10, 0), lifted: local(2028, 9, 12, 10, 0), from: date(2028, 9, 4), to: date(2028, 9, 30)},
		},
		skips: []time.Time{local(2027, 11, 8, 9, 0)},
	}
	vrijdag := walkChannel{to: chat.Destination{Platform: "console", Channel: "griffie"}, spec: "0 16 * * 5", weekday: time.Friday, hour: 16}
	down := []downtime{
		{local(2027, 5, 17, 7, 0), local(2027, 5, 18, 15, 0)},  // Tweede Pinksterdag's run, moved to Tuesday 09:00: caught up at 15:00
		{local(2027, 7, 9, 18, 0), local(2027, 7, 12, 10, 0)},  // the zomerreces begins: nothing to catch up
		{local(2027, 12, 5, 12, 0), local(2027, 12, 6, 22, 0)}, // Monday's run 13 hours late: lost
		{local(2028, 6, 4, 20, 0), local(2028, 6, 5, 12, 0)},   // Tweede Pinksterdag, skipped by the rule: nothing to catch up
	}

	type event struct {
		at time.Time
		do func()
	}
	events := []event{
		{begin, func() {
			for _, ch := range []walkChannel{maandag, vrijdag} {
				cs, err := schedule.ParseSpec(ch.spec, ams, clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := h.s.TurnOn(ctx, ch.to, "griffier", cs); err != nil {
					t.Fatal(err)
				}
			}
		}},
	}
	for _, r := range maandag.rules {
		events = append(events, event{r.at, func() {
			if _, err := h.s.SetHolidays(ctx, fractie, "griffier", r.rule); err != nil {
				t.Fatal(err)
			}
		}})
	}
	for _, p := range maandag.pauses {
		from := p.from
		if from == calendar.DateOf(p.set) {
			from = calendar.Date{} // "/reflectie pauze tot …": from today
		}
		events = append(events, event{p.set, func() {
			if _, _, err := h.s.Pause(ctx, fractie, "griffier", schedule.Period{From: from, To: p.to}); err != nil {
				t.Fatal(err)
			}
		}})
		if !p.lifted.IsZero() {
			events = append(events, event{p.lifted, func() {
				if _, _, err := h.s.Resume(ctx, fractie, "griffier"); err != nil {
					t.Fatal(err)
				}
			}})
		}
	}
	events = append(events, event{local(2027, 11, 2, 10, 0), func() {
		if _, at, _, err := h.s.SkipNext(ctx, fractie, "griffier"); err != nil || !at.Equal(maandag.skips[0]) {
			t.Fatalf("SkipNext skipped %s, %v; want %s", at, err, maandag.skips[0])
		}
	}})
	// What /reflectie status shows in the zomerreces and before Easter.
	events = append(events, event{local(2027, 7, 20, 10, 0), func() {
		st, err := h.s.Reflection(ctx, fractie, 3)
		if err != nil || len(st.Next) != 4 || st.Next[0].Why.Name != "zomerreces" || st.Next[0].Why.To != date(2027, 8, 29) ||
			!st.Next[1].At.Equal(local(2027, 8, 30, 9, 0)) {
			t.Errorf("status in the zomerreces: %+v, %v", st.Next, err)
		}
	}}, event{local(2027, 3, 20, 10, 0), func() {
		st, err := h.s.Reflection(ctx, vrijdag.to, 2)
		if err != nil || len(st.Next) != 2 || !st.Next[0].Planned.Equal(local(2027, 3, 26, 16, 0)) ||
			!st.Next[0].At.Equal(local(2027, 3, 30, 16, 0)) || st.Next[0].Why.Name != "Goede Vrijdag" {
			t.Errorf("status before Goede Vrijdag: %+v, %v", st.Next, err)
		}
	}})
	up := true
	for _, d := range down {
		events = append(events, event{d.from, func() { h.closer(); up = false }})
		events = append(events, event{d.to, func() {
			h = newHarness(t, path, clock, poster, opt)
			h.restore()
			up = true
		}})
	}
	slices.SortStableFunc(events, func(a, b event) int { return a.at.Compare(b.at) })

	end := local(2029, 1, 1, 0, 0)
	h.restore()
	for tm := begin; tm.Before(end); tm = tm.Add(time.Hour) {
		clock.Set(tm)
		for len(events) > 0 && !events[0].at.After(tm) {
			events[0].do()
			events = events[1:]
		}
		if !up {
			continue
		}
		n := poster.count()
		h.s.RunDue(ctx)
		if m := poster.count(); m > n && m/6 > n/6 {
			h = h.restart()
		}
	}

	var want []posted
	want = append(want, catchUp(maandag.to, maandag.expected(), down)...)
	want = append(want, catchUp(vrijdag.to, vrijdag.expected(), down)...)
	slices.SortStableFunc(want, func(a, b posted) int { return a.when.Compare(b.when) })
	poster.mu.Lock()
	defer poster.mu.Unlock()
	var got []posted
	for i, c := range poster.posts {
		got = append(got, posted{to: c.Schedule.To, at: c.At, when: poster.times[i], late: c.Late})
	}
	show := func(ps []posted) string {
		var sb strings.Builder
		for _, p := range ps {
			fmt.Fprintf(&sb, "  %s %s posted %s late=%t\n", p.to.Channel, p.at.Format("Mon 2006-01-02 15:04"), p.when.Format("01-02 15:04"), p.late)
		}
		return sb.String()
	}
	same := func(a, b posted) bool {
		return a.to == b.to && a.at.Equal(b.at) && a.when.Equal(b.when) && a.late == b.late
	}
	if !slices.EqualFunc(got, want, same) {
		t.Errorf("posted %d runs, want %d\ngot:\n%swant:\n%s", len(got), len(want), show(got), show(want))
	}
	if len(want) < 120 {
		t.Errorf("only %d runs expected in two years: the walk tests too little", len(want))
	}
	// The rotation takes one value per post, also across recesses.
	pos := map[string]int{}
	for _, c := range poster.posts {
		ch := c.Schedule.To.Channel
		if want := pos[ch]%30 + 1; c.Schedule.Turn.Pos != want {
			t.Errorf("%s %s: rotation at %d, want %d", ch, c.At, c.Schedule.Turn.Pos, want)
		}
		pos[ch]++
	}
}
