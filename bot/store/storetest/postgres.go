package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DSNVariable names the database the PostgreSQL tests use. CI sets it
// (.ci/run starts e2e/postgres/start.sh); without it they skip.
const DSNVariable = "WAARDENBOT_TEST_POSTGRES_DSN"

// Postgres returns the DSN of a fresh, empty schema of its own in the
// test database, dropped when the test ends (with everything in it). The
// schema is the DSN's search_path, so a store opened on it keeps its
// tables there, and its election and notifications are its own.
//
// Without WAARDENBOT_TEST_POSTGRES_DSN the test is skipped, saying how to
// start a database; under CI (CI set) it fails instead, so that CI never
// passes by skipping.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(DSNVariable)
	if base == "" {
		msg := "no PostgreSQL for this test: set " + DSNVariable + " (eval \"$(e2e/postgres/start.sh)\" && export " + DSNVariable + " starts one)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", DSNVariable, err)
	}
	defer conn.Close(context.Background())
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return WithSearchPath(t, base, schema)
}

// WithSearchPath is dsn with its search_path set to schema.
func WithSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL", DSNVariable)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
