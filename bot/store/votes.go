package store

import (
	"context"
	"errors"
	"maps"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/poll"
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

// voteRequest is one call of Vote waiting for its commit.
type voteRequest struct {
	id     string
	voter  func(poll.Poll) string
	change poll.Change
	done   chan voteResult // buffered: the committer never waits for the caller

	res voteResult // filled while applying, sent after the commit
}

type voteResult struct {
	poll  poll.Poll
	tally poll.Tally
	vote  poll.Vote
	err   error
}

// Vote applies change to the vote of voter(poll) in poll id and returns
// once the result is committed. Change may run more than once (after a
// failed transaction the votes of a group are retried one by one), so it
// must have no side effects.
func (s *Store) Vote(ctx context.Context, id string, voter func(poll.Poll) string, change poll.Change) (poll.Poll, poll.Tally, poll.Vote, error) {
	if err := ctx.Err(); err != nil {
		return poll.Poll{}, poll.Tally{}, poll.Vote{}, err
	}
	r := &voteRequest{id: id, voter: voter, change: change, done: make(chan voteResult, 1)}
	switch s.mode {
	case boltBatch:
		r.res = voteResult{}
		err := s.db.Batch(func(tx *bolt.Tx) error { return applyGroup(tx, []*voteRequest{r}) })
		return r.result(err)
	case soloCommit:
		err := s.db.Update(func(tx *bolt.Tx) error { return applyGroup(tx, []*voteRequest{r}) })
		return r.result(err)
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return poll.Poll{}, poll.Tally{}, poll.Vote{}, ErrClosed
	}
	s.votes <- r
	s.mu.RUnlock()
	res := <-r.done
	return res.poll, res.tally, res.vote, res.err
}

func (r *voteRequest) result(err error) (poll.Poll, poll.Tally, poll.Vote, error) {
	if err != nil {
		return r.res.poll, r.res.tally, r.res.vote, err
	}
	return r.res.poll, r.res.tally, r.res.vote, r.res.err
}

// commitVotes is the committer: it waits for a vote, takes every other vote
// already waiting (up to maxGroup), and commits them together.
func (s *Store) commitVotes() {
	defer close(s.committerDone)
	group := make([]*voteRequest, 0, maxGroup)
	for first := range s.votes {
		group = append(group[:0], first)
	more:
		for len(group) < maxGroup {
			select {
			case r, ok := <-s.votes:
				if !ok {
					break more
				}
				group = append(group, r)
			default:
				break more
			}
		}
		s.commitGroup(group)
	}
}

// commitGroup commits group in one transaction. If that fails, each vote
// is tried in a transaction of its own, so that one bad vote does not sink
// the others.
func (s *Store) commitGroup(group []*voteRequest) {
	err := s.db.Update(func(tx *bolt.Tx) error { return applyGroup(tx, group) })
	if err != nil && len(group) > 1 {
		for _, r := range group {
			err := s.db.Update(func(tx *bolt.Tx) error { return applyGroup(tx, []*voteRequest{r}) })
			r.send(err)
		}
		return
	}
	for _, r := range group {
		r.send(err)
	}
}

func (r *voteRequest) send(err error) {
	res := r.res
	if err != nil {
		res.err = err
	}
	r.done <- res
}

// applyGroup applies the votes of group in order in tx. Each poll and
// tally is read once and each tally written once, however many votes the
// group has for it. A refusal is a result, not an error: only a failure
// of the file or the data fails the transaction.
func applyGroup(tx *bolt.Tx, group []*voteRequest) error {
	type state struct {
		poll  poll.Poll
		tally poll.Tally
		dirty bool
	}
	polls := map[string]*state{}
	votes := tx.Bucket(bucketVotes)
	for _, r := range group {
		r.res = voteResult{}
		st, ok := polls[r.id]
		if !ok {
			p, t, err := load(tx, r.id)
			if errors.Is(err, poll.ErrNotFound) {
				r.res.err = err
				continue
			}
			if err != nil {
				return err
			}
			st = &state{poll: p, tally: t}
			polls[r.id] = st
		}
		key := join(r.id, r.voter(st.poll))
		var prev poll.Vote
		if data := votes.Get(key); data != nil {
			if err := decode(data, &prev); err != nil {
				return err
			}
		}
		r.res.poll = st.poll
		next, err := r.change(st.poll, prev)
		if err != nil {
			r.res.tally, r.res.vote, r.res.err = cloneTally(st.tally), prev, err
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
		r.res.tally, r.res.vote = cloneTally(*t), next
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
