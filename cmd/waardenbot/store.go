package main

import (
	"context"
	"log/slog"
	"strings"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/bot/store/postgres"
)

// dataStore is where the bot keeps its state, as main opens it.
type dataStore interface {
	bot.Store
	Close() error
}

// isDSN reports whether a --db value names a PostgreSQL database rather
// than a file.
func isDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openStore opens the store that db names (a --db flag: a file, or a
// postgres:// URL), else the configured one. With now it opens the file or
// connects at once (a process that serves, and wants to hear at once that
// it cannot); otherwise on first use. pg is the PostgreSQL store, or nil.
func openStore(ctx context.Context, cfg *Config, db string, log *slog.Logger, now bool) (st dataStore, pg *postgres.Store, err error) {
	kind, where := cfg.Store.Kind, cfg.DBPath()
	if kind == storePostgres {
		where = cfg.Store.DSN
	}
	if db != "" {
		kind, where = storeBbolt, db
		if isDSN(db) {
			kind = storePostgres
		}
	}
	switch {
	case kind == storePostgres && now:
		pg, err = postgres.Open(ctx, where, log)
	case kind == storePostgres:
		pg, err = postgres.New(where, log)
	case now:
		return orNil(store.Open(where))
	default:
		return store.New(where), nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return pg, pg, nil
}

func orNil(st *store.Store, err error) (dataStore, *postgres.Store, error) {
	if err != nil {
		return nil, nil, err
	}
	return st, nil, nil
}
