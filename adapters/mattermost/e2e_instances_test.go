//go:build e2e

// Instances of the bot on one PostgreSQL database, as the end-to-end test
// runs them (e2e_test.go).

package mattermost

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store/postgres"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// runPostgresBot runs an instance of the bot on the PostgreSQL database
// at dsn, sharing what it handled with the other instances there, until
// the test ends. Its commands point at publicURL (another instance's, so
// that registering them changes nothing); it listens on a port of its own.
func (s *e2eServer) runPostgresBot(t *testing.T, dsn, publicURL string) {
	t.Helper()
	logs := &testkit.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st, err := postgres.Open(context.Background(), dsn, log)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(testKB, bot.Config{}, log, bot.WithStore(st))
	cfg := Config{URL: s.url, BotToken: s.botToken, Teams: []string{s.team.Name}, Listen: freeAddr(t), PublicURL: publicURL}
	a := New(cfg, b, log, WithShared(st))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := a.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	wg.Go(func() { b.Run(ctx, a) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		st.Close()
		if t.Failed() {
			t.Logf("log of an instance:\n%s", logs)
		}
	})
	waitLog(t, logs, "WebSocket authenticated", 1)
}
