package schedule_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store"
)

func TestReflectionPostedAtItsTimeExactlyOnce(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0)) // a Monday, after 09:00
	h.turnOn("")
	h.restore()
	h.at(local(2026, 11, 30, 8, 59))
	if n := h.poster.count(); n != 0 {
		t.Fatalf("%d posts before the time", n)
	}
	h.at(local(2026, 11, 30, 9, 0))
	h.at(local(2026, 11, 30, 9, 0))
	h.at(local(2026, 11, 30, 9, 5))
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts on Monday 30 November, want 1", n)
	}
	p := h.poster.last()
	if p.Schedule.To != fractie || p.Late || !p.At.Equal(local(2026, 11, 30, 9, 0)) {
		t.Errorf("posted %+v, want the run of Monday 09:00 in console/fractie, on time", p)
	}
	if v := p.Schedule.Turn.Current(book); v == nil || p.Schedule.Turn.Pos != 1 {
		t.Errorf("the claim should have taken the first value of the rotation: %+v", p.Schedule.Turn)
	}
	if next := h.s.RunDue(ctx); !next.Equal(local(2026, 12, 7, 9, 0)) {
		t.Errorf("next run %s, want Monday 7 December 09:00", next)
	}
}

func TestWeeklyPromptStaysAtNineLocalAcrossDST(t *testing.T) {
	h := start(t, local(2026, 3, 16, 10, 0))
	h.turnOn("0 9 * * 3")
	h.restore()
	var got []time.Time
	for range 3 {
		next := h.s.RunDue(ctx)
		got = append(got, next)
		h.at(next)
	}
	want := []time.Time{local(2026, 3, 18, 9, 0), local(2026, 3, 25, 9, 0), local(2026, 4, 1, 9, 0)}
	for i := range want {
		if !got[i].Equal(want[i]) || got[i].In(ams).Hour() != 9 {
			t.Errorf("run %d at %s, want %s", i, got[i].In(ams), want[i])
		}
	}
	if n := h.poster.count(); n != 3 {
		t.Errorf("%d posts, want 3", n)
	}
}

func TestDailyJobAtHalfPastTwoPostsOnceOnSpringForwardDay(t *testing.T) {
	h := start(t, local(2026, 3, 28, 12, 0))
	h.turnOn("30 2 * * *")
	h.restore()
	for tm := local(2026, 3, 28, 12, 0); tm.Before(local(2026, 3, 29, 23, 0)); tm = tm.Add(10 * time.Minute) {
		h.at(tm)
	}
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts on 29 March, want 1", n)
	}
	if next := h.s.RunDue(ctx); !next.Equal(local(2026, 3, 30, 2, 30)) {
		t.Errorf("next run %s, want 30 March 02:30", next.In(ams))
	}
}

func TestDailyJobAtHalfPastTwoPostsOnceOnFallBackDay(t *testing.T) {
	h := start(t, local(2026, 10, 24, 12, 0))
	h.turnOn("30 2 * * *")
	h.restore()
	for tm := local(2026, 10, 24, 12, 0); tm.Before(local(2026, 10, 25, 23, 0)); tm = tm.Add(10 * time.Minute) {
		h.at(tm)
	}
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts on 25 October, want 1", n)
	}
}

func TestMissedPromptPostedOnceWithinGrace(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.turnOn("")
	h.restore()
	h.closer() // the bot goes down before Monday 09:00 ...
	h.clock.Set(local(2026, 11, 30, 20, 0))
	h = h.restart() // ... and comes back 11 hours late
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts after a restart within the grace period, want 1", n)
	}
	if p := h.poster.last(); !p.Late || !p.At.Equal(local(2026, 11, 30, 9, 0)) {
		t.Errorf("a late prompt should be marked late with the time it was due: %+v", p)
	}
	h.clock.Set(local(2026, 11, 30, 20, 30))
	h = h.restart()
	h.at(local(2026, 11, 30, 21, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts after a second restart, want still 1", n)
	}
}

