package schedule_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/bot/schedule"
)

// TestDebatePrepMovesToTheWorkingDayBefore: a prep card that would fall on
// a weekend, a public holiday or in a recess comes at 09:00 on the working
// day before, never after the debate; around Easter (with and without
// Goede Vrijdag), Koningsdag and the edges of the zomerreces of 2027
// (Saturday 10 July to Sunday 29 August).
func TestDebatePrepMovesToTheWorkingDayBefore(t *testing.T) {
	zomer := calendar.Recess{Name: "zomerreces", From: date(2027, 7, 10), To: date(2027, 8, 29)}
	tests := []struct {
		name       string
		goodFriday bool
		debate     time.Time
		hasTime    bool
		days       int
		want       time.Time
		cause      schedule.Cause
		why        string
	}{
		{"a working day stays", false, local(2027, 3, 25, 19, 30), true, 3, local(2027, 3, 22, 9, 0), "", ""},
		{"Easter Saturday to Goede Vrijdag, a working day here", false, local(2027, 3, 30, 19, 30), true, 3, local(2027, 3, 26, 9, 0), schedule.CauseWeekend, ""},
		{"Easter Saturday to Thursday when Goede Vrijdag counts", true, local(2027, 3, 30, 19, 30), true, 3, local(2027, 3, 25, 9, 0), schedule.CauseWeekend, ""},
		{"Eerste Paasdag", false, local(2027, 3, 31, 19, 30), true, 3, local(2027, 3, 26, 9, 0), schedule.CauseHoliday, "Eerste Paasdag"},
		{"Tweede Paasdag", false, local(2027, 4, 1, 0, 0), false, 3, local(2027, 3, 26, 9, 0), schedule.CauseHoliday, "Tweede Paasdag"},
		{"Tweede Paasdag past Goede Vrijdag", true, local(2027, 3, 30, 19, 30), true, 1, local(2027, 3, 25, 9, 0), schedule.CauseHoliday, "Tweede Paasdag"},
		{"the Tuesday after Easter stays", true, local(2027, 4, 2, 19, 30), true, 3, local(2027, 3, 30, 9, 0), "", ""},
		{"Koningsdag", false, local(2027, 4, 30, 19, 30), true, 3, local(2027, 4, 26, 9, 0), schedule.CauseHoliday, "Koningsdag"},
		{"the day after Koningsdag stays", false, local(2027, 4, 30, 19, 30), true, 2, local(2027, 4, 28, 9, 0), "", ""},
		{"Koningsdag 2028 on a Thursday", false, local(2028, 4, 28, 19, 30), true, 1, local(2028, 4, 26, 9, 0), schedule.CauseHoliday, "Koningsdag"},
		{"the Friday before the recess stays", false, local(2027, 7, 12, 19, 30), true, 3, local(2027, 7, 9, 9, 0), "", ""},
		{"the first day of the recess", false, local(2027, 7, 13, 19, 30), true, 3, local(2027, 7, 9, 9, 0), schedule.CauseRecess, "zomerreces"},
		{"a debate in the recess", false, local(2027, 7, 20, 19, 30), true, 3, local(2027, 7, 9, 9, 0), schedule.CauseRecess, "zomerreces"},
		{"the last day of the recess", false, local(2027, 9, 1, 19, 30), true, 3, local(2027, 7, 9, 9, 0), schedule.CauseRecess, "zomerreces"},
		{"the first Monday after the recess stays", false, local(2027, 9, 2, 19, 30), true, 3, local(2027, 8, 30, 9, 0), "", ""},
		{"a debate on Tweede Paasdag, before 09:00, gets its card the Friday before", false, local(2027, 3, 29, 8, 0), true, 0, local(2027, 3, 26, 9, 0), schedule.CauseHoliday, "Tweede Paasdag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := testkit.NewClock(local(2027, 1, 4, 10, 0))
			h := newHarness(t, filepath.Join(t.TempDir(), "w.db"), clock, &fakePoster{}, withCalendar(t, tc.goodFriday, zomer))
			h.restore()
			sc := h.plan(debate("Cameratoezicht", tc.debate, tc.hasTime, tc.days))
			var why schedule.Reason
			if sc.PrepMoved != nil {
				why = sc.PrepMoved.Why
			}
			if !sc.PrepAt.Equal(tc.want) || why.Cause != tc.cause || why.Name != tc.why {
				t.Errorf("prep at %s (%+v), want %s (%s %s)", sc.PrepAt, why, tc.want, tc.cause, tc.why)
			}
			if !sc.PrepAt.Before(tc.debate) {
				t.Errorf("prep at %s, not before the debate (%s)", sc.PrepAt, tc.debate)
			}
			if moved := tc.cause != ""; moved != (sc.PrepMoved != nil) || moved && !sc.PrepMoved.From.After(sc.PrepAt) {
				t.Errorf("moved %+v, want it set (and later) only when moved", sc.PrepMoved)
			}
			if next := h.s.RunDue(ctx); !next.Equal(tc.want) {
				t.Errorf("queued for %s, want %s", next, tc.want)
			}
			h.at(tc.want)
			if n := h.poster.count(); n != 1 || h.poster.last().Late {
				t.Errorf("%d cards at the moved moment, want 1 on time", n)
			}
		})
	}
}

