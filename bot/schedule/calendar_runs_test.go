package schedule_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store"
)

// TestRunsTheCalendarLeavesOutAreNeverCaughtUp: the bot is down over a
// Monday prompt and back within the grace period; a run that a recess,
// the holiday rule "overslaan", a pause or /reflectie overslaan left out
// is not posted late.
func TestRunsTheCalendarLeavesOutAreNeverCaughtUp(t *testing.T) {
	meireces := calendar.Recess{Name: "meireces", From: date(2027, 4, 24), To: date(2027, 5, 2)}
	tests := []struct {
		name   string
		monday time.Time
		setup  func(h *harness)
	}{
		{"recess", local(2027, 4, 26, 9, 0), func(*harness) {}},
		{"holiday skipped", local(2027, 3, 29, 9, 0), func(h *harness) {
			if _, err := h.s.SetHolidays(ctx, fractie, "griffier", schedule.HolidaysSkip); err != nil {
				h.t.Fatal(err)
			}
		}},
		{"pause", local(2027, 6, 7, 9, 0), func(h *harness) {
			if _, _, err := h.s.Pause(ctx, fractie, "griffier", schedule.Period{From: date(2027, 6, 7), To: date(2027, 6, 7)}); err != nil {
				h.t.Fatal(err)
			}
		}},
		{"skipped by hand", local(2027, 6, 7, 9, 0), func(h *harness) {
			if _, at, _, err := h.s.SkipNext(ctx, fractie, "griffier"); err != nil || !at.Equal(local(2027, 6, 7, 9, 0)) {
				h.t.Fatalf("SkipNext = %s, %v", at, err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := testkit.NewClock(tc.monday.AddDate(0, 0, -3))
			h := newHarness(t, filepath.Join(t.TempDir(), "w.db"), clock, &fakePoster{}, withCalendar(t, false, meireces))
			h.turnOn("0 9 * * 1")
			tc.setup(h)
			h.closer()
			clock.Set(tc.monday.Add(11 * time.Hour)) // back within the grace period
			h = h.restart()
			if n := h.poster.count(); n != 0 {
				t.Errorf("%d posts at start-up for a run the calendar left out, want 0", n)
			}
			if next := h.s.RunDue(ctx); !next.Equal(tc.monday.AddDate(0, 0, 7)) {
				t.Errorf("next run %s, want the Monday after", next)
			}
		})
	}
}

// TestMovedRunIsCaughtUpLikeAnyOther: Tweede Paasdag's run moves to
// Tuesday 09:00; the bot is down then and back at 20:00: it posts the run
// late, once, and says where it moved from.
func TestMovedRunIsCaughtUpLikeAnyOther(t *testing.T) {
	h := start(t, local(2027, 3, 25, 10, 0))
	h.turnOn("0 9 * * 1")
	h.closer()
	h.clock.Set(local(2027, 3, 30, 20, 0))
	h = h.restart()
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts at start-up, want the moved run once", n)
	}
	p := h.poster.last()
	if !p.Late || !p.At.Equal(local(2027, 3, 30, 9, 0)) || !p.Planned.Equal(local(2027, 3, 29, 9, 0)) || p.Why.Name != "Tweede Paasdag" {
		t.Errorf("posted %+v, want Tuesday 09:00 late, moved from Tweede Paasdag", p)
	}
	h = h.restart()
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts after a second restart, want still 1", n)
	}
}

// TestTwoWakeUpsRacingAtAMovedRunPostOnce: the claim of a moved run is
// keyed by the moment it moved to, like any run.
func TestTwoWakeUpsRacingAtAMovedRunPostOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(local(2027, 3, 25, 10, 0))
	poster := &fakePoster{}
	a := newHarnessOn(t, path, st, st.Close, clock, poster)
	b := newHarnessOn(t, path, st, func() error { return nil }, clock, poster)
	a.turnOn("0 9 * * 1")
	a.restore()
	b.restore()
	clock.Set(local(2027, 3, 30, 9, 0))
	var wg sync.WaitGroup
	for _, h := range []*harness{a, b, a, b} {
		wg.Go(func() { h.s.RunDue(ctx) })
	}
	wg.Wait()
	if n := poster.count(); n != 1 {
		t.Errorf("%d posts of the moved run, want 1", n)
	}
}

