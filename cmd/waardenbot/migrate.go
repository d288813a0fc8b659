package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/bot/store/postgres"
)

// migrate copies a bbolt data file into a PostgreSQL database: exit 0 when
// the copy is verified, 1 when it failed or was refused (nothing copied),
// 2 on a usage error.
func (e *cliEnv) migrate(args []string) int {
	fs := e.flags("migrate", "migrate [--config FILE] --from FILE --to postgres://…")
	configFlag := fs.String("config", "", "configuration file (TOML)")
	from := fs.String("from", "", "the bbolt data file to copy (default data_dir/waardenbot.db)")
	to := fs.String("to", "", "the PostgreSQL database to copy into (default [store] dsn, WAARDENBOT_STORE_DSN)")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "waardenbot migrate: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cfg, _, log, err := e.setup(*configFlag, false)
	if err != nil {
		return e.fail(err)
	}
	file, dsn := firstNonEmpty(*from, cfg.DBPath()), firstNonEmpty(*to, cfg.Store.DSN)
	if dsn == "" || !isDSN(dsn) {
		fmt.Fprintln(e.stderr, "waardenbot migrate: give the database with --to postgres://… (or set [store] dsn)")
		return exitUsage
	}
	if err := postgres.CheckDSN(dsn); err != nil {
		fmt.Fprintln(e.stderr, "waardenbot migrate: --to:", err)
		return exitUsage
	}
	// Open would make a new, empty file: there must be one to copy.
	if _, err := os.Stat(file); err != nil {
		return e.fail(fmt.Errorf("no data file to copy: %w", err))
	}
	// Holding the file for the copy keeps a bot from starting on it
	// meanwhile; a bot that holds it now makes this fail after a second.
	src, err := store.Open(file)
	if errors.Is(err, store.ErrInUse) {
		return e.fail(fmt.Errorf("%w: stop the bot before copying its file", err))
	}
	if err != nil {
		return e.fail(err)
	}
	defer src.Close()
	contents, err := src.Contents(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	dst, err := postgres.Open(e.ctx, dsn, log)
	if err != nil {
		return e.fail(err)
	}
	defer dst.Close()
	copied, err := dst.Import(e.ctx, contents)
	if err != nil {
		return e.fail(fmt.Errorf("nothing copied: %w", err))
	}
	fmt.Fprintf(e.stdout, "copied %s from %s; the database holds them all (verified)\n", copied, file)
	return exitOK
}
