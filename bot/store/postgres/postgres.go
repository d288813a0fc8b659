// Package postgres keeps waardenbot's state in PostgreSQL, so that several
// instances of the bot can share it: polls, votes, the rosters and claims
// of poll reminders, the forms' origins, schedules, run records, the
// installation's secret, and the requests some instance has already
// handled. It implements poll.Store and schedule.Store with the same
// contracts as the bbolt file of package bot/store (both pass the tests of
// package bot/store/storetest), and three things only a shared store
// needs:
//
//   - Lead (bot.Elector): the election of the one instance that runs the
//     clock (deadlines, scheduled posts), by a PostgreSQL advisory lock
//     held on a connection of its own;
//   - WatchSchedules (schedule.Watcher): a schedule changed by one
//     instance reaches the leader's timer at once, by LISTEN/NOTIFY;
//   - FirstSeen: a request or event handled by one instance is not handled
//     again by another (Slack's retries, Mattermost's WebSocket, which
//     delivers a mention to every instance).
//
// One file per concern: polls.go, votes.go (the group commit),
// reminders.go (corrections, rosters and reminder claims), schedules.go,
// seen.go, lead.go, watch.go, copy.go (waardenbot migrate), migrate.go
// with the schema in migrations/.
//
// Every value is stored as the JSON of its domain type, the same codec as
// the bbolt file, next to the columns that queries need; so a field added
// to a poll or a schedule needs no new migration. The schema is versioned
// with goose: the migrations are embedded in the binary and applied when
// the store first connects, under an advisory lock so that instances
// starting together apply them once; a database whose schema is newer than
// the binary knows is refused (ErrSchemaTooNew).
//
// A Store connects on first use, like the bbolt store opens its file, so
// that `waardenbot ask '/waarde privacy'` never needs the database; Open
// connects at once. Several installations can share one database, each in
// a schema of its own (search_path in the DSN): elections, notifications
// and the tables are per schema.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/waardenbot/waardenbot/bot/store/internal/groupcommit"
)

// ErrClosed means the store was closed.
var ErrClosed = errors.New("store closed")

// Store is waardenbot's state in PostgreSQL. It is safe for concurrent use,
// also by several processes on one database.
type Store struct {
	cfg *pgxpool.Config
	log *slog.Logger

	mu     sync.Mutex
	pool   *pgxpool.Pool // set once connected and migrated
	schema string        // current_schema(): the scope of locks and notifications
	secret []byte        // the installation's key for anonymous voters
	closed bool
	solo   bool // every vote its own transaction (WithoutGroupCommit)

	votes      *groupcommit.Queue
	stop       chan struct{} // closed by Close: ends the background work
	background sync.WaitGroup
}

// New returns a store for the database at dsn (a postgres:// URL or a
// key=value string, as libpq reads it) that connects when a method first
// needs it. Only a DSN that cannot be parsed is an error here.
func New(dsn string, log *slog.Logger, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	configure(cfg, dsn)
	s := &Store{
		cfg: cfg, log: log.With("store", "postgres"),
		stop: make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	s.votes = groupcommit.Start(maxGroup, s.commitGroup)
	s.background.Go(s.forgetSeen)
	return s, nil
}

// Option changes how a Store works.
type Option func(*Store)

// WithoutGroupCommit makes every vote its own transaction. It exists to
// measure what sharing commits gains (BENCHMARKS.md); a real installation
// has no reason to use it.
func WithoutGroupCommit() Option { return func(s *Store) { s.solo = true } }

// CheckDSN reports what is wrong with dsn, without connecting. Its error
// never shows a password.
func CheckDSN(dsn string) error {
	_, err := pgxpool.ParseConfig(dsn)
	return err
}

// Open is New, connected at once: it returns the error of connecting and
// of bringing the schema up to date (ErrSchemaTooNew among them).
func Open(ctx context.Context, dsn string, log *slog.Logger, opts ...Option) (*Store, error) {
	s, err := New(dsn, log, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := s.db(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// configure sets what every connection of the store needs, unless the DSN
// says otherwise.
func configure(cfg *pgxpool.Config, dsn string) {
	params := cfg.ConnConfig.RuntimeParams
	if params["application_name"] == "" {
		params["application_name"] = applicationName
	}
	// The server notices a client that vanished (a killed process is
	// noticed at once; a machine cut off from the network by keepalives
	// and, with data unacknowledged, by tcp_user_timeout) within about
	// 10 s and ends its session, releasing what it held: the leader's
	// lock among them.
	//
	// A transaction of the store never waits for anything but the
	// database, so one that waits for its client for 5 s belongs to a
	// process that hangs (or is cut off): the server ends it, and the row
	// locks it held (a poll's, while its votes commit) are free again.
	for k, v := range map[string]string{
		"tcp_keepalives_idle": "4", "tcp_keepalives_interval": "2", "tcp_keepalives_count": "3", "tcp_user_timeout": "10000",
		"idle_in_transaction_session_timeout": "5000",
	} {
		if params[k] == "" {
			params[k] = v
		}
	}
	// And the client notices a server it can no longer reach.
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: 4 * time.Second, Interval: 2 * time.Second, Count: 3}}
	cfg.ConnConfig.DialFunc = d.DialContext
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = defaultConns
	}
}

// applicationName is how the store's connections show in
// pg_stat_activity; waardenbot migrate looks for it to refuse copying into
// a database that instances are using.
const applicationName = "waardenbot"

// defaultConns is the pool's size unless the DSN sets pool_max_conns: the
// vote committer, the handlers' reads and claims. The leader's lock and
// the schedule listener have connections of their own.
const defaultConns = 10

// db returns the pool, connecting and migrating on the first call. A
// failure is not kept: the next call tries again.
func (s *Store) db(ctx context.Context) (*pgxpool.Pool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return nil, ErrClosed
	case s.pool != nil:
		return s.pool, nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, s.cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := s.prepare(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	s.pool = pool
	return pool, nil
}

// prepare brings the schema up to date and reads what the store keeps in
// memory: the schema's name and the installation's secret (made the first
// time).
func (s *Store) prepare(ctx context.Context, pool *pgxpool.Pool) error {
	if err := migrate(ctx, pool, s.log); err != nil {
		return err
	}
	if err := pool.QueryRow(ctx, "SELECT current_schema()").Scan(&s.schema); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	secret, err := ensureSecret(ctx, pool)
	if err != nil {
		return err
	}
	s.secret = secret
	return nil
}

// Close commits the votes still waiting, stops the background work and
// closes the connections. It is final: later calls return ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.votes.Close()
	close(s.stop)
	s.background.Wait()
	s.mu.Lock()
	pool := s.pool
	s.pool = nil
	s.mu.Unlock()
	if pool != nil {
		pool.Close()
	}
	return nil
}

// inTx runs fn in a transaction on a pooled connection and commits it.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	pool, err := s.db(ctx)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, fn)
}

// Ping reports whether the database answers, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	pool, err := s.db(ctx)
	if err != nil {
		return err
	}
	return pool.Ping(ctx)
}
