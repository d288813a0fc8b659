package schedule_test

import (
	"errors"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

func TestPromptNowCountsAsThisWeeksPrompt(t *testing.T) {
	h := start(t, local(2026, 11, 25, 10, 0))
	h.turnOn("")
	h.restore()
	p, err := h.s.PromptNow(ctx, fractie, "griffier")
	if err != nil || !p.Counts || !p.At.Equal(local(2026, 11, 30, 9, 0)) || p.Loc.String() != "Europe/Amsterdam" || p.Schedule.Turn.Pos != 1 {
		t.Fatalf("PromptNow = %+v, %v; want the first value, standing in for Monday 30 November 09:00", p, err)
	}
	_, err = h.s.PromptNow(ctx, fractie, "griffier")
	var taken *schedule.PromptTakenError
	if !errors.As(err, &taken) || !errors.Is(err, schedule.ErrRunClaimed) || !taken.Next.Equal(local(2026, 12, 7, 9, 0)) {
		t.Errorf("a second PromptNow in the same week = %v, want refused with the next run, 7 December", err)
	}
	h.at(local(2026, 11, 30, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d scheduled posts in the week of PromptNow, want 0", n)
	}
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts the week after, want 1", n)
	}
	if pos := h.poster.last().Schedule.Turn.Pos; pos != 2 {
		t.Errorf("the scheduled prompt after PromptNow should be the second value, got position %d", pos)
	}
}

func TestPromptNowWithScheduleOffDoesNotCount(t *testing.T) {
	h := start(t, local(2026, 11, 25, 10, 0))
	p, err := h.s.PromptNow(ctx, fractie, "griffier")
	if err != nil || p.Counts || p.Schedule.Kind != schedule.Reflection || p.Schedule.On || p.Schedule.Turn.Pos != 1 {
		t.Fatalf("PromptNow = %+v, %v; want the first value of a schedule that stays off", p, err)
	}
	var taken *schedule.PromptTakenError
	if _, err := h.s.PromptNow(ctx, fractie, "griffier"); !errors.As(err, &taken) || !taken.Next.IsZero() {
		t.Errorf("a second PromptNow in the same minute = %v, want refused without a next run", err)
	}
	h.clock.Set(local(2026, 11, 25, 10, 1))
	if p, err := h.s.PromptNow(ctx, fractie, "griffier"); err != nil || p.Schedule.Turn.Pos != 2 {
		t.Errorf("PromptNow a minute later = %+v, %v; want the second value", p, err)
	}
}

func TestRotationSurvivesRestarts(t *testing.T) {
	h := start(t, local(2026, 1, 5, 10, 0))
	h.turnOn("")
	h.restore()
	seen := map[string]bool{}
	for week := range 30 {
		// Mondays, or the Tuesday after Tweede Paasdag and Tweede
		// Pinksterdag.
		h.at(h.s.RunDue(ctx))
		if n := h.poster.count(); n != week+1 {
			t.Fatalf("week %d: %d posts, want %d", week, n, week+1)
		}
		name := h.poster.last().Schedule.Turn.Current(book).Name
		if seen[name] {
			t.Fatalf("week %d: %s came back before every value had its turn", week, name)
		}
		seen[name] = true
		if week%7 == 3 {
			h = h.restart()
		}
	}
	if len(seen) != 30 || h.poster.count() != 30 {
		t.Errorf("%d values in %d posts, want 30 in 30", len(seen), h.poster.count())
	}
	st, err := h.s.Reflection(ctx, fractie, 3)
	if turn := st.Schedule.Turn; err != nil || turn.Round != 0 || turn.Pos != 30 || len(turn.Order) != 30 {
		t.Errorf("rotation after a full round: %+v, %v; want round 1, 30 of 30", turn, err)
	}
}

func TestTurnOffStopsPosts(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.turnOn("")
	h.restore()
	if _, err := h.s.TurnOff(ctx, fractie, "griffier"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.TurnOff(ctx, fractie, "griffier"); !errors.Is(err, schedule.ErrAlreadyOff) {
		t.Errorf("turning off twice: %v, want ErrAlreadyOff", err)
	}
	h.at(local(2026, 11, 30, 9, 0))
	h = h.restart()
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d posts after TurnOff, want 0", n)
	}
}

func TestWithoutStoreEverythingSaysErrNoStore(t *testing.T) {
	s := schedule.New(book, nil, schedule.Config{}, discard)
	cs, err := schedule.ParseSpec("", ams, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.TurnOn(ctx, fractie, "griffier", cs); !errors.Is(err, schedule.ErrNoStore) {
		t.Errorf("TurnOn without a store: %v", err)
	}
	if err := s.Restore(ctx, &fakePoster{}); !errors.Is(err, schedule.ErrNoStore) {
		t.Errorf("Restore without a store: %v", err)
	}
}
