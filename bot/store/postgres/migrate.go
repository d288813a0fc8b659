package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// migrations are the schema's versions, applied in order by goose: one
// file per version, NNNNN_what.sql, each with its "-- +goose Up" part
// (and a Down part for a developer going back; the bot never runs it). A
// release adds files and never changes one that was released. Migrations
// only add (tables, columns, indexes), so that instances of the previous
// release keep working while a rolling upgrade replaces them; removing
// something waits a release.
//
//go:embed migrations/*.sql
var migrations embed.FS

// ErrSchemaTooNew means the database was migrated by a newer release of
// waardenbot than this one: this binary does not know what the newer
// schema means, and refuses to work on it.
var ErrSchemaTooNew = errors.New("the database schema is newer than this waardenbot knows: run the newer release (or restore a backup made before it migrated)")

// Lock classes of the advisory locks the store takes (the two-key form,
// apart from any one-key lock an application takes); the second key is
// the schema's, so that installations in separate schemas do not meet.
const (
	lockMigrate = 0x7762_6d67 // "wbmg"
	lockLeader  = 0x7762_6c64 // "wbld"
)

// migrate brings the schema up to date, once across instances that start
// together, and refuses a schema newer than this binary's.
func migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, files,
		goose.WithSessionLocker(schemaLock{}), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		if r.Error == nil {
			log.Info("schema migrated", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
		}
	}
	if err != nil {
		return fmt.Errorf("postgres: migrate the schema: %w", err)
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("postgres: schema version: %w", err)
	}
	if known := SchemaVersion(); current > known {
		return fmt.Errorf("postgres: schema version %d, this binary knows up to %d: %w", current, known, ErrSchemaTooNew)
	}
	return nil
}

// SchemaVersion is the newest schema version this binary knows.
func SchemaVersion() int64 {
	entries, _ := fs.Glob(migrations, "migrations/*.sql")
	var newest int64
	for _, e := range entries {
		var v int64
		if _, err := fmt.Sscanf(e, "migrations/%d_", &v); err == nil && v > newest {
			newest = v
		}
	}
	return newest
}

// schemaLock is goose's session lock: a blocking advisory lock of the
// schema, so that an instance that starts while another migrates waits for
// it (and then finds nothing to do) instead of polling.
type schemaLock struct{}

func (schemaLock) SessionLock(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", lockMigrate)
	return err
}

func (schemaLock) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", lockMigrate)
	return err
}
