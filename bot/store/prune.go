package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// PrunePolls deletes the polls closed before t whose result was posted,
// with their tallies and votes.
func (s *Store) PrunePolls(ctx context.Context, t time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	// Find them without a write transaction: most hours nothing is due.
	var old []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPolls).ForEach(func(k, v []byte) error {
			var p poll.Poll
			if err := decode(v, &p); err != nil {
				return fmt.Errorf("poll %s: %w", k, err)
			}
			if prunable(p, t) {
				old = append(old, string(k))
			}
			return nil
		})
	})
	if err != nil || len(old) == 0 {
		return 0, err
	}
	n := 0
	err = s.db.Update(func(tx *bolt.Tx) error {
		n = 0
		for _, id := range old {
			p, _, err := load(tx, id)
			if errors.Is(err, poll.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if !prunable(p, t) {
				continue // put back in line for posting since the look
			}
			if err := deletePoll(tx, id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// prunable reports whether p closed before t and its result was posted.
func prunable(p poll.Poll, t time.Time) bool { return p.Closed && p.Posted && p.ClosedAt.Before(t) }

// deletePoll deletes a closed poll with its tally, votes, roster and
// origin.
func deletePoll(tx *bolt.Tx, id string) error {
	p, _, err := load(tx, id)
	if err != nil {
		return err
	}
	if err := deleteReminder(tx, p); err != nil {
		return err
	}
	if p.Origin != "" {
		if err := tx.Bucket(bucketOrigins).Delete([]byte(p.Origin)); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketPolls).Delete([]byte(id)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketTallies).Delete([]byte(id)); err != nil {
		return err
	}
	for _, b := range [][]byte{bucketVotes, bucketRosters} {
		if err := deletePrefix(tx.Bucket(b), append([]byte(id), 0)); err != nil {
			return err
		}
	}
	return nil
}

// deletePrefix deletes the keys of b that start with prefix.
func deletePrefix(b *bolt.Bucket, prefix []byte) error {
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
