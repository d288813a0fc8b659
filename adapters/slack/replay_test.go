package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/slack-go/slack/socketmode"

	"github.com/waardenbot/waardenbot/adapters/internal/replay"
	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
)

// newReplayAdapter is an HTTP-mode adapter with polls in a real bbolt file,
// and that file, to count what the requests did.
func newReplayAdapter(t *testing.T, api *fakeSlack) (*Adapter, *bot.Bot, *store.Store) {
	t.Helper()
	st := openStore(t)
	b := bot.New(testKB, bot.Config{}, discardLog(), bot.WithStore(st))
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: api.URL + "/api/"}, b, discardLog())
	a.updates.delay = 10 * time.Millisecond
	return a, b, st
}

// sendTimes sends one signed request n times, one after the other or all
// at once, and returns the status codes.
func sendTimes(t *testing.T, h http.Handler, path, body string, header http.Header, n int, concurrent bool) []int {
	t.Helper()
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		send := func() { codes[i] = post(t, h, path, body, header, form).Code }
		if concurrent {
			wg.Go(send)
		} else {
			send()
		}
	}
	wg.Wait()
	return codes
}

func allOK(t *testing.T, codes []int) {
	t.Helper()
	for _, c := range codes {
		if c != http.StatusOK {
			t.Errorf("status codes %v, want every one 200", codes)
			return
		}
	}
}

func openPolls(t *testing.T, st *store.Store) int {
	t.Helper()
	polls, err := st.OpenPolls(context.Background(), bot.Destination{Platform: "slack", Team: "T1", Channel: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	return len(polls)
}

func TestRepeatedSignedCommandOpensOnePoll(t *testing.T) {
	for _, concurrent := range []bool{false, true} {
		name := map[bool]string{false: "one after the other", true: "all at once"}[concurrent]
		t.Run(name, func(t *testing.T) {
			api := newFakeSlack(t)
			a, _, st := newReplayAdapter(t, api)
			body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"anna"},
				"command": {"/casus"}, "text": {"Camera's op het plein? | privacy, orde"}, "trigger_id": {"13345224609.738474920.8088930838d88f008e0"}}.Encode()
			allOK(t, sendTimes(t, a.Handler(), "/slack/commands", body, sign(testSecret, time.Now(), body), 5, concurrent))
			if n := openPolls(t, st); n != 1 {
				t.Errorf("%d polls opened, want 1", n)
			}
			if n := len(api.sent("chat.postMessage")); n != 1 {
				t.Errorf("%d poll messages posted, want 1", n)
			}
		})
	}
}

func TestRepeatedSignedClickTogglesTheVoteOnce(t *testing.T) {
	for _, concurrent := range []bool{false, true} {
		name := map[bool]string{false: "one after the other", true: "all at once"}[concurrent]
		t.Run(name, func(t *testing.T) {
			api := newFakeSlack(t)
			a, b, _ := newReplayAdapter(t, api)
			slashCommand(t, a, "U1", "/casus", "Camera's op het plein? | privacy, orde")
			id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
			body := clickBody(t, map[string]any{"id": "T1"}, map[string]any{"id": "U2", "name": "bob"}, "vote-orde", id+" orde")
			allOK(t, sendTimes(t, a.Handler(), "/slack/interactions", body, sign(testSecret, time.Now(), body), 4, concurrent))
			a.wait() // a repeat that was done would have toggled it back by now
			if got := votesFor(b, id)["orde"]; got != 1 {
				t.Errorf("orde has %d votes after four identical clicks, want 1", got)
			}
		})
	}
}

func TestRepeatedSignedEventIsAnsweredOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		eventID    string
		concurrent bool
	}{
		{"one after the other", "Ev0R1", false},
		{"all at once", "Ev0R2", true},
		{"without an event_id", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeSlack(t)
			a := newTestAdapter(t, api, time.Now())
			body := eventBody(tc.eventID, `{"type":"app_mention","user":"U1","text":"<@UBOT> waarde privacy","ts":"1.1","channel":"C1","event_ts":"1.1"}`)
			header := sign(testSecret, time.Now(), body)
			codes := make([]int, 3)
			var wg sync.WaitGroup
			for i := range codes {
				send := func() { codes[i] = post(t, a.Handler(), "/slack/events", body, header, "application/json").Code }
				if tc.concurrent {
					wg.Go(send)
				} else {
					send()
				}
			}
			wg.Wait()
			allOK(t, codes)
			a.wait()
			if n := len(api.sent("chat.postMessage")); n != 1 {
				t.Errorf("answered %d times, want once", n)
			}
		})
	}
}

