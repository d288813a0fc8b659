package postgres

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/poll"
)

var _ poll.Store = (*Store)(nil)

// ensureSecret reads the installation's secret, making it the first time.
// Instances that start together agree on one: the first insert wins.
func ensureSecret(ctx context.Context, pool *pgxpool.Pool) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("make secret: %w", err)
	}
	if _, err := pool.Exec(ctx, "INSERT INTO meta (key, value) VALUES ('secret', $1) ON CONFLICT (key) DO NOTHING", fresh); err != nil {
		return nil, fmt.Errorf("postgres: store the secret: %w", err)
	}
	var secret []byte
	if err := pool.QueryRow(ctx, "SELECT value FROM meta WHERE key = 'secret'").Scan(&secret); err != nil {
		return nil, fmt.Errorf("postgres: read the secret: %w", err)
	}
	if len(secret) != 32 {
		return nil, fmt.Errorf("postgres: the secret in meta has %d bytes, want 32", len(secret))
	}
	return secret, nil
}

// Secret is the installation's random 32-byte key, made when the database
// was first used (or copied from the bbolt file by waardenbot migrate).
func (s *Store) Secret(ctx context.Context) ([]byte, error) {
	if _, err := s.db(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.secret), ctx.Err()
}

// pollColumns are a poll's columns besides its tally and due time, in the
// order of insertPoll's and updatePoll's parameters $2 to $10: every
// column derived from the poll's JSON, so that a poll stored with them
// keeps them in step (its reminder's time among them).
func pollColumns(p poll.Poll) ([]any, error) {
	data, err := encode(p)
	if err != nil {
		return nil, err
	}
	var closed, remind *int64
	if p.Closed {
		ns := p.ClosedAt.UnixNano()
		closed = &ns
	}
	if p.AwaitsReminder() {
		ns := p.RemindAt().UnixNano()
		remind = &ns
	}
	return []any{data, p.Where.Platform, p.Where.Team, p.Where.Channel, p.Created.UnixNano(), !p.Closed, p.Posted, closed, remind}, nil
}

const insertPoll = `INSERT INTO polls (id, data, platform, team, channel, created_ns, open, posted, closed_ns, remind_ns, tally, due_ns)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`

const updatePoll = `UPDATE polls SET data = $2, platform = $3, team = $4, channel = $5, created_ns = $6, open = $7, posted = $8, closed_ns = $9,
	remind_ns = $10 WHERE id = $1`

// CreatePoll stores a new poll with an empty tally, records its origin
// and links it to the poll it repeats, in one transaction. A second poll
// from one origin is refused by the origins' primary key: when two
// instances create one at once, the second waits for the first and,
// once that commits, gets ErrDuplicate.
func (s *Store) CreatePoll(ctx context.Context, p poll.Poll) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cols, err := pollColumns(p)
	if err != nil {
		return err
	}
	tally, err := encode(poll.Tally{Votes: map[string]int{}})
	if err != nil {
		return err
	}
	var due *int64
	if !p.ClosesAt.IsZero() && !p.Posted {
		ns := p.ClosesAt.UnixNano()
		due = &ns
	}
	args := append(append([]any{p.ID}, cols...), tally, due)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, insertPoll, args...)
		if err != nil {
			return fmt.Errorf("create poll %s: %w", p.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return poll.ErrIDTaken
		}
		if p.Origin != "" {
			tag, err := tx.Exec(ctx, "INSERT INTO origins (origin, poll_id) VALUES ($1, $2) ON CONFLICT (origin) DO NOTHING", p.Origin, p.ID)
			if err != nil {
				return fmt.Errorf("create poll %s: its origin: %w", p.ID, err)
			}
			if tag.RowsAffected() == 0 {
				return poll.ErrDuplicate
			}
		}
		if p.Repeats != "" {
			first, _, err := loadPoll(ctx, tx, p.Repeats, "FOR UPDATE")
			if err != nil {
				return err
			}
			first.RepeatedBy = append(first.RepeatedBy, p.ID)
			return savePoll(ctx, tx, first)
		}
		return nil
	})
}

// Poll returns poll id and its tally.
func (s *Store) Poll(ctx context.Context, id string) (poll.Poll, poll.Tally, error) {
	if err := ctx.Err(); err != nil {
		return poll.Poll{}, poll.Tally{}, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return poll.Poll{}, poll.Tally{}, err
	}
	return loadPoll(ctx, pool, id, "")
}

// rowQuerier is a pool or a transaction.
type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// loadPoll reads a poll and its tally; lock is "", "FOR UPDATE" or "FOR
// SHARE".
func loadPoll(ctx context.Context, q rowQuerier, id, lock string) (poll.Poll, poll.Tally, error) {
	var p poll.Poll
	var t poll.Tally
	var data, tally []byte
	err := q.QueryRow(ctx, "SELECT data, tally FROM polls WHERE id = $1 "+lock, id).Scan(&data, &tally)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, t, poll.ErrNotFound
	}
	if err != nil {
		return p, t, fmt.Errorf("read poll %s: %w", id, err)
	}
	return decodePoll(id, data, tally)
}