// TestDebatePrepThatCannotComeBeforeTheDebateIsRefused: a card at 09:00
// on a working day for a debate at 08:00 that day does not move, and is
// refused as before.
func TestDebatePrepThatCannotComeBeforeTheDebateIsRefused(t *testing.T) {
	h := start(t, local(2027, 1, 4, 10, 0))
	if _, err := h.s.PlanDebate(ctx, fractie, "griffier", debate("Vroeg", local(2027, 3, 30, 8, 0), true, 0)); !errors.Is(err, schedule.ErrPrepAfterDebate) {
		t.Errorf("PlanDebate = %v, want ErrPrepAfterDebate", err)
	}
}

// TestDebatePrepMovedIntoThePastComesAtOnce: on Friday 26 March 2027 at
// 10:00 a debate on Tuesday gets its card for Saturday, which moves to
// Friday 09:00, passed: the card is given at once.
func TestDebatePrepMovedIntoThePastComesAtOnce(t *testing.T) {
	h := start(t, local(2027, 3, 26, 10, 0))
	h.restore()
	sc := h.plan(debate("Datalekken", local(2027, 3, 30, 19, 30), true, 3))
	if sc.State != schedule.PrepPosted || !sc.PrepAt.Equal(local(2027, 3, 26, 9, 0)) {
		t.Errorf("planned %s %s, want posted at once for Friday 09:00", sc.State, sc.PrepAt)
	}
}

// TestDebatePrepMovesWhenTheCalendarChanges: a recess added to the
// configuration moves a planned card at the next start-up, and removing it
// moves the card back.
func TestDebatePrepMovesWhenTheCalendarChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	clock := testkit.NewClock(local(2027, 1, 4, 10, 0))
	h := newHarness(t, path, clock, &fakePoster{})
	h.restore()
	h.plan(debate("Algoritmen", local(2027, 10, 21, 19, 30), true, 3)) // Monday 18 October
	h.closer()
	herfst := calendar.Recess{Name: "herfstreces", From: date(2027, 10, 16), To: date(2027, 10, 24)}
	h = newHarness(t, path, clock, h.poster, withCalendar(t, false, herfst))
	h.restore()
	ds, err := h.s.ComingDebates(ctx, fractie)
	if err != nil || len(ds) != 1 || !ds[0].PrepAt.Equal(local(2027, 10, 15, 9, 0)) || ds[0].PrepMoved == nil ||
		ds[0].PrepMoved.Why.Name != "herfstreces" || !ds[0].PrepMoved.From.Equal(local(2027, 10, 18, 9, 0)) {
		t.Fatalf("after adding the herfstreces: %+v, %v; want the card on Friday 15 October, moved from Monday 18", ds, err)
	}
	if next := h.s.RunDue(ctx); !next.Equal(local(2027, 10, 15, 9, 0)) {
		t.Errorf("queued for %s, want Friday 15 October 09:00", next)
	}
	h.closer()
	h = newHarness(t, path, clock, h.poster)
	h.restore()
	if ds, err := h.s.ComingDebates(ctx, fractie); err != nil || !ds[0].PrepAt.Equal(local(2027, 10, 18, 9, 0)) || ds[0].PrepMoved != nil {
		t.Errorf("after removing the recess: %+v, %v; want the card back on Monday 18 October", ds, err)
	}
}
