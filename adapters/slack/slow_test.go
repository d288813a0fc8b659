package slack

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
)

// A /casus whose answer takes longer than Slack's inline window (here:
// every answer that may wait for the disk) is still posted as the bot's
// own message and recorded, so that votes redraw it, in HTTP mode and in
// Socket Mode; response_url gets nothing.
func TestSlowCasusIsPostedAsTheBotsOwnMessageAndRecorded(t *testing.T) {
	var mu sync.Mutex
	var followUps []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		followUps = append(followUps, string(body))
		mu.Unlock()
	}))
	defer hook.Close()
	casus := "Camera's op het plein? | privacy, orde"

	t.Run("HTTP mode", func(t *testing.T) {
		api := newFakeSlack(t)
		a, b := newPollAdapter(t, api)
		a.inlineWait = 0
		body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"anna"}, "command": {"/casus"},
			"text": {casus}, "response_url": {hook.URL}, "trigger_id": {"1.slow.http"}}.Encode()
		if rec := post(t, a.Handler(), "/slack/commands", body, sign(testSecret, time.Now(), body), form); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Fatalf("acknowledgement: %d %q, want an empty 200", rec.Code, rec.Body)
		}
		a.wait()
		checkPostedAndRecorded(t, api, b)
	})
	t.Run("Socket Mode", func(t *testing.T) {
		srv, a, b, _ := socketAdapter(t)
		a.inlineWait = 0
		env := slashEnvelope("env-slow", "/casus", casus)
		env["payload"].(map[string]string)["response_url"] = hook.URL
		srv.send(t, env)
		if ack := srv.waitAck(t, "env-slow"); len(ack) != 0 && string(ack) != "null" {
			t.Errorf("acknowledgement %s, want an empty one", ack)
		}
		a.wait()
		checkPostedAndRecorded(t, srv.fakeSlack, b)
	})
	mu.Lock()
	defer mu.Unlock()
	if len(followUps) != 0 {
		t.Errorf("response_url got %q; the poll is its own message", followUps)
	}
}

func checkPostedAndRecorded(t *testing.T, api *fakeSlack, b interface {
	PollMessage(context.Context, string) bot.Reply
}) {
	t.Helper()
	posts := api.sent("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("%d messages posted, want the poll once", len(posts))
	}
	id := pollIDFrom(t, lastBlocks(t, posts))
	if m := b.PollMessage(context.Background(), id); m.Poll == nil || m.Poll.Message != "1700000000.000100" || !strings.Contains(m.Text, "Camera's") {
		t.Errorf("the poll's own message was not recorded: %+v", m.Poll)
	}
}
