package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/bot/store/postgres"
	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

// BenchmarkVote measures a whole vote as a user makes it: parse the
// command, apply it to the poll in a transaction, commit (fsync) and build
// the reply, with 1 and with 500 people voting at the same time. Votes
// share commits through the store's group commit (the default), through
// bbolt's db.Batch, or not at all. votes/s is what counts.
func BenchmarkVote(b *testing.B) {
	modes := []struct {
		name string
		opts []store.Option
	}{
		{"group", nil},
		{"boltbatch", []store.Option{store.WithBoltBatch()}},
		{"solo", []store.Option{store.WithoutBatch()}},
	}
	for _, mode := range modes {
		for _, voters := range []int{1, 500} {
			b.Run(fmt.Sprintf("commit=%s/voters=%d", mode.name, voters), func(b *testing.B) {
				st, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), mode.opts...)
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				benchVotes(b, st, voters)
			})
		}
	}
}

// BenchmarkVotePostgres is BenchmarkVote on PostgreSQL (a fresh schema in
// the database of WAARDENBOT_TEST_POSTGRES_DSN; skipped without one): the
// store's group commit, each commit durable (synchronous_commit on).
func BenchmarkVotePostgres(b *testing.B) {
	modes := []struct {
		name string
		opts []postgres.Option
	}{
		{"group", nil},
		{"solo", []postgres.Option{postgres.WithoutGroupCommit()}},
	}
	for _, mode := range modes {
		for _, voters := range []int{1, 500} {
			b.Run(fmt.Sprintf("commit=%s/voters=%d", mode.name, voters), func(b *testing.B) {
				st, err := postgres.Open(context.Background(), storetest.Postgres(b), slog.New(slog.NewTextHandler(io.Discard, nil)), mode.opts...)
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				benchVotes(b, st, voters)
			})
		}
	}
}

// benchVotes has voters people vote at once, b.N votes in all, in a poll
// on st, and reports votes/s.
func benchVotes(b *testing.B, st bot.Store, voters int) {
	bt := bot.New(kb, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), bot.WithStore(st))
	ctx := context.Background()
	r := bt.HandleText(ctx, req("anna", "c1"), "/casus max=2 Tekst | privacy, gelijkheid, orde, doelmatigheid")
	if r.Poll == nil {
		b.Fatal(r.Text)
	}
	cmds := []string{"/stem " + r.Poll.ID + " privacy, gelijkheid", "/stem " + r.Poll.ID + " orde"}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for v := range voters {
		wg.Go(func() {
			who := req(fmt.Sprintf("U%04d", v), "c1")
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if rep := bt.HandleText(ctx, who, cmds[i%2]); rep.Status != bot.Answered {
					b.Error(rep.Text)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "votes/s")
}
