package bot_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

func TestRestartKeepsOpenPollsAndVotes(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus duur=2d "+casus[len("/casus "):]).ID
	f.do("bob", "c1", "/stem "+id+" privacy, gelijkheid")
	f.do("carla", "c1", "/stem "+id+" privacy")

	f.restart()
	r := f.do("dirk", "c1", "/stem "+id+" keuzevrijheid")
	if r.Status != bot.Answered || r.Poll.Closed {
		t.Fatalf("after restart: %d %s", r.Status, r.Text)
	}
	want := map[string]int{"privacy": 2, "gelijkheid": 1, "keuzevrijheid": 1, "toegankelijkheid": 0}
	if got := votes(r.Poll); r.Poll.Voters != 3 || !mapsEqual(got, want) {
		t.Errorf("after restart: %v voters %d, want %v and 3", got, r.Poll.Voters, want)
	}
	if l := f.do("bob", "c1", "/peilingen"); !strings.Contains(l.Text, id) {
		t.Errorf("open poll not listed after restart: %s", l.Text)
	}
	// bob votes again after the restart: it replaces his vote.
	r = f.do("bob", "c1", "/stem "+id+" toegankelijkheid")
	if got := votes(r.Poll); got["privacy"] != 1 || got["gelijkheid"] != 0 || r.Poll.Voters != 3 {
		t.Errorf("vote again after restart: %v voters %d", got, r.Poll.Voters)
	}
	// Nothing is due before the deadline.
	p := &fakePoster{}
	if n, err := f.bot.CloseDue(context.Background(), p); n != 0 || err != nil {
		t.Errorf("closed %d before the deadline (%v)", n, err)
	}
}

func TestDeadlinePassedWhileDownClosesAtStartAndPostsOnce(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus duur=1u Tekst | privacy, doelmatigheid, orde").ID
	early := f.mustPoll("anna", "c2", "/stelling duur=30m Tekst").ID
	later := f.mustPoll("anna", "c1", "/stelling duur=3u Tekst").ID
	f.do("bob", "c1", "/stem "+id+" privacy, doelmatigheid")
	f.do("carla", "c1", "/stem "+id+" privacy")

	f.st.Close()
	f.clock.Add(2 * time.Hour) // down for two hours
	f.open()

	p := &fakePoster{}
	if n, err := f.bot.CloseDue(context.Background(), p); n != 2 || err != nil {
		t.Fatalf("posted %d results (%v), want 2", n, err)
	}
	if p.posts[0].r.Poll.ID != early || p.posts[1].r.Poll.ID != id {
		t.Errorf("posted in the wrong order or the wrong polls: %s, %s", p.posts[0].r.Poll.ID, p.posts[1].r.Poll.ID)
	}
	res := p.posts[1]
	if res.to != (bot.Destination{Platform: "console", Team: "T1", Channel: "c1"}) || !res.r.Poll.Closed {
		t.Errorf("result went to %+v, closed %v", res.to, res.r.Poll.Closed)
	}
	if !strings.Contains(res.r.Text, "de tijd is om") || !strings.Contains(res.r.Text, "Privacy (Vrijheid) ↔ Doelmatigheid (Nut)") {
		t.Errorf("result text: %s", res.r.Text)
	}
	if n, _ := f.bot.CloseDue(context.Background(), p); n != 0 {
		t.Errorf("second run posted %d more", n)
	}
	f.restart()
	f.clock.Add(time.Minute)
	if n, _ := f.bot.CloseDue(context.Background(), p); n != 0 || p.count() != 2 {
		t.Errorf("after another restart posted %d more (total %d)", n, p.count())
	}
	if r := f.do("dirk", "c1", "/stem "+id+" orde"); r.Status != bot.Refused {
		t.Errorf("vote after deadline accepted: %s", r.Text)
	}
	if r := f.do("dirk", "c1", "/uitslag "+id); !r.Poll.Closed || r.Poll.Voters != 2 {
		t.Errorf("result after restart: closed %v voters %d", r.Poll.Closed, r.Poll.Voters)
	}
	// The poll with a later deadline is still open and closes in time.
	f.clock.Add(time.Hour)
	if n, _ := f.bot.CloseDue(context.Background(), p); n != 1 || p.posts[2].r.Poll.ID != later {
		t.Errorf("later poll: posted %d", n)
	}
}

func TestClosedByHandIsNotPostedAgainAtTheDeadline(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/stelling duur=1u Tekst").ID
	f.do("anna", "c1", "/sluit "+id)
	f.clock.Add(2 * time.Hour)
	p := &fakePoster{}
	if n, _ := f.bot.CloseDue(context.Background(), p); n != 0 {
		t.Errorf("posted %d results of a poll closed by hand", n)
	}
}

