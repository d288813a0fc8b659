package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// remindDue runs the reminder step once and fails the test on an error.
func (f *fixture) remindDue() int {
	f.t.Helper()
	n, err := f.bot.RemindDue(context.Background())
	if err != nil {
		f.t.Fatalf("RemindDue: %v", err)
	}
	return n
}

func TestNonVotersGetOnePrivateReminderBeforeTheDeadline(t *testing.T) {
	f := newFixture(t, bot.Config{})
	r := f.withRoster(map[string][]string{"c1": {"anna", "bob", "carla", "dirk", "robot"}})
	v := f.mustPoll("anna", "c1", "/casus duur=2d herinnering=2u "+energie+" | bestaanszekerheid, privacy, autonomie")
	if !strings.Contains(v.Parts().Markdown(), "Wie op 2026-11-25 10:00 nog niet heeft gestemd, krijgt een herinnering die alleen die persoon ziet.") {
		t.Errorf("the poll does not say when it reminds:\n%s", v.Parts().Markdown())
	}
	f.do("bob", "c1", "/stem "+v.ID+" privacy")
	r.join("c1", "eva") // joined after the poll started

	f.clock.Add(46*time.Hour - time.Minute)
	if n := f.remindDue(); n != 0 {
		t.Fatalf("%d reminders a minute early", n)
	}
	f.clock.Add(time.Minute)
	if n := f.remindDue(); n != 3 {
		t.Fatalf("%d reminders sent, want 3", n)
	}
	if got := r.to(); !slices.Equal(got, []string{"anna", "carla", "dirk"}) {
		t.Errorf("reminded %v: not bob (voted), eva (joined later) or the bot", got)
	}
	msg := r.sent[0]
	for _, want := range []string{"**Herinnering**", v.ID, "> " + bot.Escape(energie), "1. Bestaanszekerheid", "/stem " + v.ID + " bestaanszekerheid", "2026-11-25 12:00"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("the reminder lacks %q:\n%s", want, msg.Text)
		}
	}
	if msg.Channel != "c1" {
		t.Errorf("reminder for channel %q", msg.Channel)
	}
	// Never twice: not later, not after a restart.
	f.clock.Add(time.Minute)
	f.remindDue()
	f.restart()
	f.remindDue()
	if got := r.to(); len(got) != 3 {
		t.Errorf("reminded %v after a restart, want the same three", got)
	}
	if m := f.bot.PollMessage(context.Background(), v.ID); strings.Contains(m.Text, "herinnering") {
		t.Errorf("the poll still announces its reminder after it went out:\n%s", m.Text)
	}
}

func TestRemindersResumeAfterACrashWithoutASecondReminder(t *testing.T) {
	f := newFixture(t, bot.Config{})
	// A council of hundreds: 400 members, 100 of whom voted.
	var members []string
	for i := range 400 {
		members = append(members, fmt.Sprintf("raadslid%03d", i))
	}
	r := f.withRoster(map[string][]string{"c1": members})
	id := f.mustPoll("raadslid000", "c1", "/stelling duur=1d herinnering=1u Je moet als gemeente meer samenwerken met andere gemeenten").ID
	for _, u := range members[300:] {
		f.do(u, "c1", "/stem "+id+" eens")
	}
	f.clock.Add(23 * time.Hour)
	ctx, stop := context.WithCancel(context.Background())
	r.stopAfter, r.stop = 120, stop // the bot stops after the 120th reminder
	start := time.Now()
	f.bot.RemindDue(ctx)
	if got := len(r.to()); got != 120 {
		t.Fatalf("%d reminders before the stop, want 120", got)
	}
	f.restart()
	r.stopAfter = 0
	if n := f.remindDue(); n != 180 {
		t.Errorf("%d reminders after the restart, want the other 180", n)
	}
	t.Logf("300 reminders in %s (the store's part; the platform sets the pace)", time.Since(start).Round(time.Millisecond))
	seen := map[string]int{}
	for _, u := range r.to() {
		seen[u]++
	}
	for _, u := range members[:300] {
		if seen[u] != 1 {
			t.Errorf("%s reminded %d times", u, seen[u])
		}
	}
	for _, u := range members[300:] {
		if seen[u] != 0 {
			t.Errorf("%s voted and was reminded", u)
		}
	}
}

