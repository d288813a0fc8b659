package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
)

func openTemp(t *testing.T, opts ...Option) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "waardenbot.db")
	s, err := Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func testPoll(id, channel string) poll.Poll {
	return poll.Poll{
		ID: id, Kind: poll.Statement, Where: bot.Destination{Platform: "console", Channel: channel},
		Creator: "anna", Question: "Tekst", Max: 1, Created: t0,
		Options: []poll.Option{{Key: "eens", Label: "eens"}, {Key: "oneens", Label: "oneens"}},
	}
}

func choose(key string) poll.Change {
	return func(p poll.Poll, prev poll.Vote) (poll.Vote, error) {
		if key == "" {
			return poll.Vote{}, nil
		}
		return poll.Vote{Choices: []string{key}, At: t0}, nil
	}
}

func as(user string) func(poll.Poll) string { return func(poll.Poll) string { return user } }

func TestOpenMakesPrivateFileWithSecretKeptAcrossRestarts(t *testing.T) {
	s, path := openTemp(t)
	first, _ := s.Secret(context.Background())
	if len(first) != 32 {
		t.Fatalf("secret of %d bytes", len(first))
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	again, _ := s2.Secret(context.Background())
	if !bytes.Equal(first, again) {
		t.Errorf("secret changed on reopening")
	}
	other, _ := openTemp(t)
	if o, _ := other.Secret(context.Background()); bytes.Equal(o, first) {
		t.Errorf("two installations share a secret")
	}
}

func TestOpenFileHeldByAnotherStoreGivesErrInUse(t *testing.T) {
	_, path := openTemp(t)
	if _, err := Open(path); !errors.Is(err, ErrInUse) {
		t.Errorf("got %v, want ErrInUse", err)
	}
}

func TestCreatePollRefusesTakenID(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if err := s.CreatePoll(ctx, testPoll("ab3k", "c1")); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePoll(ctx, testPoll("ab3k", "c2")); !errors.Is(err, poll.ErrIDTaken) {
		t.Errorf("got %v, want ErrIDTaken", err)
	}
	if p, _, _ := s.Poll(ctx, "ab3k"); p.Where.Channel != "c1" {
		t.Errorf("the first poll was overwritten")
	}
}

func TestRefusalsWrapSentinelErrors(t *testing.T) {
	// The store passes a refusal through unchanged; check that the poll
	// package's sentinels survive it, for callers that branch with
	// errors.Is, and its refusals, for the bot to say why.
	s, _ := openTemp(t)
	ctx := context.Background()
	if err := s.CreatePoll(ctx, testPoll("aaaa", "c1")); err != nil {
		t.Fatal(err)
	}
	refusal := &poll.Refusal{Err: poll.ErrClosed, Key: "vote.closed"}
	for _, refuse := range []error{poll.ErrClosed, refusal} {
		_, _, _, err := s.Vote(ctx, "aaaa", as("x"), func(p poll.Poll, prev poll.Vote) (poll.Vote, error) {
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
	if _, _, err := s.Poll(ctx, "zzzz"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("got %v", err)
	}
}

func TestEveryCommitModeCountsConcurrentVotesExactly(t *testing.T) {
	modes := map[string][]Option{"group": nil, "boltbatch": {WithBoltBatch()}, "solo": {WithoutBatch()}}
	for name, opts := range modes {
		t.Run(name, func(t *testing.T) {
			s, _ := openTemp(t, opts...)
			ctx := context.Background()
			for _, id := range []string{"aaaa", "bbbb"} {
				if err := s.CreatePoll(ctx, testPoll(id, "c1")); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			errs := make(chan error, 400)
			for i := range 200 {
				wg.Go(func() {
					id := []string{"aaaa", "bbbb"}[i%2]
					user := fmt.Sprint("u", i)
					if _, _, _, err := s.Vote(ctx, id, as(user), choose("eens")); err != nil {
						errs <- err
					}
					if i%4 < 2 {
						if _, _, _, err := s.Vote(ctx, id, as(user), choose("oneens")); err != nil {
							errs <- err
						}
					}
					// A vote for a poll that does not exist fails alone.
					if _, _, _, err := s.Vote(ctx, "zzzz", as(user), choose("eens")); !errors.Is(err, poll.ErrNotFound) {
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
				_, tally, _ := s.Poll(ctx, id)
				if tally.Voters != 100 || tally.Votes["eens"] != 50 || tally.Votes["oneens"] != 50 {
					t.Errorf("poll %s: %+v, want 100 voters, 50 and 50", id, tally)
				}
			}
		})
	}
}

func TestRefusedChangeWritesNothing(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	s.CreatePoll(ctx, testPoll("aaaa", "c1"))
	s.Vote(ctx, "aaaa", as("bob"), choose("eens"))
	refuse := errors.New("refused")
	_, tally, kept, err := s.Vote(ctx, "aaaa", as("bob"), func(poll.Poll, poll.Vote) (poll.Vote, error) {
		return poll.Vote{Choices: []string{"oneens"}}, refuse
	})
	if !errors.Is(err, refuse) || len(kept.Choices) != 1 || kept.Choices[0] != "eens" || tally.Votes["eens"] != 1 || tally.Votes["oneens"] != 0 {
		t.Errorf("got %v, kept %v, tally %+v", err, kept, tally)
	}
}

func TestVoteAfterCloseGivesErrClosed(t *testing.T) {
	s, _ := openTemp(t)
	s.Close()
	if _, _, _, err := s.Vote(context.Background(), "aaaa", as("bob"), choose("eens")); !errors.Is(err, ErrClosed) {
		t.Errorf("got %v, want ErrClosed", err)
	}
}

func TestCloseDueTakesOnlyPollsWhoseDeadlineCame(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	for i, id := range []string{"aaaa", "bbbb", "cccc"} {
		p := testPoll(id, "c1")
		p.ClosesAt = t0.Add(time.Duration(i+1) * time.Hour)
		s.CreatePoll(ctx, p)
	}
	polls, _, err := s.CloseDue(ctx, t0.Add(2*time.Hour))
	if err != nil || len(polls) != 2 || polls[0].ID != "aaaa" || polls[1].ID != "bbbb" {
		t.Fatalf("got %v (%v)", polls, err)
	}
	if !polls[0].Closed || !polls[0].Posted || !polls[0].ClosedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("closed poll %+v", polls[0])
	}
	open, _ := s.OpenPolls(ctx, bot.Destination{Platform: "console", Channel: "c1"})
	if len(open) != 1 || open[0].ID != "cccc" {
		t.Errorf("open polls %v", open)
	}
	if again, _, _ := s.CloseDue(ctx, t0.Add(2*time.Hour)); len(again) != 0 {
		t.Errorf("closed again: %v", again)
	}
}

func TestPollMessageIsKeptAcrossRestartsAndVotes(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if err := s.SetPollMessage(ctx, "nope", "1700000000.000100"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("message for an unknown poll: %v", err)
	}
	s.CreatePoll(ctx, testPoll("aaaa", "c1"))
	if err := s.SetPollMessage(ctx, "aaaa", "1700000000.000100"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.Vote(ctx, "aaaa", as("bob"), choose("eens")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	p, tally, err := s2.Poll(ctx, "aaaa")
	if err != nil || p.Message != "1700000000.000100" || tally.Votes["eens"] != 1 {
		t.Errorf("after a restart: %+v %+v (%v)", p, tally, err)
	}
}

func TestPrunePollsDeletesOnlyOldClosedPollsWithTheirVotes(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	allow := func(poll.Poll) error { return nil }
	for _, id := range []string{"aaaa", "bbbb", "cccc", "dddd"} {
		if err := s.CreatePoll(ctx, testPoll(id, "c1")); err != nil {
			t.Fatal(err)
		}
		for _, voter := range []string{"bob", "carla"} {
			if _, _, _, err := s.Vote(ctx, id, as(voter), choose("eens")); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.ClosePoll(ctx, "aaaa", t0, allow)                   // closed long ago
	s.ClosePoll(ctx, "bbbb", t0.Add(48*time.Hour), allow) // closed recently
	s.ClosePoll(ctx, "dddd", t0, allow)                   // closed long ago, but its result still to post
	if err := s.Unposted(ctx, "dddd", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	n, err := s.PrunePolls(ctx, t0.Add(24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
	if _, _, err := s.Poll(ctx, "aaaa"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("old closed poll still there: %v", err)
	}
	for _, id := range []string{"bbbb", "cccc", "dddd"} {
		if _, tally, err := s.Poll(ctx, id); err != nil || tally.Voters != 2 {
			t.Errorf("poll %s: %+v %v", id, tally, err)
		}
	}
	s.db.View(func(tx *bolt.Tx) error {
		tx.Bucket(bucketVotes).ForEach(func(k, _ []byte) error {
			if bytes.HasPrefix(k, []byte("aaaa\x00")) {
				t.Errorf("vote left of a deleted poll: %q", k)
			}
			return nil
		})
		if n := tx.Bucket(bucketVotes).Stats().KeyN; n != 6 {
			t.Errorf("%d votes left, want 6", n)
		}
		return nil
	})
	if n, err := s.PrunePolls(ctx, t0.Add(24*time.Hour)); n != 0 || err != nil {
		t.Errorf("second prune: %d %v", n, err)
	}
}

func TestPollsListsWhatKeepAcceptsOldestFirstAndVotesListsEveryVoter(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	for i, id := range []string{"cc", "aa", "bb"} {
		p := testPoll(id, "c1")
		p.Created = t0.Add(time.Duration(-i) * time.Hour) // cc first, bb last made, so oldest
		if id == "aa" {
			p.Where.Channel = "c2"
		}
		if err := s.CreatePoll(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, voter := range []string{"zoe", "bob"} {
		if _, _, _, err := s.Vote(ctx, "cc", as(voter), choose("eens")); err != nil {
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
