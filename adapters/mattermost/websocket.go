package mattermost

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

// stableAfter is how long a connection must last before a drop counts as
// new trouble and the backoff starts again from its shortest wait.
const stableAfter = time.Minute

// listenWebSocket keeps a WebSocket connection to the server open until ctx
// is cancelled. Mattermost's client never reconnects by itself: when the
// connection drops, the server restarts or pings stop, this loop connects
// again after an exponential, capped, jittered wait.
func (a *Adapter) listenWebSocket(ctx context.Context) {
	wsURL := "ws" + strings.TrimPrefix(a.cfg.URL, "http") // http→ws, https→wss
	dialer := &websocket.Dialer{Proxy: websocket.DefaultDialer.Proxy, HandshakeTimeout: 15 * time.Second}
	b := a.newBackoff()
	for ctx.Err() == nil {
		ws, err := model.NewWebSocketClient4WithDialer(dialer, wsURL, a.cfg.BotToken)
		if err != nil {
			a.link.Down()
			wait := b.next()
			a.log.Warn("Mattermost WebSocket connection failed; retrying", "error", err, "retry_in", wait.Round(time.Millisecond))
			if !sleep(ctx, wait) {
				return
			}
			continue
		}
		a.log.Info("Mattermost WebSocket connected")
		started := time.Now()
		reason := a.serveWebSocket(ctx, ws)
		if ctx.Err() != nil {
			return
		}
		a.link.Down()
		if time.Since(started) > stableAfter {
			b.reset()
		}
		wait := b.next()
		a.log.Warn("Mattermost WebSocket connection lost; reconnecting", "reason", reason, "retry_in", wait.Round(time.Millisecond))
		if !sleep(ctx, wait) {
			return
		}
	}
}

// serveWebSocket handles the events of one connection until it ends, and
// says why it ended. It drains all of the client's channels, because the
// client blocks when one of them fills up.
func (a *Adapter) serveWebSocket(ctx context.Context, ws *model.WebSocketClient) string {
	ws.Listen()
	events, responses := ws.EventChannel, ws.ResponseChannel
	defer func() {
		ws.Close()
		for range events { // the reader closes both channels when it stops
		}
		for range responses {
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return "stopping"
		case <-ws.PingTimeoutChannel:
			return "no ping from the server"
		case ev, ok := <-events:
			if !ok {
				return closeReason(ws)
			}
			a.onEvent(ctx, ev)
		case resp, ok := <-responses:
			if !ok {
				return closeReason(ws)
			}
			if resp.Status == model.StatusFail && resp.Error != nil {
				a.log.Warn("Mattermost WebSocket request failed", "error", resp.Error.Error())
			}
		}
	}
}

func closeReason(ws *model.WebSocketClient) string {
	if ws.ListenError != nil {
		return ws.ListenError.Error()
	}
	return "closed by the server"
}

// onEvent answers posted events that are meant for the bot. The answer
// runs in its own goroutine so that a slow REST call does not hold up the
// connection.
func (a *Adapter) onEvent(ctx context.Context, ev *model.WebSocketEvent) {
	switch ev.EventType() {
	case model.WebsocketEventHello:
		a.link.Up()
		a.log.Debug("Mattermost WebSocket authenticated")
	case model.WebsocketEventPosted:
		p, direct, ok := a.postFor(ev)
		if !ok {
			return
		}
		team, _ := ev.GetData()["team_id"].(string)
		a.inflight.Add(1)
		go func() {
			defer a.inflight.Done()
			// Every instance's WebSocket delivers the post: with a
			// shared memory, the first to claim it answers.
			if first, err := a.firstRequest(ctx, "mention", p.Id); !first || err != nil {
				return
			}
			a.handlePost(ctx, p, direct, team, userName(ev))
		}()
	}
}

// postFor parses a posted event and reports whether the bot should answer
// it: a post by someone else (not a bot or webhook), not a system message,
// that mentions the bot in a channel or is in a direct channel with it.
func (a *Adapter) postFor(ev *model.WebSocketEvent) (p *post, direct bool, ok bool) {
	me := a.self()
	raw, _ := ev.GetData()["post"].(string)
	if me == nil || raw == "" {
		return nil, false, false
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil || p == nil {
		a.log.Debug("unreadable posted event", "error", err)
		return nil, false, false
	}
	if p.UserId == me.Id || p.Type != "" || p.Props[model.PostPropsFromBot] == "true" || p.Props[model.PostPropsFromWebhook] == "true" {
		return nil, false, false
	}
	direct = ev.GetData()["channel_type"] == string(model.ChannelTypeDirect)
	return p, direct, direct || mentions(ev, p.Message, me)
}

// mentions reports whether the post mentions the bot, by the server's list
// of mentioned users or by @name in the text.
func mentions(ev *model.WebSocketEvent, message string, me *user) bool {
	if list, _ := ev.GetData()["mentions"].(string); list != "" {
		var ids []string
		if json.Unmarshal([]byte(list), &ids) == nil {
			for _, id := range ids {
				if id == me.Id {
					return true
				}
			}
		}
	}
	return mentionPattern(me.Username).MatchString(message)
}

// mentionPattern matches @name as Mattermost reads it: not inside another
// word or name, any case, optionally followed by a colon or comma. Group 1
// is the character before it, group 2 the one after it.
func mentionPattern(name string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(^|[^\w.@-])@` + regexp.QuoteMeta(name) + `[:,.]?(\s|$|[^\w.-])`)
}

// stripMention returns the command in a message that mentions the bot:
// the text after the first @name ("@waardenbot waarde privacy", "hoi
// @waardenbot, vragen camera"), or the text before it when nothing follows
// ("waarde privacy @waardenbot"). A message without a mention (a direct
// message) is returned as it is.
func stripMention(message, name string) string {
	re := mentionPattern(name)
	loc := re.FindStringSubmatchIndex(message)
	if loc == nil {
		return strings.TrimSpace(message)
	}
	before, after := message[:loc[3]], message[loc[4]:] // group 1 ends, group 2 starts
	text := after
	if strings.TrimSpace(after) == "" {
		text = before
	}
	// Adjacent mentions share a boundary character, so one pass can miss
	// one; every pass removes at least one.
	for re.MatchString(text) {
		text = re.ReplaceAllString(text, "${1} ${2}")
	}
	return strings.TrimSpace(text)
}

func userName(ev *model.WebSocketEvent) string {
	s, _ := ev.GetData()["sender_name"].(string)
	return strings.TrimPrefix(s, "@")
}

// handlePost answers one post for the bot.
func (a *Adapter) handlePost(ctx context.Context, p *post, direct bool, team, name string) {
	me := a.self()
	text := stripMention(p.Message, me.Username)
	req := bot.Request{Platform: Platform, Team: team, Channel: p.ChannelId, User: p.UserId, UserName: name,
		Admin: a.admins.Check(team, p.ChannelId, p.UserId)}
	reply := a.bot.HandleText(ctx, req, text)
	if err := a.answer(ctx, p, direct, reply); err != nil && !errors.Is(err, context.Canceled) {
		a.log.Error("answer to a mention not delivered", "channel", p.ChannelId, "error", err, "fix", "check that the bot is a member of the channel and may post there")
	}
}
