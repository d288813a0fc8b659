package bot

import (
	"context"
	"fmt"
)

// PollMessages is how an adapter shows polls as the bot's own messages,
// which the bot can redraw as votes come in and when the poll closes (a
// slash command's response is the user's message, which the bot may not
// edit). AfterReply uses it; each adapter implements it.
type PollMessages interface {
	// PostPoll posts r, a new poll (see Reply.PostsPoll), as the bot's
	// own message and returns the platform's ID of that message (a Slack
	// ts, a Mattermost post ID).
	PostPoll(ctx context.Context, r Reply) (messageID string, err error)

	// RedrawPoll brings the poll's own message (v.Where, v.Message) up
	// to date, at once or a little later (an adapter may gather redraws
	// to stay within its platform's rate limits), through Bot.Redraw.
	RedrawPoll(v *PollView)
}

// AfterReply is the step an adapter takes with every reply, before it
// shows it, so that the rules for poll messages exist once:
//
//   - A new poll (Reply.PostsPoll) is posted as the bot's own message
//     with m.PostPoll, and that message is recorded (PollPosted) so that
//     votes, the close and the deadline redraw it, also after a restart.
//     AfterReply then reports true and the adapter shows nothing more
//     (an empty acknowledgement). When posting fails it logs why and
//     reports false: the adapter shows the poll as text, as any reply,
//     and people vote with /stem.
//   - A reply that changed a poll whose own message is known
//     (Reply.RedrawsPoll: a typed vote, a close, a result at the
//     deadline) has m redraw that message.
//
// Replies to a click on a poll's button go through PollClicked instead:
// there the clicked message is known from the click.
func (b *Bot) AfterReply(ctx context.Context, r Reply, m PollMessages) (posted bool) {
	switch {
	case r.PostsPoll():
		id, err := m.PostPoll(ctx, r)
		if err != nil {
			b.log.Warn("poll not posted as the bot's own message; it is shown as text, and people vote with /stem",
				"poll", r.Poll.ID, "platform", r.Poll.Where.Platform, "channel", r.Poll.Where.Channel, "error", err)
			return false
		}
		b.record(ctx, r.Poll.ID, id)
		return true
	case r.RedrawsPoll():
		m.RedrawPoll(r.Poll)
	}
	return false
}

// PollClicked is AfterReply for the reply to a click on a button of a
// poll message: message, the clicked message in channel, becomes the
// poll's own message when the bot has none recorded for it (a poll posted
// before the bot recorded its messages). The adapter then redraws the
// clicked message itself when the reply ChangesPoll.
func (b *Bot) PollClicked(ctx context.Context, r Reply, channel, message string) {
	if v := r.Poll; v != nil && v.Message == "" && message != "" && v.Where.Channel == channel {
		b.record(ctx, v.ID, message)
	}
}

// record is PollPosted for the after-reply steps, which log a failure:
// the poll then works, but its message is redrawn only on clicks.
func (b *Bot) record(ctx context.Context, pollID, message string) {
	if err := b.PollPosted(ctx, pollID, message); err != nil {
		b.log.Warn("poll message not recorded; it is redrawn only on clicks", "poll", pollID, "message", message, "error", err)
	}
}

// Redraw updates a poll's own message to the poll as it is now: it reads
// the poll (PollMessage) and hands that reply to update, which replaces
// the message on the platform (Slack's chat.update, Mattermost's patch).
// An unknown poll, or one the store cannot read, is an error and update
// is not called.
func (b *Bot) Redraw(ctx context.Context, pollID string, update func(context.Context, Reply) error) error {
	r := b.PollMessage(ctx, pollID)
	if r.Status != Answered || r.Poll == nil {
		return fmt.Errorf("poll %s: %s", pollID, r.Text)
	}
	return update(ctx, r)
}