func TestResultThatCouldNotBePostedIsTriedAgain(t *testing.T) {
	f := newFixture(t, bot.Config{})
	f.mustPoll("anna", "c1", "/stelling duur=1u Tekst")
	f.clock.Add(time.Hour)
	p := &fakePoster{fail: errors.New("channel unreachable")}
	if n, err := f.bot.CloseDue(context.Background(), p); n != 0 || err == nil {
		t.Fatalf("posted %d, err %v; want 0 and an error", n, err)
	}
	p.fail = nil
	if n, _ := f.bot.CloseDue(context.Background(), p); n != 0 {
		t.Errorf("retried before the retry delay")
	}
	f.restart()
	f.clock.Add(time.Minute)
	if n, err := f.bot.CloseDue(context.Background(), p); n != 1 || err != nil {
		t.Errorf("retry posted %d (%v), want 1", n, err)
	}
	f.clock.Add(time.Hour)
	if n, _ := f.bot.CloseDue(context.Background(), p); n != 0 || p.count() != 1 {
		t.Errorf("posted again after a successful retry")
	}
}

func TestRunDeadlinesPostsAtStartAndStopsWhenCancelled(t *testing.T) {
	f := newFixture(t, bot.Config{})
	f.mustPoll("anna", "c1", "/stelling duur=1u Tekst")
	f.clock.Add(time.Hour)
	p := &fakePoster{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- f.bot.RunDeadlines(ctx, p, time.Hour) }()
	testkit.WaitFor(t, "the overdue result", func() bool { return p.count() > 0 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunDeadlines: %v", err)
	}
	if p.count() != 1 {
		t.Errorf("posted %d results, want 1", p.count())
	}
}

func TestAnonymousPollKeepsNoVoterIDInTheFile(t *testing.T) {
	voters := []bot.Request{
		{Platform: "slack", Team: "T0ZWOLLE", Channel: "C0RAAD", User: "U7ALICE731", UserName: "alice.dejong"},
		{Platform: "slack", Team: "T0ZWOLLE", Channel: "C0RAAD", User: "U7BOB8842", UserName: "bob.vanderberg"},
		{Platform: "slack", Team: "T0ZWOLLE", Channel: "C0RAAD", User: "U7CARLA953", UserName: "carla.jansen"},
	}
	creator := bot.Request{Platform: "slack", Team: "T0ZWOLLE", Channel: "C0RAAD", User: "U7CREATOR64", UserName: "griffier.piet"}
	secrets := []string{"U7ALICE731", "alice.dejong", "U7BOB8842", "bob.vanderberg", "U7CARLA953", "carla.jansen", "U7CREATOR64", "griffier.piet"}

	run := func(t *testing.T, anon string) []byte {
		f := newFixture(t, bot.Config{})
		r := f.bot.HandleText(context.Background(), creator, "/casus "+anon+" Tekst | privacy, gelijkheid, orde")
		if r.Poll == nil {
			t.Fatal(r.Text)
		}
		id := r.Poll.ID
		for i, v := range voters {
			f.bot.HandleText(context.Background(), v, "/stem "+id+" "+[]string{"privacy", "gelijkheid", "orde"}[i])
			f.bot.HandleText(context.Background(), v, "/stem "+id+" privacy, orde")
		}
		f.bot.HandleText(context.Background(), creator, "/stem "+id+" orde")
		if r := f.bot.HandleText(context.Background(), creator, "/sluit "+id); r.Status != bot.Answered || r.Poll.Voters != 4 || r.Poll.Creator != "" && anon != "" {
			t.Fatalf("close: %s", r.Text)
		}
		f.st.Close()
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	t.Run("anonymous", func(t *testing.T) {
		data := run(t, "anoniem")
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("the data file contains %q", s)
			}
		}
	})
	// The same check on a poll that is not anonymous finds the IDs, so the
	// check above can fail.
	t.Run("not anonymous", func(t *testing.T) {
		data := run(t, "")
		if !bytes.Contains(data, []byte("U7ALICE731")) || !bytes.Contains(data, []byte("U7CREATOR64")) {
			t.Errorf("the check cannot see user IDs in the file")
		}
	})
}

func mapsEqual(got, want map[string]int) bool {
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return len(got) == len(want)
}

func TestClosedPollsAreDeletedAfterKeepClosed(t *testing.T) {
	f := newFixture(t, bot.Config{KeepClosed: 30 * 24 * time.Hour})
	old := f.mustPoll("anna", "c1", "/stelling Tekst").ID
	open := f.mustPoll("anna", "c1", "/stelling Nog open").ID
	f.do("bob", "c1", "/stem "+old+" eens")
	f.do("anna", "c1", "/sluit "+old)

	f.clock.Add(29 * 24 * time.Hour)
	f.bot.PruneClosed(context.Background())
	if r := f.do("bob", "c1", "/uitslag "+old); r.Status != bot.Answered {
		t.Fatalf("deleted before its time: %s", r.Text)
	}
	f.clock.Add(2 * 24 * time.Hour)
	f.bot.PruneClosed(context.Background())
	if r := f.do("bob", "c1", "/uitslag "+old); r.Status != bot.Refused {
		t.Errorf("closed poll kept after 31 days: %s", r.Text)
	}
	if r := f.do("bob", "c1", "/uitslag "+open); r.Status != bot.Answered {
		t.Errorf("an open poll was deleted: %s", r.Text)
	}
}
