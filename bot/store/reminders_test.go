package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/poll"
)

var raad = chat.Destination{Platform: "slack", Team: "T1", Channel: "C1"}

func newPoll(id string, closes time.Time) poll.Poll {
	return poll.Poll{ID: id, Kind: poll.Values, Where: raad, Creator: "U1", Question: "Mag dit?", Max: 1,
		Options: []poll.Option{{Key: "privacy", Label: "Privacy"}, {Key: "orde", Label: "Orde"}},
		Created: closes.Add(-48 * time.Hour), ClosesAt: closes}
}

func TestUpdatePollMovesTheDeadlineAndTheReminderWithThePoll(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	p := newPoll("ab3k", now.Add(24*time.Hour))
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
}

func TestClaimsAreOncePerPersonAcrossReopening(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	p := newPoll("ab3k", now.Add(time.Hour))
	if err := s.CreatePoll(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRoster(ctx, p.ID, []string{"U1", "U2", "U3"}); err != nil {
		t.Fatal(err)
	}
	s.Vote(ctx, p.ID, func(poll.Poll) string { return "U3" }, func(poll.Poll, poll.Vote) (poll.Vote, error) {
		return poll.Vote{Choices: []string{"orde"}, At: now}, nil
	})
	who := func(ids ...string) []poll.Remindee {
		var out []poll.Remindee
		for _, id := range ids {
			out = append(out, poll.Remindee{User: id, Voter: id, Key: id})
		}
		return out
	}
	names := func(rs []poll.Remindee) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.User)
		}
		return strings.Join(out, ",")
	}
	got, err := s.ClaimReminders(ctx, p.ID, now, who("U1", "U3", "U4"))
	if err != nil || names(got) != "U1" {
		t.Fatalf("claimed %s (%v), want U1: U3 voted, U4 is not on the roster", names(got), err)
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _ := s.ClaimReminders(ctx, p.ID, now, who("U1", "U2")); names(got) != "U2" {
		t.Errorf("after reopening claimed %s, want U2", names(got))
	}
	if got, _ := s.ClaimReminders(ctx, p.ID, now.Add(time.Hour), who("U1", "U2")); len(got) != 0 {
		t.Errorf("claimed at the deadline: %s", names(got))
	}
	if n, claimed, _ := s.rosterLen(p.ID); n != 3 || claimed != 2 {
		t.Errorf("roster %d, claimed %d", n, claimed)
	}
}

func TestOnePollPerOriginAndRepeatsAreLinked(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	first := newPoll("ab3k", now.Add(time.Hour))
	first.Origin = "slack/V123"
	if err := s.CreatePoll(ctx, first); err != nil {
		t.Fatal(err)
	}
	again := newPoll("cd4m", now.Add(time.Hour))
	again.Origin = "slack/V123"
	if err := s.CreatePoll(ctx, again); !errors.Is(err, poll.ErrDuplicate) {
		t.Errorf("a second poll from one origin: %v", err)
	}
	repeat := newPoll("ef5n", now.Add(time.Hour))
	repeat.Repeats = first.ID
	if err := s.CreatePoll(ctx, repeat); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := s.Poll(ctx, first.ID); len(p.RepeatedBy) != 1 || p.RepeatedBy[0] != repeat.ID {
		t.Errorf("the first poll does not know its repeat: %v", p.RepeatedBy)
	}
	orphan := newPoll("gh6p", now.Add(time.Hour))
	orphan.Repeats = "zzzz"
	if err := s.CreatePoll(ctx, orphan); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("a repeat of a poll that is gone: %v", err)
	}
}

func TestPruningDeletesRosterAndFreesTheOrigin(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	p := newPoll("ab3k", now.Add(time.Hour))
	p.Origin, p.RemindBefore = "mattermost/n1", 30*time.Minute
	s.CreatePoll(ctx, p)
	s.SetRoster(ctx, p.ID, []string{"U1", "U2"})
	s.ClosePoll(ctx, p.ID, now, func(poll.Poll) error { return nil })
	if n, err := s.PrunePolls(ctx, now.Add(time.Minute)); n != 1 || err != nil {
		t.Fatalf("pruned %d (%v)", n, err)
	}
	s.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketRosters, bucketOrigins, bucketReminders} {
			if k, _ := tx.Bucket(b).Cursor().First(); k != nil {
				t.Errorf("bucket %s still holds %q", b, k)
			}
		}
		return nil
	})
	if err := s.CreatePoll(ctx, p); err != nil {
		t.Errorf("the origin of a deleted poll: %v", err)
	}
}