// TestHolidayRuleChangedAfterTheHolidaysPostDoesNotPostAgain: a prompt
// that went out on Tweede Paasdag (rule negeren) is not moved to Tuesday
// when the rule changes that afternoon.
func TestHolidayRuleChangedAfterTheHolidaysPostDoesNotPostAgain(t *testing.T) {
	h := start(t, local(2027, 3, 25, 10, 0))
	if _, err := h.s.SetHolidays(ctx, fractie, "griffier", schedule.HolidaysIgnore); err != nil {
		t.Fatal(err)
	}
	h.turnOn("0 9 * * 1")
	h.restore()
	h.at(local(2027, 3, 29, 9, 0))
	h.clock.Set(local(2027, 3, 29, 14, 0))
	if _, err := h.s.SetHolidays(ctx, fractie, "griffier", schedule.HolidaysNextWorkingDay); err != nil {
		t.Fatal(err)
	}
	for tm := local(2027, 3, 29, 14, 0); tm.Before(local(2027, 4, 5, 10, 0)); tm = tm.Add(time.Hour) {
		h.at(tm)
	}
	if n := h.poster.count(); n != 2 {
		t.Errorf("%d posts, want Monday 29 March and Monday 5 April", n)
	}
}

// TestFridayHolidayRunMovesPastSaturdaysRun: with prompts on Friday and
// Saturday, Goede Vrijdag's run moves to Tuesday (Monday is Tweede
// Paasdag), after Saturday's; and a weekday prompt's runs of Goede Vrijdag,
// Tweede Paasdag and Tuesday are one run on Tuesday.
func TestFridayHolidayRunMovesPastSaturdaysRun(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want []time.Time
	}{
		{"0 9 * * 5,6", []time.Time{local(2027, 3, 27, 9, 0), local(2027, 3, 30, 9, 0), local(2027, 4, 2, 9, 0)}},
		{"0 9 * * 1-5", []time.Time{local(2027, 3, 25, 9, 0), local(2027, 3, 30, 9, 0), local(2027, 3, 31, 9, 0)}},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			clock := testkit.NewClock(local(2027, 3, 24, 12, 0))
			h := newHarness(t, filepath.Join(t.TempDir(), "w.db"), clock, &fakePoster{}, withCalendar(t, true))
			h.turnOn(tc.spec)
			h.restore()
			var got []time.Time
			for range tc.want {
				next := h.s.RunDue(ctx)
				got = append(got, next)
				h.at(next)
			}
			for i := range tc.want {
				if !got[i].Equal(tc.want[i]) {
					t.Errorf("run %d at %s, want %s", i, got[i], tc.want[i])
				}
			}
			if n := h.poster.count(); n != len(tc.want) {
				t.Errorf("%d posts, want %d", n, len(tc.want))
			}
		})
	}
}

