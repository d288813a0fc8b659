package store

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/schedule"
)

// Contents is everything a data file holds, as it is stored, for copying
// it to another store (waardenbot migrate copies it to PostgreSQL).
type Contents struct {
	Secret []byte // the installation's key for anonymous voters
	Polls  []PollRecord
	// Origins are the form submissions that made polls, each with the
	// ID of its poll: one poll per origin.
	Origins   map[string]string
	Schedules []schedule.Schedule // reflections with their rotations, debates
	Runs      []RunRecord
	Number    uint64 // the last number NextNumber gave (debate numbers)
}

// PollRecord is a poll with everything kept about it.
type PollRecord struct {
	Poll  poll.Poll
	Tally poll.Tally
	// Votes by voter key: a user ID, or in an anonymous poll the keyed
	// hash made with the secret.
	Votes map[string]poll.Vote
	// Due is when its result is still to be posted (its deadline, or a
	// retry after a failed post); zero when nothing is left to post.
	Due time.Time
	// Roster holds the roster keys of the people who were in the poll's
	// channel when it started (poll.Store.SetRoster), in key order.
	Roster []string
	// Claims are the reminders claimed (poll.Store.ClaimReminders), by
	// roster key, with when; every one of them is on the Roster.
	Claims map[string]time.Time
}

// RunRecord is the record of one scheduled run.
type RunRecord struct {
	schedule.Run
	Updated time.Time
}

// Contents reads everything in the file in one read transaction.
func (s *Store) Contents(ctx context.Context) (Contents, error) {
	var c Contents
	if err := ctx.Err(); err != nil {
		return c, err
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		c.Secret = bytes.Clone(tx.Bucket(bucketMeta).Get(keySecret))
		c.Number = tx.Bucket(schedulesBucket).Sequence()
		due := map[string]time.Time{}
		if err := tx.Bucket(bucketDeadlines).ForEach(func(k, _ []byte) error {
			at, id := keyTime(k)
			if old, ok := due[id]; !ok || at.Before(old) {
				due[id] = at
			}
			return nil
		}); err != nil {
			return err
		}
		byID := map[string]int{}
		if err := tx.Bucket(bucketPolls).ForEach(func(k, _ []byte) error {
			p, t, err := load(tx, string(k))
			if err != nil {
				return err
			}
			byID[p.ID] = len(c.Polls)
			r := PollRecord{Poll: p, Tally: t, Votes: map[string]poll.Vote{}, Claims: map[string]time.Time{}}
			if !p.Posted {
				r.Due = due[p.ID]
			}
			c.Polls = append(c.Polls, r)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketVotes).ForEach(func(k, v []byte) error {
			id, voter, ok := bytes.Cut(k, []byte{0})
			i, known := byID[string(id)]
			if !ok || !known {
				return nil // a vote of a poll that is gone counts for nothing
			}
			var vote poll.Vote
			if err := decode(v, &vote); err != nil {
				return fmt.Errorf("vote %q: %w", k, err)
			}
			c.Polls[i].Votes[string(voter)] = vote
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketRosters).ForEach(func(k, v []byte) error {
			id, key, ok := bytes.Cut(k, []byte{0})
			i, known := byID[string(id)]
			if !ok || !known {
				return nil // the roster of a poll that is gone reminds nobody
			}
			var e rosterEntry
			if err := decode(v, &e); err != nil {
				return fmt.Errorf("roster entry %q: %w", k, err)
			}
			r := &c.Polls[i]
			r.Roster = append(r.Roster, string(key))
			if e.Claimed {
				r.Claims[string(key)] = e.ClaimedAt
			}
			return nil
		}); err != nil {
			return err
		}
		c.Origins = map[string]string{}
		if err := tx.Bucket(bucketOrigins).ForEach(func(k, v []byte) error {
			if _, known := byID[string(v)]; known {
				c.Origins[string(k)] = string(v)
			}
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(schedulesBucket).ForEach(func(k, v []byte) error {
			var sc schedule.Schedule
			if err := decode(v, &sc); err != nil {
				return fmt.Errorf("schedule %s: %w", k, err)
			}
			c.Schedules = append(c.Schedules, sc)
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(runsBucket).ForEach(func(k, v []byte) error {
			id, at, ok := splitRunKey(k)
			if !ok {
				return fmt.Errorf("malformed run key %q", k)
			}
			var r run
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("run %q: %w", k, err)
			}
			c.Runs = append(c.Runs, RunRecord{Run: schedule.Run{ScheduleID: id, At: at, State: r.State}, Updated: r.Updated})
			return nil
		})
	})
	if err != nil {
		return Contents{}, fmt.Errorf("read %s: %w", s.Path(), err)
	}
	return c, nil
}
