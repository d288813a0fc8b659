package store

import (
	"context"
	"errors"
	"maps"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store/internal/groupcommit"
)

// How votes reach the file. Each vote is durable when Vote returns; the
// modes differ in how votes share commits (each commit costs two fsyncs).
type commitMode int

const (
	// groupCommit: a committer goroutine takes every vote that is waiting
	// and commits them in one transaction, at once. One voter waits for one
	// commit; hundreds of voters share a few.
	groupCommit commitMode = iota
	// boltBatch: bbolt's db.Batch, which waits up to 10 ms to collect
	// votes. For comparison in the benchmark.
	boltBatch
	// soloCommit: every vote its own transaction. For comparison.
	soloCommit
)

// maxGroup is the most votes one commit takes.
const maxGroup = 1000

// WithBoltBatch makes votes share commits through bbolt's db.Batch instead
// of the store's own group commit. It exists to measure the difference.
func WithBoltBatch() Option { return func(s *Store) { s.mode = boltBatch } }

// WithoutBatch makes every vote its own transaction. It exists to measure
// what sharing commits gains; a real installation has no reason to use it.
func WithoutBatch() Option { return func(s *Store) { s.mode = soloCommit } }

// ErrClosed means the store was closed.
var ErrClosed = errors.New("store closed")

// Vote applies change to the vote of voter(poll) in poll id and returns
// once the result is committed. Change may run more than once (after a
// failed transaction the votes of a group are retried one by one), so it
// must have no side effects.
func (s *Store) Vote(ctx context.Context, id string, voter func(poll.Poll) string, change poll.Change) (poll.Poll, poll.Tally, poll.Vote, error) {
	if err := ctx.Err(); err != nil {
		return poll.Poll{}, poll.Tally{}, poll.Vote{}, err
	}
	r := groupcommit.NewRequest(id, voter, change)
	var err error
	switch s.mode {
	case boltBatch:
		err = s.db.Batch(func(tx *bolt.Tx) error { return applyGroup(tx, []*groupcommit.Request{r}) })
	case soloCommit:
		err = s.db.Update(func(tx *bolt.Tx) error { return applyGroup(tx, []*groupcommit.Request{r}) })
	default:
		if !s.votes.Add(r) {
			return poll.Poll{}, poll.Tally{}, poll.Vote{}, ErrClosed
		}
		return r.Wait()
	}
	r.Send(err)
	return r.Wait()
}

// commitGroup commits group in one transaction. If that fails, each vote
// is tried in a transaction of its own, so that one bad vote does not sink
// the others.
func (s *Store) commitGroup(group []*groupcommit.Request) {
	err := s.db.Update(func(tx *bolt.Tx) error { return applyGroup(tx, group) })
	if err != nil && len(group) > 1 {
		for _, r := range group {
			r.Send(s.db.Update(func(tx *bolt.Tx) error { return applyGroup(tx, []*groupcommit.Request{r}) }))
		}
		return
	}
	for _, r := range group {
		r.Send(err)
	}
}

// applyGroup applies the votes of group in order in tx. Each poll and
// tally is read once and each tally written once, however many votes the
// group has for it. A refusal is a result, not an error: only a failure
// of the file or the data fails the transaction.
func applyGroup(tx *bolt.Tx, group []*groupcommit.Request) error {
	type state struct {
		poll  poll.Poll
		tally poll.Tally
		dirty bool
	}
	polls := map[string]*state{}
	votes := tx.Bucket(bucketVotes)
	for _, r := range group {
		r.Res = groupcommit.Result{}
		st, ok := polls[r.ID]
		if !ok {
			p, t, err := load(tx, r.ID)
			if errors.Is(err, poll.ErrNotFound) {
				r.Res.Err = err
				continue
			}
			if err != nil {
				return err
			}
			st = &state{poll: p, tally: t}
			polls[r.ID] = st
		}
		key := join(r.ID, r.Voter(st.poll))
		var prev poll.Vote
		if data := votes.Get(key); data != nil {
			if err := decode(data, &prev); err != nil {
				return err
			}
		}
		r.Res.Poll = st.poll
		next, err := r.Change(st.poll, prev)
		if err != nil {
			r.Res.Tally, r.Res.Vote, r.Res.Err = cloneTally(st.tally), prev, err
			continue
		}
		t := &st.tally
		t.Apply(prev, next)
		if len(next.Choices) == 0 {
			err = votes.Delete(key)
		} else {
			err = put(votes, key, next)
		}
		if err != nil {
			return err
		}
		st.dirty = true
		r.Res.Tally, r.Res.Vote = cloneTally(*t), next
	}
	tallies := tx.Bucket(bucketTallies)
	for id, st := range polls {
		if st.dirty {
			if err := put(tallies, []byte(id), st.tally); err != nil {
				return err
			}
		}
	}
	return nil
}

func cloneTally(t poll.Tally) poll.Tally {
	return poll.Tally{Votes: maps.Clone(t.Votes), Voters: t.Voters}
}
