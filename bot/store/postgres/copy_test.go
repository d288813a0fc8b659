package postgres

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
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

// steeredFile is a data file with what issue 13 keeps beside polls: a
// poll with a reminder, its roster and a claim, a vote, a form's origin
// and a repeat of it; and a pruned poll whose roster and origin are gone.
func steeredFile(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "waardenbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	first := storetest.Poll("ab3k", "raad")
	first.ClosesAt, first.RemindBefore, first.Origin = storetest.T0.Add(2*time.Hour), time.Hour, "slack/V123"
	repeat := storetest.Poll("cd4m", "raad")
	repeat.ClosesAt, repeat.Repeats = storetest.T0.Add(4*time.Hour), first.ID
	gone := storetest.Poll("zz9z", "raad")
	gone.Origin = "mattermost/n1"
	for _, p := range []poll.Poll{first, repeat, gone} {
		if err := st.CreatePoll(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for id, keys := range map[string][]string{first.ID: {"U1", "U2", "U3"}, gone.ID: {"U1"}} {
		if err := st.SetRoster(ctx, id, keys); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, _, err := st.Vote(ctx, first.ID, storetest.As("U3"), storetest.Choose("eens")); err != nil {
		t.Fatal(err)
	}
	claimAt := storetest.T0.Add(time.Hour + 1234) // nanoseconds the database need not keep
	if got, err := st.ClaimReminders(ctx, first.ID, claimAt, remindees("U1")); err != nil || len(got) != 1 {
		t.Fatalf("claim: %v %v", got, err)
	}
	if _, _, err := st.ClosePoll(ctx, gone.ID, storetest.T0, func(poll.Poll) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n, err := st.PrunePolls(ctx, storetest.T0.Add(time.Minute)); n != 1 || err != nil {
		t.Fatalf("pruned %d (%v)", n, err)
	}
	return st
}

func remindees(users ...string) []poll.Remindee {
	var out []poll.Remindee
	for _, u := range users {
		out = append(out, poll.Remindee{User: u, Voter: u, Key: u})
	}
	return out
}

func TestImportCopiesRostersClaimsAndOrigins(t *testing.T) {
	ctx := context.Background()
	file := steeredFile(t)
	c, err := file.Contents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"slack/V123": "ab3k"}; !reflect.DeepEqual(c.Origins, want) {
		t.Errorf("the file's origins: %v, want %v", c.Origins, want)
	}
	pg := open(t, storetest.Postgres(t))
	for i := range 2 { // it can be run again
		got, err := pg.Import(ctx, c)
		want := Copied{Polls: 2, Votes: 1, Rosters: 3, Claims: 1, Origins: 1}
		if err != nil || got != want {
			t.Fatalf("import %d: %v (%v), want %v", i+1, got, err, want)
		}
	}
	for _, id := range []string{"ab3k", "cd4m"} {
		p, tally, err := pg.Poll(ctx, id)
		fp, ftally, _ := file.Poll(ctx, id)
		if err != nil || !reflect.DeepEqual(p, fp) || !reflect.DeepEqual(tally, ftally) {
			t.Errorf("poll %s: %+v %+v (%v), file %+v %+v", id, p, tally, err, fp, ftally)
		}
	}
	// Both stores answer alike: the reminder is due, U1 was claimed, U3
	// voted, U2 is still to be reminded, U4 was never on the roster; the
	// origin is taken, the pruned poll's is free.
	now := storetest.T0.Add(90 * time.Minute)
	for name, st := range map[string]storetest.Store{"file": file, "database": pg} {
		if due, err := st.RemindersDue(ctx, now); err != nil || len(due) != 1 || due[0].ID != "ab3k" {
			t.Errorf("%s: reminders due %v (%v)", name, due, err)
		}
		if got, err := st.ClaimReminders(ctx, "ab3k", now, remindees("U1", "U2", "U3", "U4")); err != nil || len(got) != 1 || got[0].User != "U2" {
			t.Errorf("%s: claimed %v (%v), want U2", name, got, err)
		}
		again := storetest.Poll("ef5n", "raad")
		again.Origin = "slack/V123"
		if err := st.CreatePoll(ctx, again); !errors.Is(err, poll.ErrDuplicate) {
			t.Errorf("%s: a second poll from the copied origin: %v", name, err)
		}
		freed := storetest.Poll("gh6p", "raad")
		freed.Origin = "mattermost/n1"
		if err := st.CreatePoll(ctx, freed); err != nil {
			t.Errorf("%s: a poll from the pruned poll's origin: %v", name, err)
		}
	}
}

func TestImportRefusesClaimsAndOriginsWithoutTheirRosterOrPoll(t *testing.T) {
	// Contents that no data file holds: a claim of someone not on the
	// roster, an origin of a poll that is not there. The database's
	// foreign keys refuse them, and nothing is copied.
	ctx := context.Background()
	c, err := steeredFile(t).Contents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg := open(t, storetest.Postgres(t))
	bad := c
	bad.Polls = slices.Clone(c.Polls)
	for i := range bad.Polls {
		if bad.Polls[i].Poll.ID == "ab3k" {
			bad.Polls[i].Claims = map[string]time.Time{"U9": storetest.T0}
		}
	}
	if _, err := pg.Import(ctx, bad); err == nil || !strings.Contains(err.Error(), "reminder_claims") {
		t.Errorf("a claim of someone not on the roster: %v", err)
	}
	bad = c
	bad.Origins = map[string]string{"slack/V123": "ab3k", "slack/V999": "zz9z"}
	if _, err := pg.Import(ctx, bad); err == nil || !strings.Contains(err.Error(), "origins") {
		t.Errorf("an origin of a poll that is not there: %v", err)
	}
	if _, _, err := pg.Poll(ctx, "ab3k"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("a refused import copied a poll: %v", err)
	}
}