func TestEventRetriedBySlackWithANewSignatureIsAnsweredOnce(t *testing.T) {
	api := newFakeSlack(t)
	now := time.Now()
	a := newTestAdapter(t, api, now)
	body := eventBody("Ev0RETRY", `{"type":"app_mention","user":"U1","text":"<@UBOT> waarde privacy","ts":"1.1","channel":"C1","event_ts":"1.1"}`)
	for i := range 3 { // Slack's retries come later, with their own timestamps
		if rec := post(t, a.Handler(), "/slack/events", body, sign(testSecret, now.Add(time.Duration(i-2)*time.Minute), body), "application/json"); rec.Code != http.StatusOK {
			t.Fatalf("delivery %d: status %d", i, rec.Code)
		}
	}
	a.wait()
	if n := len(api.sent("chat.postMessage")); n != 1 {
		t.Errorf("answered %d times, want once", n)
	}
}

func TestFullReplayGuardRefusesWith503AndDoesNothing(t *testing.T) {
	api := newFakeSlack(t)
	a, _, st := newReplayAdapter(t, api)
	a.seen.Local = replay.New(1)
	if r := slashCommand(t, a, "U1", "/casus", "Eerste? | privacy, orde"); r.code != http.StatusOK {
		t.Fatalf("first command: %d", r.code)
	}
	if r := slashCommand(t, a, "U1", "/casus", "Tweede? | privacy, orde"); r.code != http.StatusServiceUnavailable {
		t.Errorf("second command with a full guard: status %d, want 503", r.code)
	}
	if n := openPolls(t, st); n != 1 {
		t.Errorf("%d polls opened, want only the first", n)
	}
}

