package bot_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/knowledge"
)

// postChan is a Poster that hands every post to a channel.
type postChan chan bot.Reply

func (p postChan) Post(_ context.Context, _ bot.Destination, r bot.Reply) error {
	p <- r
	return nil
}

// missedPoll opens a data file with a poll whose deadline passed while no
// bot ran, and a bot on it.
func missedPoll(t *testing.T, opts ...bot.Option) *bot.Bot {
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
	opts = append(opts, bot.WithPolls(st))
	return bot.New(knowledge.MustLoad(), bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
}

// withSchedules gives the bot a schedule store in a file of its own.
func withSchedules(t *testing.T) bot.Option {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "sched.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return bot.WithStore(func() (bot.ScheduleStore, error) { return st, nil })
}

func TestRunPostsDeadlineResultsAndStopsWithItsContext(t *testing.T) {
	b := missedPoll(t, withSchedules(t))
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
	b := missedPoll(t) // no schedule store
	done := make(chan error, 1)
	go func() { done <- b.Run(context.Background(), make(postChan, 10)) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Run without a schedule store returned nil")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run kept running the deadlines after the scheduler failed")
	}
}

func TestCatchUpPostsWhatWasMissedBeforeItReturns(t *testing.T) {
	b := missedPoll(t, withSchedules(t))
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
