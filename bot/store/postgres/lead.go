package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// How the leader keeps checking that it still holds the lock.
const (
	leaderCheck        = time.Second     // how often it pings the lock's connection
	leaderCheckTimeout = 2 * time.Second // how long a ping may take before it steps down
	leaderRetry        = 2 * time.Second // how long it waits before it tries again after a failure
	leaderIdle         = 5 * time.Second // how long the server lets the leader's session be silent
)

// Lead calls run each time this instance becomes the leader of the
// instances that share the database (and schema), with a context that
// ends when it stops leading, until ctx ends. It is how bot.Run runs the
// clock on one instance only (bot.Elector).
//
// The leader is whoever holds a PostgreSQL advisory lock, taken on a
// connection of its own and held for as long as that connection lives.
// The others wait in pg_advisory_lock on their own connections, so when
// the leader's session ends the next one has the lock at once:
//
//   - a leader that stops (SIGTERM) or is killed (SIGKILL) closes its
//     connection (the kernel does, for a killed process), PostgreSQL ends
//     the session and releases the lock: another instance leads within
//     milliseconds and runs CatchUp (deadlines passed meanwhile, runs
//     missed within the grace period);
//   - a leader that hangs (a frozen process, a machine that stalls) or is
//     cut off from PostgreSQL stops pinging its session, which it does
//     every second; the server ends a session that is silent for 5 s
//     (idle_session_timeout, PostgreSQL 14 and later), releasing the lock,
//     and the next instance leads: within about 5 s. A leader that is cut
//     off notices within about 3 s (a ping fails) and stops running the
//     clock; one that hangs and comes back finds its session gone at its
//     next ping and steps down.
//
// Two leaders may overlap for a moment (a session the server has not yet
// seen die; a ping that has not yet failed), and nothing depends on them
// not to: every claim the clock makes (a scheduled run, a poll's result)
// is unique in the database. The election only keeps the work in one
// place.
func (s *Store) Lead(ctx context.Context, run func(context.Context) error) error {
	if _, err := s.db(ctx); err != nil {
		return err
	}
	for {
		err := s.term(ctx, run)
		if ctx.Err() != nil {
			return nil
		}
		s.log.Error("not leading; trying again", "in", leaderRetry, "err", err, "fix", "check that the PostgreSQL database answers (waardenbot check); another instance leads meanwhile if one can reach it")
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(leaderRetry):
		}
	}
}

// term waits for the lock on a new connection and runs run while it holds
// it. It returns when run does, or when the connection fails.
func (s *Store) term(ctx context.Context, run func(context.Context) error) error {
	cfg := s.cfg.ConnConfig.Copy()
	// The leader pings its session every second; a session idle for
	// leaderIdle belongs to a leader that hangs or is cut off, and the
	// server ends it, which frees the lock. (A follower's session waits
	// in pg_advisory_lock: it is not idle.)
	cfg.RuntimeParams["idle_session_timeout"] = strconv.Itoa(int(leaderIdle / time.Millisecond))
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect for the leader's lock: %w", err)
	}
	defer func() {
		closing, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn.Close(closing)
		cancel()
	}()
	s.log.Debug("waiting to lead")
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", lockLeader); err != nil {
		return fmt.Errorf("wait for the leader's lock: %w", err)
	}
	s.log.Info("leading: this instance runs deadlines and scheduled posts")
	lead, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- run(lead) }()
	tick := time.NewTicker(leaderCheck)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err == nil && ctx.Err() == nil {
				err = fmt.Errorf("the clock stopped")
			}
			s.log.Info("no longer leading", "err", err)
			return err
		case <-tick.C:
			ping, cancel := context.WithTimeout(ctx, leaderCheckTimeout)
			err := conn.Ping(ping)
			cancel()
			if err != nil && ctx.Err() == nil {
				s.log.Error("lost the connection that holds the leadership; no longer leading", "err", err, "fix", "check the network between this instance and PostgreSQL; another instance takes over within seconds, and this one tries to lead again")
				stop()
				<-done
				return err
			}
		}
	}
}
