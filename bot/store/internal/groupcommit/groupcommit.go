// Package groupcommit is the queue of the stores' group commit (bbolt in
// package store, PostgreSQL in store/postgres): each call of a store's
// Vote waits in it as a Request, and one committer goroutine takes every
// request already waiting, up to a maximum, and hands them to the store as
// one group. How a group is applied and committed, and what happens when
// that fails, is the store's; the waiting, the grouping and the closing
// are here, once.
package groupcommit

import (
	"sync"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// Request is one call of Vote waiting for its commit: change applied to
// the vote of Voter(poll) in poll ID.
type Request struct {
	ID     string
	Voter  func(poll.Poll) string
	Change poll.Change

	// Res is what applying the request gave, filled by the store while it
	// applies the group and sent to the caller after the commit.
	Res Result

	done chan Result // buffered: the committer never waits for the caller
}

// Result is what a vote gives its caller: the poll, the tally and the
// vote after it, or why it was refused or failed.
type Result struct {
	Poll  poll.Poll
	Tally poll.Tally
	Vote  poll.Vote
	Err   error
}

// NewRequest returns a request for a call of Vote.
func NewRequest(id string, voter func(poll.Poll) string, change poll.Change) *Request {
	return &Request{ID: id, Voter: voter, Change: change, done: make(chan Result, 1)}
}

// Send hands the caller its result: Res, with err in place of Res.Err when
// the commit failed. It is called once per request.
func (r *Request) Send(err error) {
	res := r.Res
	if err != nil {
		res.Err = err
	}
	r.done <- res
}

// Wait returns the result Send handed over.
func (r *Request) Wait() (poll.Poll, poll.Tally, poll.Vote, error) {
	res := <-r.done
	return res.Poll, res.Tally, res.Vote, res.Err
}

// Queue holds the requests waiting for the committer. Make one with
// Start.
type Queue struct {
	mu      sync.RWMutex // guards closed against sends on waiting
	closed  bool
	waiting chan *Request
	done    chan struct{} // closed when the committer has stopped
}

// Start starts the committer: it waits for a request, takes every other
// request already waiting (up to max in all) and calls commit with them,
// in the order they came. commit must Send every request of the group.
func Start(max int, commit func(group []*Request)) *Queue {
	q := &Queue{waiting: make(chan *Request, max), done: make(chan struct{})}
	go func() {
		defer close(q.done)
		group := make([]*Request, 0, max)
		for first := range q.waiting {
			group = append(group[:0], first)
		more:
			for len(group) < max {
				select {
				case r, ok := <-q.waiting:
					if !ok {
						break more
					}
					group = append(group, r)
				default:
					break more
				}
			}
			commit(group)
		}
	}()
	return q
}

// Add puts r in the queue for the committer, and reports false, leaving
// it out, when the queue is closed.
func (q *Queue) Add(r *Request) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return false
	}
	q.waiting <- r
	return true
}

// Close refuses new requests, and returns once the committer has committed
// the requests still waiting and stopped. Calls after the first return at
// once.
func (q *Queue) Close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	close(q.waiting)
	q.mu.Unlock()
	<-q.done
}
