package slack

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/waardenbot/waardenbot/bot"
)

// handleCommand answers a slash command.
func (a *Adapter) handleCommand(ctx context.Context, cmd slack.SlashCommand) bot.Reply {
	req := a.request(cmd.TeamID, cmd.ChannelID, cmd.UserID, cmd.UserName)
	req.Command = strings.TrimPrefix(cmd.Command, "/")
	// Slack sends a command's text as typed, neither entities nor <…>
	// references, because the manifest says should_escape: false for every
	// command (TestManifestDeclaresEveryCommand keeps it so); a message's
	// text needs plainText.
	req.Args = cmd.Text
	r := a.bot.Handle(ctx, req)
	a.changed(r)
	return r
}

// handleEvent answers an Events API event: a mention of the bot in a
// channel, or a direct message. Other events, the bot's own messages and
// edits are ignored. The answer goes to the same channel (in the thread
// when the mention was in one); a private answer as an ephemeral message.
// The caller has checked that the event is new (firstEvent).
func (a *Adapter) handleEvent(ctx context.Context, ev slackevents.EventsAPIEvent) {
	var channel, user, text, thread string
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" {
			return
		}
		channel, user, text, thread = e.Channel, e.User, e.Text, e.ThreadTimeStamp
	case *slackevents.MessageEvent:
		// Channel messages reach us as app_mention; here only direct messages.
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" || e.User == "" || e.User == a.botUser() {
			return
		}
		channel, user, text, thread = e.Channel, e.User, e.Text, e.ThreadTimeStamp
	default:
		return
	}
	reply := a.bot.HandleText(ctx, a.request(ev.TeamID, channel, user, ""), plainText(stripMention(text, a.botUser())))
	a.changed(reply)
	if err := a.send(ctx, channel, user, thread, reply); err != nil {
		a.log.Error("answer to a mention not delivered", "channel", channel, "error", err)
	}
}

// stripMention removes the mention of the bot (<@BOT> or <@BOT|name>)
// that starts a message's text, as Slack sends it, before plainText turns
// other mentions into text. While the bot does not know its own user ID
// yet (auth.test has not answered), it removes any leading user mention.
func stripMention(text, botID string) string {
	text = strings.TrimSpace(text)
	rest, ok := strings.CutPrefix(text, "<@")
	if !ok {
		return text
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return text
	}
	if id, _, _ := strings.Cut(rest[:end], "|"); botID != "" && id != botID {
		return text
	}
	return strings.TrimSpace(rest[end+1:])
}

// send posts a reply in a channel: publicly, or only for user when the reply
// is ephemeral.
func (a *Adapter) send(ctx context.Context, channel, user, thread string, r bot.Reply) error {
	m := a.withPoll(r)
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	if r.Ephemeral {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, opts...)
		return err
	}
	_, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return err
	}
	if r.PostsPoll() {
		a.posted(ctx, r.Poll.ID, ts)
	}
	return nil
}

// posted records ts as the poll's own message, so that votes and the close
// redraw it, also after a restart.
func (a *Adapter) posted(ctx context.Context, pollID, ts string) {
	if err := a.bot.PollPosted(ctx, pollID, ts); err != nil {
		a.log.Warn("poll message not recorded; it is redrawn only on clicks", "poll", pollID, "error", err)
	}
}

// changed redraws a poll's own message after a reply that may have changed
// the poll: a typed vote, a close, a result at the deadline. A refusal
// changed nothing, unless it shows that the poll has closed.
func (a *Adapter) changed(r bot.Reply) {
	if r.RedrawsPoll() {
		a.updates.schedule(r.Poll.ID, r.Poll.Where.Channel, r.Poll.Message)
	}
}

// parseEvent parses an Events API body; the signature or the socket has
// already authenticated it.
func parseEvent(body []byte) (slackevents.EventsAPIEvent, string, error) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		return ev, "", err
	}
	var outer struct {
		EventID string `json:"event_id"`
	}
	_ = json.Unmarshal(body, &outer)
	return ev, outer.EventID, nil
}

// Post sends a message nobody asked for at that moment (a scheduled prompt,
// a poll result) to a channel. It implements bot.Poster. The message is a
// normal channel message, so the team replies in its thread.
func (a *Adapter) Post(ctx context.Context, to bot.Destination, r bot.Reply) error {
	r.Ephemeral = false // there is nobody to show a private message to
	if err := a.send(ctx, to.Channel, "", "", r); err != nil {
		return err
	}
	a.changed(r)
	return nil
}
