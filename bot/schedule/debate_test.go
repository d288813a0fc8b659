package schedule_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/schedule"
)

// plan plans a debate prep in #fractie, as /debat does.
func (h *harness) plan(d schedule.Debate) schedule.Schedule {
	h.t.Helper()
	sc, err := h.s.PlanDebate(ctx, fractie, "griffier", d)
	if err != nil {
		h.t.Fatalf("PlanDebate(%+v): %v", d, err)
	}
	return sc
}

func debate(topic string, at time.Time, hasTime bool, days int) schedule.Debate {
	return schedule.Debate{Topic: topic, At: at, HasTime: hasTime, PrepDays: days}
}

func TestDebatePrepPostedOnceAtThePrepMoment(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	sc := h.plan(debate("Camera's in de binnenstad", local(2026, 12, 10, 19, 30), true, schedule.DefaultPrepDays))
	if sc.Number != 1 || sc.State != schedule.PrepPlanned || !sc.PrepAt.Equal(local(2026, 12, 7, 9, 0)) {
		t.Errorf("planned %+v, want number 1, planned for Monday 7 December 09:00", sc)
	}
	h.at(local(2026, 12, 7, 8, 59))
	h = h.restart()
	h.at(local(2026, 12, 7, 9, 0))
	h.at(local(2026, 12, 7, 9, 1))
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d prep cards, want 1", n)
	}
	if p := h.poster.last(); p.Schedule.Topic != "Camera's in de binnenstad" || p.Schedule.State != schedule.PrepPosted || p.Late {
		t.Errorf("posted %+v, want the debate's card on time", p)
	}
	ds, err := h.s.ComingDebates(ctx, fractie)
	if err != nil || len(ds) != 1 || ds[0].State != schedule.PrepPosted {
		t.Errorf("coming debates %+v, %v; want the prep as posted", ds, err)
	}
}

func TestDebatePrepDaysChangeThePrepMoment(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	h.plan(debate("Algoritmen", local(2026, 12, 10, 0, 0), false, 7))
	if next := h.s.RunDue(ctx); !next.Equal(local(2026, 12, 3, 9, 0)) {
		t.Errorf("prep at %s, want 3 December 09:00", next.In(ams))
	}
}

func TestCancelledDebateIsNotPosted(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	h.plan(debate("Datalekken", local(2026, 12, 10, 0, 0), false, 3))
	if sc, err := h.s.CancelDebate(ctx, fractie, "griffier", 1); err != nil || sc.State != schedule.PrepCancelled {
		t.Fatalf("cancel: %+v, %v", sc, err)
	}
	var notPlanned *schedule.NotPlannedError
	if _, err := h.s.CancelDebate(ctx, fractie, "griffier", 1); !errors.As(err, &notPlanned) || notPlanned.State != schedule.PrepCancelled {
		t.Errorf("cancelling twice: %v, want NotPlannedError(geannuleerd)", err)
	}
	h.plan(debate("Iets anders", local(2026, 12, 11, 0, 0), false, 3))
	elders := chat.Destination{Platform: "console", Channel: "elders"}
	if _, err := h.s.CancelDebate(ctx, elders, "griffier", 2); !errors.Is(err, schedule.ErrUnknownDebate) {
		t.Errorf("cancelling another channel's debate: %v, want ErrUnknownDebate", err)
	}
	if _, err := h.s.CancelDebate(ctx, fractie, "griffier", 99); !errors.Is(err, schedule.ErrUnknownDebate) {
		t.Errorf("cancelling a debate that does not exist: %v, want ErrUnknownDebate", err)
	}
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d posts for a cancelled debate, want 0", n)
	}
	if ds, err := h.s.ComingDebates(ctx, fractie); err != nil || len(ds) != 1 || ds[0].Number != 2 {
		t.Errorf("coming debates %+v, %v; want only number 2", ds, err)
	}
}

