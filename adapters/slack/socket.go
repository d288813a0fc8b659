package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/waardenbot/waardenbot/adapters/internal/replay"
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
			if code, refused := slackError(err); refused {
				return fmt.Errorf("slack socket mode: Slack refused the app token (%s): put a valid app-level token (xapp-…, scope connections:write) in WAARDENBOT_SLACK_APP_TOKEN (slack.app_token); waardenbot check tells more", code)
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-client.Events:
			a.onSocketEvent(ctx, client, evt)
		}
	}
}

func (a *Adapter) onSocketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	// Work for a request that is (or will be) acknowledged outlives the
	// connection, as in HTTP mode: a click acknowledged just before the
	// bot stops is still counted, and Run waits for it (a.work).
	ctx = context.WithoutCancel(ctx)
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
		a.log.Error("Slack refused the app token (invalid_auth); not reconnecting",
			"fix", "put a valid app-level token (xapp-…, scope connections:write) in WAARDENBOT_SLACK_APP_TOKEN (slack.app_token) and restart; waardenbot check tells more")
	case socketmode.EventTypeDisconnect:
		a.link.Down()
		a.log.Warn("Slack asked to reconnect (Socket Mode)")
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		if first, err := a.firstTrigger(ctx, cmd.TriggerID); !a.once(client, *evt.Request, "slash command", first, err) {
			return
		}
		a.onSocketCommand(ctx, client, *evt.Request, cmd)
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			client.Ack(*evt.Request)
			return
		}
		var outer struct {
			EventID string `json:"event_id"`
		}
		_ = json.Unmarshal(evt.Request.Payload, &outer)
		if first, err := a.firstEvent(ctx, outer.EventID); !a.once(client, *evt.Request, "event", first, err) {
			return
		}
		client.Ack(*evt.Request) // ack first: the answer is posted separately
		a.work.Go(func() { a.handleEvent(ctx, ev) })
	case socketmode.EventTypeInteractive:
		if evt.Request == nil {
			return
		}
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			client.Ack(*evt.Request)
			return
		}
		if first, err := a.firstTrigger(ctx, cb.TriggerID); !a.once(client, *evt.Request, "click", first, err) {
			return
		}
		if cb.Type == slack.InteractionTypeViewSubmission {
			// The acknowledgement carries the form's errors, if any.
			if resp := a.onSubmission(ctx, cb); resp != nil {
				client.Ack(*evt.Request, resp)
				return
			}
			client.Ack(*evt.Request)
			return
		}
		client.Ack(*evt.Request)
		a.work.Go(func() { a.onInteraction(ctx, cb) })
	}
}

// once tells from the replay guard's answer whether to do a Socket Mode
// request. A repeat is acknowledged, so that Slack does not send it again,
// and not done again. When the guard cannot tell (it is full) the request
// is not acknowledged, as HTTP mode answers 503: Slack retries an event
// later, and shows the person that the command or click failed.
func (a *Adapter) once(client *socketmode.Client, req socketmode.Request, what string, first bool, err error) bool {
	switch {
	case err != nil:
		a.log.Error("refused a "+what+": cannot tell whether it is a repeat", "error", err, "fix", replay.Fix(err))
		return false
	case !first:
		a.log.Info("a "+what+" came again; acknowledged without doing it again", "envelope", req.EnvelopeID)
		client.Ack(req)
		return false
	}
	return true
}

// onSocketCommand answers a slash command in the acknowledgement when it is
// quick and small enough, and otherwise acknowledges at once and answers
// through response_url. A new poll, quick or slow, becomes the bot's own
// message instead (see bot.AfterReply), and the acknowledgement says
// nothing.
func (a *Adapter) onSocketCommand(ctx context.Context, client *socketmode.Client, req socketmode.Request, cmd slack.SlashCommand) {
	var reply bot.Reply
	if a.bot.Instant(strings.TrimPrefix(cmd.Command, "/")) {
		reply = a.handleCommand(ctx, cmd)
	} else {
		done := make(chan bot.Reply, 1)
		a.work.Go(func() { done <- a.handleCommand(ctx, cmd) })
		var ok bool
		if reply, ok = a.waitInline(done); !ok {
			client.Ack(req)
			a.work.Go(func() { a.late(ctx, cmd, <-done) })
			return
		}
	}
	if a.formOpened(ctx, cmd, reply) || a.bot.AfterReply(ctx, reply, a.polls) {
		client.Ack(req)
		return
	}
	payload := a.commandResponse(reply)
	if b, err := json.Marshal(payload); err == nil && len(b) < maxAckPayload {
		client.Ack(req, payload)
		a.shareFilesLater(ctx, cmd.ChannelID, "", cmd.UserID, reply)
		return
	}
	client.Ack(req)
	a.work.Go(func() { a.late(ctx, cmd, reply) })
}

// slogPrinter routes slack-go's own log lines to the adapter's logger at
// debug level.
type slogPrinter struct{ a *Adapter }

func (p slogPrinter) Output(_ int, s string) error {
	p.a.log.Debug(s)
	return nil
}
