package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot"
)

// instant reads "2006-01-02 15:04 -0700": a wall time with the offset the
// zone has then, so one string says both what the clock shows and when.
func instant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04 -0700", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var (
	dutchDays   = []string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	dutchMonths = []string{"", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
)

// dutchWhen writes the wall time of s ("2006-01-02 15:04 -0700") as the
// bot does: "zondag 8 maart 2026 om 03:00".
func dutchWhen(t testing.TB, s string) string {
	v := instant(t, s) // read in its own offset, so its fields are the wall time
	return fmt.Sprintf("%s %d %s %d om %s", dutchDays[v.Weekday()], v.Day(), dutchMonths[v.Month()], v.Year(), v.Format("15:04"))
}

// TestReflectieShowsRunsOnTheWallClock: /reflectie aan and /reflectie
// status name the runs in the wall time of the schedule's zone, also when
// a change of offset skips or repeats the time (package schedule tests
// the instants in many more zones).
func TestReflectieShowsRunsOnTheWallClock(t *testing.T) {
	tests := []struct {
		name, zone, spec, now string
		want                  [3]string
	}{
		{"Amsterdam daily 02:30 on the spring-forward day", "Europe/Amsterdam", "30 2 * * *", "2026-03-28 12:00 +0100",
			[3]string{"2026-03-29 03:00 +0200", "2026-03-30 02:30 +0200", "2026-03-31 02:30 +0200"}},
		{"New York weekly Sunday 01:30 on the fall-back day", "America/New_York", "30 1 * * 0", "2026-10-28 12:00 -0400",
			[3]string{"2026-11-01 01:30 -0400", "2026-11-08 01:30 -0500", "2026-11-15 01:30 -0500"}},
		{"Santiago monthly midnight on the 6th, skipped in September", "America/Santiago", "0 0 6 * *", "2026-08-10 12:00 -0400",
			[3]string{"2026-09-06 01:00 -0300", "2026-10-06 00:00 -0300", "2026-11-06 00:00 -0300"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, instant(t, tc.now))
			on := h.must("/reflectie aan " + tc.spec + " tz=" + tc.zone)
			if first := dutchWhen(t, tc.want[0]); !strings.Contains(on.Text, first) {
				t.Errorf("/reflectie aan should name the first run, %s:\n%s", first, on.Text)
			}
			status := h.do("/reflectie status").Text
			for _, w := range tc.want {
				if line := "- " + dutchWhen(t, w) + "\n"; !strings.Contains(status+"\n", line) {
					t.Errorf("status lacks %q:\n%s", strings.TrimSpace(line), status)
				}
			}
		})
	}
}

func inZone(name string) option {
	return func(c *bot.Config) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err)
		}
		c.Location = loc
	}
}

// TestDebateOnASkippedMidnightIsPlanned: in America/Santiago the clock
// jumps from 00:00 to 01:00 on 6 September 2026; that day exists all the
// same, and a debate at 00:30 is at the jump.
func TestDebateOnASkippedMidnightIsPlanned(t *testing.T) {
	tests := []struct {
		name, text, reply, prep string
	}{
		{"a day without time", "/debat 2026-09-06 Zonder tijd", "zondag 6 september 2026", "2026-09-03 09:00 -0400"},
		{"a Dutch date without time", "/debat 6-9-2026 Zonder tijd", "zondag 6 september 2026", "2026-09-03 09:00 -0400"},
		{"a time in the skipped hour", "/debat 2026-09-06 00:30 In het gat", "zondag 6 september 2026 om 01:00", "2026-09-03 09:00 -0400"},
		// The skipped day is a Sunday: the prep card moves to the Friday
		// before, before the jump.
		{"prep on the skipped day", "/debat 2026-09-07 19:00 Dag erna voorbereiding=1d", "maandag 7 september 2026 om 19:00", "2026-09-04 09:00 -0400"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := testkit.NewClock(instant(t, "2026-08-20 12:00 -0400"))
			h := newHarness(t, filepath.Join(t.TempDir(), "w.db"), clock, &fakePoster{}, inZone("America/Santiago"))
			h.restore()
			r := h.must(tc.text)
			if !strings.Contains(r.Text, tc.reply) {
				t.Errorf("reply lacks %q:\n%s", tc.reply, r.Text)
			}
			if next, want := h.b.Scheduler().RunDue(context.Background()), instant(t, tc.prep); !next.Equal(want) {
				t.Errorf("prep due at %s, want %s", next.UTC(), want.UTC())
			}
		})
	}
}

// TestDebateWithoutTimeLastsItsWholeLocalDay: 4 April 2026 has 25 hours in
// America/Santiago; its last hour still belongs to the debate day.
func TestDebateWithoutTimeLastsItsWholeLocalDay(t *testing.T) {
	clock := testkit.NewClock(instant(t, "2026-03-20 12:00 -0300"))
	h := newHarness(t, filepath.Join(t.TempDir(), "w.db"), clock, &fakePoster{}, inZone("America/Santiago"))
	h.must("/debat 2026-04-04 Lange dag")
	clock.Set(instant(t, "2026-04-04 23:30 -0400")) // the second 23:30 that evening
	if l := h.do("/debat lijst"); !strings.Contains(l.Text, "Lange dag") {
		t.Errorf("the debate day is not over yet:\n%s", l.Text)
	}
	clock.Set(instant(t, "2026-04-05 00:00 -0400"))
	if l := h.do("/debat lijst"); strings.Contains(l.Text, "Lange dag") {
		t.Errorf("the debate day is over:\n%s", l.Text)
	}
}

// TestDeadlineIsPlacedOnTheWallClock: tot= is read on the wall clock of the
// bot's zone; a time in a gap closes at the jump, a repeated time at its
// first occurrence, a date alone at 23:59 that day.
func TestDeadlineIsPlacedOnTheWallClock(t *testing.T) {
	tests := []struct {
		name, zone, now, tot, want string
	}{
		{"New York, in the spring-forward gap", "America/New_York", "2026-03-01 12:00 -0500", "2026-03-08 02:30", "2026-03-08 03:00 -0400"},
		{"New York, date alone on the spring-forward day", "America/New_York", "2026-03-01 12:00 -0500", "8-3-2026", "2026-03-08 23:59 -0400"},
		{"New York, repeated hour", "America/New_York", "2026-10-25 12:00 -0400", "2026-11-01 01:30", "2026-11-01 01:30 -0400"},
		{"Lord Howe, repeated half hour", "Australia/Lord_Howe", "2026-04-01 12:00 +1100", "2026-04-05 01:45", "2026-04-05 01:45 +1100"},
		{"Santiago, in the skipped midnight hour", "America/Santiago", "2026-09-01 12:00 -0400", "2026-09-06 00:15", "2026-09-06 01:00 -0300"},
		{"Santiago, date alone on the day midnight is skipped", "America/Santiago", "2026-09-01 12:00 -0400", "2026-09-06", "2026-09-06 23:59 -0300"},
		{"Amsterdam, date alone on the fall-back day", "Europe/Amsterdam", "2026-10-20 12:00 +0200", "2026-10-25", "2026-10-25 23:59 +0100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cfg bot.Config
			inZone(tc.zone)(&cfg)
			f := newFixture(t, cfg)
			f.clock.Set(instant(t, tc.now))
			v := f.mustPoll("u1", "c1", "/casus tot="+tc.tot+" Tekst | privacy, gelijkheid")
			if want := instant(t, tc.want); !v.ClosesAt.Equal(want) {
				t.Errorf("closes at %s, want %s", v.ClosesAt.Format("2006-01-02 15:04 -0700"), tc.want)
			}
		})
	}
}
