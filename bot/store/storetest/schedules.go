package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

func testClaimTwice(t *testing.T, kit Kit) {
	ctx := context.Background()
	st, _ := kit.Open(t)
	defer st.Close()
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	calls := 0
	claim := func() error {
		_, err := st.ClaimRun(ctx, "r", at, func(sc *schedule.Schedule) error {
			calls++
			sc.Kind = schedule.Reflection
			sc.Last = at
			return nil
		})
		return err
	}
	if err := claim(); err != nil {
		t.Fatal(err)
	}
	if err := claim(); !errors.Is(err, schedule.ErrRunClaimed) {
		t.Fatalf("second claim: %v, want ErrRunClaimed", err)
	}
	if calls != 1 {
		t.Errorf("the second claim changed the schedule (%d calls)", calls)
	}
	if err := st.FinishRun(ctx, "r", at, schedule.RunPosted); err != nil {
		t.Fatal(err)
	}
	if err := claim(); !errors.Is(err, schedule.ErrRunClaimed) {
		t.Errorf("claim after the run was posted: %v, want ErrRunClaimed", err)
	}
	sc, ok, err := st.Schedule(ctx, "r")
	if err != nil || !ok || !sc.Last.Equal(at) {
		t.Errorf("schedule = %+v, %v, %v; want Last %s", sc, ok, err, at)
	}
}

