package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/poll"
)

// T0 is the time the test polls are made.
var T0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// Poll is a statement poll in a console channel, as the tests make them.
func Poll(id, channel string) poll.Poll {
	return poll.Poll{
		ID: id, Kind: poll.Statement, Where: chat.Destination{Platform: "console", Channel: channel},
		Creator: "anna", Question: "Tekst", Max: 1, Created: T0,
		Options: []poll.Option{{Key: "eens", Label: "eens"}, {Key: "oneens", Label: "oneens"}},
	}
}

// Choose is a change that makes the vote key alone ("" withdraws it).
func Choose(key string) poll.Change {
	return func(p poll.Poll, prev poll.Vote) (poll.Vote, error) {
		if key == "" {
			return poll.Vote{}, nil
		}
		return poll.Vote{Choices: []string{key}, At: T0}, nil
	}
}

// As is the voter function of one user.
func As(user string) func(poll.Poll) string { return func(poll.Poll) string { return user } }

func create(t *testing.T, st Store, polls ...poll.Poll) {
	t.Helper()
	for _, p := range polls {
		if err := st.CreatePoll(context.Background(), p); err != nil {
			t.Fatalf("create poll %s: %v", p.ID, err)
		}
	}
}

func vote(t *testing.T, st Store, id, user, key string) {
	t.Helper()
	if _, _, _, err := st.Vote(context.Background(), id, As(user), Choose(key)); err != nil {
		t.Fatalf("vote %s in %s: %v", user, id, err)
	}
}

func testSecret(t *testing.T, kit Kit) {
	ctx := context.Background()
	st, reopen := kit.Open(t)
	first, err := st.Secret(ctx)
	if err != nil || len(first) != 32 {
		t.Fatalf("secret of %d bytes (%v)", len(first), err)
	}
	st.Close()
	st = reopen()
	defer st.Close()
	if again, _ := st.Secret(ctx); !bytes.Equal(first, again) {
		t.Errorf("secret changed on reopening")
	}
	other, _ := kit.Open(t)
	defer other.Close()
	if o, _ := other.Secret(ctx); bytes.Equal(o, first) {
		t.Errorf("two installations share a secret")
	}
}

func testTakenID(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	create(t, st, Poll("ab3k", "c1"))
	if err := st.CreatePoll(ctx, Poll("ab3k", "c2")); !errors.Is(err, poll.ErrIDTaken) {
		t.Errorf("got %v, want ErrIDTaken", err)
	}
	if p, _, _ := st.Poll(ctx, "ab3k"); p.Where.Channel != "c1" {
		t.Errorf("the first poll was overwritten")
	}
}

func testRefusals(t *testing.T, kit Kit) {
	// The store passes a refusal through unchanged: the poll package's
	// sentinels survive it, for callers that branch with errors.Is, and
	// its refusals, for the bot to say why.
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	create(t, st, Poll("aaaa", "c1"))
	refusal := &poll.Refusal{Err: poll.ErrClosed, Key: "vote.closed"}
	for _, refuse := range []error{poll.ErrClosed, refusal} {
		_, _, _, err := st.Vote(ctx, "aaaa", As("x"), func(p poll.Poll, prev poll.Vote) (poll.Vote, error) {
			return prev, refuse
		})
		if !errors.Is(err, poll.ErrClosed) {
			t.Errorf("got %v", err)
		}
		var r *poll.Refusal
		if refuse == refusal && (!errors.As(err, &r) || r != refusal) {
			t.Errorf("the refusal did not come through: %v", err)
		}
	}
	if _, _, err := st.Poll(ctx, "zzzz"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("got %v", err)
	}
}

func testConcurrentVotes(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ConcurrentVotes(t, st)
}

