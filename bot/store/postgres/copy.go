package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/waardenbot/waardenbot/bot/store"
)

// Copied says what Import copied, and that the database holds it.
type Copied struct {
	Polls, Votes    int
	Rosters, Claims int // roster entries (people, per poll) and the reminders claimed of them
	Origins         int // the form submissions that made polls
	Schedules, Runs int
}

func (c Copied) String() string {
	return fmt.Sprintf("%d polls with %d votes, %d roster entries with %d reminders claimed, %d form origins, %d schedules, %d run records",
		c.Polls, c.Votes, c.Rosters, c.Claims, c.Origins, c.Schedules, c.Runs)
}

// Errors of Import.
var (
	// ErrInstancesRunning means instances of the bot use the database:
	// copying under them would mix two installations' writes.
	ErrInstancesRunning = errors.New("waardenbot instances are running on this database (one leads or waits to): stop them first")
	// ErrOtherInstallation means the database holds polls or schedules
	// made with another installation's secret.
	ErrOtherInstallation = errors.New("the database belongs to another installation (another secret, and polls or schedules of its own)")
)

// Import copies the contents of a bbolt data file into the database, in
// one transaction, and checks before it commits that the database holds
// what the file holds: every poll with its votes, roster and reminder
// claims, every form origin, every schedule, every run record. Nothing is
// written when anything fails.
//
// It can be run again: a poll in the file replaces the poll with its ID in
// the database whole (with its votes, roster, claims and origin), origins,
// schedules and runs replace those with their keys, the debate numbers
// continue after the highest either gave; what is only in the database
// stays. The file's secret becomes the
// database's, so that anonymous votes and Mattermost buttons stay valid;
// a database that already has another secret and polls or schedules
// is refused (ErrOtherInstallation), and so is a database that instances
// are running on (ErrInstancesRunning).
func (s *Store) Import(ctx context.Context, c store.Contents) (Copied, error) {
	var done Copied
	if len(c.Secret) != 32 {
		return done, fmt.Errorf("the file's secret has %d bytes, want 32", len(c.Secret))
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		done = Copied{}
		if err := noInstances(ctx, tx); err != nil {
			return err
		}
		if err := takeSecret(ctx, tx, c.Secret); err != nil {
			return err
		}
		for _, r := range c.Polls {
			if err := copyPoll(ctx, tx, r); err != nil {
				return err
			}
			done.Polls++
			done.Votes += len(r.Votes)
			done.Rosters += len(r.Roster)
			done.Claims += len(r.Claims)
		}
		if err := copyOrigins(ctx, tx, c.Origins); err != nil {
			return err
		}
		done.Origins = len(c.Origins)
		for _, sc := range c.Schedules {
			data, err := encode(sc)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schedules (id, data) VALUES ($1, $2)
				ON CONFLICT (id) DO UPDATE SET data = excluded.data`, sc.ID, data); err != nil {
				return fmt.Errorf("copy schedule %s: %w", sc.ID, err)
			}
			done.Schedules++
		}
		for _, r := range c.Runs {
			if _, err := tx.Exec(ctx, `INSERT INTO runs (schedule_id, at_ns, state, updated) VALUES ($1, $2, $3, $4)
				ON CONFLICT (schedule_id, at_ns) DO UPDATE SET state = excluded.state, updated = excluded.updated`,
				r.ScheduleID, r.At.UnixNano(), string(r.State), r.Updated); err != nil {
				return fmt.Errorf("copy run %s at %s: %w", r.ScheduleID, r.At, err)
			}
			done.Runs++
		}
		if c.Number > 0 {
			if _, err := tx.Exec(ctx, `SELECT setval('numbers', greatest($1, (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM numbers)))`, int64(c.Number)); err != nil {
				return fmt.Errorf("copy the debate numbers: %w", err)
			}
		}
		return verify(ctx, tx, c, done)
	})
	if err != nil {
		return Copied{}, err
	}
	s.mu.Lock()
	s.secret = bytes.Clone(c.Secret)
	s.mu.Unlock()
	return done, nil
}

// noInstances refuses while an instance leads or waits to lead in this
// schema: every `waardenbot run` does one or the other. The transaction
// holds the leader's lock until it ends, so none starts leading meanwhile.
func noInstances(ctx context.Context, tx pgx.Tx) error {
	var free bool
	if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema()))", lockLeader).Scan(&free); err != nil {
		return err
	}
	var waiting int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
		AND classid = $1 AND objid = hashtext(current_schema())::oid AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
		lockLeader).Scan(&waiting); err != nil {
		return err
	}
	if !free || waiting > 0 {
		return ErrInstancesRunning
	}
	return nil
}

// takeSecret makes the file's secret the database's, unless the database
// is another installation's.
func takeSecret(ctx context.Context, tx pgx.Tx, secret []byte) error {
	var ours []byte
	err := tx.QueryRow(ctx, "SELECT value FROM meta WHERE key = 'secret' FOR UPDATE").Scan(&ours)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return err
	case bytes.Equal(ours, secret):
		return nil
	default:
		var used bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM polls) OR EXISTS (SELECT 1 FROM schedules)").Scan(&used); err != nil {
			return err
		}
		if used {
			return ErrOtherInstallation
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('secret', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, secret)
	return err
}

// copyPoll replaces the poll with r's ID by r, with its votes, roster and
// claims (its origin the database had goes with the poll it replaces).
func copyPoll(ctx context.Context, tx pgx.Tx, r store.PollRecord) error {
	p := r.Poll
	if _, err := tx.Exec(ctx, "DELETE FROM polls WHERE id = $1", p.ID); err != nil {
		return fmt.Errorf("copy poll %s: %w", p.ID, err)
	}
	cols, err := pollColumns(p)
	if err != nil {
		return err
	}
	tally, err := encode(r.Tally)
	if err != nil {
		return err
	}
	var due *int64
	if !r.Due.IsZero() {
		ns := r.Due.UnixNano()
		due = &ns
	}
	if _, err := tx.Exec(ctx, insertPoll, append(append([]any{p.ID}, cols...), tally, due)...); err != nil {
		return fmt.Errorf("copy poll %s: %w", p.ID, err)
	}
	rows := make([][]any, 0, len(r.Votes))
	for voter, v := range r.Votes {
		data, err := encode(v)
		if err != nil {
			return err
		}
		rows = append(rows, []any{p.ID, voter, data})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"votes"}, []string{"poll_id", "voter", "data"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy the votes of poll %s: %w", p.ID, err)
	}
	rows = rows[:0]
	for _, key := range r.Roster {
		rows = append(rows, []any{p.ID, key})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"rosters"}, []string{"poll_id", "key"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy the roster of poll %s: %w", p.ID, err)
	}
	rows = rows[:0]
	for key, at := range r.Claims {
		rows = append(rows, []any{p.ID, key, at})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"reminder_claims"}, []string{"poll_id", "key", "claimed_at"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy the reminder claims of poll %s: %w", p.ID, err)
	}
	return nil
}

// copyOrigins records the file's origins, each for its poll.
func copyOrigins(ctx context.Context, tx pgx.Tx, origins map[string]string) error {
	var keys, ids []string
	for origin, id := range origins {
		keys, ids = append(keys, origin), append(ids, id)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO origins (origin, poll_id) SELECT * FROM unnest($1::text[], $2::text[])
		ON CONFLICT (origin) DO UPDATE SET poll_id = excluded.poll_id`, keys, ids); err != nil {
		return fmt.Errorf("copy the form origins: %w", err)
	}
	return nil
}

// verify counts, in the transaction that copied them, the polls, votes,
// roster entries, claims, origins, schedules and runs of the file that the
// database now holds.
func verify(ctx context.Context, tx pgx.Tx, c store.Contents, want Copied) error {
	var pollIDs, scheduleIDs, runIDs, origins, originPolls []string
	var runAts []int64
	for _, r := range c.Polls {
		pollIDs = append(pollIDs, r.Poll.ID)
	}
	for origin, id := range c.Origins {
		origins, originPolls = append(origins, origin), append(originPolls, id)
	}
	for _, sc := range c.Schedules {
		scheduleIDs = append(scheduleIDs, sc.ID)
	}
	for _, r := range c.Runs {
		runIDs, runAts = append(runIDs, r.ScheduleID), append(runAts, r.At.UnixNano())
	}
	var got Copied
	err := tx.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM polls WHERE id = ANY($1)),
		(SELECT count(*) FROM votes WHERE poll_id = ANY($1)),
		(SELECT count(*) FROM rosters WHERE poll_id = ANY($1)),
		(SELECT count(*) FROM reminder_claims WHERE poll_id = ANY($1)),
		(SELECT count(*) FROM origins JOIN unnest($5::text[], $6::text[]) AS k(origin, poll_id) ON origins.origin = k.origin AND origins.poll_id = k.poll_id),
		(SELECT count(*) FROM schedules WHERE id = ANY($2)),
		(SELECT count(*) FROM runs JOIN unnest($3::text[], $4::bigint[]) AS k(id, at) ON schedule_id = k.id AND at_ns = k.at)`,
		pollIDs, scheduleIDs, runIDs, runAts, origins, originPolls).Scan(&got.Polls, &got.Votes, &got.Rosters, &got.Claims, &got.Origins, &got.Schedules, &got.Runs)
	if err != nil {
		return fmt.Errorf("verify the copy: %w", err)
	}
	if got != want {
		return fmt.Errorf("verify the copy: the database holds %v of the file's %v; nothing was copied", got, want)
	}
	return nil
}
