package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store/internal/groupcommit"
)

// maxGroup is the most votes one commit takes.
const maxGroup = 1000

// groupTimeout bounds one attempt to commit a group of votes.
const groupTimeout = 30 * time.Second

// Vote applies change to the vote of voter(poll) in poll id and returns
// once the result is committed in PostgreSQL (group commit: a committer
// goroutine takes every vote that is waiting and commits them in one
// transaction, so hundreds of voters share a few commits). Change may run
// more than once (a group is tried again after a deadlock, and one by one
// after a failure), so it must have no side effects.
//
// Votes of every instance on one poll are serialised by the poll's row
// lock, which each group takes before it reads the votes: a vote always
// starts from the vote committed before it, whichever instance took that.
func (s *Store) Vote(ctx context.Context, id string, voter func(poll.Poll) string, change poll.Change) (poll.Poll, poll.Tally, poll.Vote, error) {
	if err := ctx.Err(); err != nil {
		return poll.Poll{}, poll.Tally{}, poll.Vote{}, err
	}
	if _, err := s.db(ctx); err != nil {
		return poll.Poll{}, poll.Tally{}, poll.Vote{}, err
	}
	r := groupcommit.NewRequest(id, voter, change)
	if s.solo {
		r.Send(s.commit([]*groupcommit.Request{r}))
		return r.Wait()
	}
	if !s.votes.Add(r) {
		return poll.Poll{}, poll.Tally{}, poll.Vote{}, ErrClosed
	}
	return r.Wait()
}

// commitGroup commits group in one transaction, trying again after a
// deadlock or a serialisation failure. When the database refuses the
// group for another reason, each vote is tried in a transaction of its
// own, so that one bad vote does not sink the others; when the database
// cannot be reached, every vote of the group fails.
func (s *Store) commitGroup(group []*groupcommit.Request) {
	err := s.commit(group)
	if err != nil && len(group) > 1 && refusedByDatabase(err) {
		for _, r := range group {
			r.Send(s.commit([]*groupcommit.Request{r}))
		}
		return
	}
	for _, r := range group {
		r.Send(err)
	}
}

func (s *Store) commit(group []*groupcommit.Request) error {
	var err error
	for range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), groupTimeout)
		err = s.inTx(ctx, func(tx pgx.Tx) error { return applyGroup(ctx, tx, group) })
		cancel()
		if !retryable(err) {
			return err
		}
	}
	return err
}

// retryable reports whether a transaction failed only because it met
// another one (a deadlock, a serialisation failure): trying it again may
// work.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// refusedByDatabase reports whether err is the database's (or the data's)
// answer rather than a connection that failed: then the votes of a group
// are worth trying one by one.
func refusedByDatabase(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) || errors.Is(err, errData)
}

// errData marks a stored value that cannot be read.
var errData = errors.New("unreadable stored value")

// voteKey is a vote's primary key.
type voteKey struct{ poll, voter string }

// applyGroup applies the votes of group in order in tx, in a fixed number
// of round trips however many votes it holds: lock and read the polls
// (in ID order, as CloseDue locks them), read the votes, then write the
// votes and tallies in one batch. A refusal is a result, not an error.
func applyGroup(ctx context.Context, tx pgx.Tx, group []*groupcommit.Request) error {
	type state struct {
		poll  poll.Poll
		tally poll.Tally
		dirty bool
	}
	ids := make([]string, 0, len(group))
	for _, r := range group {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	polls := make(map[string]*state, len(ids))
	rows, err := tx.Query(ctx, "SELECT id, data, tally FROM polls WHERE id = ANY($1) ORDER BY id FOR UPDATE", ids)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		var data, tally []byte
		if err := rows.Scan(&id, &data, &tally); err != nil {
			return err
		}
		p, t, err := decodePoll(id, data, tally)
		if err != nil {
			rows.Close()
			return fmt.Errorf("%w: %w", errData, err)
		}
		polls[id] = &state{poll: p, tally: t}
	}
	if err := rows.Err(); err != nil {
		return err
	}

	// The voters' keys depend on the poll (anonymous polls hash them).
	keys := make([]voteKey, len(group))
	var pollIDs, voters []string
	for i, r := range group {
		if st, ok := polls[r.ID]; ok {
			keys[i] = voteKey{r.ID, r.Voter(st.poll)}
			pollIDs, voters = append(pollIDs, r.ID), append(voters, keys[i].voter)
		}
	}
	current := make(map[voteKey]poll.Vote, len(group))
	rows, err = tx.Query(ctx, `SELECT v.poll_id, v.voter, v.data FROM votes v
		JOIN unnest($1::text[], $2::text[]) AS k(poll_id, voter) ON v.poll_id = k.poll_id AND v.voter = k.voter`, pollIDs, voters)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k voteKey
		var data []byte
		if err := rows.Scan(&k.poll, &k.voter, &data); err != nil {
			return err
		}
		var v poll.Vote
		if err := decode(data, &v); err != nil {
			rows.Close()
			return fmt.Errorf("%w: vote in poll %s: %w", errData, k.poll, err)
		}
		current[k] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}

	changed := map[voteKey]bool{}
	for i, r := range group {
		r.Res = groupcommit.Result{}
		st, ok := polls[r.ID]
		if !ok {
			r.Res.Err = poll.ErrNotFound
			continue
		}
		prev := current[keys[i]]
		r.Res.Poll = st.poll
		next, err := r.Change(st.poll, prev)
		if err != nil {
			r.Res.Tally, r.Res.Vote, r.Res.Err = cloneTally(st.tally), prev, err
			continue
		}
		st.tally.Apply(prev, next)
		current[keys[i]] = next
		changed[keys[i]] = true
		st.dirty = true
		r.Res.Tally, r.Res.Vote = cloneTally(st.tally), next
	}

	var b pgx.Batch
	var putPolls, putVoters, delPolls, delVoters []string
	var putData [][]byte
	for k := range changed {
		v := current[k]
		if len(v.Choices) == 0 {
			delPolls, delVoters = append(delPolls, k.poll), append(delVoters, k.voter)
			continue
		}
		data, err := encode(v)
		if err != nil {
			return err
		}
		putPolls, putVoters, putData = append(putPolls, k.poll), append(putVoters, k.voter), append(putData, data)
	}
	if len(putPolls) > 0 {
		b.Queue(`INSERT INTO votes (poll_id, voter, data) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
			ON CONFLICT (poll_id, voter) DO UPDATE SET data = excluded.data`, putPolls, putVoters, putData)
	}
	if len(delPolls) > 0 {
		b.Queue(`DELETE FROM votes v USING unnest($1::text[], $2::text[]) AS k(poll_id, voter)
			WHERE v.poll_id = k.poll_id AND v.voter = k.voter`, delPolls, delVoters)
	}
	var tallyIDs []string
	var tallies [][]byte
	for id, st := range polls {
		if !st.dirty {
			continue
		}
		data, err := encode(st.tally)
		if err != nil {
			return err
		}
		tallyIDs, tallies = append(tallyIDs, id), append(tallies, data)
	}
	if len(tallyIDs) > 0 {
		b.Queue(`UPDATE polls SET tally = k.tally FROM unnest($1::text[], $2::jsonb[]) AS k(id, tally) WHERE polls.id = k.id`, tallyIDs, tallies)
	}
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &b).Close()
}

func cloneTally(t poll.Tally) poll.Tally {
	return poll.Tally{Votes: maps.Clone(t.Votes), Voters: t.Voters}
}