func testConcurrentClaims(t *testing.T, kit Kit) {
	// Claims of one run from many goroutines (on PostgreSQL: what a
	// leader and its successor do at once) have one winner, which alone
	// moved the schedule on.
	ctx := context.Background()
	st, _ := kit.Open(t)
	defer st.Close()
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	won, refused := 0, 0
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			_, err := st.ClaimRun(ctx, "r", at, func(sc *schedule.Schedule) error {
				sc.Kind = schedule.Reflection
				sc.Version++
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, schedule.ErrRunClaimed):
				refused++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if won != 1 || refused != 15 {
		t.Errorf("%d claims won, %d refused; want 1 and 15", won, refused)
	}
	if sc, _, _ := st.Schedule(ctx, "r"); sc.Version != 1 {
		t.Errorf("schedule changed %d times, want once", sc.Version)
	}
}

func testFailedWrites(t *testing.T, kit Kit) {
	ctx := context.Background()
	st, _ := kit.Open(t)
	defer st.Close()
	boom := errors.New("refused")
	if _, err := st.UpdateSchedule(ctx, "a", func(sc *schedule.Schedule) error { sc.Topic = "half"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("update: %v", err)
	}
	at := time.Unix(1_800_000_000, 0)
	if _, err := st.ClaimRun(ctx, "a", at, func(sc *schedule.Schedule) error { sc.Topic = "half"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("claim: %v", err)
	}
	if all, err := st.Schedules(ctx, ""); err != nil || len(all) != 0 {
		t.Errorf("schedules after failed writes: %v, %v", all, err)
	}
	if _, ok, err := st.Schedule(ctx, "a"); ok || err != nil {
		t.Errorf("Schedule(a) after failed writes: %v, %v", ok, err)
	}
	if _, err := st.ClaimRun(ctx, "a", at, func(*schedule.Schedule) error { return nil }); err != nil {
		t.Errorf("a run whose claim failed could not be claimed again: %v", err)
	}
}

func testConcurrentUpdates(t *testing.T, kit Kit) {
	// Updates of one schedule, the first of which creates it, each start
	// from the one before.
	ctx := context.Background()
	st, _ := kit.Open(t)
	defer st.Close()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := st.UpdateSchedule(ctx, "debat/0000000001", func(sc *schedule.Schedule) error {
				sc.Kind = schedule.DebatePrep
				sc.Version++
				return nil
			}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if sc, ok, err := st.Schedule(ctx, "debat/0000000001"); !ok || err != nil || sc.Version != 20 || sc.ID != "debat/0000000001" {
		t.Errorf("schedule %+v (%v, %v), want version 20", sc, ok, err)
	}
}

func testPrefix(t *testing.T, kit Kit) {
	ctx := context.Background()
	st, _ := kit.Open(t)
	defer st.Close()
	for _, id := range []string{"debat/0000000002", "reflectie/x", "debat/0000000001", "debat/Z", "debat/a", "debatt"} {
		if _, err := st.UpdateSchedule(ctx, id, func(*schedule.Schedule) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.Schedules(ctx, "debat/")
	var ids []string
	for _, sc := range got {
		ids = append(ids, sc.ID)
	}
	// Byte order: digits, then upper case, then lower case.
	want := []string{"debat/0000000001", "debat/0000000002", "debat/Z", "debat/a"}
	if err != nil || len(ids) != len(want) {
		t.Fatalf("Schedules(debat/) = %v, %v; want %v", ids, err, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Errorf("Schedules(debat/) = %v, want %v", ids, want)
			break
		}
	}
	if all, _ := st.Schedules(ctx, ""); len(all) != 6 {
		t.Errorf("Schedules() = %d, want 6", len(all))
	}
}

func testRuns(t *testing.T, kit Kit) {
	ctx := context.Background()
	st, _ := kit.Open(t)
	defer st.Close()
	old, recent := time.Unix(1_700_000_000, 0), time.Unix(1_800_000_000, 0)
	for _, at := range []time.Time{recent, old} {
		if _, err := st.ClaimRun(ctx, "r", at, func(*schedule.Schedule) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := st.Runs(ctx, schedule.RunClaimed)
	if err != nil || len(runs) != 2 || !runs[0].At.Equal(old) || runs[0].ScheduleID != "r" || runs[0].State != schedule.RunClaimed {
		t.Fatalf("claimed runs = %v, %v; want both, oldest first", runs, err)
	}
	if err := st.FinishRun(ctx, "r", recent, schedule.RunPosted); err != nil {
		t.Fatal(err)
	}
	if runs, _ := st.Runs(ctx, schedule.RunPosted); len(runs) != 1 || !runs[0].At.Equal(recent) {
		t.Errorf("posted runs = %v", runs)
	}
	n, err := st.PruneRuns(ctx, time.Unix(1_750_000_000, 0))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want 1", n, err)
	}
	if runs, _ := st.Runs(ctx, schedule.RunClaimed); len(runs) != 0 {
		t.Errorf("after pruning: %v", runs)
	}
	if runs, _ := st.Runs(ctx, schedule.RunPosted); len(runs) != 1 {
		t.Errorf("after pruning: %v", runs)
	}
}

func testRunNanos(t *testing.T, kit Kit) {
	// A run's time is its key to the nanosecond (an @every schedule
	// counts from the moment it was turned on): it comes back as given,
	// and a nanosecond later is another run.
	ctx := context.Background()
	st, _ := kit.Open(t)
	defer st.Close()
	at := time.Unix(1_800_000_000, 123_456_789)
	for _, when := range []time.Time{at, at.Add(time.Nanosecond)} {
		if _, err := st.ClaimRun(ctx, "r", when, func(*schedule.Schedule) error { return nil }); err != nil {
			t.Fatalf("claim at %s: %v", when, err)
		}
	}
	runs, _ := st.Runs(ctx, schedule.RunClaimed)
	if len(runs) != 2 || !runs[0].At.Equal(at) {
		t.Fatalf("runs %v", runs)
	}
	if err := st.FinishRun(ctx, "r", runs[0].At, schedule.RunUnconfirmed); err != nil {
		t.Fatal(err)
	}
	if runs, _ := st.Runs(ctx, schedule.RunClaimed); len(runs) != 1 || !runs[0].At.Equal(at.Add(time.Nanosecond)) {
		t.Errorf("claimed after finishing the first: %v", runs)
	}
}

func testNextNumber(t *testing.T, kit Kit) {
	ctx := context.Background()
	st, reopen := kit.Open(t)
	a, err1 := st.NextNumber(ctx)
	b, err2 := st.NextNumber(ctx)
	st.Close()
	st = reopen()
	defer st.Close()
	c, err3 := st.NextNumber(ctx)
	if err1 != nil || err2 != nil || err3 != nil || a == 0 || b <= a || c <= b {
		t.Errorf("NextNumber gave %d, %d, %d (%v, %v, %v)", a, b, c, err1, err2, err3)
	}
}

func testCancelled(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	at := time.Unix(1_800_000_000, 0)
	calls := 0
	change := func(*schedule.Schedule) error { calls++; return nil }
	errs := []error{}
	_, err := st.UpdateSchedule(ctx, "a", change)
	errs = append(errs, err)
	_, err = st.ClaimRun(ctx, "a", at, change)
	errs = append(errs, err)
	errs = append(errs, st.FinishRun(ctx, "a", at, schedule.RunPosted))
	_, err = st.NextNumber(ctx)
	errs = append(errs, err)
	_, _, err = st.Schedule(ctx, "a")
	errs = append(errs, err)
	_, err = st.Schedules(ctx, "")
	errs = append(errs, err)
	_, err = st.Runs(ctx, schedule.RunClaimed)
	errs = append(errs, err)
	_, err = st.PruneRuns(ctx, at)
	errs = append(errs, err)
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("call %d with a cancelled context: %v, want context.Canceled", i, err)
		}
	}
	if calls != 0 {
		t.Errorf("a cancelled call changed a schedule (%d calls)", calls)
	}
	if all, err := st.Schedules(context.Background(), ""); err != nil || len(all) != 0 {
		t.Errorf("schedules after cancelled calls: %v, %v", all, err)
	}
}