func decodePoll(id string, data, tally []byte) (poll.Poll, poll.Tally, error) {
	var p poll.Poll
	var t poll.Tally
	if err := decode(data, &p); err != nil {
		return p, t, fmt.Errorf("poll %s: %w", id, err)
	}
	if err := decode(tally, &t); err != nil {
		return p, t, fmt.Errorf("tally %s: %w", id, err)
	}
	if t.Votes == nil {
		t.Votes = map[string]int{}
	}
	return p, t, nil
}

// savePoll stores p's data and columns in tx.
func savePoll(ctx context.Context, tx pgx.Tx, p poll.Poll) error {
	cols, err := pollColumns(p)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, updatePoll, append([]any{p.ID}, cols...)...); err != nil {
		return fmt.Errorf("store poll %s: %w", p.ID, err)
	}
	return nil
}

// closePoll marks p closed at at with its result posted: no longer open in
// its channel, and nothing left to post.
func closePoll(ctx context.Context, tx pgx.Tx, p *poll.Poll, at time.Time) error {
	if !p.Closed {
		p.Closed, p.ClosedAt = true, at
	}
	p.Posted = true
	if err := savePoll(ctx, tx, *p); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "UPDATE polls SET due_ns = NULL WHERE id = $1", p.ID)
	return err
}

// ClosePoll closes poll id by hand.
func (s *Store) ClosePoll(ctx context.Context, id string, at time.Time, allow func(poll.Poll) error) (poll.Poll, poll.Tally, error) {
	var p poll.Poll
	var t poll.Tally
	if err := ctx.Err(); err != nil {
		return p, t, err
	}
	var refusal error
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		refusal = nil
		var err error
		if p, t, err = loadPoll(ctx, tx, id, "FOR UPDATE"); err != nil {
			return err
		}
		if refusal = poll.CloseRefusal(p, allow); refusal != nil {
			return nil
		}
		return closePoll(ctx, tx, &p, at)
	})
	if err != nil {
		return p, t, err
	}
	return p, t, refusal
}

// CloseDue closes the polls whose deadline (or retry time) has come, in
// one transaction: the rows it closes are locked, so that two instances
// (or a leader and its successor) cannot close and post one poll twice.
// The polls come back in order of their due time.
func (s *Store) CloseDue(ctx context.Context, now time.Time) ([]poll.Poll, []poll.Tally, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	type due struct {
		p   poll.Poll
		t   poll.Tally
		at  int64
		out bool
	}
	var all []due
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		all = all[:0]
		// Locked in ID order, as the vote committer locks polls: no
		// deadlock between the two.
		rows, err := tx.Query(ctx, "SELECT id, data, tally, due_ns FROM polls WHERE due_ns <= $1 ORDER BY id FOR UPDATE", now.UnixNano())
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var data, tally []byte
			var d due
			if err := rows.Scan(&id, &data, &tally, &d.at); err != nil {
				return err
			}
			if d.p, d.t, err = decodePoll(id, data, tally); err != nil {
				rows.Close()
				return err
			}
			all = append(all, d)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range all {
			d := &all[i]
			if d.p.Posted {
				if _, err := tx.Exec(ctx, "UPDATE polls SET due_ns = NULL WHERE id = $1", d.p.ID); err != nil {
					return err
				}
				continue
			}
			closedAt := d.p.ClosesAt
			if closedAt.IsZero() || closedAt.After(now) {
				closedAt = now
			}
			if err := closePoll(ctx, tx, &d.p, closedAt); err != nil {
				return err
			}
			d.out = true
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(all, func(a, b due) int { return cmpInt(a.at, b.at) })
	var polls []poll.Poll
	var tallies []poll.Tally
	for _, d := range all {
		if d.out {
			polls, tallies = append(polls, d.p), append(tallies, d.t)
		}
	}
	return polls, tallies, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Unposted puts a closed poll's result back in line for posting at retryAt.
func (s *Store) Unposted(ctx context.Context, id string, retryAt time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		p, _, err := loadPoll(ctx, tx, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		p.Posted = false
		if err := savePoll(ctx, tx, p); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE polls SET due_ns = $2 WHERE id = $1", id, retryAt.UnixNano())
		return err
	})
}

// SetPollMessage records where poll id is shown.
func (s *Store) SetPollMessage(ctx context.Context, id, message string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		p, _, err := loadPoll(ctx, tx, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		p.Message = message
		return savePoll(ctx, tx, p)
	})
}

// PrunePolls deletes the polls closed before t whose result was posted;
// their votes, roster, reminder claims and origin go with them (ON DELETE
// CASCADE), which frees the origin.
func (s *Store) PrunePolls(ctx context.Context, t time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return 0, err
	}
	tag, err := pool.Exec(ctx, "DELETE FROM polls WHERE posted AND closed_ns < $1", t.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("prune polls: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// OpenPolls lists the open polls of a channel, oldest first.
func (s *Store) OpenPolls(ctx context.Context, where chat.Destination) ([]poll.Poll, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := pool.Query(ctx, `SELECT data FROM polls WHERE open AND platform = $1 AND team = $2 AND channel = $3
		ORDER BY created_ns, id`, where.Platform, where.Team, where.Channel)
	if err != nil {
		return nil, fmt.Errorf("open polls: %w", err)
	}
	var out []poll.Poll
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var p poll.Poll
		if err := decode(data, &p); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Every value is JSON, encoded and decoded here and nowhere else in the
// package: the same JSON as in the bbolt file.

func encode(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return data, nil
}

func decode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
