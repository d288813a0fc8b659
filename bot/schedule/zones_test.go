package schedule_test

import (
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
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

// TestReflectionRunsOnTheWallClockInEveryZone turns a schedule on around
// real transitions of the tz database and checks the next run TurnOn
// gives, the next three runs of the status, and the instants the scheduler
// claims and posts: a skipped time at the jump, a repeated time once at
// its first occurrence.
func TestReflectionRunsOnTheWallClockInEveryZone(t *testing.T) {
	tests := []struct {
		name, zone, spec, now string
		want                  [3]string
	}{
		{"Amsterdam daily 02:30 on the spring-forward day", "Europe/Amsterdam", "30 2 * * *", "2026-03-28 12:00 +0100",
			[3]string{"2026-03-29 03:00 +0200", "2026-03-30 02:30 +0200", "2026-03-31 02:30 +0200"}},
		{"Amsterdam daily 02:30 on the fall-back day", "Europe/Amsterdam", "30 2 * * *", "2026-10-24 12:00 +0200",
			[3]string{"2026-10-25 02:30 +0200", "2026-10-26 02:30 +0100", "2026-10-27 02:30 +0100"}},
		{"Amsterdam 02:00 and 03:00 run once at the jump that takes both", "Europe/Amsterdam", "0 2,3 * * *", "2026-03-28 12:00 +0100",
			[3]string{"2026-03-29 03:00 +0200", "2026-03-30 02:00 +0200", "2026-03-30 03:00 +0200"}},
		{"London weekly Sunday 01:30 when BST starts", "Europe/London", "30 1 * * 0", "2026-03-25 12:00 +0000",
			[3]string{"2026-03-29 02:00 +0100", "2026-04-05 01:30 +0100", "2026-04-12 01:30 +0100"}},
		{"London weekly Sunday 01:30 when BST ends", "Europe/London", "30 1 * * 0", "2026-10-21 12:00 +0100",
			[3]string{"2026-10-25 01:30 +0100", "2026-11-01 01:30 +0000", "2026-11-08 01:30 +0000"}},
		{"New York daily 02:30 on the spring-forward day", "America/New_York", "30 2 * * *", "2026-03-07 12:00 -0500",
			[3]string{"2026-03-08 03:00 -0400", "2026-03-09 02:30 -0400", "2026-03-10 02:30 -0400"}},
		{"New York weekly Sunday 01:30 on the fall-back day", "America/New_York", "30 1 * * 0", "2026-10-28 12:00 -0400",
			[3]string{"2026-11-01 01:30 -0400", "2026-11-08 01:30 -0500", "2026-11-15 01:30 -0500"}},
		{"Santiago monthly midnight on the 6th, skipped in September", "America/Santiago", "0 0 6 * *", "2026-08-10 12:00 -0400",
			[3]string{"2026-09-06 01:00 -0300", "2026-10-06 00:00 -0300", "2026-11-06 00:00 -0300"}},
		{"Santiago daily 23:30 on the fall-back evening", "America/Santiago", "30 23 * * *", "2026-04-03 12:00 -0300",
			[3]string{"2026-04-03 23:30 -0300", "2026-04-04 23:30 -0300", "2026-04-05 23:30 -0400"}},
		{"Sao Paulo yearly midnight 4 November, skipped in 2018", "America/Sao_Paulo", "0 0 4 11 *", "2017-12-01 12:00 -0200",
			[3]string{"2018-11-04 01:00 -0200", "2019-11-04 00:00 -0300", "2020-11-04 00:00 -0300"}},
		{"Sydney daily 02:30 on the spring-forward day", "Australia/Sydney", "30 2 * * *", "2026-10-03 12:00 +1000",
			[3]string{"2026-10-04 03:00 +1100", "2026-10-05 02:30 +1100", "2026-10-06 02:30 +1100"}},
		{"Sydney daily 02:30 on the fall-back day", "Australia/Sydney", "30 2 * * *", "2026-04-04 12:00 +1100",
			[3]string{"2026-04-05 02:30 +1100", "2026-04-06 02:30 +1000", "2026-04-07 02:30 +1000"}},
		{"Lord Howe daily 01:45 when half an hour repeats", "Australia/Lord_Howe", "45 1 * * *", "2026-04-04 12:00 +1100",
			[3]string{"2026-04-05 01:45 +1100", "2026-04-06 01:45 +1030", "2026-04-07 01:45 +1030"}},
		{"Lord Howe daily 02:15 when half an hour is skipped", "Australia/Lord_Howe", "15 2 * * *", "2026-10-03 12:00 +1030",
			[3]string{"2026-10-04 02:30 +1100", "2026-10-05 02:15 +1100", "2026-10-06 02:15 +1100"}},
		{"Chatham weekly Sunday 03:00 when 02:45-03:45 is skipped", "Pacific/Chatham", "0 3 * * 0", "2026-09-24 12:00 +1245",
			[3]string{"2026-09-27 03:45 +1345", "2026-10-04 03:00 +1345", "2026-10-11 03:00 +1345"}},
		{"Chatham weekly Sunday 03:00 when 02:45-03:45 repeats", "Pacific/Chatham", "0 3 * * 0", "2026-04-01 12:00 +1345",
			[3]string{"2026-04-05 03:00 +1345", "2026-04-12 03:00 +1245", "2026-04-19 03:00 +1245"}},
		{"Kolkata monthly 02:30 without DST", "Asia/Kolkata", "30 2 1 * *", "2026-03-15 12:00 +0530",
			[3]string{"2026-04-01 02:30 +0530", "2026-05-01 02:30 +0530", "2026-06-01 02:30 +0530"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, instant(t, tc.now))
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := schedule.ParseSpec(tc.spec, loc, h.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			// Dutch holidays are not what these zones are about.
			if _, err := h.s.SetHolidays(ctx, fractie, "griffier", schedule.HolidaysIgnore); err != nil {
				t.Fatal(err)
			}
			_, next, err := h.s.TurnOn(ctx, fractie, "griffier", spec)
			if first := instant(t, tc.want[0]); err != nil || !next.Equal(first) {
				t.Errorf("TurnOn gives the first run %s, %v; want %s", next, err, first)
			}
			status, err := h.s.Reflection(ctx, fractie, 3)
			if err != nil || len(status.Next) != len(tc.want) || status.Spec.Location().String() != tc.zone {
				t.Fatalf("status %+v, %v; want %d runs in %s", status, err, len(tc.want), loc)
			}
			for i, w := range tc.want {
				if want := instant(t, w); !status.Next[i].At.Equal(want) {
					t.Errorf("status run %d at %s, want %s", i, status.Next[i].At.In(loc), want)
				}
			}
			h.restore()
			for i, w := range tc.want {
				at := instant(t, w)
				if next := h.s.RunDue(ctx); !next.Equal(at) {
					t.Fatalf("run %d due at %s, want %s", i, next.UTC(), at.UTC())
				}
				h.at(at.Add(-time.Second))
				if n := h.poster.count(); n != i {
					t.Fatalf("%d posts a second before run %d, want %d", n, i, i)
				}
				h.at(at)
				if n := h.poster.count(); n != i+1 {
					t.Fatalf("%d posts at run %d, want %d", n, i, i+1)
				}
			}
			runs, err := h.st.Runs(ctx, schedule.RunPosted)
			if err != nil || len(runs) != len(tc.want) {
				t.Fatalf("posted runs %v, %v; want %d", runs, err, len(tc.want))
			}
			for i, r := range runs {
				if want := instant(t, tc.want[i]); !r.At.Equal(want) {
					t.Errorf("claimed run %d at %s, want %s", i, r.At.UTC(), want.UTC())
				}
			}
		})
	}
}