// ConcurrentVotes has 200 voters vote at once in two polls, half of them
// twice, each also in a poll that does not exist, and checks every count.
func ConcurrentVotes(t *testing.T, st Store) {
	ctx := context.Background()
	create(t, st, Poll("aaaa", "c1"), Poll("bbbb", "c1"))
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for i := range 200 {
		wg.Go(func() {
			id := []string{"aaaa", "bbbb"}[i%2]
			user := fmt.Sprint("u", i)
			if _, _, _, err := st.Vote(ctx, id, As(user), Choose("eens")); err != nil {
				errs <- err
			}
			if i%4 < 2 {
				if _, _, _, err := st.Vote(ctx, id, As(user), Choose("oneens")); err != nil {
					errs <- err
				}
			}
			// A vote for a poll that does not exist fails alone.
			if _, _, _, err := st.Vote(ctx, "zzzz", As(user), Choose("eens")); !errors.Is(err, poll.ErrNotFound) {
				errs <- fmt.Errorf("vote for a missing poll: %v", err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, id := range []string{"aaaa", "bbbb"} {
		_, tally, _ := st.Poll(ctx, id)
		if tally.Voters != 100 || tally.Votes["eens"] != 50 || tally.Votes["oneens"] != 50 {
			t.Errorf("poll %s: %+v, want 100 voters, 50 and 50", id, tally)
		}
	}
}

func testOneVoter(t *testing.T, kit Kit) {
	// Votes of one voter that arrive together may share a commit: each
	// still starts from the vote the one before it left.
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	create(t, st, Poll("aaaa", "c1"))
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			add := func(p poll.Poll, prev poll.Vote) (poll.Vote, error) {
				return poll.Vote{Choices: append(slices.Clone(prev.Choices), fmt.Sprint("k", i)), At: T0}, nil
			}
			if _, _, _, err := st.Vote(ctx, "aaaa", As("bob"), add); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_, tally, _ := st.Poll(ctx, "aaaa")
	if tally.Voters != 1 || len(tally.Votes) != 30 {
		t.Fatalf("tally %+v, want 1 voter with 30 choices", tally)
	}
	for k, n := range tally.Votes {
		if n != 1 {
			t.Errorf("%s counted %d times", k, n)
		}
	}
}

func testRefusedChange(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	create(t, st, Poll("aaaa", "c1"))
	vote(t, st, "aaaa", "bob", "eens")
	refuse := errors.New("refused")
	_, tally, kept, err := st.Vote(ctx, "aaaa", As("bob"), func(poll.Poll, poll.Vote) (poll.Vote, error) {
		return poll.Vote{Choices: []string{"oneens"}}, refuse
	})
	if !errors.Is(err, refuse) || len(kept.Choices) != 1 || kept.Choices[0] != "eens" || tally.Votes["eens"] != 1 || tally.Votes["oneens"] != 0 {
		t.Errorf("got %v, kept %v, tally %+v", err, kept, tally)
	}
	if _, tally, _ := st.Poll(ctx, "aaaa"); tally.Votes["eens"] != 1 || tally.Votes["oneens"] != 0 || tally.Voters != 1 {
		t.Errorf("stored tally %+v", tally)
	}
}

func testVoteAfterClose(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	st.Close()
	if _, _, _, err := st.Vote(context.Background(), "aaaa", As("bob"), Choose("eens")); !errors.Is(err, kit.ErrClosed) {
		t.Errorf("got %v, want %v", err, kit.ErrClosed)
	}
	if _, _, err := st.Poll(context.Background(), "aaaa"); !errors.Is(err, kit.ErrClosed) {
		t.Errorf("Poll after Close: %v, want %v", err, kit.ErrClosed)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func testClosePoll(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	create(t, st, Poll("aaaa", "c1"))
	vote(t, st, "aaaa", "bob", "eens")
	notYou := errors.New("not you")
	if _, _, err := st.ClosePoll(ctx, "aaaa", T0, func(poll.Poll) error { return notYou }); !errors.Is(err, notYou) {
		t.Fatalf("refused close: %v", err)
	}
	if p, _, _ := st.Poll(ctx, "aaaa"); p.Closed {
		t.Fatal("a refused close closed the poll")
	}
	p, tally, err := st.ClosePoll(ctx, "aaaa", T0.Add(time.Hour), func(poll.Poll) error { return nil })
	if err != nil || !p.Closed || !p.Posted || !p.ClosedAt.Equal(T0.Add(time.Hour)) || tally.Voters != 1 {
		t.Fatalf("close: %+v %+v %v", p, tally, err)
	}
	if _, _, err := st.ClosePoll(ctx, "aaaa", T0, func(poll.Poll) error { return nil }); !errors.Is(err, poll.ErrClosed) {
		t.Errorf("second close: %v, want ErrClosed", err)
	}
	if open, _ := st.OpenPolls(ctx, chat.Destination{Platform: "console", Channel: "c1"}); len(open) != 0 {
		t.Errorf("a closed poll is open: %v", open)
	}
	if _, _, err := st.ClosePoll(ctx, "zzzz", T0, func(poll.Poll) error { return nil }); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("close of a missing poll: %v", err)
	}
}

func testCloseDue(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	// Made in another order than their deadlines: they come back in the
	// order of their deadlines.
	for i, id := range []string{"cccc", "aaaa", "bbbb"} {
		p := Poll(id, "c1")
		p.ClosesAt = T0.Add(time.Duration([]int{3, 1, 2}[i]) * time.Hour)
		create(t, st, p)
	}
	polls, _, err := st.CloseDue(ctx, T0.Add(2*time.Hour))
	if err != nil || len(polls) != 2 || polls[0].ID != "aaaa" || polls[1].ID != "bbbb" {
		t.Fatalf("got %v (%v)", polls, err)
	}
	if !polls[0].Closed || !polls[0].Posted || !polls[0].ClosedAt.Equal(T0.Add(time.Hour)) {
		t.Errorf("closed poll %+v", polls[0])
	}
	open, _ := st.OpenPolls(ctx, chat.Destination{Platform: "console", Channel: "c1"})
	if len(open) != 1 || open[0].ID != "cccc" {
		t.Errorf("open polls %v", open)
	}
	if again, _, _ := st.CloseDue(ctx, T0.Add(2*time.Hour)); len(again) != 0 {
		t.Errorf("closed again: %v", again)
	}
	if p, _, _ := st.Poll(ctx, "aaaa"); !p.Closed || !p.Posted {
		t.Errorf("stored poll %+v", p)
	}
}

func testConcurrentCloseDue(t *testing.T, kit Kit) {
	// Two loops that close polls at once (a leader and its successor)
	// close and return each poll once.
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	for i := range 20 {
		p := Poll(fmt.Sprintf("p%03d", i), "c1")
		p.ClosesAt = T0.Add(time.Duration(i) * time.Minute)
		create(t, st, p)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				polls, _, err := st.CloseDue(ctx, T0.Add(time.Hour))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, p := range polls {
					seen[p.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 20 {
		t.Errorf("%d polls closed, want 20", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("poll %s returned %d times", id, n)
		}
	}
}

func testUnposted(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	p := Poll("aaaa", "c1")
	p.ClosesAt = T0
	create(t, st, p)
	if polls, _, _ := st.CloseDue(ctx, T0); len(polls) != 1 {
		t.Fatalf("closed %v", polls)
	}
	if err := st.Unposted(ctx, "aaaa", T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := st.Poll(ctx, "aaaa"); !p.Closed || p.Posted {
		t.Errorf("after Unposted: %+v", p)
	}
	if polls, _, _ := st.CloseDue(ctx, T0.Add(30*time.Second)); len(polls) != 0 {
		t.Errorf("returned before its retry: %v", polls)
	}
	polls, _, err := st.CloseDue(ctx, T0.Add(time.Minute))
	if err != nil || len(polls) != 1 || !polls[0].Posted || !polls[0].ClosedAt.Equal(T0) {
		t.Fatalf("retry: %+v %v", polls, err)
	}
	if polls, _, _ := st.CloseDue(ctx, T0.Add(time.Hour)); len(polls) != 0 {
		t.Errorf("returned twice: %v", polls)
	}
	if err := st.Unposted(ctx, "zzzz", T0); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("Unposted of a missing poll: %v", err)
	}
}

func testPollMessage(t *testing.T, kit Kit) {
	st, reopen := kit.Open(t)
	ctx := context.Background()
	if err := st.SetPollMessage(ctx, "nope", "1700000000.000100"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("message for an unknown poll: %v", err)
	}
	create(t, st, Poll("aaaa", "c1"))
	if err := st.SetPollMessage(ctx, "aaaa", "1700000000.000100"); err != nil {
		t.Fatal(err)
	}
	vote(t, st, "aaaa", "bob", "eens")
	st.Close()
	st = reopen()
	defer st.Close()
	p, tally, err := st.Poll(ctx, "aaaa")
	if err != nil || p.Message != "1700000000.000100" || tally.Votes["eens"] != 1 {
		t.Errorf("after a restart: %+v %+v (%v)", p, tally, err)
	}
}

func testPrune(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	allow := func(poll.Poll) error { return nil }
	for _, id := range []string{"aaaa", "bbbb", "cccc", "dddd"} {
		create(t, st, Poll(id, "c1"))
		for _, voter := range []string{"bob", "carla"} {
			vote(t, st, id, voter, "eens")
		}
	}
	st.ClosePoll(ctx, "aaaa", T0, allow)                   // closed long ago
	st.ClosePoll(ctx, "bbbb", T0.Add(48*time.Hour), allow) // closed recently
	st.ClosePoll(ctx, "dddd", T0, allow)                   // closed long ago, but its result still to post
	if err := st.Unposted(ctx, "dddd", T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	n, err := st.PrunePolls(ctx, T0.Add(24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
	if _, _, err := st.Poll(ctx, "aaaa"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("old closed poll still there: %v", err)
	}
	for _, id := range []string{"bbbb", "cccc", "dddd"} {
		if _, tally, err := st.Poll(ctx, id); err != nil || tally.Voters != 2 {
			t.Errorf("poll %s: %+v %v", id, tally, err)
		}
	}
	// Its votes went with it: a new poll with its ID starts empty, and
	// bob's vote there has nothing before it.
	create(t, st, Poll("aaaa", "c1"))
	_, _, _, err = st.Vote(ctx, "aaaa", As("bob"), func(p poll.Poll, prev poll.Vote) (poll.Vote, error) {
		if len(prev.Choices) > 0 {
			t.Errorf("a vote of the deleted poll is left: %v", prev)
		}
		return poll.Vote{Choices: []string{"eens"}, At: T0}, nil
	})
	if _, tally, _ := st.Poll(ctx, "aaaa"); err != nil || tally.Voters != 1 {
		t.Errorf("the new poll: %+v (%v)", tally, err)
	}
	if n, err := st.PrunePolls(ctx, T0.Add(24*time.Hour)); n != 0 || err != nil {
		t.Errorf("second prune: %d %v", n, err)
	}
}

func testOpenPolls(t *testing.T, kit Kit) {
	st, _ := kit.Open(t)
	defer st.Close()
	ctx := context.Background()
	mk := func(id, team, channel string, created time.Duration) poll.Poll {
		p := Poll(id, channel)
		p.Where.Platform, p.Where.Team, p.Created = "slack", team, T0.Add(created)
		return p
	}
	create(t, st, mk("cccc", "T1", "C1", 3), mk("aaaa", "T1", "C1", 2), mk("bbbb", "T1", "C1", 1),
		mk("dddd", "T1", "C10", 0), mk("eeee", "T2", "C1", 0))
	st.ClosePoll(ctx, "aaaa", T0, func(poll.Poll) error { return nil })
	open, err := st.OpenPolls(ctx, chat.Destination{Platform: "slack", Team: "T1", Channel: "C1"})
	if err != nil || len(open) != 2 || open[0].ID != "bbbb" || open[1].ID != "cccc" {
		t.Errorf("open polls %v (%v), want bbbb and cccc", open, err)
	}
}

// testPollsAndVotes: Polls lists the polls keep accepts, oldest first,
// with their tallies; Votes lists every voter of a poll, in key order.
func testPollsAndVotes(t *testing.T, kit Kit) {
	s, _ := kit.Open(t)
	defer s.Close()
	ctx := context.Background()
	for i, id := range []string{"cc", "aa", "bb"} {
		p := Poll(id, "c1")
		p.Created = T0.Add(time.Duration(-i) * time.Hour) // cc first, bb last made, so oldest
		if id == "aa" {
			p.Where.Channel = "c2"
		}
		if err := s.CreatePoll(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, voter := range []string{"zoe", "bob"} {
		if _, _, _, err := s.Vote(ctx, "cc", As(voter), Choose("eens")); err != nil {
			t.Fatal(err)
		}
	}
	polls, tallies, err := s.Polls(ctx, func(p poll.Poll) bool { return p.Where.Channel == "c1" })
	if err != nil || len(polls) != 2 || polls[0].ID != "bb" || polls[1].ID != "cc" || tallies[1].Voters != 2 {
		t.Fatalf("polls %v tallies %v (%v)", polls, tallies, err)
	}
	casts, err := s.Votes(ctx, "cc")
	if err != nil || len(casts) != 2 || casts[0].Voter != "bob" || casts[1].Voter != "zoe" || casts[0].Vote.Choices[0] != "eens" {
		t.Errorf("votes %+v (%v)", casts, err)
	}
	if casts, err := s.Votes(ctx, "bb"); err != nil || len(casts) != 0 {
		t.Errorf("a poll without votes: %v %v", casts, err)
	}
	if _, err := s.Votes(ctx, "zz"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("an unknown poll: %v", err)
	}
}
