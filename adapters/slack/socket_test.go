package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"log/slog"
	"os"

	"github.com/gorilla/websocket"

	"github.com/slack-go/slack/socketmode"
	"github.com/waardenbot/waardenbot/bot"
)

// socketServer speaks Slack's Socket Mode protocol: apps.connections.open
// hands out a WebSocket URL, the socket greets with hello, carries
// envelopes to the app and reads its acknowledgements.
type socketServer struct {
	*fakeSlack
	ws       *httptest.Server
	mu       sync.Mutex
	conn     *websocket.Conn
	connects int
	acks     map[string]json.RawMessage
	ackc     chan string
}

func newSocketServer(t *testing.T) *socketServer {
	s := &socketServer{acks: map[string]json.RawMessage{}, ackc: make(chan string, 16)}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	s.ws = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conn = c
		s.connects++
		c.WriteJSON(map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]any{"app_id": "A1"}})
		s.mu.Unlock()
		for {
			var ack struct {
				EnvelopeID string          `json:"envelope_id"`
				Payload    json.RawMessage `json:"payload"`
			}
			if err := c.ReadJSON(&ack); err != nil {
				return
			}
			s.mu.Lock()
			s.acks[ack.EnvelopeID] = ack.Payload
			s.mu.Unlock()
			s.ackc <- ack.EnvelopeID
		}
	}))
	t.Cleanup(s.ws.Close)
	s.fakeSlack = newFakeSlack(t)
	s.fakeSlack.mu.Lock()
	s.fakeSlack.socketURL = "ws" + strings.TrimPrefix(s.ws.URL, "http") + "/link"
	s.fakeSlack.mu.Unlock()
	return s
}

func (s *socketServer) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connects
}

func (s *socketServer) send(t *testing.T, v any) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.conn.WriteJSON(v); err != nil {
		t.Fatalf("send envelope: %v", err)
	}
}

// drop closes the current connection as a network failure would.
func (s *socketServer) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn.UnderlyingConn().Close()
}

func (s *socketServer) waitAck(t *testing.T, id string) json.RawMessage {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-s.ackc:
			if got == id {
				s.mu.Lock()
				defer s.mu.Unlock()
				return s.acks[id]
			}
		case <-timeout:
			t.Fatalf("no ack for envelope %s", id)
		}
	}
}

func slashEnvelope(id, command, text string) map[string]any {
	return map[string]any{
		"envelope_id": id, "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]string{"team_id": "T1", "channel_id": "C1", "user_id": "U1", "user_name": "piet", "command": command, "text": text},
	}
}

func TestSocketModeEndToEndWithReconnect(t *testing.T) {
	srv := newSocketServer(t)
	logs := &testkit.Buffer{}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(os.Stderr, logs), &slog.HandlerOptions{Level: slog.LevelInfo}))
	a := New(Config{Mode: "socket", BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: srv.URL + "/api/"},
		bot.New(testKB, bot.Config{}, log, bot.WithStore(openStore(t))), log)
	a.link.Patience = 0 // any outage is long enough to be an error
	a.updates.delay = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	client := socketmode.New(a.api, socketmode.OptionPingInterval(time.Hour))
	go func() { done <- a.serveSocket(ctx, client) }()

	testkit.WaitFor(t, "the first connection", func() bool { return srv.connections() == 1 && a.link.Connected() })

	srv.send(t, slashEnvelope("env-1", "/waarde", "privasy"))
	var ack struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal(srv.waitAck(t, "env-1"), &ack); err != nil {
		t.Fatal(err)
	}
	if ack.ResponseType != "in_channel" || !strings.Contains(ack.Text, "Bedoelde je *Privacy*?") {
		t.Errorf("slash command ack: %+v", ack)
	}

	srv.send(t, map[string]any{
		"envelope_id": "env-2", "type": "events_api",
		"payload": json.RawMessage(eventBody("Ev9", `{"type":"app_mention","user":"U1","text":"<@UBOT> waarde openheid","ts":"2.1","channel":"C2"}`)),
	})
	srv.waitAck(t, "env-2")
	testkit.WaitFor(t, "the answer to the mention", func() bool { return len(srv.sent("chat.postMessage")) == 1 })

	// The connection drops; the client reconnects by itself and serves again.
	srv.drop()
	testkit.WaitFor(t, "a reconnect", func() bool { return srv.connections() == 2 && a.link.Connected() })
	srv.send(t, slashEnvelope("env-3", "/vragen", "5g"))
	if err := json.Unmarshal(srv.waitAck(t, "env-3"), &ack); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ack.Text, "antennes") {
		t.Errorf("answer after reconnect: %+v", ack)
	}
	if !strings.Contains(logs.String(), "level=ERROR msg=\"Slack Socket Mode connection has been down") {
		t.Errorf("the outage was not logged as an error:\n%s", logs)
	}
	if !strings.Contains(logs.String(), "Slack Socket Mode connection is back") {
		t.Errorf("the end of the outage was not logged:\n%s", logs)
	}

	// A poll over Socket Mode: the casus becomes the bot's own message, and
	// a click arrives as an interactive envelope, is acknowledged, and
	// redraws the message with chat.update.
	srv.send(t, slashEnvelope("env-4", "/casus", "Camera's in de binnenstad? | privacy, orde"))
	srv.waitAck(t, "env-4")
	testkit.WaitFor(t, "the poll message", func() bool { return len(srv.sent("chat.postMessage")) == 2 })
	id := pollIDFrom(t, lastBlocks(t, srv.sent("chat.postMessage")))
	srv.send(t, map[string]any{
		"envelope_id": "env-5", "type": "interactive",
		"payload": map[string]any{
			"type": "block_actions", "team": map[string]string{"id": "T1"},
			"user":      map[string]string{"id": "U7", "name": "kees"},
			"channel":   map[string]string{"id": "C1"},
			"container": map[string]string{"type": "message", "channel_id": "C1", "message_ts": "1700000000.000100"},
			"actions":   []map[string]string{{"action_id": "vote-orde", "block_id": "b", "value": id + " orde", "type": "button"}},
		},
	})
	srv.waitAck(t, "env-5")
	testkit.WaitFor(t, "chat.update after the click", func() bool {
		ups := srv.sent("chat.update")
		return len(ups) > 0 && strings.Join(buttons(lastBlocks(t, ups)), "|") == "Privacy · 0|Orde · 1|Sluit de peiling"
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveSocket: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("socket mode did not stop")
	}
}
