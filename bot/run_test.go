package bot_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/knowledge"
)

// postChan is a Poster that hands every post to a channel.
type postChan chan bot.Reply

func (p postChan) Post(_ context.Context, _ bot.Destination, r bot.Reply) error {
	p <- r
	return nil
}

// missedStore opens a data file with a poll whose deadline passed while no
// bot ran.
func missedStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	past := time.Now().Add(-time.Hour)
	if err := st.CreatePoll(context.Background(), poll.Poll{
		ID: "mmmm", Kind: poll.Statement, Where: bot.Destination{Platform: "console", Channel: "raad"},
		Creator: "anna", Question: "Gemiste stelling", Max: 1, Created: past.Add(-time.Hour), ClosesAt: past,
		Options: []poll.Option{{Key: "eens", Label: "eens"}, {Key: "oneens", Label: "oneens"}},
	}); err != nil {
		t.Fatal(err)
	}
	return st
}

// missedPoll is a bot on a missedStore.
func missedPoll(t *testing.T) *bot.Bot {
	t.Helper()
	return botOn(missedStore(t))
}

func botOn(st bot.Store) *bot.Bot {
	return bot.New(knowledge.MustLoad(), bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), bot.WithStore(st))
}

// brokenSchedules is a store whose schedules cannot be read.
type brokenSchedules struct{ *store.Store }

func (brokenSchedules) Runs(context.Context, schedule.RunState) ([]schedule.Run, error) {
	return nil, errors.New("the schedules cannot be read")
}

func TestRunPostsDeadlineResultsAndStopsWithItsContext(t *testing.T) {
	b := missedPoll(t)
	p := make(postChan, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx, p) }()
	select {
	case r := <-p:
		if r.Poll == nil || r.Poll.ID != "mmmm" || !r.Poll.Closed {
			t.Errorf("posted %+v, want the missed poll's result", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the missed result was not posted")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop when its context ended")
	}
}

func TestRunFailsWhenTheSchedulerCannot(t *testing.T) {
	b := botOn(brokenSchedules{missedStore(t)})
	done := make(chan error, 1)
	go func() { done <- b.Run(context.Background(), make(postChan, 10)) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Run returned nil though the scheduler could not read its schedules")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run kept running the deadlines after the scheduler failed")
	}
}

func TestCatchUpPostsWhatWasMissedBeforeItReturns(t *testing.T) {
	b := missedPoll(t)
	p := make(postChan, 1)
	if err := b.CatchUp(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-p:
		if r.Poll == nil || r.Poll.ID != "mmmm" {
			t.Errorf("posted %+v", r)
		}
	default:
		t.Error("CatchUp returned before the missed result was posted")
	}
}

// cancelledRestore is a store whose schedules are still being read when
// the bot is stopped.
type cancelledRestore struct{ *store.Store }

func (cancelledRestore) Runs(ctx context.Context, _ schedule.RunState) ([]schedule.Run, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestRunStoppedDuringStartUpReturnsNil(t *testing.T) {
	b := botOn(cancelledRestore{missedStore(t)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx, make(postChan, 10)) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run stopped while restoring the schedules: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}
