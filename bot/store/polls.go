package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/poll"
)

// Buckets, one per kind of thing.
var (
	bucketPolls     = []byte("polls")     // poll ID → poll.Poll
	bucketTallies   = []byte("tallies")   // poll ID → poll.Tally
	bucketVotes     = []byte("votes")     // poll ID, 0, voter → poll.Vote
	bucketDeadlines = []byte("deadlines") // time, poll ID → nothing: results still to post
	bucketChannels  = []byte("channels")  // platform, 0, team, 0, channel, 0, created, poll ID → nothing: open polls
	bucketMeta      = []byte("meta")      // "secret" → 32 random bytes
	bucketOrigins   = []byte("origins")   // form submission → poll ID: one poll per submission
	bucketReminders = []byte("reminders") // time, poll ID → nothing: reminders still to send
	bucketRosters   = []byte("rosters")   // poll ID, 0, roster key → rosterEntry
)

var allBuckets = [][]byte{bucketPolls, bucketTallies, bucketVotes, bucketDeadlines, bucketChannels, bucketMeta, schedulesBucket, runsBucket,
	bucketOrigins, bucketReminders, bucketRosters}

var keySecret = []byte("secret")

var _ poll.Store = (*Store)(nil)

// prepare creates the buckets, and the installation's secret the first time.
func (s *Store) prepare() error {
	// A file made before has everything: read it without a commit (and its
	// two fsyncs), which keeps start-up short.
	ready := false
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				return nil
			}
		}
		if secret := tx.Bucket(bucketMeta).Get(keySecret); len(secret) == 32 {
			s.secret, ready = bytes.Clone(secret), true
		}
		return nil
	})
	if err != nil || ready {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if secret := meta.Get(keySecret); len(secret) == 32 {
			s.secret = bytes.Clone(secret)
			return nil
		}
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return fmt.Errorf("make secret: %w", err)
		}
		s.secret = secret
		return meta.Put(keySecret, secret)
	})
}

// Secret is the installation's random 32-byte key, made when the file was
// created.
func (s *Store) Secret(ctx context.Context) ([]byte, error) {
	if _, err := s.db.open(); err != nil {
		return nil, err
	}
	return bytes.Clone(s.secret), ctx.Err()
}

// CreatePoll stores a new poll with an empty tally, records its origin,
// and links it to the poll it repeats.
func (s *Store) CreatePoll(ctx context.Context, p poll.Poll) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		polls := tx.Bucket(bucketPolls)
		if polls.Get([]byte(p.ID)) != nil {
			return poll.ErrIDTaken
		}
		if p.Origin != "" {
			origins := tx.Bucket(bucketOrigins)
			if origins.Get([]byte(p.Origin)) != nil {
				return poll.ErrDuplicate
			}
			if err := origins.Put([]byte(p.Origin), []byte(p.ID)); err != nil {
				return err
			}
		}
		if p.Repeats != "" {
			if err := changePoll(tx, p.Repeats, func(first *poll.Poll) { first.RepeatedBy = append(first.RepeatedBy, p.ID) }); err != nil {
				return err
			}
		}
		if err := putReminder(tx, p); err != nil {
			return err
		}
		if err := put(polls, []byte(p.ID), p); err != nil {
			return err
		}
		if err := put(tx.Bucket(bucketTallies), []byte(p.ID), poll.Tally{Votes: map[string]int{}}); err != nil {
			return err
		}
		if !p.Closed {
			if err := tx.Bucket(bucketChannels).Put(channelKey(p), nil); err != nil {
				return err
			}
		}
		if !p.ClosesAt.IsZero() && !p.Posted {
			return tx.Bucket(bucketDeadlines).Put(timeKey(p.ClosesAt, p.ID), nil)
		}
		return nil
	})
}

// Poll returns poll id and its tally.
func (s *Store) Poll(ctx context.Context, id string) (poll.Poll, poll.Tally, error) {
	var p poll.Poll
	var t poll.Tally
	if err := ctx.Err(); err != nil {
		return p, t, err
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		p, t, err = load(tx, id)
		return err
	})
	return p, t, err
}

// ClosePoll closes poll id by hand.
func (s *Store) ClosePoll(ctx context.Context, id string, at time.Time, allow func(poll.Poll) error) (poll.Poll, poll.Tally, error) {
	var p poll.Poll
	var t poll.Tally
	if err := ctx.Err(); err != nil {
		return p, t, err
	}
	var refusal error
	err := s.db.Update(func(tx *bolt.Tx) error {
		refusal = nil
		var err error
		if p, t, err = load(tx, id); err != nil {
			return err
		}
		if refusal = poll.CloseRefusal(p, allow); refusal != nil {
			return nil
		}
		return closePoll(tx, &p, at)
	})
	if err != nil {
		return p, t, err
	}
	return p, t, refusal
}

// closePoll marks p closed at at with its result posted, and removes it
// from the open polls of its channel and from the deadlines.
func closePoll(tx *bolt.Tx, p *poll.Poll, at time.Time) error {
	if !p.Closed {
		if err := deleteReminder(tx, *p); err != nil {
			return err
		}
		p.Closed, p.ClosedAt = true, at
		if err := tx.Bucket(bucketChannels).Delete(channelKey(*p)); err != nil {
			return err
		}
		if !p.ClosesAt.IsZero() {
			if err := tx.Bucket(bucketDeadlines).Delete(timeKey(p.ClosesAt, p.ID)); err != nil {
				return err
			}
		}
	}
	p.Posted = true
	return put(tx.Bucket(bucketPolls), []byte(p.ID), *p)
}

