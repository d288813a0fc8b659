package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/waardenbot/waardenbot/bot"
)

// maxAckPayload keeps a Socket Mode acknowledgement under Slack's 20 KB
// limit for responses; a larger answer follows through response_url.
const maxAckPayload = 19 * 1024

// runSocketMode connects over Socket Mode (no public URL needed) and serves
// until ctx is cancelled. slack-go's client reconnects by itself with
// backoff; the adapter logs every connection change, without secrets.
func (a *Adapter) runSocketMode(ctx context.Context) error {
	return a.serveSocket(ctx, socketmode.New(a.api, socketmode.OptionLog(slogPrinter{a})))
}

// serveSocket reads the client's events and acknowledges every envelope
// within Slack's 3 seconds. It is separate from runSocketMode so that tests
// can pass a client with a short ping interval.
func (a *Adapter) serveSocket(ctx context.Context, client *socketmode.Client) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-client.Events:
			a.onSocketEvent(ctx, client, evt)
		}
	}
}

func (a *Adapter) onSocketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.link.Down()
		a.log.Info("connecting to Slack (Socket Mode)")
	case socketmode.EventTypeConnected:
		a.link.Up()
		a.log.Info("connected to Slack (Socket Mode)")
	case socketmode.EventTypeConnectionError:
		a.link.Down()
		a.log.Warn("Slack connection failed; reconnecting with backoff", "error", evt.Data)
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("Slack refused the app token (invalid_auth): check slack.app_token; not reconnecting")
	case socketmode.EventTypeDisconnect:
		a.link.Down()
		a.log.Warn("Slack asked to reconnect (Socket Mode)")
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		a.onSocketCommand(ctx, client, *evt.Request, cmd)
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if evt.Request != nil {
			client.Ack(*evt.Request) // ack first: the answer is posted separately
		}
		if !ok {
			return
		}
		var outer struct {
			EventID string `json:"event_id"`
		}
		if evt.Request != nil {
			_ = json.Unmarshal(evt.Request.Payload, &outer)
		}
		go a.handleEvent(ctx, outer.EventID, ev)
	case socketmode.EventTypeInteractive:
		if evt.Request != nil {
			client.Ack(*evt.Request)
		}
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			go a.onInteraction(ctx, cb)
		}
	}
}

// onSocketCommand answers a slash command in the acknowledgement when it is
// quick and small enough, and otherwise acknowledges at once and answers
// through response_url.
func (a *Adapter) onSocketCommand(ctx context.Context, client *socketmode.Client, req socketmode.Request, cmd slack.SlashCommand) {
	var reply bot.Reply
	if a.bot.Instant(strings.TrimPrefix(cmd.Command, "/")) {
		reply = a.handleCommand(ctx, cmd)
	} else {
		done := make(chan bot.Reply, 1)
		go func() { done <- a.handleCommand(ctx, cmd) }()
		var ok bool
		if reply, ok = a.waitInline(done); !ok {
			client.Ack(req)
			go func() { a.deliverLate(ctx, cmd, <-done) }()
			return
		}
	}
	if reply.PostsPoll() && a.postPoll(ctx, cmd, reply) {
		client.Ack(req)
		return
	}
	payload := a.commandResponse(reply)
	if b, err := json.Marshal(payload); err == nil && len(b) < maxAckPayload {
		client.Ack(req, payload)
		return
	}
	client.Ack(req)
	go a.deliverLate(ctx, cmd, reply)
}

func (a *Adapter) deliverLate(ctx context.Context, cmd slack.SlashCommand, r bot.Reply) {
	if err := a.followUp(ctx, cmd.ResponseURL, r); err != nil {
		a.log.Error("late answer not delivered", "command", cmd.Command, "error", err)
	}
}

// slogPrinter routes slack-go's own log lines to the adapter's logger at
// debug level.
type slogPrinter struct{ a *Adapter }

func (p slogPrinter) Output(_ int, s string) error {
	p.a.log.Debug(s)
	return nil
}
