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
	return a.bot.Handle(ctx, req)
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
	if a.bot.AfterReply(ctx, reply, a.inThread(thread)) {
		return
	}
	if err := a.send(ctx, channel, user, thread, reply); err != nil {
		a.log.Error("answer to a mention not delivered", "channel", channel, "error", err, "fix", fixPost)
		return
	}
	a.shareFiles(ctx, channel, thread, user, reply)
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
	if r.Ephemeral {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, a.messageOptions(thread, r)...)
		return err
	}
	_, err := a.postMessage(ctx, channel, thread, r)
	return err
}

// postMessage posts r in channel (in thread, if any) for everyone and
// returns the message's ts.
func (a *Adapter) postMessage(ctx context.Context, channel, thread string, r bot.Reply) (string, error) {
	_, ts, err := a.api.PostMessageContext(ctx, channel, a.messageOptions(thread, r)...)
	return ts, err
}

func (a *Adapter) messageOptions(thread string, r bot.Reply) []slack.MsgOption {
	m := a.withPoll(r)
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return opts
}

// pollMessages posts new polls as the bot's own messages, in a thread
// when the command came in one, and redraws them with chat.update, at
// most once per update delay (see updater): the adapter's
// bot.PollMessages, for bot.AfterReply.
type pollMessages struct {
	a      *Adapter
	thread string
}

// inThread is the adapter's pollMessages for a request in thread ("":
// none).
func (a *Adapter) inThread(thread string) *pollMessages {
	if thread == "" {
		return a.polls
	}
	return &pollMessages{a: a, thread: thread}
}

// PostPoll posts r's poll in its channel and returns the message's ts.
func (p *pollMessages) PostPoll(ctx context.Context, r bot.Reply) (string, error) {
	return p.a.postMessage(ctx, r.Poll.Where.Channel, p.thread, r)
}

// RedrawPoll redraws v's own message soon.
func (p *pollMessages) RedrawPoll(v *bot.PollView) {
	p.a.updates.schedule(v.ID, v.Where.Channel, v.Message)
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
// a poll result) to a channel, then its files (a closed casus's chart). It
// implements bot.Poster. The message is a normal channel message, so the
// team replies in its thread.
func (a *Adapter) Post(ctx context.Context, to bot.Destination, r bot.Reply) error {
	r.Ephemeral = false // there is nobody to show a private message to
	if a.bot.AfterReply(ctx, r, a.polls) {
		return nil
	}
	if err := a.send(ctx, to.Channel, "", "", r); err != nil {
		return err
	}
	// The text went out. The files follow in the background, so that a
	// slow upload does not hold up the deadline loop; one that fails is
	// logged, not returned, or the bot would post the text again (see
	// bot.Poster).
	a.shareFilesLater(ctx, to.Channel, "", "", r)
	return nil
}
