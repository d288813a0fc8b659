package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/poll"
)

// The contract of issue 13: corrections (UpdatePoll), reminders (the
// reminder index, rosters and claims), one poll per origin and repeats.

var raad = chat.Destination{Platform: "slack", Team: "T1", Channel: "C1"}

// valuesPoll is a casus in a Slack channel that closes at closes.
func valuesPoll(id string, closes time.Time) poll.Poll {
	return poll.Poll{ID: id, Kind: poll.Values, Where: raad, Creator: "U1", Question: "Mag dit?", Max: 1,
		Options: []poll.Option{{Key: "privacy", Label: "Privacy"}, {Key: "orde", Label: "Orde"}},
		Created: closes.Add(-48 * time.Hour), ClosesAt: closes}
}

// who are the remindees of users, whose user ID, voter key and roster key
// are one.
func who(ids ...string) []poll.Remindee {
	var out []poll.Remindee
	for _, id := range ids {
		out = append(out, poll.Remindee{User: id, Voter: id, Key: id})
	}
	return out
}

func names(rs []poll.Remindee) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.User)
	}
	return strings.Join(out, ",")
}

func testUpdatePoll(t *testing.T, kit Kit) {
	s, _ := kit.Open(t)
	defer s.Close()
	ctx := context.Background()
	now := T0
	p := valuesPoll("ab3k", now.Add(24*time.Hour))
	p.RemindBefore = 2 * time.Hour
	if err := s.CreatePoll(ctx, p); err != nil {
		t.Fatal(err)
	}
	due := func(at time.Time) int {
		polls, err := s.RemindersDue(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		return len(polls)
	}
	if due(now.Add(21*time.Hour)) != 0 || due(now.Add(22*time.Hour)) != 1 {
		t.Fatalf("reminder not due at 22h")
	}
	// Moved six hours earlier: the reminder and the deadline follow.
	got, _, err := s.UpdatePoll(ctx, p.ID, func(p *poll.Poll, _ poll.Tally) error {
		p.ClosesAt = p.ClosesAt.Add(-6 * time.Hour)
		p.Question = "Mag dit echt?"
		return nil
	})
	if err != nil || got.Question != "Mag dit echt?" {
		t.Fatalf("update: %v %+v", err, got)
	}
	if due(now.Add(16*time.Hour)) != 1 {
		t.Errorf("the reminder did not move with the deadline")
	}
	if closed, _, _ := s.CloseDue(ctx, now.Add(17*time.Hour)); len(closed) != 0 {
		t.Errorf("closed before the new deadline")
	}
	if closed, _, _ := s.CloseDue(ctx, now.Add(18*time.Hour)); len(closed) != 1 {
		t.Errorf("not closed at the new deadline")
	}
	if due(now.Add(17*time.Hour)) != 0 {
		t.Errorf("a closed poll's reminder is still due")
	}
	// A refusal stores nothing; a change of identity is refused.
	refused := errors.New("no")
	if _, _, err := s.UpdatePoll(ctx, p.ID, func(p *poll.Poll, _ poll.Tally) error { p.Question = "x"; return refused }); err != refused {
		t.Errorf("refusal: %v", err)
	}
	for name, change := range map[string]func(*poll.Poll){
		"anonymity": func(p *poll.Poll) { p.Anon = true },
		"closing":   func(p *poll.Poll) { p.Closed = false },
		"channel":   func(p *poll.Poll) { p.Where.Channel = "C2" },
	} {
		if _, _, err := s.UpdatePoll(ctx, p.ID, func(p *poll.Poll, _ poll.Tally) error { change(p); return nil }); err == nil {
			t.Errorf("a change of %s was stored", name)
		}
	}
	if after, _, _ := s.Poll(ctx, p.ID); after.Question != "Mag dit echt?" || after.Anon || !after.Closed {
		t.Errorf("after the refusals: %+v", after)
	}
	if _, _, err := s.UpdatePoll(ctx, "zzzz", func(*poll.Poll, poll.Tally) error { return nil }); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("update of a missing poll: %v", err)
	}
}

