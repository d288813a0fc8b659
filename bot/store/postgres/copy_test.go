package postgres

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

// compatFile is a copy of the data file the first milestone wrote (never
// regenerated), with polls, votes, an anonymous poll and schedules.
func compatFile(t *testing.T) *store.Store {
	t.Helper()
	src, err := os.Open(filepath.Join("..", "..", "testdata", "compat", "main.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), "waardenbot.db")
	dst, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestImportCopiesEverythingAndCanBeRunAgain(t *testing.T) {
	ctx := context.Background()
	file := compatFile(t)
	c, err := file.Contents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Polls) == 0 || len(c.Schedules) == 0 {
		t.Fatalf("the compat file holds %d polls and %d schedules", len(c.Polls), len(c.Schedules))
	}
	pg := open(t, storetest.Postgres(t))
	var first Copied
	for i := range 2 {
		got, err := pg.Import(ctx, c)
		if err != nil {
			t.Fatalf("import %d: %v", i+1, err)
		}
		if i == 0 {
			first = got
		} else if got != first {
			t.Errorf("second import copied %v, the first %v", got, first)
		}
	}
	votes := 0
	for _, r := range c.Polls {
		votes += len(r.Votes)
	}
	if first.Polls != len(c.Polls) || first.Votes != votes || first.Schedules != len(c.Schedules) || first.Runs != len(c.Runs) {
		t.Errorf("copied %v, the file holds %d polls with %d votes, %d schedules, %d runs", first, len(c.Polls), votes, len(c.Schedules), len(c.Runs))
	}
	// The database answers as the file does.
	secret, _ := pg.Secret(ctx)
	if want, _ := file.Secret(ctx); !reflect.DeepEqual(secret, want) {
		t.Error("the secret was not copied")
	}
	for _, r := range c.Polls {
		p, tally, err := pg.Poll(ctx, r.Poll.ID)
		fp, ftally, _ := file.Poll(ctx, r.Poll.ID)
		if err != nil || !reflect.DeepEqual(p, fp) || !reflect.DeepEqual(tally, ftally) {
			t.Errorf("poll %s: %+v %+v (%v), file %+v %+v", r.Poll.ID, p, tally, err, fp, ftally)
		}
		if !r.Poll.Closed {
			open, _ := pg.OpenPolls(ctx, r.Poll.Where)
			fopen, _ := file.OpenPolls(ctx, r.Poll.Where)
			if len(open) != len(fopen) {
				t.Errorf("open polls of %v: %d, file %d", r.Poll.Where, len(open), len(fopen))
			}
		}
	}
	for _, state := range []schedule.RunState{schedule.RunClaimed, schedule.RunPosted, schedule.RunFailed, schedule.RunUnconfirmed} {
		runs, _ := pg.Runs(ctx, state)
		fruns, _ := file.Runs(ctx, state)
		if len(runs) != len(fruns) {
			t.Errorf("%s runs: %d, file %d", state, len(runs), len(fruns))
		}
	}
	all, _ := pg.Schedules(ctx, "")
	fall, _ := file.Schedules(ctx, "")
	if !reflect.DeepEqual(all, fall) {
		t.Errorf("schedules differ:\n%+v\n%+v", all, fall)
	}
	// A new debate gets a number after the file's.
	if n, _ := pg.NextNumber(ctx); n <= c.Number {
		t.Errorf("next number %d, the file gave up to %d", n, c.Number)
	}
}

func TestImportRefusesWhileInstancesRunOrIntoAnotherInstallation(t *testing.T) {
	ctx := context.Background()
	c, err := compatFile(t).Contents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dsn := storetest.Postgres(t)
	pg := open(t, dsn)
	running := open(t, dsn)
	lead, stop := context.WithCancel(ctx)
	leading := make(chan bool)
	done := make(chan bool)
	go func() {
		running.Lead(lead, func(ctx context.Context) error { leading <- true; <-ctx.Done(); return nil })
		close(done)
	}()
	<-leading
	if _, err := pg.Import(ctx, c); !errors.Is(err, ErrInstancesRunning) {
		t.Errorf("import while an instance leads: %v, want ErrInstancesRunning", err)
	}
	stop()
	<-done

	// Another installation: its own secret and a poll of its own.
	other := open(t, storetest.Postgres(t))
	if err := other.CreatePoll(ctx, storetest.Poll("zzzz", "c1")); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Import(ctx, c); !errors.Is(err, ErrOtherInstallation) {
		t.Errorf("import into another installation: %v, want ErrOtherInstallation", err)
	}
	if _, _, err := other.Poll(ctx, c.Polls[0].Poll.ID); err == nil {
		t.Error("a refused import copied a poll")
	}
}