// TestPromptNowOnAHolidayStandsInForTheMovedRun: /reflectie nu on Tweede
// Paasdag counts as the prompt moved to Tuesday.
func TestPromptNowOnAHolidayStandsInForTheMovedRun(t *testing.T) {
	h := start(t, local(2027, 3, 25, 10, 0))
	h.turnOn("0 9 * * 1")
	h.restore()
	h.at(local(2027, 3, 29, 12, 0))
	p, err := h.s.PromptNow(ctx, fractie, "griffier")
	if err != nil || !p.Counts || !p.At.Equal(local(2027, 3, 30, 9, 0)) {
		t.Fatalf("PromptNow = %+v, %v; want it to count for Tuesday 09:00", p, err)
	}
	h.at(local(2027, 3, 30, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d scheduled posts on Tuesday, want 0", n)
	}
}

func TestPauseAndSkipRefusals(t *testing.T) {
	h := start(t, local(2027, 6, 2, 10, 0))
	if _, _, err := h.s.Pause(ctx, fractie, "griffier", schedule.Period{To: date(2027, 6, 30)}); !errors.Is(err, schedule.ErrAlreadyOff) {
		t.Errorf("pause while off: %v, want ErrAlreadyOff", err)
	}
	if _, _, _, err := h.s.SkipNext(ctx, fractie, "griffier"); !errors.Is(err, schedule.ErrAlreadyOff) {
		t.Errorf("skip while off: %v, want ErrAlreadyOff", err)
	}
	h.turnOn("0 9 * * 1")
	for _, tc := range []struct {
		name string
		p    schedule.Period
		want error
	}{
		{"ends before it starts", schedule.Period{From: date(2027, 7, 10), To: date(2027, 7, 1)}, schedule.ErrPauseOrder},
		{"over", schedule.Period{From: date(2027, 5, 1), To: date(2027, 6, 1)}, schedule.ErrPauseOver},
		{"too far", schedule.Period{To: date(2029, 6, 3)}, schedule.ErrPauseTooFar},
	} {
		if _, _, err := h.s.Pause(ctx, fractie, "griffier", tc.p); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, _, err := h.s.Resume(ctx, fractie, "griffier"); !errors.Is(err, schedule.ErrNotPaused) {
		t.Errorf("resume without a pause: %v, want ErrNotPaused", err)
	}
	var skipped []time.Time
	for range schedule.MaxSkipped {
		_, at, _, err := h.s.SkipNext(ctx, fractie, "griffier")
		if err != nil {
			t.Fatal(err)
		}
		skipped = append(skipped, at)
	}
	if !skipped[0].Equal(local(2027, 6, 7, 9, 0)) || !skipped[1].Equal(local(2027, 6, 14, 9, 0)) {
		t.Errorf("skipped %v, want the next Mondays one by one", skipped[:2])
	}
	if _, _, _, err := h.s.SkipNext(ctx, fractie, "griffier"); !errors.Is(err, schedule.ErrTooManySkips) {
		t.Errorf("skip %d: %v, want ErrTooManySkips", schedule.MaxSkipped+1, err)
	}
	sc, next, err := h.s.Resume(ctx, fractie, "griffier")
	if err != nil || sc.Calendar != nil || !next.Equal(local(2027, 6, 7, 9, 0)) {
		t.Errorf("resume: %+v, next %s, %v; want no choices left and Monday 7 June", sc.Calendar, next, err)
	}
	if _, err := h.s.SetHolidays(ctx, fractie, "griffier", "soms"); !errors.Is(err, schedule.ErrUnknownRule) {
		t.Errorf("unknown rule: %v", err)
	}
}

// TestStatusListsWhatTheCalendarLeavesOut: the next runs with, between
// them, the pause the channel is in, a holiday it skips and a run skipped
// by hand; a moved run says where from.
func TestStatusListsWhatTheCalendarLeavesOut(t *testing.T) {
	h := start(t, local(2027, 3, 1, 10, 0))
	h.turnOn("0 9 * * 1")
	if _, _, err := h.s.Pause(ctx, fractie, "griffier", schedule.Period{To: date(2027, 3, 9)}); err != nil {
		t.Fatal(err)
	}
	if _, at, _, err := h.s.SkipNext(ctx, fractie, "griffier"); err != nil || !at.Equal(local(2027, 3, 15, 9, 0)) {
		t.Fatalf("SkipNext = %s, %v", at, err)
	}
	st, err := h.s.Reflection(ctx, fractie, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []schedule.Occurrence{
		{Why: schedule.Reason{Cause: schedule.CausePause, From: date(2027, 3, 1), To: date(2027, 3, 9)}},
		{Planned: local(2027, 3, 15, 9, 0), Why: schedule.Reason{Cause: schedule.CauseSkip}},
		{Planned: local(2027, 3, 22, 9, 0), At: local(2027, 3, 22, 9, 0)},
		{Planned: local(2027, 3, 29, 9, 0), At: local(2027, 3, 30, 9, 0), Why: schedule.Reason{Cause: schedule.CauseHoliday, Name: "Tweede Paasdag"}},
		{Planned: local(2027, 4, 5, 9, 0), At: local(2027, 4, 5, 9, 0)},
	}
	if len(st.Next) != len(want) {
		t.Fatalf("status %+v, want %+v", st.Next, want)
	}
	for i, w := range want {
		if g := st.Next[i]; !g.Planned.Equal(w.Planned) || !g.At.Equal(w.At) || g.Why != w.Why {
			t.Errorf("line %d: %+v, want %+v", i, g, w)
		}
	}
	if _, err := h.s.SetHolidays(ctx, fractie, "griffier", schedule.HolidaysSkip); err != nil {
		t.Fatal(err)
	}
	st, err = h.s.Reflection(ctx, fractie, 3)
	if err != nil || len(st.Next) != 6 || !st.Next[3].At.IsZero() || st.Next[3].Why.Name != "Tweede Paasdag" {
		t.Errorf("with holidays skipped: %+v, %v; want Tweede Paasdag left out", st.Next, err)
	}
}

// TestCalendarFieldsAreLeftOutOfTheDataFileWhenUnset: the stored JSON of a
// schedule that never used the calendar is what it was before.
func TestCalendarFieldsAreLeftOutOfTheDataFileWhenUnset(t *testing.T) {
	data, err := json.Marshal(schedule.Schedule{ID: "reflectie/console//fractie", Kind: schedule.Reflection, On: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"Calendar", "PrepMoved"} {
		if strings.Contains(string(data), `"`+key+`"`) {
			t.Errorf("%s stored although unset: %s", key, data)
		}
	}
}
