package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// Polls lists every poll keep accepts, open or closed, with its tally,
// oldest first (then by ID), as the bbolt store does. It reads every poll:
// keep is a Go function, so the filter cannot go into the query.
func (s *Store) Polls(ctx context.Context, keep func(poll.Poll) bool) ([]poll.Poll, []poll.Tally, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := pool.Query(ctx, `SELECT id, data, tally FROM polls ORDER BY created_ns, id`)
	if err != nil {
		return nil, nil, fmt.Errorf("list polls: %w", err)
	}
	defer rows.Close()
	var polls []poll.Poll
	var tallies []poll.Tally
	for rows.Next() {
		var id string
		var data, tally []byte
		if err := rows.Scan(&id, &data, &tally); err != nil {
			return nil, nil, fmt.Errorf("list polls: %w", err)
		}
		p, t, err := decodePoll(id, data, tally)
		if err != nil {
			return nil, nil, err
		}
		if keep(p) {
			polls, tallies = append(polls, p), append(tallies, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list polls: %w", err)
	}
	return polls, tallies, nil
}

// Votes returns every vote of poll id with its voter's key, in key order
// (the "C" collation of the voter column: byte order, as in bbolt), in
// one snapshot; poll.ErrNotFound when the poll does not exist.
func (s *Store) Votes(ctx context.Context, id string) ([]poll.Cast, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pool, err := s.db(ctx)
	if err != nil {
		return nil, err
	}
	var out []poll.Cast
	err = pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM polls WHERE id = $1)`, id).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return poll.ErrNotFound
		}
		rows, err := tx.Query(ctx, `SELECT voter, data FROM votes WHERE poll_id = $1 ORDER BY voter`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var voter string
			var data []byte
			if err := rows.Scan(&voter, &data); err != nil {
				return err
			}
			var v poll.Vote
			if err := decode(data, &v); err != nil {
				return fmt.Errorf("vote in poll %s: %w", id, err)
			}
			out = append(out, poll.Cast{Voter: voter, Vote: v})
		}
		return rows.Err()
	})
	if errors.Is(err, poll.ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("votes of poll %s: %w", id, err)
	}
	return out, nil
}
