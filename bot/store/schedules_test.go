package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

func openTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "sub", "waardenschedule.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestRunKeyRoundTripsTimesWithZeroBytes(t *testing.T) {
	for _, at := range []time.Time{
		time.Unix(0, 0),
		time.Unix(1_800_000_000, 0), // ends in zero bytes
		time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC),
		time.Unix(0, 256),
	} {
		id, got, ok := splitRunKey(runKey("reflectie/console//a", at))
		if !ok || id != "reflectie/console//a" || !got.Equal(at) {
			t.Errorf("runKey(%s) splits into %q, %s, %v", at, id, got, ok)
		}
	}
}

func TestClaimRunTwiceIsRefused(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	calls := 0
	claim := func() error {
		_, err := s.ClaimRun(ctx, "r", at, func(sc *schedule.Schedule) error {
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
	if err := s.FinishRun(ctx, "r", at, schedule.RunPosted); err != nil {
		t.Fatal(err)
	}
	if err := claim(); !errors.Is(err, schedule.ErrRunClaimed) {
		t.Errorf("claim after the run was posted: %v, want ErrRunClaimed", err)
	}
	sc, ok, err := s.Schedule(ctx, "r")
	if err != nil || !ok || !sc.Last.Equal(at) {
		t.Errorf("schedule = %+v, %v, %v; want Last %s", sc, ok, err, at)
	}
}

func TestFailedUpdateOrClaimStoresNothing(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	boom := errors.New("refused")
	if _, err := s.UpdateSchedule(ctx, "a", func(sc *schedule.Schedule) error { sc.Topic = "half"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("update: %v", err)
	}
	at := time.Unix(1_800_000_000, 0)
	if _, err := s.ClaimRun(ctx, "a", at, func(sc *schedule.Schedule) error { sc.Topic = "half"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("claim: %v", err)
	}
	if all, err := s.Schedules(ctx, ""); err != nil || len(all) != 0 {
		t.Errorf("schedules after failed writes: %v, %v", all, err)
	}
	if _, err := s.ClaimRun(ctx, "a", at, func(*schedule.Schedule) error { return nil }); err != nil {
		t.Errorf("a run whose claim failed could not be claimed again: %v", err)
	}
}

func TestSchedulesByPrefixInIDOrder(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	for _, id := range []string{"debat/0000000002", "reflectie/x", "debat/0000000001"} {
		if _, err := s.UpdateSchedule(ctx, id, func(*schedule.Schedule) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Schedules(ctx, "debat/")
	if err != nil || len(got) != 2 || got[0].ID != "debat/0000000001" || got[1].ID != "debat/0000000002" {
		t.Errorf("Schedules(debat/) = %v, %v", got, err)
	}
}

func TestRunsAndPrune(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	old, recent := time.Unix(1_700_000_000, 0), time.Unix(1_800_000_000, 0)
	for _, at := range []time.Time{recent, old} {
		if _, err := s.ClaimRun(ctx, "r", at, func(*schedule.Schedule) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := s.Runs(ctx, schedule.RunClaimed)
	if err != nil || len(runs) != 2 || !runs[0].At.Equal(old) {
		t.Fatalf("claimed runs = %v, %v; want both, oldest first", runs, err)
	}
	n, err := s.PruneRuns(ctx, time.Unix(1_750_000_000, 0))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want 1", n, err)
	}
	if runs, _ := s.Runs(ctx, schedule.RunClaimed); len(runs) != 1 || !runs[0].At.Equal(recent) {
		t.Errorf("after pruning: %v", runs)
	}
}

func TestNextNumberNeverRepeats(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	a, err1 := s.NextNumber(ctx)
	b, err2 := s.NextNumber(ctx)
	if err1 != nil || err2 != nil || a == b || a == 0 {
		t.Errorf("NextNumber gave %d, %d (%v, %v)", a, b, err1, err2)
	}
}

func TestOpenMakesAPrivateFileAndRefusesASecondOpener(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if _, err := Open(path); !errors.Is(err, ErrInUse) {
		t.Errorf("second Open: %v, want ErrInUse", err)
	}
}

func TestScheduleMethodsDoNothingOnceTheContextIsDone(t *testing.T) {
	s := openTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	at := time.Unix(1_800_000_000, 0)
	calls := 0
	change := func(*schedule.Schedule) error { calls++; return nil }
	errs := []error{}
	_, err := s.UpdateSchedule(ctx, "a", change)
	errs = append(errs, err)
	_, err = s.ClaimRun(ctx, "a", at, change)
	errs = append(errs, err)
	errs = append(errs, s.FinishRun(ctx, "a", at, schedule.RunPosted))
	_, err = s.NextNumber(ctx)
	errs = append(errs, err)
	_, _, err = s.Schedule(ctx, "a")
	errs = append(errs, err)
	_, err = s.Schedules(ctx, "")
	errs = append(errs, err)
	_, err = s.Runs(ctx, schedule.RunClaimed)
	errs = append(errs, err)
	_, err = s.PruneRuns(ctx, at)
	errs = append(errs, err)
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("call %d with a cancelled context: %v, want context.Canceled", i, err)
		}
	}
	if calls != 0 {
		t.Errorf("a cancelled call changed a schedule (%d calls)", calls)
	}
	if all, err := s.Schedules(context.Background(), ""); err != nil || len(all) != 0 {
		t.Errorf("schedules after cancelled calls: %v, %v", all, err)
	}
}