func TestMissedPromptOlderThanGraceSkipped(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.turnOn("")
	h.closer()
	h.clock.Set(local(2026, 11, 30, 21, 1)) // 12h01m late
	h = h.restart()
	if n := h.poster.count(); n != 0 {
		t.Fatalf("%d posts for a run missed longer than the grace period, want 0", n)
	}
	if next := h.s.RunDue(ctx); !next.Equal(local(2026, 12, 7, 9, 0)) {
		t.Errorf("next run %s, want 7 December 09:00", next.In(ams))
	}
}

func TestMissedRunsOnlyTheLatestWithinGraceIsPosted(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.turnOn("0 9,15 * * *")
	h.closer()
	h.clock.Set(local(2026, 11, 26, 16, 0)) // missed six runs, two within 12 hours
	h = h.restart()
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts, want only the latest missed run", n)
	}
	if p := h.poster.last(); !p.Late || !p.At.Equal(local(2026, 11, 26, 15, 0)) {
		t.Errorf("posted %+v, want the run of 15:00 that day, late", p)
	}
}

func TestGraceIsConfigurable(t *testing.T) {
	tests := []struct {
		name  string
		grace time.Duration
		late  time.Duration
		posts int
	}{
		{"one hour late with one hour grace", time.Hour, time.Hour, 1},
		{"two hours late with one hour grace", time.Hour, 2 * time.Hour, 0},
		{"a minute late when catch-up is off", -1, time.Minute, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.db")
			clock := testkit.NewClock(local(2026, 11, 23, 10, 0))
			h := newHarness(t, path, clock, &fakePoster{})
			h.turnOn("")
			h.closer()
			clock.Set(local(2026, 11, 30, 9, 0).Add(tc.late))
			h = newHarness(t, path, clock, h.poster, func(c *schedule.Config) { c.Grace = tc.grace })
			h.restore()
			if n := h.poster.count(); n != tc.posts {
				t.Errorf("%d posts, want %d", n, tc.posts)
			}
		})
	}
}

func TestRestartRightAfterPostDoesNotPostAgain(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.turnOn("")
	h.restore()
	h.at(local(2026, 11, 30, 9, 0))
	h = h.restart()
	h.at(local(2026, 11, 30, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts after a restart right after posting, want 1", n)
	}
}

// crashingStore loses FinishRun, as a bot that stops between posting and
// recording the post would.
type crashingStore struct {
	schedule.Store
}

func (crashingStore) FinishRun(context.Context, string, time.Time, schedule.RunState) error {
	return errors.New("killed")
}

func TestRestartBetweenPostAndRecordDoesNotPostAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	clock := testkit.NewClock(local(2026, 11, 23, 10, 0))
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, path, crashingStore{st}, st.Close, clock, &fakePoster{})
	h.turnOn("")
	h.restore()
	h.at(local(2026, 11, 30, 9, 0)) // posted; the run stays "claimed"
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts, want 1", n)
	}
	h = h.restart()
	h.at(local(2026, 11, 30, 9, 1))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts after restarting with an unconfirmed run, want 1", n)
	}
	runs, err := h.st.Runs(ctx, schedule.RunUnconfirmed)
	if err != nil || len(runs) != 1 || !runs[0].At.Equal(local(2026, 11, 30, 9, 0)) {
		t.Errorf("unconfirmed runs = %v, %v; want the 09:00 run", runs, err)
	}
}

func TestFailedPostIsNotRetriedAndTheValueComesNextTime(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.turnOn("")
	h.restore()
	h.poster.fail = errors.New("platform down")
	h.at(local(2026, 11, 30, 9, 0))
	h.poster.fail = nil
	h.at(local(2026, 11, 30, 9, 30))
	if n := h.poster.count(); n != 0 {
		t.Fatalf("%d posts after a failed post, want 0 (never retried)", n)
	}
	runs, err := h.st.Runs(ctx, schedule.RunFailed)
	if err != nil || len(runs) != 1 {
		t.Errorf("failed runs = %v, %v; want 1", runs, err)
	}
	h.at(local(2026, 12, 7, 9, 0))
	if pos := h.poster.last().Schedule.Turn.Pos; pos != 1 {
		t.Errorf("the value of the failed post should come next, got position %d", pos)
	}
}

// as a user typing in the console while the bot starts would.