func testRemindersDue(t *testing.T, kit Kit) {
	// Due are the open polls whose reminder time has come and whose
	// reminders are not done, oldest reminder first.
	s, _ := kit.Open(t)
	defer s.Close()
	ctx := context.Background()
	mk := func(id string, closes, before time.Duration) poll.Poll {
		p := valuesPoll(id, T0.Add(closes))
		p.RemindBefore = before
		return p
	}
	create(t, s,
		mk("p1", 5*time.Hour, time.Hour),                  // reminder at 4h
		mk("p2", 6*time.Hour, 3*time.Hour),                // at 3h
		mk("done", 6*time.Hour, 3*time.Hour),              // at 3h, its reminders done
		mk("shut", 6*time.Hour, 3*time.Hour),              // at 3h, closed by hand
		mk("none", 6*time.Hour, 0),                        // no reminder
		mk("past", 3*time.Hour+30*time.Minute, time.Hour), // at 2h30m, deadline at 3h30m
	)
	if _, _, err := s.UpdatePoll(ctx, "done", func(p *poll.Poll, _ poll.Tally) error { p.Reminded = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ClosePoll(ctx, "shut", T0, func(poll.Poll) error { return nil }); err != nil {
		t.Fatal(err)
	}
	ids := func(at time.Time) string {
		polls, err := s.RemindersDue(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range polls {
			out = append(out, p.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{0, ""},
		{2*time.Hour + 30*time.Minute, "past"},
		{3 * time.Hour, "past,p2"},
		{4 * time.Hour, "p2,p1"}, // past's deadline has come
		{5 * time.Hour, "p2"},    // and p1's
	} {
		if got := ids(T0.Add(tc.at)); got != tc.want {
			t.Errorf("due at %v: %q, want %q", tc.at, got, tc.want)
		}
	}
}

func testClaimsOnce(t *testing.T, kit Kit) {
	s, reopen := kit.Open(t)
	ctx := context.Background()
	now := T0
	p := valuesPoll("ab3k", now.Add(time.Hour))
	if err := s.CreatePoll(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRoster(ctx, p.ID, []string{"U1", "U2", "U3"}); err != nil {
		t.Fatal(err)
	}
	s.Vote(ctx, p.ID, func(poll.Poll) string { return "U3" }, func(poll.Poll, poll.Vote) (poll.Vote, error) {
		return poll.Vote{Choices: []string{"orde"}, At: now}, nil
	})
	got, err := s.ClaimReminders(ctx, p.ID, now, who("U1", "U3", "U4"))
	if err != nil || names(got) != "U1" {
		t.Fatalf("claimed %s (%v), want U1: U3 voted, U4 is not on the roster", names(got), err)
	}
	s.Close()
	s = reopen()
	defer s.Close()
	// The roster set again keeps its claims.
	if err := s.SetRoster(ctx, p.ID, []string{"U1", "U2"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimReminders(ctx, p.ID, now, who("U1", "U2")); names(got) != "U2" {
		t.Errorf("after reopening claimed %s, want U2", names(got))
	}
	if got, _ := s.ClaimReminders(ctx, p.ID, now.Add(time.Hour), who("U1", "U2")); len(got) != 0 {
		t.Errorf("claimed at the deadline: %s", names(got))
	}
	if n, claimed, _ := kit.Roster(s, p.ID); n != 3 || claimed != 2 {
		t.Errorf("roster %d, claimed %d", n, claimed)
	}
	if err := s.SetRoster(ctx, "zzzz", []string{"U1"}); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("roster of a missing poll: %v", err)
	}
	if _, err := s.ClaimReminders(ctx, "zzzz", now, who("U1")); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("claim in a missing poll: %v", err)
	}
}

func testClaimsStopAtClose(t *testing.T, kit Kit) {
	// Nobody is claimed once the poll closed, by hand or at its deadline
	// before the deadline loop noticed.
	s, _ := kit.Open(t)
	defer s.Close()
	ctx := context.Background()
	p := valuesPoll("ab3k", T0.Add(time.Hour))
	create(t, s, p)
	if err := s.SetRoster(ctx, p.ID, []string{"U1", "U2"}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ClaimReminders(ctx, p.ID, T0.Add(time.Hour), who("U1")); err != nil || len(got) != 0 {
		t.Errorf("claimed %s (%v) at the deadline", names(got), err)
	}
	if _, _, err := s.ClosePoll(ctx, p.ID, T0, func(poll.Poll) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ClaimReminders(ctx, p.ID, T0, who("U1", "U2")); err != nil || len(got) != 0 {
		t.Errorf("claimed %s (%v) after the close", names(got), err)
	}
}

func testConcurrentReminderClaims(t *testing.T, kit Kit) {
	s, _ := kit.Open(t)
	defer s.Close()
	ConcurrentReminderClaims(t, s, s)
}

// ConcurrentReminderClaims has claimers on a and b (two instances on one
// database, or one store twice) claim the reminders of one poll's 120
// members at once, some one person at a time as the bot does, in orders
// of their own, some many at once, and checks that each of the 90 who did
// not vote was claimed exactly once and nobody else at all.
func ConcurrentReminderClaims(t *testing.T, a, b Store) {
	ctx := context.Background()
	p := valuesPoll("ab3k", T0.Add(time.Hour))
	create(t, a, p)
	var members []string
	for i := range 120 {
		members = append(members, fmt.Sprintf("U%03d", i))
	}
	if err := a.SetRoster(ctx, p.ID, members); err != nil {
		t.Fatal(err)
	}
	for _, u := range members[:30] {
		vote(t, b, p.ID, u, "orde")
	}
	var mu sync.Mutex
	claimed := map[string]int{}
	claim := func(st Store, people []poll.Remindee) {
		got, err := st.ClaimReminders(ctx, p.ID, T0, people)
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, r := range got {
			claimed[r.User]++
		}
	}
	var wg sync.WaitGroup
	for i := range 6 {
		st := []Store{a, b}[i%2]
		order := slices.Clone(members)
		rand.New(rand.NewPCG(uint64(i), 13)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		wg.Go(func() {
			if i < 4 {
				for _, u := range order {
					claim(st, who(u))
				}
				return
			}
			for chunk := range slices.Chunk(order, 25) {
				claim(st, who(chunk...))
			}
		})
	}
	wg.Wait()
	if len(claimed) != 90 {
		t.Errorf("%d people claimed, want the 90 who did not vote", len(claimed))
	}
	for u, n := range claimed {
		if n != 1 || slices.Index(members, u) < 30 {
			t.Errorf("%s claimed %d times", u, n)
		}
	}
}

func testOrigins(t *testing.T, kit Kit) {
	s, _ := kit.Open(t)
	defer s.Close()
	ctx := context.Background()
	now := T0
	first := valuesPoll("ab3k", now.Add(time.Hour))
	first.Origin = "slack/V123"
	if err := s.CreatePoll(ctx, first); err != nil {
		t.Fatal(err)
	}
	again := valuesPoll("cd4m", now.Add(time.Hour))
	again.Origin = "slack/V123"
	if err := s.CreatePoll(ctx, again); !errors.Is(err, poll.ErrDuplicate) {
		t.Errorf("a second poll from one origin: %v", err)
	}
	repeat := valuesPoll("ef5n", now.Add(time.Hour))
	repeat.Repeats = first.ID
	if err := s.CreatePoll(ctx, repeat); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := s.Poll(ctx, first.ID); len(p.RepeatedBy) != 1 || p.RepeatedBy[0] != repeat.ID {
		t.Errorf("the first poll does not know its repeat: %v", p.RepeatedBy)
	}
	orphan := valuesPoll("gh6p", now.Add(time.Hour))
	orphan.Repeats = "zzzz"
	if err := s.CreatePoll(ctx, orphan); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("a repeat of a poll that is gone: %v", err)
	}
	// Refused polls were not stored, and neither was the refused
	// repeat's link.
	for _, id := range []string{again.ID, orphan.ID} {
		if _, _, err := s.Poll(ctx, id); !errors.Is(err, poll.ErrNotFound) {
			t.Errorf("refused poll %s: %v", id, err)
		}
	}
}

func testConcurrentOrigins(t *testing.T, kit Kit) {
	// One form submitted several times at once (a double click, two
	// instances) makes one poll.
	s, _ := kit.Open(t)
	defer s.Close()
	ctx := context.Background()
	var mu sync.Mutex
	made, dup := 0, 0
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := valuesPoll(fmt.Sprintf("p%03d", i), T0.Add(time.Hour))
			p.Origin = "mattermost/n1"
			err := s.CreatePoll(ctx, p)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				made++
			case errors.Is(err, poll.ErrDuplicate):
				dup++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if made != 1 || dup != 7 {
		t.Errorf("%d polls made, %d refused; want 1 and 7", made, dup)
	}
	if open, _ := s.OpenPolls(ctx, raad); len(open) != 1 {
		t.Errorf("%d open polls, want 1", len(open))
	}
}

func testPruneRoster(t *testing.T, kit Kit) {
	s, _ := kit.Open(t)
	defer s.Close()
	ctx := context.Background()
	now := T0
	p := valuesPoll("ab3k", now.Add(time.Hour))
	p.Origin, p.RemindBefore = "mattermost/n1", 30*time.Minute
	s.CreatePoll(ctx, p)
	s.SetRoster(ctx, p.ID, []string{"U1", "U2"})
	s.ClaimReminders(ctx, p.ID, now, who("U1"))
	s.ClosePoll(ctx, p.ID, now, func(poll.Poll) error { return nil })
	if n, err := s.PrunePolls(ctx, now.Add(time.Minute)); n != 1 || err != nil {
		t.Fatalf("pruned %d (%v)", n, err)
	}
	left, err := kit.Leftovers(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range left {
		t.Errorf("still holds %q", l)
	}
	if err := s.CreatePoll(ctx, p); err != nil {
		t.Errorf("the origin of a deleted poll: %v", err)
	}
}
