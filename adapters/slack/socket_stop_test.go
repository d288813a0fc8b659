package slack

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// gatedStore holds every vote until the test lets it through.
type gatedStore struct {
	*store.Store
	entered, release chan struct{}
}

func (g gatedStore) Vote(ctx context.Context, id string, voter func(poll.Poll) string, change poll.Change) (poll.Poll, poll.Tally, poll.Vote, error) {
	g.entered <- struct{}{}
	<-g.release
	return g.Store.Vote(ctx, id, voter, change)
}

func TestSocketModeClickAcknowledgedBeforeStopIsCounted(t *testing.T) {
	srv := newSocketServer(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := gatedStore{Store: openStore(t), entered: make(chan struct{}, 1), release: make(chan struct{})}
	a := New(Config{Mode: "socket", BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: srv.URL + "/api/"},
		bot.New(testKB, bot.Config{}, log, bot.WithStore(st)), log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	client := socketmode.New(a.api, socketmode.OptionPingInterval(time.Hour))
	go func() {
		err := a.serveSocket(ctx, client)
		a.wait() // as Run does
		done <- err
	}()
	testkit.WaitFor(t, "the connection", func() bool { return srv.connections() == 1 && a.link.Connected() })
	srv.send(t, slashEnvelope("env-1", "/stelling", "Camera's in de binnenstad"))
	srv.waitAck(t, "env-1")
	testkit.WaitFor(t, "the poll message", func() bool { return len(srv.sent("chat.postMessage")) == 1 })
	id := pollIDFrom(t, lastBlocks(t, srv.sent("chat.postMessage")))

	srv.send(t, map[string]any{
		"envelope_id": "env-2", "type": "interactive",
		"payload": map[string]any{
			"type": "block_actions", "team": map[string]string{"id": "T1"},
			"user":      map[string]string{"id": "U7", "name": "kees"},
			"container": map[string]string{"type": "message", "channel_id": "C1", "message_ts": "1700000000.000100"},
			"actions":   []map[string]string{{"action_id": "vote-eens", "block_id": "b", "value": id + " eens", "type": "button"}},
		},
	})
	srv.waitAck(t, "env-2")
	<-st.entered // the click is acknowledged and on its way to the store
	cancel()     // the bot stops (SIGTERM)
	close(st.release)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("socket mode did not stop")
	}
	if _, tally, err := st.Poll(context.Background(), id); err != nil || tally.Voters != 1 || tally.Votes["eens"] != 1 {
		t.Errorf("after the stop: %+v %v, want the acknowledged vote", tally, err)
	}
}