func TestDebateWithPrepMomentPassedIsDueAtOnce(t *testing.T) {
	h := start(t, local(2026, 12, 9, 10, 0))
	h.restore()
	sc := h.plan(debate("Privacy in de wijk", local(2026, 12, 10, 19, 30), true, 3))
	if sc.State != schedule.PrepPosted || !sc.Last.Equal(local(2026, 12, 9, 10, 0)) {
		t.Errorf("planned %+v, want stored as posted now, for the reply to carry the card", sc)
	}
	if n := h.s.Len(); n != 0 {
		t.Errorf("%d runs queued, want none", n)
	}
	h.at(local(2026, 12, 10, 19, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d scheduled posts for a prep already given, want 0", n)
	}
}

func TestPlanDebateRefusals(t *testing.T) {
	tests := []struct {
		name string
		d    schedule.Debate
		want error
	}{
		{"a day in the past", debate("x", local(2026, 11, 20, 0, 0), false, 3), schedule.ErrDebatePast},
		{"a time today already past", debate("x", local(2026, 11, 23, 9, 0), true, 3), schedule.ErrDebatePast},
		{"more than two years ahead", debate("x", local(2030, 1, 1, 0, 0), false, 3), schedule.ErrDebateTooFar},
		{"prep after the debate", debate("x", local(2026, 12, 10, 8, 0), true, 0), schedule.ErrPrepAfterDebate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, local(2026, 11, 23, 10, 0))
			if _, err := h.s.PlanDebate(ctx, fractie, "griffier", tc.d); !errors.Is(err, tc.want) {
				t.Errorf("PlanDebate: %v, want %v", err, tc.want)
			}
			if all, err := h.st.Schedules(ctx, ""); err != nil || len(all) != 0 {
				t.Errorf("stored %d schedules (%v) after a refusal", len(all), err)
			}
		})
	}
}

func TestAtMostTwentyFivePlannedDebatesPerChannel(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	for i := range schedule.MaxPlanned {
		h.plan(debate(fmt.Sprint("debat ", i), local(2026, 12, 10, 0, 0), false, 3))
	}
	_, err := h.s.PlanDebate(ctx, fractie, "griffier", debate("één te veel", local(2026, 12, 10, 0, 0), false, 3))
	var tooMany *schedule.TooManyDebatesError
	if !errors.As(err, &tooMany) || tooMany.Planned != schedule.MaxPlanned {
		t.Errorf("debate 26: %v, want TooManyDebatesError(25)", err)
	}
	elders := chat.Destination{Platform: "console", Channel: "elders"}
	if _, err := h.s.PlanDebate(ctx, elders, "griffier", debate("elders", local(2026, 12, 10, 0, 0), false, 3)); err != nil {
		t.Errorf("another channel: %v", err)
	}
}

func TestMissedDebatePrepWithinGracePostedOnceAndOlderMarkedMissed(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.plan(debate("Binnen de marge", local(2026, 12, 10, 19, 30), true, 3))
	h.plan(debate("Buiten de marge", local(2026, 12, 7, 19, 30), true, 1))
	h.closer()
	h.clock.Set(local(2026, 12, 7, 12, 0)) // 3h after the first prep, 27h after the second
	h = h.restart()
	if n := h.poster.count(); n != 1 || h.poster.last().Schedule.Topic != "Binnen de marge" || !h.poster.last().Late {
		t.Fatalf("%d posts, want only the prep within the grace period, late", h.poster.count())
	}
	ds, err := h.s.ComingDebates(ctx, fractie)
	if err != nil || len(ds) != 2 || ds[0].Topic != "Buiten de marge" || ds[0].State != schedule.PrepMissed {
		t.Errorf("coming debates %+v, %v; want the other prep marked missed", ds, err)
	}
}

func TestMissedPrepOnTheDayOfADebateWithoutTimeIsStillPosted(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.plan(debate("Zonder tijd", local(2026, 12, 10, 0, 0), false, 0))
	h.closer()
	h.clock.Set(local(2026, 12, 10, 12, 0)) // prep due 09:00 that day
	h = h.restart()
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts, want the prep card: the debate has no time, so it is on all day", n)
	}
}

func TestComingDebatesLeavesOutCancelledAndBegunDebates(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.plan(debate("Later", local(2026, 12, 20, 0, 0), false, 3))
	h.plan(debate("Eerder", local(2026, 12, 1, 19, 30), true, 3))
	h.plan(debate("Geannuleerd", local(2026, 12, 5, 0, 0), false, 3))
	if _, err := h.s.CancelDebate(ctx, fractie, "griffier", 3); err != nil {
		t.Fatal(err)
	}
	ds, err := h.s.ComingDebates(ctx, fractie)
	if err != nil || len(ds) != 2 || ds[0].Topic != "Eerder" || ds[1].Topic != "Later" {
		t.Errorf("coming debates %+v, %v; want Eerder then Later", ds, err)
	}
	h.clock.Set(local(2026, 12, 1, 19, 30))
	if ds, err := h.s.ComingDebates(ctx, fractie); err != nil || len(ds) != 1 || ds[0].Topic != "Later" {
		t.Errorf("coming debates once Eerder began: %+v, %v", ds, err)
	}
}