func TestSomeoneWhoLeftTheChannelIsNotReminded(t *testing.T) {
	f := newFixture(t, bot.Config{})
	r := f.withRoster(map[string][]string{"c1": {"anna", "bob", "carla"}})
	f.mustPoll("anna", "c1", "/stelling duur=1d herinnering=1u Camera's horen niet in de binnenstad")
	r.mu.Lock()
	r.members["c1"] = []string{"anna", "carla"} // bob left
	r.mu.Unlock()
	f.clock.Add(23 * time.Hour)
	if f.remindDue(); !slices.Equal(r.to(), []string{"anna", "carla"}) {
		t.Errorf("reminded %v", r.to())
	}
}

func TestRemindersWaitWhenThePlatformSays429(t *testing.T) {
	f := newFixture(t, bot.Config{})
	r := f.withRoster(map[string][]string{"c1": {"anna", "bob"}})
	f.mustPoll("anna", "c1", "/stelling duur=1d herinnering=1u anoniem Camera's horen niet in de binnenstad")
	r.limitNext = 3
	f.clock.Add(23 * time.Hour)
	if n := f.remindDue(); n != 2 {
		t.Errorf("%d reminders through three 429s, want 2", n)
	}
	if got := r.to(); !slices.Equal(got, []string{"anna", "bob"}) || !strings.Contains(r.sent[0].Text, "alleen jij ziet deze herinnering") {
		t.Errorf("reminded %v: %s", got, r.sent[0].Text)
	}
}

func TestNoRemindersAfterThePollClosed(t *testing.T) {
	f := newFixture(t, bot.Config{})
	r := f.withRoster(map[string][]string{"c1": {"anna", "bob"}})
	id := f.mustPoll("anna", "c1", "/stelling duur=2u herinnering=1u Camera's horen niet in de binnenstad").ID
	f.do("anna", "c1", "/sluit "+id)
	f.clock.Add(90 * time.Minute)
	if n := f.remindDue(); n != 0 || len(r.to()) != 0 {
		t.Errorf("%d reminders for a closed poll", n)
	}
}

func TestAnAnonymousPollRemindsWithoutKeepingWhoWasReminded(t *testing.T) {
	people := []string{"U7ANNA4711", "U7BOB4712", "U7CARLA4713"}
	for _, anon := range []string{"anoniem", ""} {
		f := newFixture(t, bot.Config{})
		r := f.withRoster(map[string][]string{"c1": people})
		id := f.mustPoll(people[0], "c1", "/casus "+anon+" duur=1d herinnering=1u "+energie+" | bestaanszekerheid, privacy").ID
		f.do(people[2], "c1", "/stem "+id+" privacy")
		f.clock.Add(23 * time.Hour)
		if n := f.remindDue(); n != 2 || !slices.Equal(r.to(), people[:2]) {
			t.Errorf("%s: reminded %v", anon, r.to())
		}
		f.st.Close()
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		found := bytes.Contains(data, []byte(people[1])) // bob only ever was on the roster and reminded
		if anon != "" && found {
			t.Errorf("the data file of an anonymous poll holds the ID of a person who was reminded")
		}
		if anon == "" && !found {
			t.Errorf("the check cannot see user IDs in the file") // so the check above can fail
		}
	}
}

func TestAReminderNeedsADeadlineAndAPlatformThatKnowsItsPeople(t *testing.T) {
	f := newFixture(t, bot.Config{})
	if r := f.do("anna", "c1", "/casus duur=2d herinnering=2u "+energie); r.Status != bot.Refused || !strings.Contains(r.Text, "niet sturen") {
		t.Errorf("on a platform without a roster: %s", r.Text)
	}
	f.withRoster(map[string][]string{"c1": {"anna"}})
	tests := []struct{ args, says string }{
		{"herinnering=2u", "geef daarom ook `duur=`"},
		{"duur=1u herinnering=2u", "voordat de peiling begint"},
		{"duur=1d herinnering=straks", "begrijp ik niet"},
		{"duur=1d herinnering=30s", "begrijp ik niet"},
	}
	for _, tc := range tests {
		if r := f.do("anna", "c1", "/casus "+tc.args+" "+energie); r.Status != bot.Refused || !strings.Contains(r.Text, tc.says) {
			t.Errorf("/casus %s: %s", tc.args, r.Text)
		}
	}
}

func TestRunSendsRemindersOnTheBotsClock(t *testing.T) {
	f := newFixture(t, bot.Config{})
	r := f.withRoster(map[string][]string{"c1": {"anna", "bob"}})
	f.mustPoll("anna", "c1", "/stelling duur=1u herinnering=59m Camera's horen niet in de binnenstad")
	f.clock.Add(2 * time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.bot.RunReminders(ctx, 10*time.Millisecond) }()
	testkit.WaitFor(t, "both reminded", func() bool { return len(r.to()) == 2 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
