package store

import (
	"context"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// Corrections and reminders of polls (issue 13): UpdatePoll, and a
// poll's reminder index, roster and claims.

// rosterEntry is one person on a poll's roster: there when the poll
// started, and whether their reminder was claimed.
type rosterEntry struct {
	Claimed   bool      `json:"claimed,omitempty"`
	ClaimedAt time.Time `json:"claimed_at,omitzero"`
}

// UpdatePoll changes poll id with change in one transaction and keeps the
// deadline and reminder indexes in step.
func (s *Store) UpdatePoll(ctx context.Context, id string, change func(*poll.Poll, poll.Tally) error) (poll.Poll, poll.Tally, error) {
	var p poll.Poll
	var t poll.Tally
	if err := ctx.Err(); err != nil {
		return p, t, err
	}
	var refusal error
	err := s.db.Update(func(tx *bolt.Tx) error {
		refusal = nil
		old, tally, err := load(tx, id)
		if err != nil {
			return err
		}
		p, t = old, tally
		next, refused, err := poll.Amend(old, tally, change)
		if refused != nil || err != nil {
			refusal = refused
			return err
		}
		if !old.ClosesAt.Equal(next.ClosesAt) && !old.Posted {
			deadlines := tx.Bucket(bucketDeadlines)
			if !old.ClosesAt.IsZero() {
				if err := deadlines.Delete(timeKey(old.ClosesAt, id)); err != nil {
					return err
				}
			}
			if !next.ClosesAt.IsZero() {
				if err := deadlines.Put(timeKey(next.ClosesAt, id), nil); err != nil {
					return err
				}
			}
		}
		if err := deleteReminder(tx, old); err != nil {
			return err
		}
		if err := putReminder(tx, next); err != nil {
			return err
		}
		p = next
		return put(tx.Bucket(bucketPolls), []byte(id), next)
	})
	if err != nil {
		return p, t, err
	}
	return p, t, refusal
}

// putReminder puts p in the reminder index when it waits for its
// reminder.
func putReminder(tx *bolt.Tx, p poll.Poll) error {
	if !p.AwaitsReminder() {
		return nil
	}
	return tx.Bucket(bucketReminders).Put(timeKey(p.RemindAt(), p.ID), nil)
}

// deleteReminder takes p out of the reminder index.
func deleteReminder(tx *bolt.Tx, p poll.Poll) error {
	if at := p.RemindAt(); !at.IsZero() {
		return tx.Bucket(bucketReminders).Delete(timeKey(at, p.ID))
	}
	return nil
}

// RemindersDue returns the open polls whose reminder time has come.
func (s *Store) RemindersDue(ctx context.Context, now time.Time) ([]poll.Poll, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []poll.Poll
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketReminders).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			at, id := keyTime(k)
			if at.After(now) {
				break
			}
			p, _, err := load(tx, id)
			if errors.Is(err, poll.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if p.AwaitsReminder() && p.ClosesAt.After(now) {
				out = append(out, p)
			}
		}
		return nil
	})
	return out, err
}

// SetRoster records the keys of the people in poll id's channel.
func (s *Store) SetRoster(ctx context.Context, id string, keys []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketPolls).Get([]byte(id)) == nil {
			return poll.ErrNotFound
		}
		roster := tx.Bucket(bucketRosters)
		for _, k := range keys {
			key := join(id, k)
			if roster.Get(key) != nil {
				continue
			}
			if err := put(roster, key, rosterEntry{}); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClaimReminders claims the reminders of those of people who may get one.
// It looks in a read transaction first, so that the many members who
// voted cost no commit; only a claim writes.
func (s *Store) ClaimReminders(ctx context.Context, id string, now time.Time, people []poll.Remindee) ([]poll.Remindee, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var claimable []poll.Remindee
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		claimable, err = mayClaim(tx, id, now, people)
		return err
	})
	if err != nil || len(claimable) == 0 {
		return nil, err
	}
	var claimed []poll.Remindee
	err = s.db.Update(func(tx *bolt.Tx) error {
		var err error
		if claimed, err = mayClaim(tx, id, now, claimable); err != nil {
			return err
		}
		roster := tx.Bucket(bucketRosters)
		for _, r := range claimed {
			if err := put(roster, join(id, r.Key), rosterEntry{Claimed: true, ClaimedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	return claimed, err
}

// mayClaim are those of people whose reminder of poll id may be claimed
// at now in tx: on the roster, not claimed, without a vote, while the poll
// is open.
func mayClaim(tx *bolt.Tx, id string, now time.Time, people []poll.Remindee) ([]poll.Remindee, error) {
	p, _, err := load(tx, id)
	if err != nil {
		return nil, err
	}
	if p.Closed || !p.ClosesAt.After(now) {
		return nil, nil
	}
	var out []poll.Remindee
	roster, votes := tx.Bucket(bucketRosters), tx.Bucket(bucketVotes)
	for _, r := range people {
		data := roster.Get(join(id, r.Key))
		if data == nil || votes.Get(join(id, r.Voter)) != nil {
			continue
		}
		var e rosterEntry
		if err := decode(data, &e); err != nil {
			return nil, err
		}
		if !e.Claimed {
			out = append(out, r)
		}
	}
	return out, nil
}