// CloseDue closes the polls whose deadline has come. It looks first in a
// read transaction, so that the deadline loop does not write (and sync) the
// file when nothing is due.
func (s *Store) CloseDue(ctx context.Context, now time.Time) ([]poll.Poll, []poll.Tally, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	due := false
	if err := s.db.View(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketDeadlines).Cursor().First()
		at, _ := keyTime(k)
		due = k != nil && !at.After(now)
		return nil
	}); err != nil || !due {
		return nil, nil, err
	}
	var polls []poll.Poll
	var tallies []poll.Tally
	err := s.db.Update(func(tx *bolt.Tx) error {
		polls, tallies = nil, nil
		deadlines := tx.Bucket(bucketDeadlines)
		var done [][]byte
		c := deadlines.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			at, id := keyTime(k)
			if at.After(now) {
				break
			}
			done = append(done, bytes.Clone(k))
			p, t, err := load(tx, id)
			if errors.Is(err, poll.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if p.Posted {
				continue
			}
			closedAt := p.ClosesAt
			if closedAt.IsZero() || closedAt.After(now) {
				closedAt = now
			}
			if err := closePoll(tx, &p, closedAt); err != nil {
				return err
			}
			polls, tallies = append(polls, p), append(tallies, t)
		}
		for _, k := range done {
			if err := deadlines.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return polls, tallies, nil
}

// Unposted puts a closed poll's result back in line for posting at retryAt.
func (s *Store) Unposted(ctx context.Context, id string, retryAt time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := changePoll(tx, id, func(p *poll.Poll) { p.Posted = false }); err != nil {
			return err
		}
		return tx.Bucket(bucketDeadlines).Put(timeKey(retryAt, id), nil)
	})
}

// SetPollMessage records where poll id is shown.
func (s *Store) SetPollMessage(ctx context.Context, id, message string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return changePoll(tx, id, func(p *poll.Poll) { p.Message = message })
	})
}

// OpenPolls lists the open polls of a channel, oldest first.
func (s *Store) OpenPolls(ctx context.Context, where chat.Destination) ([]poll.Poll, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []poll.Poll
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := append(join(where.Platform, where.Team, where.Channel), 0)
		c := tx.Bucket(bucketChannels).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			_, id := keyTime(k[len(prefix):])
			p, _, err := load(tx, id)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func channelKey(p poll.Poll) []byte {
	k := append(join(p.Where.Platform, p.Where.Team, p.Where.Channel), 0)
	return append(k, timeKey(p.Created, p.ID)...)
}

// load reads a poll and its tally in tx.
func load(tx *bolt.Tx, id string) (poll.Poll, poll.Tally, error) {
	var p poll.Poll
	var t poll.Tally
	data := tx.Bucket(bucketPolls).Get([]byte(id))
	if data == nil {
		return p, t, poll.ErrNotFound
	}
	if err := decode(data, &p); err != nil {
		return p, t, fmt.Errorf("poll %s: %w", id, err)
	}
	if data := tx.Bucket(bucketTallies).Get([]byte(id)); data != nil {
		if err := decode(data, &t); err != nil {
			return p, t, fmt.Errorf("tally %s: %w", id, err)
		}
	}
	if t.Votes == nil {
		t.Votes = map[string]int{}
	}
	return p, t, nil
}

// changePoll reads poll id in tx, changes it with fn and stores it.
func changePoll(tx *bolt.Tx, id string, fn func(*poll.Poll)) error {
	p, _, err := load(tx, id)
	if err != nil {
		return err
	}
	fn(&p)
	return put(tx.Bucket(bucketPolls), []byte(id), p)
}

// Polls lists every poll keep accepts, with its tally, oldest first (by
// creation, then ID). It reads the whole polls bucket in one read
// transaction.
func (s *Store) Polls(ctx context.Context, keep func(poll.Poll) bool) ([]poll.Poll, []poll.Tally, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	type found struct {
		p poll.Poll
		t poll.Tally
	}
	var all []found
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPolls).ForEach(func(k, v []byte) error {
			var p poll.Poll
			if err := decode(v, &p); err != nil {
				return fmt.Errorf("poll %s: %w", k, err)
			}
			if !keep(p) {
				return nil
			}
			p, t, err := load(tx, string(k))
			if err != nil {
				return err
			}
			all = append(all, found{p, t})
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(all, func(a, b found) int {
		return cmp.Or(a.p.Created.Compare(b.p.Created), strings.Compare(a.p.ID, b.p.ID))
	})
	polls, tallies := make([]poll.Poll, len(all)), make([]poll.Tally, len(all))
	for i, f := range all {
		polls[i], tallies[i] = f.p, f.t
	}
	return polls, tallies, nil
}

// Votes returns every vote of poll id with its voter's key, in key order.
func (s *Store) Votes(ctx context.Context, id string) ([]poll.Cast, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []poll.Cast
	err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketPolls).Get([]byte(id)) == nil {
			return poll.ErrNotFound
		}
		prefix := append([]byte(id), 0)
		c := tx.Bucket(bucketVotes).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var vote poll.Vote
			if err := decode(v, &vote); err != nil {
				return fmt.Errorf("vote in poll %s: %w", id, err)
			}
			out = append(out, poll.Cast{Voter: string(k[len(prefix):]), Vote: vote})
		}
		return nil
	})
	return out, err
}
