package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// Corrections and reminders of polls (issue 13): UpdatePoll, and a poll's
// reminder time (the remind_ns column), roster and claims (the rosters
// and reminder_claims tables, migrations/00002).

// UpdatePoll changes poll id with change in one transaction, under the
// poll's row lock, and keeps its deadline and reminder time in step.
func (s *Store) UpdatePoll(ctx context.Context, id string, change func(*poll.Poll, poll.Tally) error) (poll.Poll, poll.Tally, error) {
	var p poll.Poll
	var t poll.Tally
	if err := ctx.Err(); err != nil {
		return p, t, err
	}
	var refusal error
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		refusal = nil
		old, tally, err := loadPoll(ctx, tx, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		p, t = old, tally
		next, refused, err := poll.Amend(old, tally, change)
		if refused != nil || err != nil {
			refusal = refused
			return err
		}
		// savePoll sets the reminder's time from next.
		if err := savePoll(ctx, tx, next); err != nil {
			return err
		}
		// An open poll's result is due at its deadline; a closed one's
		// due time is a retry of its post, which a new deadline does
		// not move.
		if !old.ClosesAt.Equal(next.ClosesAt) && !old.Posted && !old.Closed {
			var due *int64
			if !next.ClosesAt.IsZero() {
				ns := next.ClosesAt.UnixNano()
				due = &ns
			}
			if _, err := tx.Exec(ctx, "UPDATE polls SET due_ns = $2 WHERE id = $1", id, due); err != nil {
				return fmt.Errorf("update poll %s: %w", id, err)
			}
		}
		p = next
		return nil
	})
	if err != nil {
		return p, t, err
	}
	return p, t, refusal
}

// RemindersDue returns the open polls whose reminder time has come, oldest
// reminder first.
func (s *Store) RemindersDue(ctx context.Context, now time.Time) ([]poll.Poll, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := pool.Query(ctx, "SELECT id, data FROM polls WHERE remind_ns <= $1 ORDER BY remind_ns, id", now.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("reminders due: %w", err)
	}
	var out []poll.Poll
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("reminders due: %w", err)
		}
		var p poll.Poll
		if err := decode(data, &p); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reminders due: poll %s: %w", id, err)
		}
		if p.AwaitsReminder() && p.ClosesAt.After(now) {
			out = append(out, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reminders due: %w", err)
	}
	return out, nil
}

// SetRoster records the keys of the people in poll id's channel; keys it
// holds already keep their claims.
func (s *Store) SetRoster(ctx context.Context, id string, keys []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// The key share lock keeps the poll from being deleted until
		// the roster is in.
		var one int
		err := tx.QueryRow(ctx, "SELECT 1 FROM polls WHERE id = $1 FOR KEY SHARE", id).Scan(&one)
		if isNoRows(err) {
			return poll.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("roster of poll %s: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rosters (poll_id, key) SELECT $1, k FROM unnest($2::text[]) AS k ORDER BY k
			ON CONFLICT (poll_id, key) DO NOTHING`, id, keys); err != nil {
			return fmt.Errorf("roster of poll %s: %w", id, err)
		}
		return nil
	})
}

// ClaimReminders claims the reminders of those of people who may get one.
//
// A claim is a row of reminder_claims, inserted with ON CONFLICT DO
// NOTHING: its primary key (poll, roster key) is what makes it unique,
// so two instances (or two loops of one) that claim one person at once
// cannot both have the claim: the second waits for the first's
// transaction and, once that commits, inserts nothing and gets nothing
// back. The poll's row is share-locked meanwhile, so a close, a
// correction or a group of votes on the poll commits before the claim
// (which then sees it) or after it, never during; rows are inserted in
// key order, so that claimers do not deadlock.
//
// It looks first without a transaction, so that the many members who
// voted (or were claimed before) cost no commit; only a claim writes.
func (s *Store) ClaimReminders(ctx context.Context, id string, now time.Time, people []poll.Remindee) ([]poll.Remindee, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return nil, err
	}
	keys, voters := make([]string, len(people)), make([]string, len(people))
	for i, r := range people {
		keys[i], voters[i] = r.Key, r.Voter
	}
	var data []byte
	var claimable []string
	err = pool.QueryRow(ctx, "SELECT data, array("+mayClaim+") FROM polls WHERE id = $1", id, keys, voters).Scan(&data, &claimable)
	if isNoRows(err) {
		return nil, poll.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reminders of poll %s: %w", id, err)
	}
	var p poll.Poll
	if err := decode(data, &p); err != nil {
		return nil, fmt.Errorf("reminders of poll %s: %w", id, err)
	}
	if !remindable(p, now) || len(claimable) == 0 {
		return nil, nil
	}

	var claimed []string
	for range 3 {
		err = s.inTx(ctx, func(tx pgx.Tx) error {
			claimed = claimed[:0]
			p, _, err := loadPoll(ctx, tx, id, "FOR SHARE")
			if err != nil || !remindable(p, now) {
				return err
			}
			rows, err := tx.Query(ctx, `INSERT INTO reminder_claims (poll_id, key, claimed_at)
				SELECT $1::text, k.key, $4::timestamptz FROM (`+mayClaim+`) AS k(key) ORDER BY k.key
				ON CONFLICT (poll_id, key) DO NOTHING RETURNING key`, id, keys, voters, now)
			if err != nil {
				return err
			}
			claimed, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		if !retryable(err) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("claim reminders of poll %s: %w", id, err)
	}
	mine := make(map[string]bool, len(claimed))
	for _, k := range claimed {
		mine[k] = true
	}
	var out []poll.Remindee
	for _, r := range people {
		if mine[r.Key] {
			out = append(out, r)
			delete(mine, r.Key) // a person listed twice is claimed once
		}
	}
	return out, nil
}

// mayClaim selects, of the roster keys $2 with their voter keys $3, those
// whose reminder of poll $1 may be claimed: on the roster, not claimed,
// without a vote.
const mayClaim = `SELECT DISTINCT k.key FROM unnest($2::text[], $3::text[]) AS k(key, voter)
	WHERE EXISTS (SELECT 1 FROM rosters r WHERE r.poll_id = $1 AND r.key = k.key)
	AND NOT EXISTS (SELECT 1 FROM reminder_claims c WHERE c.poll_id = $1 AND c.key = k.key)
	AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.poll_id = $1 AND v.voter = k.voter)`

// remindable reports whether p's non-voters may be reminded at now: while
// it is open.
func remindable(p poll.Poll, now time.Time) bool { return !p.Closed && p.ClosesAt.After(now) }