// clickBody is the form body of a block_actions payload.
func clickBody(t *testing.T, team, user any, actionID, value string) string {
	t.Helper()
	payload, err := json.Marshal(map[string]any{
		"type": "block_actions", "team": team, "user": user,
		"api_app_id": "A1", "token": "x", "trigger_id": "12466734323.1395872398.6ee5f3eb9ddbf1a3e9c3b7c3a5b0e1f2",
		"channel":   map[string]string{"id": "C1", "name": "raad"},
		"container": map[string]any{"type": "message", "channel_id": "C1", "message_ts": "1700000000.000100", "is_ephemeral": false},
		"actions":   []map[string]any{{"action_id": actionID, "block_id": "b", "value": value, "type": "button", "action_ts": "1548426417.840180"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"payload": {string(payload)}}.Encode()
}

// votesFor is the count per option of a poll as the bot has it now.
func votesFor(b *bot.Bot, id string) map[string]int {
	m := b.PollMessage(context.Background(), id)
	out := map[string]int{}
	if m.Poll != nil {
		for _, o := range m.Poll.Options {
			out[o.Key] = o.Votes
		}
	}
	return out
}

// socketAdapter connects an adapter with polls to a fake Socket Mode
// server and serves until the test ends.
func socketAdapter(t *testing.T) (*socketServer, *Adapter, *bot.Bot, *store.Store) {
	t.Helper()
	srv := newSocketServer(t)
	st := openStore(t)
	b := bot.New(testKB, bot.Config{}, discardLog(), bot.WithStore(st))
	a := New(Config{Mode: "socket", BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: srv.URL + "/api/"}, b, discardLog())
	a.updates.delay = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	client := socketmode.New(a.api, socketmode.OptionPingInterval(time.Hour))
	go func() { done <- a.serveSocket(ctx, client) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	testkit.WaitFor(t, "the connection", func() bool { return srv.connections() == 1 && a.link.Connected() })
	return srv, a, b, st
}

func TestSocketModeRepeatedTriggerIsDoneOnce(t *testing.T) {
	srv, a, b, st := socketAdapter(t)
	casus := func(envelope string) map[string]any {
		env := slashEnvelope(envelope, "/casus", "Camera's op het plein? | privacy, orde")
		env["payload"].(map[string]string)["trigger_id"] = "13345224609.738474920.8088930838d88f008e0"
		return env
	}
	srv.send(t, casus("env-1"))
	srv.waitAck(t, "env-1")
	srv.send(t, casus("env-2")) // the same command in another envelope
	if ack := srv.waitAck(t, "env-2"); len(ack) != 0 && string(ack) != "null" {
		t.Errorf("the repeat was answered: %s", ack)
	}
	a.wait()
	if n := len(srv.sent("chat.postMessage")); n != 1 {
		t.Errorf("%d poll messages posted, want 1", n)
	}
	if n := openPolls(t, st); n != 1 {
		t.Errorf("%d polls opened, want 1", n)
	}
	id := pollIDFrom(t, lastBlocks(t, srv.sent("chat.postMessage")))

	for _, env := range []string{"env-3", "env-4", "env-5", "env-6"} {
		srv.send(t, map[string]any{
			"envelope_id": env, "type": "interactive",
			"payload": map[string]any{
				"type": "block_actions", "team": map[string]string{"id": "T1"}, "trigger_id": "12466734323.1395872398.6ee5f3eb9ddbf1a3e9c3b7c3a5b0e1f2",
				"user":      map[string]string{"id": "U7", "name": "kees"},
				"channel":   map[string]string{"id": "C1"},
				"container": map[string]string{"type": "message", "channel_id": "C1", "message_ts": "1700000000.000100"},
				"actions":   []map[string]string{{"action_id": "vote-orde", "block_id": "b", "value": id + " orde", "type": "button"}},
			},
		})
		srv.waitAck(t, env)
	}
	a.wait()
	if got := votesFor(b, id)["orde"]; got != 1 {
		t.Errorf("orde has %d votes after one click delivered four times, want 1", got)
	}
}

// twoInstances are two adapters with their own bots on one bbolt store,
// sharing one memory of handled requests, as two instances behind a load
// balancer share PostgreSQL.
func twoInstances(t *testing.T, api *fakeSlack) (a, b *Adapter) {
	t.Helper()
	st := openStore(t)
	shared := replay.New(1000)
	mk := func() *Adapter {
		bt := bot.New(testKB, bot.Config{}, discardLog(), bot.WithStore(st))
		ad := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: api.URL + "/api/"}, bt, discardLog(), WithShared(shared))
		ad.updates.delay = 10 * time.Millisecond
		return ad
	}
	return mk(), mk()
}

func TestAnEventRetriedToAnotherInstanceIsAnsweredOnce(t *testing.T) {
	api := newFakeSlack(t)
	a, b := twoInstances(t, api)
	now := time.Now()
	body := eventBody("Ev0TWO", `{"type":"app_mention","user":"U1","text":"<@UBOT> waarde privacy","ts":"1.1","channel":"C1","event_ts":"1.1"}`)
	for i, inst := range []*Adapter{a, b, a} { // Slack's retries, each signed anew, wherever the balancer sends them
		if rec := post(t, inst.Handler(), "/slack/events", body, sign(testSecret, now.Add(time.Duration(i-2)*time.Minute), body), "application/json"); rec.Code != http.StatusOK {
			t.Fatalf("delivery %d: status %d", i, rec.Code)
		}
	}
	a.wait()
	b.wait()
	if n := len(api.sent("chat.postMessage")); n != 1 {
		t.Errorf("answered %d times, want once", n)
	}
}

func TestASignedClickReplayedToAnotherInstanceIsDoneOnce(t *testing.T) {
	api := newFakeSlack(t)
	a, b := twoInstances(t, api)
	slashCommand(t, a, "U1", "/casus", "Camera's op het plein? | privacy, orde")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	body := clickBody(t, map[string]any{"id": "T1"}, map[string]any{"id": "U2", "name": "bob"}, "vote-orde", id+" orde")
	header := sign(testSecret, time.Now(), body)
	for _, inst := range []*Adapter{a, b} {
		allOK(t, sendTimes(t, inst.Handler(), "/slack/interactions", body, header, 2, true))
	}
	a.wait()
	b.wait()
	if got := votesFor(a.bot, id)["orde"]; got != 1 {
		t.Errorf("orde has %d votes after one click sent to two instances, want 1", got)
	}
}
